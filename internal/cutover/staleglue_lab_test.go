package cutover

import (
	"context"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// A flip (or rollback) whose delegation change was made but whose run
// left the host it moved from with its glue in the parent zone (its
// removal failed after the NS change, or a sibling of its wave still
// named the host then): the re-run finds the parent delegating to the
// side it moves to and says nothing-to-do; it now removes the glue no NS
// set names first, saying so (a dry run says it would). On the code
// before, nothing-to-do left the address in the parent zone for good:
// whoever holds it next answers for the host once an NS set names it
// again.
func TestRerunRemovesStaleGlueLab(t *testing.T) {
	steps := []struct {
		step string
		run  func(context.Context, *Config, bool, bool) *Report
		// host is the one moved from, whose glue is left; ns is the
		// delegation the step finds in place.
		host, ns string
	}{
		{"flip", Flip, "ns1.old.example.test.", "ns1.new.example.test."},
		// never flipped: the parent delegates to the old side, and the
		// new side's host has glue no NS set names
		{"rollback", Rollback, "ns1.new.example.test.", "ns1.old.example.test."},
	}
	for _, st := range steps {
		step, run, host, ns := st.step, st.run, st.host, st.ns
		t.Run(step, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			addr := l.newIP
			if step == "flip" {
				addr = l.oldIP
				l.flip(t, ctx)
			}
			p := l.reg.Provider
			rr, err := dns.NewRR(host + " 5 IN A " + addr)
			if err != nil {
				t.Fatal(err)
			}
			left, err := zone.NewRRSet([]dns.RR{rr})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.(provider.RRsetConditional).ApplyRRsets(ctx, "test.", []provider.Change{{Action: provider.Create, Name: left.Name, Type: dns.TypeA, New: left}}, nil, nil); err != nil {
				t.Fatal(err)
			}
			glue := func() []string {
				z, err := p.Records(ctx, "test.")
				if err != nil {
					t.Fatal(err)
				}
				return z.Addrs(host)
			}
			dry := run(ctx, l.mk(), true, false)
			if dry.Result != ResultNothing || !has(dry.Actions, "would remove the glue of "+host) || len(glue()) == 0 {
				t.Fatalf("dry run: %s %q, glue %v; want nothing-to-do saying it would remove %s's glue, kept", dry.Result, dry.Actions, glue(), host)
			}
			again := run(ctx, l.mk(), false, false)
			t.Logf("%s again: %s exit %d errors %q actions %q", step, again.Result, again.ExitCode(), again.Errors, again.Actions)
			if again.Result != ResultNothing || again.ExitCode() != 0 || !has(again.Actions, "removed the glue of "+host) {
				t.Errorf("%s re-run: %s exit %d %q, want nothing-to-do saying it removed %s's glue", step, again.Result, again.ExitCode(), again.Actions, host)
			}
			if g := glue(); len(g) != 0 {
				t.Errorf("glue of %s after the re-run: %v, want none", host, g)
			}
			if got := nsAt(t, l); got != ns {
				t.Errorf("parent NS %s after the re-run, want %s", got, ns)
			}
		})
	}
}
