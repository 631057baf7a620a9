package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestWriteOddOwners: import writes every odd owner name (zonetest's) so
// that the file reads back as the same names and records: what the
// completeness gates tell the user to copy into git is git's name.
func TestWriteOddOwners(t *testing.T) {
	const origin = "example.com."
	z := zonetest.Load(t, zonetest.OddZone(origin), origin)
	writesBack(t, z, origin)
}

// writesBack: z is written whole (nothing skipped) and the file reads
// back as z's RRsets, no more and no fewer.
func writesBack(t *testing.T, z *zone.Zone, origin string) {
	t.Helper()
	var b bytes.Buffer
	res, err := Write(&b, z, Options{Source: "test", File: "-"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Skipped) > 0 {
		t.Errorf("skipped: %v", res.Skipped)
	}
	back, err := zone.Parse(strings.NewReader(b.String()), "back.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range z.Sets {
		if g := back.Get(s.Name, s.Type); g == nil || !g.SameData(s) {
			t.Errorf("%s %s not written back as such:\n%s", s.Name, dns.Type(s.Type), b.String())
		}
	}
	if len(back.Sets) != len(z.Sets) {
		t.Errorf("%d RRsets read back, want %d:\n%s", len(back.Sets), len(z.Sets), b.String())
	}
}
