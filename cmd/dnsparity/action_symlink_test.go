package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestActionReportNotWrittenThroughSymlinks: the pr job runs on the pull
// request's checkout, so everything in the workspace is the pull
// request's, symlinks included. The JSON report (.dnsparity/COMMAND.json)
// is written where the run decides, never through a symlink the pull
// request placed there: a report file that is a symlink out of the
// workspace is replaced, not followed (which would overwrite any file the
// job may write), and a .dnsparity folder that is a symlink out of the
// workspace is refused, the report not written, the run saying so.
func TestActionReportNotWrittenThroughSymlinks(t *testing.T) {
	outside := t.TempDir()
	victim := filepath.Join(outside, "victim")
	const kept = "a file outside the workspace\n"
	for _, tc := range []struct {
		name  string
		plant func(t *testing.T, ws string)
		saved bool
	}{
		{"the report file is a symlink out", func(t *testing.T, ws string) {
			mustSymlink(t, victim, filepath.Join(ws, ".dnsparity", "check.json"))
		}, true},
		{"the report folder is a symlink out", func(t *testing.T, ws string) {
			os.Remove(filepath.Join(ws, ".dnsparity"))
			mustSymlink(t, outside, filepath.Join(ws, ".dnsparity"))
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(victim, []byte(kept), 0o644); err != nil {
				t.Fatal(err)
			}
			os.Remove(filepath.Join(outside, "check.json"))
			e := newActionEnv(t)
			zdir := filepath.Join(e.ws, "zones")
			os.MkdirAll(zdir, 0o755)
			os.MkdirAll(filepath.Join(e.ws, ".dnsparity"), 0o755)
			os.WriteFile(filepath.Join(zdir, "acme.test.zone"), []byte(acmeZone), 0o644)
			tc.plant(t, e.ws)
			e.env["INPUT_COMMAND"] = "check"
			e.env["INPUT_ARGS"] = "zones"
			o := e.run(t)
			if o.code != exitOK {
				t.Fatalf("exit %d\n%s\n%s", o.code, o.stdout, o.stderr)
			}
			if b, _ := os.ReadFile(victim); string(b) != kept {
				t.Errorf("the file outside the workspace was overwritten through the symlink: %q", b)
			}
			if _, err := os.Stat(filepath.Join(outside, "check.json")); err == nil {
				t.Errorf("the report was written outside the workspace")
			}
			report := filepath.Join(e.ws, ".dnsparity", "check.json")
			fi, err := os.Lstat(report)
			switch {
			case tc.saved && (err != nil || !fi.Mode().IsRegular() || o.outputs["report"] != ".dnsparity/check.json"):
				t.Errorf("the report should replace the symlink with a file in the workspace: %v %v, outputs %v", fi, err, o.outputs)
			case !tc.saved && (o.outputs["report"] != "" || !strings.Contains(o.summary, "outside the repository")):
				t.Errorf("a report folder that leads out should be refused, saying so: outputs %v\n%s", o.outputs, o.summary)
			}
		})
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestActionConfigOutsideNotRead: a dnsparity.yaml that is a symlink out of
// the workspace (the pull request's checkout decides) is refused before
// anything reads it, even to learn which secrets to mask: here it leads to
// a FIFO nobody writes to, which a read would wait on for ever (and
// /dev/zero would fill the memory).
func TestActionConfigOutsideNotRead(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	e := newActionEnv(t)
	mustSymlink(t, fifo, filepath.Join(e.ws, "dnsparity.yaml"))
	e.env["INPUT_COMMAND"] = "check"
	base := "zones: []\n" // the harness would read the link for the base branch's copy
	e.baseConfig = &base
	done := make(chan actionOut, 1)
	go func() { done <- e.run(t) }()
	select {
	case o := <-done:
		if o.code != exitError || !strings.Contains(o.summary, "outside the repository") {
			t.Errorf("exit %d, want 2 and the config refused as outside the repository:\n%s", o.code, o.summary)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("the Action read the config through a symlink out of the workspace (it waited on a FIFO)")
		for { // end each read of it so the run can finish
			if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				f.Close()
			}
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}
