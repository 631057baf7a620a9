package export

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestOutputs: several zones go each to NAME.zone in the folder -o
// names, in that folder itself: an RFC 2317 classless zone's "/" is
// written "-" (before, 0/25.2.0.192.in-addr.arpa. went to a subfolder
// "0", where a `files: zones/*.zone` glob does not find it); two zones
// that would share a file (a zone given twice among them: import refuses
// that first, config.ZoneNamedTwice) are refused.
func TestOutputs(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name  string
		zones []string
		want  []string // file names in dir
		err   string
	}{
		{"names", []string{"example.com.", "example.net"}, []string{"example.com.zone", "example.net.zone"}, ""},
		{"classless", []string{"0/25.2.0.192.in-addr.arpa.", "example.com."}, []string{"0-25.2.0.192.in-addr.arpa.zone", "example.com.zone"}, ""},
		{"one file for two zones", []string{"0/25.2.0.192.in-addr.arpa.", "0-25.2.0.192.in-addr.arpa."}, nil, "would both be written to"},
		{"twice", []string{"example.com.", "example.com."}, nil, "would both be written"}, // import refuses it first (config.ZoneNamedTwice)
	} {
		t.Run(c.name, func(t *testing.T) {
			files, err := Outputs(c.zones, dir, OutputOptions{})
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range files {
				if filepath.Dir(f) != dir {
					t.Errorf("%s is not in %s itself", f, dir)
				}
				got = append(got, filepath.Base(f))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("files %v, want %v", got, c.want)
			}
		})
	}
}

// TestOutputsForceKeepsEdits: --force replaced a hand-written zone file
// whole without a word, its $INCLUDE, $GENERATE and comments gone. Now
// such a file is refused, naming what it holds at its line, unless
// --discard-edits, which replaces it saying what is lost; a file import
// wrote, or one of records only, is replaced as before.
func TestOutputsForceKeepsEdits(t *testing.T) {
	const header = "; example.com - exported by dnsparity import from old.\n; Every record the provider lists is below\n"
	for _, c := range []struct {
		name, text string
		lost       []string // in the refusal, and in --discard-edits' warning; none: replaced silently
	}{
		{"written by import", header + "@ 300 IN A 192.0.2.1 ; dnsparity: proxied\n", nil},
		{"records only", "$TTL 300\n@ IN A 192.0.2.1\nwww IN TXT \"a;b\"\n", nil},
		{"hand-written", "; our zone\n$TTL 300\n$INCLUDE zones/common.inc\n@ IN A 192.0.2.1 ; web\n$GENERATE 1-4 host$ A 192.0.2.$\n",
			[]string{"1 $INCLUDE line, first at ", "f.zone:3", "1 $GENERATE line, first at ", "f.zone:5", "2 comment lines, first at ", "f.zone:1", "written inline"}},
		{"import's file, an $INCLUDE added", header + "$include extra.inc\n", []string{"1 $INCLUDE line, first at ", "f.zone:3"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "f.zone")
			if err := os.WriteFile(f, []byte(c.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := Outputs([]string{"example.com."}, f, OutputOptions{Force: true})
			var warn strings.Builder
			_, derr := Outputs([]string{"example.com."}, f, OutputOptions{Force: true, DiscardEdits: true, Warn: &warn})
			if derr != nil {
				t.Fatalf("--discard-edits: %v", derr)
			}
			if len(c.lost) == 0 {
				if err != nil || warn.Len() > 0 {
					t.Errorf("--force: %v, warning %q; want it replaced", err, warn.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "--discard-edits") {
				t.Fatalf("--force: %v, want a refusal naming --discard-edits", err)
			}
			for _, l := range c.lost {
				if !strings.Contains(err.Error(), l) || !strings.Contains(warn.String(), l) {
					t.Errorf("want %q in the refusal %q and the warning %q", l, err, warn.String())
				}
			}
		})
	}
}

// TestOutputsForceNotARegularFile: --force read the file it replaces
// (Edits) whatever it was: a named pipe (or -o /dev/stdout on a pipe,
// /dev/fd/N) waited for a writer that is this process, for ever. A file
// that is no regular file has no edits to keep. A line too long to read
// refuses --force and is replaced with --discard-edits, saying so.
func TestOutputsForceNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.zone")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Outputs([]string{"example.com."}, fifo, OutputOptions{Force: true})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("--force onto a named pipe: %v", err)
		}
	case <-time.After(20 * time.Second):
		// a hang guard, not a timing: Outputs opens no file here
		t.Fatal("--force onto a named pipe still waiting after 20 s: it opened the pipe")
	}
	long := filepath.Join(dir, "long.zone")
	if err := os.WriteFile(long, []byte("x IN TXT \""+strings.Repeat("a", 2<<20)+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Outputs([]string{"example.com."}, long, OutputOptions{Force: true}); err == nil || !strings.Contains(err.Error(), "--discard-edits") {
		t.Errorf("--force onto a file with a line too long to read: %v, want a refusal naming --discard-edits", err)
	}
	var warn strings.Builder
	if _, err := Outputs([]string{"example.com."}, long, OutputOptions{Force: true, DiscardEdits: true, Warn: &warn}); err != nil || !strings.Contains(warn.String(), "not knowing what is lost") {
		t.Errorf("--discard-edits onto it: %v, warning %q", err, warn.String())
	}
}
