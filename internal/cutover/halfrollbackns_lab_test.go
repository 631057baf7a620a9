package cutover

import (
	"context"
	"slices"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// A rollback made half-way (the parent already names the old side's
// names: no askFromServers, whose delegation is no longer the new
// side's) reads the new side's apex NS, which its entry records
// (new_apex_ns), at every server the delegation the flip set sends
// resolvers to (sideAfter's rule: the side's servers as its recorded
// delegation named them, plus the configured ones), as a whole rollback
// reads them through askFromServers. Before, it read
// providers.new.nameservers alone: a config naming an address nothing
// listens on recorded the new side unanswered, and status counted the
// set naming the new server (which resolvers holding the new delegation
// still fetch, RFC 2181 §5.4.1) gone a TTL later.
func TestHalfRollbackReadsNewDelegationLab(t *testing.T) {
	for _, tc := range []struct {
		name string
		half func(l *reviewLab) registrar.Delegation
	}{
		{"both sides' names", func(l *reviewLab) registrar.Delegation {
			return registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns1.old.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}, "ns1.old.example.test.": {l.oldIP}}}
		}},
		{"the old name glued to the old server and a third address", func(l *reviewLab) registrar.Delegation {
			return registrar.Delegation{NS: []string{"ns1.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {l.oldIP, lab.Addr(t)}}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			l.flip(t, ctx)
			if err := l.reg.SetDelegation(ctx, "example.test.", tc.half(l)); err != nil {
				t.Fatal(err)
			}
			c := l.mk()
			c.New.Servers = []string{lab.Addr(t) + ":53"} // nothing listens there
			rep := Rollback(ctx, c, false, false)
			t.Logf("rollback: %s, warnings %q, errors %q", rep.Result, rep.Warnings, rep.Errors)
			tr := readTrail(t, c.TrailPath)
			e := &tr.Entries[len(tr.Entries)-1]
			if e.Command != "rollback" || e.NewApexNS == nil || !slices.Equal(e.NewApexNS.NewNames, []string{"ns1.new.example.test."}) {
				t.Errorf("the half-made rollback's entry (%s %s) records new_apex_ns %+v; want the new server's own name, read at the delegation the flip set", e.Command, e.Result, e.NewApexNS)
			}
		})
	}
}
