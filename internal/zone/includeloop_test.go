package zone

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIncludeLoop: an $INCLUDE of a file already being read (the zone
// file itself, or a file that includes the one including it) is one
// error on that $INCLUDE's line naming the loop, and is not read again:
// not "nested too deeply" after reading the records eight times over,
// each copy a "duplicate record ignored" warning.
func TestIncludeLoop(t *testing.T) {
	const apex = "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.53\n"
	tests := []struct {
		name  string
		files map[string]string
		file  string // of the loop's $INCLUDE
		line  int
	}{
		{"itself", map[string]string{"main.zone": apex + "$INCLUDE main.zone\n"}, "main.zone", 5},
		{"itself from the root", map[string]string{"main.zone": apex + "$INCLUDE ./main.zone\n"}, "main.zone", 5},
		{"through another file", map[string]string{
			"main.zone":  apex + "$INCLUDE inc/a.zone\n",
			"inc/a.zone": "a IN A 192.0.2.1\n$INCLUDE ../main.zone\n",
		}, "a.zone", 2},
		{"two included files", map[string]string{
			"main.zone": apex + "$INCLUDE b.zone\n",
			"b.zone":    "b IN A 192.0.2.2\n$INCLUDE c.zone\n",
			"c.zone":    "c IN A 192.0.2.3\n$INCLUDE b.zone\n",
		}, "c.zone", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, tt.files)
			z, err := Load(filepath.Join(dir, "main.zone"), Options{Origin: "a.test.", Root: dir})
			if err != nil {
				t.Fatal(err)
			}
			ps := Check(z)
			var loops int
			for _, p := range ps {
				if strings.Contains(p.Message, "duplicate") || strings.Contains(p.Message, "nested too deeply") {
					t.Errorf("read again: %v", p)
				}
				if strings.Contains(p.Message, "loop") {
					loops++
					if p.Severity != Error || filepath.Base(p.Pos.File) != tt.file || p.Pos.Line != tt.line {
						t.Errorf("%v, want an error at %s:%d", p, tt.file, tt.line)
					}
				}
			}
			if loops != 1 {
				t.Errorf("%d problems naming the loop, want 1: %v", loops, ps)
			}
		})
	}
}

// TestIncludeLoopIsTheFileRead: a loop is an $INCLUDE of the very file
// being read, as it was opened, not of whatever file its name holds now:
// a zone file replaced under its name while it is read (a checkout) and
// included by that name reads the new file, no loop; on the code before,
// the file being read was looked up by its name at each $INCLUDE, and
// the new file was taken for it ("a loop").
func TestIncludeLoopIsTheFileRead(t *testing.T) {
	const apex = "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.53\n"
	dir := t.TempDir()
	main := filepath.Join(dir, "main.zone")
	if err := os.WriteFile(main, []byte(apex+"$INCLUDE main.zone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fh, err := os.Open(main)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if err := os.WriteFile(main+".new", []byte("other IN A 192.0.2.7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(main+".new", main); err != nil {
		t.Fatal(err)
	}
	z, err := Parse(fh, main, "a.test.", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Check(z) {
		if strings.Contains(p.Message, "loop") {
			t.Errorf("%v: the file included is not the one being read", p)
		}
	}
	if z.Get("other.a.test.", 1 /* A */) == nil {
		t.Errorf("the new file was not read: %v", z.Names())
	}
}
