package cutover

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestDNSSECWarnings: the dnssec gate's warnings (dnssec.Result.Warnings:
// CDS/CDNSKEY sets, a DNSKEY algorithm that signs nothing) reach the
// report's top-level warnings once, whether the gate passes or not, and
// stay in the gate's detail.
func TestDNSSECWarnings(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.1\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	warnings := []string{"127.0.0.80:53: publishes CDS for key tags 1, 2", "127.0.0.80:53: its DNSKEY set holds keys of ECDSAP256SHA256 (13) besides the DS set's RSASHA256 (8)"}
	for _, ok := range []bool{true, false} {
		c := &Config{Zone: z, New: Side{Name: "new", Servers: []string{"127.0.0.80:53"}}, Old: Side{Name: "old"},
			DNSSEC: func(context.Context, dnssec.Input) (dnssec.Result, error) {
				return dnssec.Result{OK: ok, Situation: dnssec.SignedMatch, Detail: "checked; warning: " + strings.Join(warnings, "; "), Warnings: warnings}, nil
			}}
		c.defaults()
		rep := newReport(c, "flip")
		d := DelegationView{DS: []string{"1 8 2 AA"}}
		// Twice, as a rollback that restores a DS set asks the gate.
		rep.Gates = append(rep.Gates, gateDNSSEC(context.Background(), c, nil, &c.New, &c.Old, d, nil), gateDNSSEC(context.Background(), c, nil, &c.New, &c.Old, d, nil))
		verdict(rep)
		want := []string{"dnssec: " + warnings[0], "dnssec: " + warnings[1]}
		if !slices.Equal(rep.Warnings, want) {
			t.Errorf("ok=%v: report warnings %q, want %q", ok, rep.Warnings, want)
		}
		if g := findGate(rep.Gates, GateDNSSEC); g == nil || !strings.Contains(g.Detail, warnings[1]) {
			t.Errorf("ok=%v: the gate's detail lost the warning: %+v", ok, g)
		}
	}
}
