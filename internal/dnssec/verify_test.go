package dnssec

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestCanonicalLess: the order of RFC 4034 section 6.1, whose example list
// is sorted.
func TestCanonicalLess(t *testing.T) {
	sorted := []string{
		"example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.",
		`zABC.a.EXAMPLE.`, "z.example.", `\001.z.example.`, "*.z.example.", `\200.z.example.`,
	}
	for i := range sorted {
		for j := range sorted {
			if got, want := canonicalLess(sorted[i], sorted[j]), i < j; got != want {
				t.Errorf("canonicalLess(%q, %q) = %v, want %v", sorted[i], sorted[j], got, want)
			}
		}
	}
}

func TestProvesNXDOMAIN(t *testing.T) {
	msg := func(rrs ...string) *dns.Msg {
		m := new(dns.Msg)
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err != nil {
				t.Fatal(err)
			}
			m.Ns = append(m.Ns, rr)
		}
		return m
	}
	const z = "example.test."
	for _, c := range []struct {
		name  string
		m     *dns.Msg
		qname string
		want  bool
	}{
		{"covered", msg("b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC"), "c.example.test.", true},
		{"owner itself", msg("b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC"), "b.example.test.", false},
		{"after next", msg("b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC"), "e.example.test.", false},
		{"last NSEC wraps to the apex", msg("www.example.test. 60 IN NSEC example.test. A RRSIG NSEC"), "zzz.example.test.", true},
		{"upper case qname", msg("b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC"), "C.EXAMPLE.TEST.", true},
		{"no denial records", msg("example.test. 60 IN SOA ns1.example.test. h.example.test. 1 2 3 4 5"), "c.example.test.", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := provesNXDOMAIN(c.m, z, c.qname); got != c.want {
				t.Errorf("provesNXDOMAIN(%s) = %v, want %v", c.qname, got, c.want)
			}
		})
	}
}

func TestParseDS(t *testing.T) {
	ds, err := parseDS("example.test.", []string{"12345 13 2 ab12CD34", "1 8 1 00FF"})
	if err != nil || len(ds) != 2 || ds[0].KeyTag != 12345 || ds[1].DigestType != 1 {
		t.Fatalf("parseDS = %v, %v", ds, err)
	}
	for _, bad := range []string{"12345 13", "abc 13 2 00", "12345 13 2 XYZ"} {
		if _, err := parseDS("example.test.", []string{"1 13 2 00", bad}); err == nil || !strings.Contains(err.Error(), "DS 2") {
			t.Errorf("parseDS(%q): %v, want an error naming DS 2", bad, err)
		}
	}
}

// TestGateInput: bad input and unreachable servers are errors (the gate
// could not run), never a verdict.
func TestGateInput(t *testing.T) {
	ctx := context.Background()
	ok := Input{Zone: "example.test.", Servers: []string{"127.0.0.1:1"}, Timeout: 200 * time.Millisecond}
	for _, c := range []struct {
		name string
		edit func(*Input)
		want string
	}{
		{"no zone", func(in *Input) { in.Zone = "" }, "no zone"},
		{"no servers", func(in *Input) { in.Servers = nil }, "no servers"},
		{"bad DS", func(in *Input) { in.DS = []string{"1 13 2 nothex!"} }, `DS 1 "1 13 2 nothex!"`},
		{"bad sample type", func(in *Input) { in.DS = []string{"1 13 2 00"}; in.Sample = [][2]string{{"www.example.test.", "NOPE"}} }, "sample 1"},
		{"host name as server", func(in *Input) { in.Servers = []string{"ns1.example.net:53"} }, `server "ns1.example.net:53": not an IP address`},
		{"bad port", func(in *Input) { in.Servers = []string{"127.0.0.1:99999"} }, `bad port "99999"`},
		{"host name on the other side", func(in *Input) { in.Other = []string{"ns1.example.net"} }, `other-side server "ns1.example.net"`},
		{"sample outside the zone", func(in *Input) { in.Sample = [][2]string{{"www.example.org.", "A"}} }, "outside the zone"},
		{"unreachable server", func(in *Input) { in.DS = []string{"1 13 2 00"} }, "127.0.0.1:1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := ok
			c.edit(&in)
			res, err := Gate(ctx, in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Gate = %+v, %v; want an error with %q", res, err, c.want)
			}
		})
	}
	// A cancelled context stops the gate at once.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	in := ok
	in.DS = []string{"1 13 2 00"}
	in.Timeout = time.Minute
	start := time.Now()
	if _, err := Gate(cctx, in); err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("cancelled: %v after %v", err, time.Since(start))
	}
}

// TestPlan: both routes in order; the times follow from Now and the TTLs;
// the wording follows the side.
func TestPlan(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	dss, err := parseDS("example.test.", []string{"4242 13 2 00FF"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name              string
		in                Input
		dnskeyTTL         uint32
		dsGone, newDS, mb time.Time
		side, other       string
	}{
		{"flip", Input{Zone: "example.test.", DSTTL: 86400, NSTTL: 172800, MaxTTL: 3600, Now: now}, 300,
			now.Add(24 * time.Hour), now.Add(24*time.Hour + 48*time.Hour), now.Add(24 * time.Hour), "new", "old"},
		{"rollback, DNSKEY TTL largest", Input{Zone: "example.test.", DSTTL: 60, NSTTL: 5, MaxTTL: 300, Now: now, Side: "old"}, 7200,
			now.Add(time.Minute), now.Add(time.Minute + 2*time.Hour), now.Add(2 * time.Hour), "old", "new"},
	} {
		t.Run(c.name, func(t *testing.T) {
			steps := plan(c.in, dss, map[uint16]bool{7: true}, c.dnskeyTTL, time.Time{})
			var a, b []Step
			for _, s := range steps {
				if s.Route == "a" {
					a = append(a, s)
				} else {
					b = append(b, s)
				}
			}
			if len(a) != 5 || len(b) != 6 {
				t.Fatalf("%d steps in (a), %d in (b)", len(a), len(b))
			}
			for i, s := range steps {
				if i > 0 && steps[i-1].Route == s.Route && steps[i-1].N+1 != s.N {
					t.Errorf("step %d numbered %d after %d", i, s.N, steps[i-1].N)
				}
			}
			if !strings.HasPrefix(a[0].Text, "Remove the DS") || !strings.Contains(a[0].Text, "4242") {
				t.Errorf("(a) 1: %s", a[0].Text)
			}
			if !a[1].Earliest.Equal(c.dsGone) || !strings.Contains(a[1].Text, c.dsGone.Format(time.RFC3339)) {
				t.Errorf("(a) 2 at %v, want %v: %s", a[1].Earliest, c.dsGone, a[1].Text)
			}
			if !strings.Contains(a[2].Text, "to the "+c.side+" provider") || !a[2].Earliest.Equal(c.dsGone) {
				t.Errorf("(a) 3: %s at %v", a[2].Text, a[2].Earliest)
			}
			if !a[4].Earliest.Equal(c.newDS) || !strings.Contains(a[4].Text, "Publish the "+c.side+" provider's DS") {
				t.Errorf("(a) 5 at %v, want %v: %s", a[4].Earliest, c.newDS, a[4].Text)
			}
			if !strings.Contains(b[1].Text, "into the "+c.other+" provider's DNSKEY set") || !strings.Contains(b[2].Text, "both DS") {
				t.Errorf("(b) 2, 3: %s / %s", b[1].Text, b[2].Text)
			}
			if !b[3].Earliest.Equal(c.mb) {
				t.Errorf("(b) 4 at %v, want %v", b[3].Earliest, c.mb)
			}
			if got := a[1].String(); !strings.HasPrefix(got, "(a) 2. Wait out the DS TTL") || !strings.HasSuffix(got, "[not before "+c.dsGone.Format(time.RFC3339)+"]") {
				t.Errorf("String: %s", got)
			}
		})
	}
}

// TestPlanRemoved: with the DS gone from the parent already, the plan is
// route (a) from the wait on, and the new DS waits for the caches after it.
func TestPlanRemoved(t *testing.T) {
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	until := now.Add(90 * time.Minute)
	dss, err := parseDS("example.test.", []string{"4242 13 2 00FF"})
	if err != nil {
		t.Fatal(err)
	}
	steps := plan(Input{Zone: "example.test.", DSTTL: 86400, NSTTL: 600, MaxTTL: 3600, Now: now}, dss, nil, 0, until)
	if len(steps) != 4 {
		t.Fatalf("%d steps: %v", len(steps), steps)
	}
	for _, s := range steps {
		if s.Route != "a" {
			t.Errorf("route %s offered: %s", s.Route, s)
		}
	}
	if !strings.HasPrefix(steps[0].Text, "Wait until "+until.Format(time.RFC3339)) || !steps[0].Earliest.Equal(until) || !steps[1].Earliest.Equal(until) {
		t.Errorf("wait: %s / %s", steps[0], steps[1])
	}
	if want := until.Add(time.Hour); !steps[3].Earliest.Equal(want) {
		t.Errorf("publish at %v, want %v", steps[3].Earliest, want)
	}
}

func TestParentDSInput(t *testing.T) {
	ctx := context.Background()
	if _, _, err := ParentDS(ctx, "example.test.", nil, time.Second); err == nil || !strings.Contains(err.Error(), "no parent servers") {
		t.Errorf("no servers: %v", err)
	}
	if _, _, err := ParentDS(ctx, "example.test.", []string{"a.nic.test"}, time.Second); err == nil || !strings.Contains(err.Error(), `parent server "a.nic.test": not an IP address`) {
		t.Errorf("host name: %v", err)
	}
}
