package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestFlipDryRunSiblingGlueLab: the parent zone test. (real BIND, the
// parent registrar over RFC 2136) delegates other.test. to
// ns1.new.example.test. with glue 192.0.2.99, the host the flip would
// give the new side's address. The registrar refuses to move that glue
// (parent.Changes: other.test. would follow it); flip --dry-run said
// "every gate passes" (exit 0) and only the real flip found out, at the
// registrar step. The dry run asks the registrar's plan too: exit 2, the
// error naming other.test., the parent zone untouched.
func TestFlipDryRunSiblingGlueLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	cur, err := l.reg.Provider.Records(ctx, "test.")
	if err != nil {
		t.Fatal(err)
	}
	var cs []provider.Change
	for _, text := range []string{"other.test. 5 NS ns1.new.example.test.", "ns1.new.example.test. 5 A 192.0.2.99"} {
		set, err := zone.NewRRSet(transfertest.RRs(t, text))
		if err != nil {
			t.Fatal(err)
		}
		if cur.Get(set.Name, set.Type) != nil {
			t.Fatalf("%s already in the lab's parent", text)
		}
		cs = append(cs, provider.Change{Action: provider.Create, Name: set.Name, Type: set.Type, New: set})
	}
	if _, err := l.reg.Provider.Apply(ctx, "test.", cs, nil); err != nil {
		t.Fatal(err)
	}
	rep := Flip(ctx, l.mk(), true, false)
	if rep.ExitCode() != 2 || !strings.Contains(strings.Join(rep.Errors, "\n"), "other.test.") {
		t.Fatalf("flip --dry-run with a sibling on the new side's host: %s (exit %d), errors %v, actions %v", rep.Result, rep.ExitCode(), rep.Errors, rep.Actions)
	}
	after, err := l.reg.Provider.Records(ctx, "test.")
	if err != nil {
		t.Fatal(err)
	}
	if g := after.Get("ns1.new.example.test.", 1); g == nil || !strings.Contains(g.RRs()[0].String(), "192.0.2.99") {
		t.Errorf("the sibling's glue changed: %v", g)
	}
}
