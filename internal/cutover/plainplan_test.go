package cutover

import (
	"reflect"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// capsCounted is plainNamesProv counting the plans made for it (a push
// plan reads the provider's capabilities once).
type capsCounted struct {
	plainNamesProv
	plans *int
}

func (p capsCounted) Capabilities() provider.Capabilities {
	*p.plans++
	return p.plainNamesProv.Capabilities()
}

// TestRollbackPlansEachSideOnce: a refused rollback made the push plan
// of each side twice over the same listing (the parity gate's plan, then
// new-complete and old-complete), with the same arguments (no features).
// Now the step's listing makes it once (listing.plainPlan) and each gate
// reads it; what each says is what gateComplete, making its own, says.
// The drift gate's plan counts the new side's features, which change it,
// and is not this one.
func TestRollbackPlansEachSideOnce(t *testing.T) {
	const origin = "example.test."
	head := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n"
	git := zonetest.Load(t, head+"www A 192.0.2.80\n", origin)
	oldHeld := zonetest.Load(t, head+"www A 192.0.2.80\nlegacy TXT \"old\"\n", origin)
	newHeld := zonetest.Load(t, head+"www A 192.0.2.80\nmanual TXT \"new\"\n", origin)
	var oldPlans, newPlans int
	c := &Config{Zone: git,
		Old: Side{Name: "old", Provider: capsCounted{plainNamesProv{oldHeld}, &oldPlans}},
		New: Side{Name: "new", Provider: capsCounted{plainNamesProv{newHeld}, &newPlans}}}
	l := &listing{old: oldHeld, new: newHeld}

	plan := rollbackParityPlan(c, l)
	gNew := gateCompleteListed(c, GateNewComplete, &c.New, l, "vanish at the rollback", nil)
	gOld := gateCompleteListed(c, GateOldComplete, &c.Old, l, "come back at the rollback", nil)
	if oldPlans != 1 || newPlans != 1 {
		t.Errorf("the rollback's gates made %d plans of the old side and %d of the new, want one each", oldPlans, newPlans)
	}
	if p := strings.Join(plan, "\n"); !strings.Contains(p, "manual.example.test. TXT") || !strings.Contains(p, "legacy.example.test. TXT") {
		t.Errorf("parity plan does not name each side's drift: %q", plan)
	}
	for _, tc := range []struct {
		got  Gate
		want Gate
	}{
		{gNew, gateComplete(c, GateNewComplete, &c.New, newHeld, nil, nil, "vanish at the rollback", nil)},
		{gOld, gateComplete(c, GateOldComplete, &c.Old, oldHeld, nil, nil, "come back at the rollback", nil)},
	} {
		if !reflect.DeepEqual(tc.got, tc.want) {
			t.Errorf("%s from the step's plan:\n%+v\nwant, as gateComplete makes its own:\n%+v", tc.got.Name, tc.got, tc.want)
		}
		if tc.got.OK || !strings.Contains(strings.Join(tc.got.Plan, " "), "deletes 1 RRset") {
			t.Errorf("%s: ok=%v, plan %q; want a push deleting the RRset git lacks", tc.got.Name, tc.got.OK, tc.got.Plan)
		}
	}
}
