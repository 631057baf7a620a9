package parity_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// parentZone is test. with parity.test. delegated elsewhere: a server
// loaded with it is lame for parity.test. (referrals, no AA).
const parentZone = `$ORIGIN test.
$TTL 300
@          IN SOA ns.test. hostmaster.test. 1 3600 600 1209600 300
@          IN NS  ns
ns         IN A   192.0.2.1
parity     IN NS  ns1.parity
ns1.parity IN A   192.0.2.53
`

const otherZone = `$ORIGIN other.test.
$TTL 300
@  IN SOA ns hostmaster 1 3600 600 1209600 300
@  IN NS  ns
ns IN A   192.0.2.1
`

// TestParityAggregate: a server that is lame for the zone, or a provider
// that differs on every question, gives one finding, not one per question.
func TestParityAggregate(t *testing.T) {
	lab.Require(t, "knotd", "named")
	base := fixture(t)
	z := loadText(t, base)
	good := serve(t, "knot", base)
	good2 := serve(t, "knot", base)
	parent := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentZone}}}).Addr
	missing := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "other.test.", Text: otherZone}}}).Addr
	ttl := serve(t, "bind", strings.Replace(base, "$TTL 300", "$TTL 600", 1))

	cases := []struct {
		name     string
		old, new []string
		kind     string // the one aggregated finding
		sev      string
		words    []string
		errors   int // error findings in all
		max      int // findings in all at most
	}{
		{name: "new is a referral (parent only)", old: []string{good}, new: []string{parent},
			kind: "lame", sev: "error", words: []string{"new server " + parent, "referral"}, errors: 1, max: 1},
		{name: "new has no zone (REFUSED)", old: []string{good}, new: []string{missing},
			kind: "lame", sev: "error", words: []string{"new server " + missing, "REFUSED",
				// what to do next: it said only what the server answers
				"to do: make the server serve the zone with authority", "`dnsparity push`", "providers.new.nameservers"}, errors: 1, max: 1},
		{name: "first old server lame", old: []string{parent, good}, new: []string{good2},
			kind: "lame", sev: "error", words: []string{"old server " + parent, "providers.old.nameservers"}, errors: 1, max: 2},
		{name: "second new server refuses", old: []string{good}, new: []string{good2, missing},
			kind: "lame", sev: "error", words: []string{"new server " + missing}, errors: 1, max: 2},
		{name: "every TTL differs", old: []string{good}, new: []string{ttl},
			kind: "ttl", sev: "warning", words: []string{"of", "questions have a ttl difference", "TTL old 300, new 600"}, errors: 0, max: 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rep := run(t, z, c.old, c.new)
			var hits []parity.Finding
			for _, f := range rep.Findings {
				if f.Kind == c.kind {
					hits = append(hits, f)
				}
			}
			ok := true
			if len(hits) != 1 {
				t.Errorf("%d %s findings, want 1", len(hits), c.kind)
				ok = false
			} else {
				f := hits[0]
				if f.Severity != c.sev || f.Name != origin || f.Type != "ANY" {
					t.Errorf("finding %s %s %s, want %s %s ANY", f.Severity, f.Name, f.Type, c.sev, origin)
					ok = false
				}
				for _, w := range c.words {
					if !strings.Contains(f.Detail, w) {
						t.Errorf("detail %q lacks %q", f.Detail, w)
						ok = false
					}
				}
			}
			if n := rep.Count(parity.SevError); n != c.errors {
				t.Errorf("%d error findings, want %d", n, c.errors)
				ok = false
			}
			if len(rep.Findings) > c.max {
				t.Errorf("%d findings, want at most %d", len(rep.Findings), c.max)
				ok = false
			}
			if !ok || testing.Verbose() {
				dump(t, rep)
			}
		})
	}
}

// TestParityAXFR: with AXFR, records that a side has and git lacks are
// asked and reported; a refused transfer, when AXFR was asked for, stops
// the run with an *AXFRError naming the side and the rcode (nothing that
// rests on the transfer would be proven).
func TestParityAXFR(t *testing.T) {
	lab.Require(t, "knotd", "named")
	base := fixture(t)
	z := loadText(t, base)
	key := &lab.TSIGKey{Name: "transfer-key.", Secret: "c2VjcmV0LXRyYW5zZmVyLWtleS1mb3ItZG5zcGFyaXR5LXRlc3Q="}
	extraNew := base + "extra  IN A   192.0.2.200\nextra  IN TXT \"only on new\"\n"
	extraBoth := base + "both   IN MX  10 mx1.parity.test.\n"
	old := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: extraBoth}}, TSIG: key}).Addr
	new := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: extraNew + "both IN MX 10 mx1.parity.test.\n"}}}).Addr
	good := &parity.TSIG{Name: key.Name, Secret: key.Secret}
	bad := &parity.TSIG{Name: key.Name, Secret: "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZy1zZWNyZXQ="}

	type hit struct{ name, typ, kind, sev, words string }
	cases := []struct {
		name string
		axfr bool
		key  *parity.TSIG
		want []hit
		none []string // names with no finding
		fail string   // the *AXFRError's words, when the run must stop
	}{
		{name: "axfr finds extra records", axfr: true, key: good,
			want: []hit{
				{"extra.parity.test.", "A", "missing", "error", "present on new only, not in git"},
				{"extra.parity.test.", "TXT", "missing", "error", "present on new only, not in git"},
				{"both.parity.test.", "MX", "git-drift", "warning", "present on old and new (AXFR), not in git"},
			}},
		{name: "without axfr they go unseen", none: []string{"extra.parity.test.", "both.parity.test."}},
		{name: "old refuses the transfer", axfr: true, key: bad, fail: "the old side refused the transfer (" + old + " NOTAUTH)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			rep, err := parity.Run(ctx, z, []parity.Target{{Addr: old}}, []parity.Target{{Addr: new}},
				parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8, AXFR: c.axfr, OldTSIG: c.key})
			if c.fail != "" {
				var ae *parity.AXFRError
				if !errors.As(err, &ae) || ae.Side != "old" || !strings.Contains(err.Error(), c.fail) || rep != nil {
					t.Fatalf("Run: %v (report %v); want an AXFRError with %q", err, rep != nil, c.fail)
				}
				if strings.Contains(err.Error(), key.Secret) || strings.Contains(err.Error(), bad.Secret) {
					t.Error("a TSIG secret leaks into the error")
				}
				return
			}
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			ok := true
			for _, w := range c.want {
				found := false
				for _, f := range rep.Findings {
					if f.Name == w.name && f.Type == w.typ && f.Kind == w.kind && f.Severity == w.sev && strings.Contains(f.Detail, w.words) {
						found = true
					}
				}
				if !found {
					t.Errorf("no %s %s finding at %s %s with %q", w.sev, w.kind, w.name, w.typ, w.words)
					ok = false
				}
			}
			for _, f := range rep.Findings {
				for _, n := range c.none {
					if f.Name == n {
						t.Errorf("unexpected finding at %s: %s", n, f.Detail)
						ok = false
					}
				}
				if strings.Contains(f.Detail+f.Old+f.New, key.Secret) {
					t.Errorf("the TSIG secret leaks into a finding")
				}
			}
			if !ok || testing.Verbose() {
				dump(t, rep)
			}
		})
	}
}
