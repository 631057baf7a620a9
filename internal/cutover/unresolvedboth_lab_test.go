package cutover

import (
	"context"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// Status warns of a name of a side's recorded delegation whose lookup
// failed, for either side: the old side's (the delegation recorded
// before the flip, oldServers) and, after a rollback, the new side's (the
// delegation it replaced, newServers), one rule (unresolvedWarnings).
// Before, newServers dropped such a name without a word: the new side's
// apex NS was not asked at its servers and nothing said so; and so did
// askFromServers for the parent's delegation, which the next step moves
// away from.
func TestStatusUnresolvedNameBothSidesLab(t *testing.T) {
	in := func(l *reviewLab, side string) registrar.Delegation {
		n := "ns1." + side + ".example.test."
		ip := map[string]string{"old": l.oldIP, "new": l.newIP}[side]
		return registrar.Delegation{NS: []string{n}, NSTTL: 5, Glue: map[string][]string{n: {ip}}}
	}
	outside := func(side string) registrar.Delegation {
		return registrar.Delegation{NS: []string{"ns1." + side + "host.test."}, NSTTL: 5}
	}
	for _, tc := range []struct {
		name string
		// trail is the audit trail's entries, flipped at at
		trail func(l *reviewLab, at time.Time) []Entry
		// parent, when set, is the delegation the parent serves, and
		// the new side's configured one
		parent func(l *reviewLab) registrar.Delegation
		want   string
	}{
		{
			name:  "flipped from a name outside the zone",
			trail: func(l *reviewLab, at time.Time) []Entry { return []Entry{flipEntry(at, outside("old"), in(l, "new"))} },
			want:  "ns1.oldhost.test., a name of the delegation recorded before the flip, could not be resolved",
		},
		{
			name: "rolled back from a name outside the zone",
			trail: func(l *reviewLab, at time.Time) []Entry {
				before, after := in(l, "old"), outside("new")
				back := at.Add(time.Minute)
				return []Entry{flipEntry(at, before, after), {Time: back, Command: "rollback", Result: ResultDone, Before: &after, After: &before, ChangedAt: &back, DelegatedTo: []string{"old"}}}
			},
			want: "ns1.newhost.test., a name of a delegation that sent resolvers to the new side before the rollback, could not be resolved",
		},
		{
			// the parent's delegation, which the next step moves away
			// from (askFromServers): before, dropped without a word
			name:   "flipped, the parent delegating to a name outside the zone",
			trail:  func(l *reviewLab, at time.Time) []Entry { return []Entry{flipEntry(at, in(l, "old"), outside("new"))} },
			parent: func(*reviewLab) registrar.Delegation { return outside("new") },
			want:   "ns1.newhost.test., a name of the parent's delegation, could not be resolved",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			c := l.mk()
			appendTrail(t, c.TrailPath, tc.trail(l, time.Now().UTC().Add(-time.Hour))...)
			if tc.parent != nil {
				d := tc.parent(l)
				if err := l.reg.SetDelegation(context.Background(), "example.test.", d); err != nil {
					t.Fatal(err)
				}
				c.New.Delegation, c.New.Glue = d.NS, nil // the new side's configured delegation
			}
			c.Resolvers, c.Timeout = []string{silent(t)}, 300*time.Millisecond // every lookup fails
			rep := Status(context.Background(), c)
			if !has(rep.Warnings, tc.want) {
				t.Errorf("status (stage %s) warns %q; want one saying %q", rep.Stage, rep.Warnings, tc.want)
			}
		})
	}
}
