package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestDNSSECGateEmptyNonTerminal: the dnssec gate is given the zone's
// first empty non-terminal that its servers answer from its own data, for
// its NODATA probe: not one below a delegation (glue's parent) or below a
// DNAME, none when the zone has none.
func TestDNSSECGateEmptyNonTerminal(t *testing.T) {
	for _, c := range []struct {
		name, text, want string
	}{
		{"none", "www A 192.0.2.80\n", ""},
		{"one", "www A 192.0.2.80\nx.b A 192.0.2.1\n", "b.example.test."},
		{"below a delegation first, then one", "sub NS ns.x.sub\nns.x.sub A 192.0.2.53\na.z A 192.0.2.2\n", "z.example.test."},
		{"below a DNAME only", "dn DNAME target.example.\nx.y.dn A 192.0.2.3\n", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.1\n"+c.text), "z", "example.test.", "")
			if err != nil {
				t.Fatal(err)
			}
			var got *string
			cfg := &Config{Zone: z, New: Side{Name: "new", Servers: []string{"127.0.0.80:53"}}, Old: Side{Name: "old"},
				DNSSEC: func(_ context.Context, in dnssec.Input) (dnssec.Result, error) {
					got = &in.EmptyNonTerminal
					return dnssec.Result{OK: true, Situation: dnssec.SignedMatch}, nil
				}}
			cfg.defaults()
			gateDNSSEC(context.Background(), cfg, nil, &cfg.New, &cfg.Old, DelegationView{DS: []string{"1 13 2 AA"}}, nil)
			switch {
			case got == nil:
				t.Errorf("the gate was not asked")
			case *got != c.want:
				t.Errorf("EmptyNonTerminal %q, want %q", *got, c.want)
			}
		})
	}
}

// TestDNSSECGateOtherNSTTL: the dnssec gate is given the largest apex NS
// TTL the other side's servers served in the step (apexNSSeen), for its
// plan's route (a): the new DS waits the parent's NS TTL plus it after
// the change, as old_delegation_expires counts. A server that did not
// answer does not count; outside a step (no apexNSSeen) nothing is asked
// and 0 means unknown.
func TestDNSSECGateOtherNSTTL(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.1\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	old := []string{"127.0.0.70:53", "127.0.0.71:53", "127.0.0.72:53"}
	for _, c := range []struct {
		name string
		seen *apexNSSeen
		want uint32
	}{
		{"in a step", &apexNSSeen{by: map[string]*apexNSCall{
			old[0]: {done: true, a: apexNSAnswer{ns: []string{"ns1.old.test."}, ttl: 3600, authoritative: true}},
			old[1]: {done: true, a: apexNSAnswer{ns: []string{"ns1.old.test."}, ttl: 86400, authoritative: true}},
			old[2]: {done: true, a: apexNSAnswer{err: context.DeadlineExceeded}},
		}}, 86400},
		{"outside a step", nil, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got *uint32
			cfg := &Config{Zone: z, New: Side{Name: "new", Servers: []string{"127.0.0.80:53"}}, Old: Side{Name: "old", Servers: old},
				DNSSEC: func(_ context.Context, in dnssec.Input) (dnssec.Result, error) {
					got = &in.OtherNSTTL
					return dnssec.Result{OK: true, Situation: dnssec.SignedMatch}, nil
				}}
			cfg.defaults()
			cfg.apexSeen = c.seen
			gateDNSSEC(context.Background(), cfg, nil, &cfg.New, &cfg.Old, DelegationView{DS: []string{"1 13 2 AA"}, NSTTL: 3600}, nil)
			switch {
			case got == nil:
				t.Errorf("the gate was not asked")
			case *got != c.want:
				t.Errorf("OtherNSTTL %d, want %d", *got, c.want)
			}
		})
	}
}
