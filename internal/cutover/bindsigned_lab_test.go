package cutover

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/transfer"
)

// TestCompleteBINDSignedLab: the old side is a BIND server signing the
// zone (dnssec-policy, inline-signing: the most common self-hosted signed
// zone), listed by AXFR (rfc2136), and serving exactly git. BIND keeps its
// signing state in a record of the private type 65534 at the apex, which
// it serves and transfers (seen here: `dig AXFR` lists
// "example.test. 0 IN TYPE65534 \# 5 ..."), as it does RRSIG, NSEC and
// DNSKEY: a record the signer makes, not the zone's data (BIND refuses an
// UPDATE of it, LAB-NOTES). old-complete took it for an RRset the old
// provider holds and git lacks: every planned flip away from a signed
// BIND was refused, and flip --emergency too, from the listing and from
// the surviving server's transfer alike (with the API down), the plans
// asking to put in git a record no zone file should hold.
func TestCompleteBINDSignedLab(t *testing.T) {
	const origin = "example.test."
	srv := lab.BIND(t, lab.Options{Signing: true, Zones: []lab.Zone{{Origin: origin, Text: pdnsGitText}}})
	ctx := context.Background()
	rrs, err := transfer.AXFR(ctx, srv.Addr, origin, transfer.Options{DialTimeout: 2 * time.Second, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rrs, func(rr dns.RR) bool { return rr.Header().Rrtype == 65534 && rr.Header().Name == origin }) {
		t.Fatalf("the signing BIND's transfer holds no TYPE65534 at the apex (the case this test is about): %v", rrs)
	}
	mk := func(p func(c *Config)) *Config {
		c := &Config{Zone: gitZone(t, pdnsGitText), Old: Side{Name: "old", Provider: rfc2136Provider(t, srv.Addr, nil), Servers: []string{srv.Addr}}, New: Side{Name: "new"}}
		if p != nil {
			p(c)
		}
		c.defaults()
		return c
	}
	for _, tc := range []struct {
		name string
		gate func() Gate
	}{
		{"planned", func() Gate { return mk(nil).oldComplete(t) }},
		{"emergency, listed", func() Gate {
			c := mk(nil)
			return downComplete(ctx, c, &c.Old, &c.New, []string{srv.Addr})
		}},
		{"emergency, API down", func() Gate {
			c := mk(func(c *Config) { c.Old.Provider = unlistable{c.Old.Provider} })
			return downComplete(ctx, c, &c.Old, &c.New, []string{srv.Addr})
		}},
	} {
		g := tc.gate()
		t.Logf("%s: old-complete ok=%v %s", tc.name, g.OK, g.Detail)
		if !g.OK || strings.Contains(g.Detail, "TYPE65534") {
			t.Errorf("%s: old-complete of a signing BIND serving exactly git: ok=%v %s", tc.name, g.OK, g.Detail)
		}
	}
}
