package rfc2136_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
)

// TestApplyRRsetsOneMessage: ApplyRRsets (the parent registrar's
// delegation change) is applied whole or not at all. Changes that do not
// fit one UPDATE message are refused before anything is sent: split, a
// first message setting the NS set would go in, and a second one with
// the glue refused by its prerequisites would leave the child delegated
// to a name without an address, "nothing of this message was applied"
// saying nothing of the first. The kept RRsets' prerequisites count
// toward the message too.
func TestApplyRRsetsOneMessage(t *testing.T) {
	create := func(text string) provider.Change {
		r, err := dns.NewRR(text)
		if err != nil {
			t.Fatal(err)
		}
		return provider.Change{Action: provider.Create, Name: r.Header().Name, Type: r.Header().Rrtype, New: mustSet(t, []dns.RR{r})}
	}
	ns := create("sub.example.com. 300 IN NS ns1.sub.example.com.")
	glue := create("ns1.sub.example.com. 300 IN A 192.0.2.10")
	// Another writer's glue, there before the write: the glue's Create
	// is refused (RFC 2136 §2.4.3, YXRRSET).
	theirs := create("ns1.sub.example.com. 300 IN A 192.0.2.99")
	kept := []provider.Change{{Name: "sub.example.com.", Type: dns.TypeDS}}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			if _, err := p.Apply(ctx, origin, []provider.Change{theirs}, nil); err != nil {
				t.Fatal(err)
			}
			// Each name's changes fit a message of their own, not both.
			rfc2136.SetLimits(p, 120, 300)
			bs, err := rfc2136.Batches(p, origin, []provider.Change{ns, glue})
			if err != nil || len(bs) < 2 {
				t.Fatalf("%d messages (%v), want the changes split", len(bs), err)
			}
			res, err := p.ApplyRRsets(ctx, origin, []provider.Change{ns, glue}, kept, nil)
			t.Logf("ApplyRRsets: %v", err)
			if err == nil || !strings.Contains(err.Error(), "one UPDATE message") || !strings.Contains(err.Error(), "nothing was sent") {
				t.Errorf("err = %v, want a refusal before sending: the changes do not fit one message", err)
			}
			if res.Requests != 0 || len(res.Applied) != 0 {
				t.Errorf("%d messages sent, %d changes applied, want none", res.Requests, len(res.Applied))
			}
			z, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			if got := z.Get("sub.example.com.", dns.TypeNS); got != nil {
				t.Errorf("the server holds the NS set %q without its glue: half a delegation", got.Strings())
			}
		})
	}
}
