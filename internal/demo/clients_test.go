package demo

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab/inproc"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestClientsSeeTheMove moves a delegation at the embedded lab's parent by
// hand and checks what the demo's client loop reports: every resolver moves
// within the NS TTL plus the answers' TTL, with no wrong or mixed answer
// when both providers serve the zone file; and wrong answers are counted
// when they do not.
func TestClientsSeeTheMove(t *testing.T) {
	const text = `$ORIGIN example.test.
$TTL 1
@ IN SOA ns1.oldprovider.test. hostmaster 1 3600 600 86400 1
@ IN NS ns1.oldprovider.test.
www IN CNAME web
web IN A 192.0.2.80
*.apps IN TXT "app"
`
	cases := []struct {
		name      string
		newExtra  string // a record only the new provider has
		wantWrong bool
	}{
		{"same data", "", false},
		{"new differs", "web.example.test. 1 IN A 192.0.2.99", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l, err := inproc.Start(inproc.Options{Parent: "test.", Zone: exampleZone, NSTTL: 2, SOATTL: 1, Resolvers: 3})
			if err != nil {
				t.Fatal(err)
			}
			defer l.Close()
			z, err := zone.Parse(strings.NewReader(text), "example.test.zone", "", "")
			if err != nil || zone.HasErrors(z.Problems) {
				t.Fatal(err, z.Problems)
			}
			var rrs []dns.RR
			for _, s := range z.Sets {
				if s.Name != z.Origin {
					rrs = append(rrs, s.RRs()...)
				}
			}
			ctx := context.Background()
			for _, side := range []*inproc.Side{l.Old, l.New} {
				add := rrs
				if side == l.New && tc.newExtra != "" {
					extra, _ := dns.NewRR(tc.newExtra)
					add = append(append([]dns.RR(nil), rrs...), extra)
				}
				if err := l.Update(ctx, side, exampleZone, nil, add); err != nil {
					t.Fatal(err)
				}
			}
			c := newClients(l, z)
			lctx, stop := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { c.run(lctx, 100*time.Millisecond); close(done) }()
			time.Sleep(300 * time.Millisecond)
			var del, ins []dns.RR
			del = append(del, &dns.NS{Hdr: dns.RR_Header{Name: exampleZone, Rrtype: dns.TypeNS, Class: dns.ClassINET}})
			for _, n := range l.New.NS {
				ins = append(ins, &dns.NS{Hdr: dns.RR_Header{Name: exampleZone, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 2}, Ns: n})
			}
			flipped := time.Now()
			if err := l.Update(ctx, l.Parent, "test.", del, ins); err != nil {
				t.Fatal(err)
			}
			time.Sleep(4 * time.Second)
			stop()
			<-done
			cc := c.counts()
			for _, r := range l.Resolvers {
				if cc.Sides[r.Name] != "new" {
					t.Errorf("%s still on %q", r.Name, cc.Sides[r.Name])
				}
				if m, ok := cc.Moved[r.Name]; !ok || m.Sub(flipped) > 3500*time.Millisecond {
					t.Errorf("%s moved at %v after the flip (NS TTL 2 s)", r.Name, m.Sub(flipped))
				}
			}
			if (cc.Wrong > 0) != tc.wantWrong || cc.Failures > 0 || cc.Rounds < 10 {
				t.Errorf("counts %+v, want wrong answers: %v", cc, tc.wantWrong)
			}
			if !tc.wantWrong && cc.Mixed > 0 {
				t.Errorf("%d mixed answers", cc.Mixed)
			}
		})
	}
}

// TestFailureNote: a resolver's SERVFAIL is named, never "(<nil>)".
func TestFailureNote(t *testing.T) {
	servfail := new(dns.Msg)
	servfail.Rcode = dns.RcodeServerFailure
	if got := failure(servfail, nil); got != "SERVFAIL from the resolver" || strings.Contains(got, "nil") {
		t.Errorf("SERVFAIL: %q", got)
	}
	if got := failure(nil, context.DeadlineExceeded); got != "no answer (context deadline exceeded)" {
		t.Errorf("timeout: %q", got)
	}
}
