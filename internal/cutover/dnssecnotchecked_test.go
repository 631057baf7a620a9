package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestDNSSECNotCheckedSaysWhy: the dnssec gate is not asked when the gate
// before it (old-parity for a rollback, old-matches-git for an emergency
// one, new-authoritative for a flip) failed, and its detail gives that
// gate's real reason: a side whose servers answer with other data is not
// told to "answer first" (found after an emergency flip, a push to the new
// side, and the old side restarted with its old data), while a side that
// did not answer still is.
func TestDNSSECNotCheckedSaysWhy(t *testing.T) {
	c := &Config{Old: Side{Name: "old"}, New: Side{Name: "new"}}
	differ := Gate{Name: GateOldParity, differs: true, Detail: "3 errors, 0 warnings, 0 info findings in 40 queries; e.g. www.example.test. A value: differs"}
	down := Gate{Name: GateOldParity, Detail: "parity cannot be proven: 127.0.0.1:53: connection refused", unproven: true}
	stale := Gate{Name: GateOldMatchesGit, differs: true, Detail: "2 findings where the old side does not serve exactly what git says (40 queries)"}
	expiring := Gate{Name: GateOldParity, Detail: "0 errors, 0 warnings, 0 info findings in 40 queries; but its copy expires at 2026-12-06T22:00:00Z"}
	for _, tc := range []struct {
		pre          Gate
		want, absent string
	}{
		{differ, "the old side answers, with other data than the new side", "must answer first"},
		{down, "the old side must answer first", "other data"},
		{stale, "the old side answers, with other data than git", "must answer first"},
		{expiring, "must meet that gate first, as its plan says (gate old-parity)", "other data"},
	} {
		rep := &Report{Gates: []Gate{tc.pre}}
		for name, g := range map[string]Gate{
			"after":    gateDNSSECAfter(context.Background(), c, nil, &c.Old, &c.New, rep, tc.pre.Name),
			"rollback": gateDNSSECRollback(context.Background(), c, nil, rep, &registrar.Delegation{DS: []string{"1 8 2 AA"}}, tc.pre.Name),
		} {
			if g.OK || !strings.HasPrefix(g.Detail, "not checked") || !strings.Contains(g.Detail, tc.want) || strings.Contains(g.Detail, tc.absent) {
				t.Errorf("%s, gate %s %q: dnssec detail %q, want one with %q, without %q", name, tc.pre.Name, tc.pre.Detail, g.Detail, tc.want, tc.absent)
			}
		}
	}
}
