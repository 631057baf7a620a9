package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

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

// nsTTLServer answers example.test. NS with ns at ttl, authoritatively
// or not (a lame server, or a cache in front of one), and refuses the
// rest.
func nsTTLServer(t *testing.T, aa bool, ns string, ttl uint32) string {
	t.Helper()
	return serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = aa
		if q := r.Question[0]; q.Name == "example.test." && q.Qtype == dns.TypeNS {
			m.Answer = []dns.RR{&dns.NS{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: ttl}, Ns: ns}}
		} else {
			m.Rcode = dns.RcodeRefused
		}
		_ = w.WriteMsg(m)
	})
}

// TestWatchChildNSTTLAuthoritative: the watch's child NS TTL (the side
// left behind's own apex NS TTL, which old_delegation_expires counts)
// takes authoritative answers only, as the TTLs observed and the dnssec
// plan's route (a) do (servedNSTTL): a lame server's 86,400 s is not the
// zone's; with no authoritative answer at all (only lame servers), the
// trail's bound counts, as when the side is down. On the code before,
// both cases gave 86,400 s (the lame server's TTL), and the bound was
// not asked.
func TestWatchChildNSTTLAuthoritative(t *testing.T) {
	aa := nsTTLServer(t, true, "ns1.old.example.test.", 3600)
	lame := nsTTLServer(t, false, "ns1.old.example.test.", 86400)
	for _, tc := range []struct {
		name    string
		servers []string
		want    uint32
		bound   bool
	}{
		{"one authoritative, one lame with a longer TTL", []string{aa, lame}, 3600, false},
		{"only a lame server answers", []string{lame}, 7200, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: time.Second, Watch: time.Minute}
			c.Old = Side{Name: "old", Servers: tc.servers, Delegation: []string{"ns1.old.example.test."}}
			c.New = Side{Name: "new", Delegation: []string{"ns1.new.example.test."}}
			c.apexSeen = newApexNSSeen()
			asked := false
			start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			w := watch(context.Background(), c, "new", start, time.Time{}, heldTTLs{ns: 60}, func() uint32 { asked = true; return 7200 })
			if w.ChildNSTTL != tc.want || asked != tc.bound {
				t.Errorf("child NS TTL %d (the bound asked: %v), want %d (%v)", w.ChildNSTTL, asked, tc.want, tc.bound)
			}
			if want := start.Add(time.Duration(60+tc.want) * time.Second); !w.OldDelegationExpires.Equal(want) {
				t.Errorf("old_delegation_expires %s, want %s", w.OldDelegationExpires, want)
			}
		})
	}
}

// TestPropagationChildNSTTLAuthoritative: status's propagation counts
// the child NS TTL (when a resolver still on the other side becomes an
// error, settled_at) of authoritative answers only, on the target side
// and on the other: a lame server's longer TTL is not the zone's. On
// the code before, child_ns_ttl was 86,400 s (the lame target server's;
// then, with it gone, the lame other-side server's), and settled_at a
// day after the flip.
func TestPropagationChildNSTTLAuthoritative(t *testing.T) {
	newAA := nsTTLServer(t, true, "ns1.new.example.test.", 300)
	newLame := nsTTLServer(t, false, "ns1.new.example.test.", 86400)
	// The old side names the new server at its apex, as the trail's
	// flip recorded it (below): the NS TTLs alone hold settled_at.
	oldAA := nsTTLServer(t, true, "ns1.new.example.test.", 600)
	oldLame := nsTTLServer(t, false, "ns1.old.example.test.", 86400)
	flipped := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		new, old []string
		want     uint32
	}{
		{"a lame server on the target side", []string{newAA, newLame}, []string{oldAA}, 600},
		{"a lame server on the other side", []string{newAA}, []string{oldAA, oldLame}, 600},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: time.Second, Now: func() time.Time { return flipped.Add(time.Hour) }}
			c.Old = Side{Name: "old", Servers: tc.old, Delegation: []string{"ns1.old.example.test."}}
			c.New = Side{Name: "new", Servers: tc.new, Delegation: []string{"ns1.new.example.test."}}
			c.apexSeen = newApexNSSeen()
			// The flip saw the old side's apex NS name no old server:
			// settled_at counts the NS TTLs alone (an old side naming
			// itself holds it, as finish: TestSettledAsFinishLab).
			tr := &Trail{Entries: []Entry{{Command: "flip", Result: ResultDone, Time: flipped, ParentNSTTL: 60, OldApexNS: &OldApexNS{NS: []string{"ns1.new.example.test."}, TTL: 600}}}}
			p := propagation(context.Background(), c, tr, &Report{}, c.Now())
			if p == nil {
				t.Fatal("no propagation after a flip")
			}
			if p.ChildNSTTL != tc.want || !p.SettledAt.Equal(flipped.Add(time.Duration(60+tc.want)*time.Second)) {
				t.Errorf("child NS TTL %d, settled at %s; want %d, at %s", p.ChildNSTTL, p.SettledAt, tc.want, flipped.Add(time.Duration(60+tc.want)*time.Second))
			}
		})
	}
}

// TestObserveOldNSCountsEveryAnswersTTL: the old side's apex NS
// observation counts the TTL of every answer, authoritative or not,
// deliberately (not servedNSTTL): its names count every answer, and its
// TTL is how long finish counts a set naming an old server cached. A
// set only a lame server gave keeps its TTL, not 0 s.
func TestObserveOldNSCountsEveryAnswersTTL(t *testing.T) {
	aa := nsTTLServer(t, true, "ns1.new.example.test.", 300)
	lame := nsTTLServer(t, false, "ns1.old.example.test.", 86400)
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: time.Second}
	c.Old = Side{Name: "old", Servers: []string{aa, lame}, Delegation: []string{"ns1.old.example.test."}}
	c.New = Side{Name: "new", Delegation: []string{"ns1.new.example.test."}}
	c.apexSeen = newApexNSSeen()
	o := observeOldNS(context.Background(), c)
	if o == nil || !o.namesOld() || o.TTL != 86400 {
		t.Errorf("observation %+v, want the old name (from the lame server) with its TTL 86400", o)
	}
}
