package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestDNSSECGateOtherNSTTLAuthoritative: the dnssec gate's OtherNSTTL
// counts the apex NS TTL of authoritative answers only, as the TTLs
// observed do (apexServed): an answer without AA (a lame server, a cache
// in front of one) is not the zone's data. On the code before, a lame
// server's 86,400 s made the plan's route (a) wait a day for a TTL the
// zone does not serve, while the ttl gates counted 3,600 s.
func TestDNSSECGateOtherNSTTLAuthoritative(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.1\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	old := []string{"127.0.0.70:53", "127.0.0.71:53"}
	for _, c := range []struct {
		name string
		aa   [2]bool
		want uint32
	}{
		{"one authoritative, one lame with a longer TTL", [2]bool{true, false}, 3600},
		{"both lame", [2]bool{false, false}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			seen := &apexNSSeen{by: map[string]*apexNSCall{
				old[0]: {done: true, a: apexNSAnswer{ns: []string{"ns1.old.test."}, ttl: 3600, authoritative: c.aa[0]}},
				old[1]: {done: true, a: apexNSAnswer{ns: []string{"ns1.old.test."}, ttl: 86400, authoritative: c.aa[1]}},
			}}
			var got *uint32
			cfg := &Config{Zone: z, New: Side{Name: "new", Servers: []string{"127.0.0.80:53"}}, Old: Side{Name: "old", Servers: old},
				DNSSEC: func(_ context.Context, in dnssec.Input) (dnssec.Result, error) {
					got = &in.OtherNSTTL
					return dnssec.Result{OK: true, Situation: dnssec.SignedMatch}, nil
				}}
			cfg.defaults()
			cfg.apexSeen = seen
			gateDNSSEC(context.Background(), cfg, nil, &cfg.New, &cfg.Old, DelegationView{DS: []string{"1 13 2 AA"}, NSTTL: 3600}, nil)
			if got == nil {
				t.Fatal("the gate was not asked")
			}
			if *got != c.want {
				t.Errorf("OtherNSTTL %d, want %d", *got, c.want)
			}
			// The TTLs observed count the same answers alike.
			ttl, ok := servedNSTTL(seen.apexNSOf(context.Background(), cfg, old))
			if ttl != c.want || ok != (c.want > 0) {
				t.Errorf("the apex NS TTL served %d (%v), the dnssec gate's %d: one rule", ttl, ok, *got)
			}
		})
	}
}
