package zone

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// bitmapRecords hold types 0 and 65535 in a type bitmap (NSEC, NSEC3,
// CSYNC), which miekg/dns prints "None" and "Reserved": no zone file
// reader takes those names (BIND: "unknown class/type"; PowerDNS:
// "Unknown DNS type 'None'"). RFC 3597 §5 writes them TYPE0, TYPE65535.
var bitmapRecords = []string{
	"x CSYNC 0 0 TYPE0",
	"x CSYNC 66 3 TYPE0 A NS TYPE65535",
	"x NSEC a.example. TYPE0 A RRSIG NSEC TYPE65535",
	"0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s TYPE0 A TYPE65535",
}

// TestRdataStringBitmapTypes: RdataString writes types 0 and 65535 of a
// bitmap as TYPE0 and TYPE65535, and a zone file of that text loads in
// named-checkzone and reads back as the same RDATA.
func TestRdataStringBitmapTypes(t *testing.T) {
	bin := lab.Binary(t, "named-checkzone")
	dir := t.TempDir()
	for _, rec := range bitmapRecords {
		z, err := Parse(strings.NewReader(rdataApex+rec+"\n"), "b.zone", "example.", "")
		if err != nil {
			t.Fatal(err)
		}
		if ps := Check(z); HasErrors(ps) {
			t.Fatalf("%q: %v", rec, ps)
		}
		owner := CanonicalName(strings.Fields(rec)[0] + ".example.")
		var s *RRSet
		for _, c := range z.Sets {
			if c.Name == owner {
				s = c
			}
		}
		if s == nil {
			t.Fatalf("%q: no RRset at %s", rec, owner)
		}
		text := RdataString(s.RRs()[0])
		if strings.Contains(text, "None") || strings.Contains(text, "Reserved") || !strings.Contains(text, "TYPE0") {
			t.Errorf("%q: RdataString %q", rec, text)
		}
		if err := roundTrip(s); err != nil {
			t.Error(err)
		}
		f := filepath.Join(dir, "b.zone")
		line := strings.Fields(rec)[0] + " 300 IN " + strings.Fields(rec)[1] + " " + text
		if err := os.WriteFile(f, []byte(rdataApex+line+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-i", "local", "example", f).CombinedOutput()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		if err != nil {
			t.Errorf("%q written as %q: named-checkzone refuses it:\n%s", rec, line, out)
		}
	}
}
