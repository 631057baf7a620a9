package providertest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
)

// OverBatch: an RRset of more records than one write request of the
// provider carries (its Capabilities.MaxBatch, in whatever unit the
// provider counts, plus one; 1,001 when it names no limit) is either
// refused by plan, naming that RRset alone, with nothing of it sent, or
// pushed whole, read back and planned empty; and so is a replace of it
// (one record changed: Route 53's UPSERT, Cloudflare's patches). Never a
// plan that passes and a push that fails: Route 53 counts an UPSERT's
// records twice (1,000 a change batch), and Cloudflare takes 200
// operations a batch call, so an RRset over half the one or over the
// other passed plan and failed at every push.
func OverBatch(t *testing.T, h Harness) {
	p := h.New(t, h.Secret)
	n := p.Capabilities().MaxBatch + 1
	if n == 1 {
		n = 1001
	}
	set := func(last int) string {
		var b strings.Builder
		b.WriteString(Head(h.ZoneFile))
		for i := range n - 1 {
			fmt.Fprintf(&b, "big 300 A 10.0.%d.%d\n", i/250, i%250+1)
		}
		fmt.Fprintf(&b, "big 300 A 10.255.255.%d\n", last)
		return b.String()
	}
	name := "big." + h.Origin
	for step, text := range []string{set(1), set(2)} {
		d := Desired(t, h.Origin, text)
		cur, err := p.Records(context.Background(), h.Origin)
		if err != nil {
			t.Fatal(err)
		}
		pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
		if len(pl.Unsupported) > 0 {
			if len(pl.Unsupported) != 1 || pl.Unsupported[0].Set.Name != name {
				t.Errorf("an RRset of %d records: plan refuses %v, want %s A alone", n, pl.Unsupported, name)
			}
			for _, c := range pl.Changes {
				if c.Name == name {
					t.Errorf("refused but planned: %s", c)
				}
			}
			return
		}
		res, err := p.Apply(context.Background(), h.Origin, pl.Changes, nil)
		if err != nil {
			t.Fatalf("an RRset of %d records (push %d): plan passed it, the push failed: %v", n, step+1, err)
		}
		if len(res.Applied) != len(pl.Changes) {
			t.Fatalf("applied %d of %d", len(res.Applied), len(pl.Changes))
		}
		got, err := p.Records(context.Background(), h.Origin)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := got.Get(name, dns.TypeA), d.Get(name, dns.TypeA); g == nil || !g.SameData(w) {
			t.Errorf("an RRset of %d records (push %d) read back unlike git's", n, step+1)
		}
		if again := plan.Compute(d, got, plan.Options{Caps: p.Capabilities()}); len(again.Changes) != 0 {
			t.Errorf("an RRset of %d records (push %d): second plan not empty: %v", n, step+1, again.Changes)
		}
	}
}
