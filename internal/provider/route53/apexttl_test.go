package route53_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestApexTTLs: Route 53's own SOA (900 s TTL, 86400 s minimum) and NS
// (172800 s) take git's TTLs and SOA timers by UPSERT, Route 53's names
// kept; a second plan is empty; a later raise works the same way.
func TestApexTTLs(t *testing.T) {
	s := newServer(t)
	defer s.Close()
	s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)
	ctx := context.Background()
	for _, st := range []struct{ ttl, minimum uint32 }{{5, 5}, {3600, 900}} {
		d := desired(t, fmt.Sprintf("$ORIGIN example.com.\n$TTL %[1]d\n@ SOA ns.example.org. h.example.org. 1 3600 600 1209600 %[2]d\n@ NS ns.example.org.\nwww A 192.0.2.1\n", st.ttl, st.minimum))
		before, err := p.Records(ctx, "example.com.")
		if err != nil {
			t.Fatal(err)
		}
		pl := providertest.Plan(t, p, d)
		if len(pl.Warnings) != 0 || len(pl.Unsafe(plan.Policy{})) != 0 {
			t.Errorf("ttl %d: warnings %q, unsafe %q", st.ttl, pl.Warnings, pl.Unsafe(plan.Policy{}))
		}
		providertest.Push(t, p, d)
		got, err := p.Records(ctx, "example.com.")
		if err != nil {
			t.Fatal(err)
		}
		soaSet := got.Get("example.com.", dns.TypeSOA)
		soa, was := soaSet.RRs()[0].(*dns.SOA), before.Get("example.com.", dns.TypeSOA).RRs()[0].(*dns.SOA)
		if soaSet.TTL != st.ttl || soa.Minttl != st.minimum || soa.Refresh != 3600 || soa.Ns != was.Ns || soa.Mbox != was.Mbox {
			t.Errorf("ttl %d: SOA %d %v (was %v)", st.ttl, soaSet.TTL, soa, was)
		}
		ns := got.Get("example.com.", dns.TypeNS)
		if ns.TTL != st.ttl || !ns.SameData(before.Get("example.com.", dns.TypeNS)) || !strings.Contains(strings.Join(ns.Strings(), " "), "awsdns") {
			t.Errorf("ttl %d: NS %d %v", st.ttl, ns.TTL, ns.Strings())
		}
		if again := providertest.Plan(t, p, d); !again.Empty() {
			t.Errorf("ttl %d: second plan %v", st.ttl, again.Changes)
		}
	}
}
