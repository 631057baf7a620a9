package dnssec

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestNSEC3Iterations: the side's answers (signed with miekg/dns) carry
// NSEC3 records with the iterations and salt of each case. More than 150
// iterations refuse the step (BIND 9.18 and Unbound 1.17 treat such
// denials as insecure: TestNSEC3IterationsLab), naming the server, the
// count, what validators do and the fix, with a plan of its own; 1 to
// 150 iterations or a salt only warn (RFC 9276 section 3.1); 0 and no
// salt say nothing. What the other side proves its denials with is said
// (asked only then). Every answer comes from the run's record of
// answers, under a cancelled context: a question not prepared here is
// never sent, and fails the check.
func TestNSEC3Iterations(t *testing.T) {
	const side, old = "127.0.0.1:1", "127.0.0.2:1"
	z := newProofZone(t)
	nsecOld := z.msg(dns.RcodeSuccess, nil, z.nsec(pz))
	n3Old := func(iterations uint16) *dns.Msg {
		return z.msg(dns.RcodeSuccess, nil, z.nsec3sWith(false, iterations, "")[pz])
	}
	for _, c := range []struct {
		name       string
		iterations uint16
		salt       string
		other      *dns.Msg // the other side's apex NODATA (nil: no other side)
		ok         bool
		want       []string // in the problem (refused) or the warning
		wantNot    []string
	}{
		{name: "0 iterations, no salt", other: nsecOld, ok: true},
		{name: "10 iterations with salt", iterations: 10, salt: "ABCD", other: nsecOld, ok: true,
			want:    []string{side + ": its denials carry NSEC3 with 10 iterations and salt ABCD", "RFC 9276 section 3.1", "the old side (" + old + ") serves NSEC;", "set-nsec3 example.test. '1 0 0 -'"},
			wantNot: []string{"insecure", "changes what they see"}},
		{name: "salt only", salt: "AB", ok: true, want: []string{"NSEC3 with 0 iterations and salt AB"}, wantNot: []string{"old side"}},
		{name: "150 iterations", iterations: 150, other: n3Old(0), ok: true,
			want: []string{"NSEC3 with 150 iterations: RFC 9276 section 3.1", "the old side (" + old + ") serves NSEC3 with 0 iterations;"}},
		{name: "151 iterations", iterations: 151, salt: "ABCD", other: nsecOld,
			want: []string{side + ": its denials carry NSEC3 with 151 iterations and salt ABCD", "more than 150 iterations as insecure", "SERVFAIL", "RFC 9276 section 3.2",
				"every NXDOMAIN and NODATA of example.test. loses its validation", "the old side (" + old + ") serves NSEC, whose denials validators validate now: the flip changes what they see",
				"`nsec3param iterations 0 optout no salt-length 0;`", "`nsec3-iterations: 0`", "`pdnsutil set-nsec3 example.test. '1 0 0 -'`"}},
		{name: "151 iterations, no other side", iterations: 151,
			want: []string{"NSEC3 with 151 iterations: validating resolvers"}, wantNot: []string{"old side"}},
		{name: "500 iterations, the old side with 10", iterations: 500, other: n3Old(10),
			want: []string{"NSEC3 with 500 iterations", "the old side (" + old + ") serves NSEC3 with 10 iterations, whose denials validators validate now"}},
		// The side left is over the limit too: the step loses nothing
		// (a rollback must not be held by what its target served all
		// along), a warning.
		{name: "500 iterations, the old side too", iterations: 500, other: n3Old(500), ok: true,
			want: []string{"NSEC3 with 500 iterations", "the old side (" + old + ") serves NSEC3 with 500 iterations too: its denials are insecure already", "not a refusal, the step loses nothing"}},
		{name: "500 iterations, the old side with 151", iterations: 500, other: n3Old(151), ok: true,
			want: []string{"as they treat the old side's today", "serves NSEC3 with 151 iterations too"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			chain := z.nsec3sWith(false, c.iterations, c.salt)
			wc := covering(t, chain, "*."+pz)
			nx := pick(t, chain, "dnsparity-", pz, chain[pz], wc)
			a := newRun(time.Second)
			a.run.probe = nx
			keys := z.msg(dns.RcodeSuccess, z.sign([]dns.RR{z.key}))
			prepare := func(addr, name string, qtype uint16, m *dns.Msg) {
				a.run.answers[question{addr, name, qtype}] = answer{msg: m}
			}
			prepare(side, pz, dns.TypeDNSKEY, keys)
			prepare(side, nx, dns.TypeA, z.msg(dns.RcodeNameError, nil, chain[pz], covering(t, chain, nx), wc))
			prepare(side, pz, nodataType, z.msg(dns.RcodeSuccess, nil, chain[pz]))
			in := Input{Zone: pz, DS: []string{"x"}, DSTTL: 3600, NSTTL: 3600, MaxTTL: 300, Servers: []string{side}, Now: z.now}
			if c.other != nil {
				in.Other = []string{old}
				prepare(old, pz, dns.TypeDNSKEY, keys)
				prepare(old, pz, nodataType, c.other)
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			res, err := signed(ctx, a, in, []*dns.DS{z.key.ToDS(dns.SHA256)}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("ok=%v %s: %s", res.OK, res.Situation, res.Detail)
			if res.OK != c.ok {
				t.Fatalf("ok=%v, want %v: %s", res.OK, c.ok, res.Detail)
			}
			found := strings.Join(res.Warnings, "\n")
			if !c.ok {
				found = strings.Join(res.Problems, "\n")
				if len(res.Problems) != 1 || res.Situation != SignedMismatch || !strings.Contains(res.Detail, "every denial would lose its validation once the delegation points to the new side") {
					t.Errorf("want one problem, situation %s: %s %q", SignedMismatch, res.Situation, res.Problems)
				}
				if len(res.Warnings) > 0 {
					t.Errorf("a refusal that also warns: %q", res.Warnings)
				}
				// The keys are fine: the plan is the NSEC3 one alone.
				if len(res.Steps) != 2 || res.Steps[0].Route != "nsec3" || !strings.Contains(res.Steps[0].Text, "servers "+side) || !strings.Contains(res.Plan[0], "iterations 0 and no salt") {
					t.Errorf("plan: %q", res.Plan)
				}
			}
			if len(c.want) == 0 && found != "" {
				t.Errorf("want no warning: %q", found)
			}
			for _, w := range c.want {
				if !strings.Contains(found, w) {
					t.Errorf("lacks %q: %s", w, found)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(found, w) {
					t.Errorf("has %q: %s", w, found)
				}
			}
		})
	}
}
