package config

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestZonesGlobReadsNothingOutside: a glob names each zone by peeking at
// its file's first lines, and a pull request decides what the glob
// matches: a zone file that is a symlink out of the repository is
// refused as `file:` is ("outside the repository", naming it) before
// anything of it is read, so neither its text (here a bad $ORIGIN that a
// message would quote) nor a FIFO that never answers (which would hang
// the run) is reached.
func TestZonesGlobReadsNothingOutside(t *testing.T) {
	base := t.TempDir()
	repo, outside := filepath.Join(base, "repo"), filepath.Join(base, "outside")
	for _, d := range []string{filepath.Join(repo, ".git"), filepath.Join(repo, "zones"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	const secret = "s3cr3t-value-0123456789abcdef"
	if err := os.WriteFile(filepath.Join(outside, "env"), []byte("$ORIGIN "+secret+"..bad.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(outside, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(repo, "zones", "ok.test.zone"), []byte("$ORIGIN ok.test.\n@ 300 SOA ns h 1 2 3 4 5\n"), 0o644)
	cfg := filepath.Join(repo, "dnsparity.yaml")
	os.WriteFile(cfg, []byte("zones:\n  - files: zones/*.zone\n"), 0o644)
	for _, link := range []string{"env", "fifo"} {
		t.Run(link, func(t *testing.T) {
			l := filepath.Join(repo, "zones", "evil-"+link+".zone")
			if err := os.Symlink(filepath.Join(outside, link), l); err != nil {
				t.Fatal(err)
			}
			defer os.Remove(l)
			done := make(chan error, 1)
			go func() {
				_, err := Load(cfg)
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), "evil-"+link+".zone: outside the repository") || strings.Contains(err.Error(), secret) {
					t.Errorf("a globbed zone file that is a symlink out: %v", err)
				}
			case <-time.After(5 * time.Second):
				// Unblock the open of the FIFO so the test can end.
				if f, err := os.OpenFile(filepath.Join(outside, "fifo"), os.O_WRONLY, 0); err == nil {
					f.Close()
				}
				<-done
				t.Errorf("loading the config opened a FIFO outside the repository and waited on it")
			}
		})
	}
}
