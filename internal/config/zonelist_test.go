package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestReadZoneList: --zones-from's file, one zone name a line, blank
// lines and # comments skipped; a line that is no domain name is an
// error naming the file and the line; a file naming no zone is one too.
func TestReadZoneList(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
		err  string // in the error, with the file's path before it
	}{
		{"example.com.\n# a comment\n\nexample.net # after\n", []string{"example.com.", "example.net"}, ""},
		{"a.example.\nnot a name\n", nil, ":2: \"not a name\" is not a zone name"},
		{"a..example.\n", nil, ":1: "},
		{"# nothing\n\n", nil, "names no zone"},
		// Listed twice: said at the second line, naming the first (it
		// was "zone example.com. is given twice", no file, no line).
		{"example.com.\r\nexample.net\r\n# c\r\nExample.COM\r\n", nil, ":4: zone \"example.com.\" is listed twice (line 1 too)"},
	} {
		p := filepath.Join(t.TempDir(), "zones.txt")
		if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := ReadZoneList(p)
		switch {
		case tc.err == "" && (err != nil || !slices.Equal(got, tc.want)):
			t.Errorf("%q: %q, %v; want %q", tc.text, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.HasPrefix(err.Error(), p) || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%q: error %v, want %s…%s", tc.text, err, p, tc.err)
		}
	}
	if _, err := ReadZoneList(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Errorf("a missing file: no error")
	}
}
