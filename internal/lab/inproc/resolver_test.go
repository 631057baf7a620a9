package inproc

import (
	"context"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestResolverCaches: answers and negative answers are kept for their TTL
// (counted down), then asked again.
func TestResolverCaches(t *testing.T) {
	l, err := Start(Options{Parent: "test.", Zone: "example.test.", NSTTL: 30, SOATTL: 1, Resolvers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	ctx := context.Background()
	r := l.Resolvers[0]
	steps := []struct {
		what   string
		add    string // a record added at the old provider first
		sleep  time.Duration
		name   string
		rcode  int
		answer int
	}{
		{"absent: NXDOMAIN", "", 0, "late.example.test.", dns.RcodeNameError, 0},
		{"added, but the NXDOMAIN is cached", "late.example.test. 2 IN A 192.0.2.5", 0, "late.example.test.", dns.RcodeNameError, 0},
		{"after the negative TTL (1 s)", "", 1100 * time.Millisecond, "late.example.test.", dns.RcodeSuccess, 1},
		{"changed, but the answer is cached", "late.example.test. 2 IN A 192.0.2.6", 0, "late.example.test.", dns.RcodeSuccess, 1},
	}
	for _, st := range steps {
		if st.add != "" {
			rr, _ := dns.NewRR(st.add)
			if err := l.Update(ctx, l.Old, "example.test.", []dns.RR{rr}, []dns.RR{rr}); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(st.sleep)
		a, err := r.Resolve(ctx, st.name, dns.TypeA)
		if err != nil {
			t.Fatalf("%s: %v", st.what, err)
		}
		if a.Rcode() != st.rcode || len(a.Records()) != st.answer {
			t.Errorf("%s: %s with %d records, want %s with %d", st.what, dns.RcodeToString[a.Rcode()], len(a.Records()), dns.RcodeToString[st.rcode], st.answer)
		}
	}
	a, _ := r.Resolve(ctx, "late.example.test.", dns.TypeA)
	if got := a.Records()[0].(*dns.A).A.String(); got != "192.0.2.5" {
		t.Errorf("cached answer %s, want the old 192.0.2.5 until its TTL runs out", got)
	}
	time.Sleep(2100 * time.Millisecond)
	a, _ = r.Resolve(ctx, "late.example.test.", dns.TypeA)
	if got := a.Records()[0].(*dns.A).A.String(); got != "192.0.2.6" {
		t.Errorf("after the TTL: %s, want 192.0.2.6", got)
	}
	// Outside the parent zone: refused, never asked anywhere.
	m := new(dns.Msg)
	m.SetQuestion("example.com.", dns.TypeA)
	resp, _, err := (&dns.Client{}).Exchange(m, r.Addr())
	if err != nil || resp.Rcode != dns.RcodeRefused {
		t.Errorf("example.com.: %v %v, want REFUSED", resp, err)
	}
}
