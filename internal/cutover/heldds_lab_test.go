package cutover

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestFlipHeldDSAfterEmptyRecordLab (the reviewer's
// TestReviewFlipForgetsHeldDSAfterEmptyRecordLab, extended): multi-signer,
// old Knot signs with A and publishes B's keys, new BIND signs with B and
// publishes A's keys. For the flip the parent serves DS B; the trail saw
// DS A (TTL 3600 s) ten minutes ago. Validating resolvers that cached DS A
// validate the new side's DNSKEY set with it: no RRSIG by A there, bogus.
// On the code before, the dnssec gate held DS A only when no other set was
// recorded in between: one status record of "no DS" (the registrar
// replaced the DS by deleting it and then adding B; a status ran in
// between) or of a short-lived DS C made it forget A, and the flip
// passed. Now every set recorded counts until its last sighting plus its
// TTL, and the refusal names it (key tags, until when). A whose TTL is
// over lets the flip pass. The rollback asks the same of the old side
// (signing with A only) while resolvers may hold DS B.
func TestFlipHeldDSAfterEmptyRecordLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	a, b := newSigner(t, "example.test."), newSigner(t, "example.test.")
	parentText := func(serial int, to, ds string) string {
		return fmt.Sprintf("$ORIGIN test.\n$TTL 60\n@ SOA ns.test. h.test. %d 60 60 1209600 5\n@ NS ns\nns A %s\nexample 5 NS ns1.%s.example\nns1.%s.example 5 A %s\nexample 5 DS %s\n", serial, ip["parent"], to, to, ip[to], ds)
	}
	parentSrv := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: parentText(1, "old", b.ds(t))}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("old", ip), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("new", ip), a.keys(t))}}})
	z := gitZone(t, msZone("new", ip))
	const dsC = "11111 13 2 1111111111111111111111111111111111111111111111111111111111111111"
	type seen struct {
		ago time.Duration // before the first run
		ttl uint32
		ds  []string
	}
	// run writes the trail (first the entries of lead, then seen), runs
	// the step twice (the first run records both DNSKEY sets; the second
	// two minutes later, past the DNSKEY TTL of 2 s) and returns the
	// second run's dnssec gate and the first run's time.
	run := func(t *testing.T, step func(context.Context, *Config, bool, bool) *Report, lead []Entry, history []seen) (*Gate, time.Time) {
		path := TrailPath(t.TempDir(), "example.test.")
		clock := time.Now().UTC().Truncate(time.Second)
		start := clock
		entries := lead
		for _, s := range history {
			entries = append(entries, Entry{Time: clock.Add(-s.ago), Command: "status", Result: ResultObserved, ParentDS: &DSSeen{DS: s.ds, TTL: s.ttl}})
		}
		appendTrail(t, path, entries...)
		c := signedConfig(t, z, ip, old, nw, parentSrv, path, 300)
		c.Now = func() time.Time { return clock }
		step(context.Background(), c, true, false)
		clock = clock.Add(2 * time.Minute)
		c2 := signedConfig(t, z, ip, old, nw, parentSrv, path, 300)
		c2.Now = func() time.Time { return clock }
		rep := step(context.Background(), c2, true, false)
		g := findGate(rep.Gates, GateDNSSEC)
		if g == nil {
			t.Fatalf("no dnssec gate: %+v %v", rep.Gates, rep.Errors)
		}
		t.Logf("dnssec ok=%v: %s", g.OK, g.Detail)
		return g, start
	}
	// refused checks that g refuses naming the held set by its key tag and
	// until when resolvers may hold it.
	refused := func(t *testing.T, g *Gate, tag string, until time.Time) {
		t.Helper()
		want := fmt.Sprintf("a DS set the parent served before its current one (key tags %s) until %s", tag, deadline.Format(until))
		if g.OK {
			t.Errorf("the dnssec gate passes while resolvers may hold the DS set of key tag %s until %s, which the side does not sign with", tag, deadline.Format(until))
		} else if !strings.Contains(g.Detail, want) {
			t.Errorf("the refusal does not name the held set and its end (%q): %s", want, g.Detail)
		}
	}

	dsA, dsB := []string{a.ds(t)}, []string{b.ds(t)}
	flip := func(ctx context.Context, c *Config, dryRun, emergency bool) *Report {
		return Flip(ctx, c, dryRun, emergency)
	}
	t.Run("flip: DS A then DS B (control)", func(t *testing.T) {
		g, start := run(t, flip, nil, []seen{{10 * time.Minute, 3600, dsA}})
		refused(t, g, a.KSKTag(), start.Add(time.Hour)) // A last seen by the first run, which saw B
	})
	t.Run("flip: DS A, then none, then DS B", func(t *testing.T) {
		g, start := run(t, flip, nil, []seen{{10 * time.Minute, 3600, dsA}, {9 * time.Minute, 0, []string{}}})
		refused(t, g, a.KSKTag(), start.Add(-9*time.Minute+time.Hour))
	})
	t.Run("flip: DS A, then a short-lived DS C, then DS B", func(t *testing.T) {
		g, start := run(t, flip, nil, []seen{{10 * time.Minute, 3600, dsA}, {9 * time.Minute, 60, []string{dsC}}, {8 * time.Minute, 3600, dsB}})
		refused(t, g, a.KSKTag(), start.Add(-9*time.Minute+time.Hour))
		if strings.Contains(g.Detail, "key tags 11111") {
			t.Errorf("DS C (TTL 60 s, gone eight minutes ago) still counted: %s", g.Detail)
		}
	})
	t.Run("flip: DS A, then DS A+B, then DS B", func(t *testing.T) {
		// Both held: the new side satisfies A+B, not A. A resolver holds
		// one of them: each is judged on its own.
		g, start := run(t, flip, nil, []seen{{10 * time.Minute, 3600, dsA}, {9 * time.Minute, 3600, []string{dsA[0], dsB[0]}}})
		refused(t, g, a.KSKTag(), start.Add(-9*time.Minute+time.Hour))
	})
	t.Run("flip: DS A, then DS C, then DS B", func(t *testing.T) {
		// Both held, neither satisfied: the refusal names both, the plan
		// waits for the one held longest (C).
		g, start := run(t, flip, nil, []seen{{10 * time.Minute, 3600, dsA}, {9 * time.Minute, 3600, []string{dsC}}, {8 * time.Minute, 3600, dsB}})
		refused(t, g, a.KSKTag(), start.Add(-9*time.Minute+time.Hour))
		refused(t, g, "11111", start.Add(-8*time.Minute+time.Hour))
		if wait := "Wait until " + deadline.Format(start.Add(-8*time.Minute+time.Hour)); len(g.Plan) == 0 || !strings.Contains(g.Plan[0], wait) {
			t.Errorf("the plan does not start with %q: %q", wait, g.Plan)
		}
	})
	t.Run("flip: DS A expired, then none, then DS B", func(t *testing.T) {
		g, _ := run(t, flip, nil, []seen{{10 * time.Minute, 60, dsA}, {9 * time.Minute, 0, []string{}}})
		if !g.OK {
			t.Errorf("the dnssec gate refuses although DS A (TTL 60 s) left the parent nine minutes ago: %s", g.Detail)
		}
	})

	// The rollback: the parent delegates to the new side with DS A; the
	// trail saw DS B (TTL 3600 s), then none, then A. The old side signs
	// with A only: resolvers holding DS B find its DNSKEY set bogus.
	parentSrv.Reload(t, lab.Zone{Origin: "test.", Text: parentText(2, "new", a.ds(t))})
	flipped := time.Now().UTC().Add(-time.Hour)
	before := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5, DS: dsA, DSTTL: 5, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}}
	before.Normalize()
	after := registrar.Delegation{NS: []string{"ns1.new.example.test."}, NSTTL: 5, DS: dsA, DSTTL: 5}
	lead := []Entry{flipEntry(flipped, before, after)}
	lead[0].ParentDS = &DSSeen{DS: dsA, TTL: 5}
	t.Run("rollback: DS B, then none, then DS A", func(t *testing.T) {
		g, start := run(t, Rollback, lead, []seen{{10 * time.Minute, 3600, dsB}, {9 * time.Minute, 0, []string{}}})
		refused(t, g, b.KSKTag(), start.Add(-9*time.Minute+time.Hour))
	})
	t.Run("rollback: DS B expired, then none, then DS A", func(t *testing.T) {
		g, _ := run(t, Rollback, lead, []seen{{10 * time.Minute, 60, dsB}, {9 * time.Minute, 0, []string{}}})
		if !g.OK {
			t.Errorf("the rollback's dnssec gate refuses although DS B (TTL 60 s) left the parent nine minutes ago: %s", g.Detail)
		}
	})
}
