package export

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
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
			files, err := Outputs(c.zones, dir, false)
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
