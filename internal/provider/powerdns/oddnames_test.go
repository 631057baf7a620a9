package powerdns_test

import (
	"context"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestOddOwnersListed: a PowerDNS zone holding owner names of every odd
// form (loaded by pdnsutil, as records added by hand outside dnsparity
// are) lists through the API as exactly git's names: PowerDNS writes '@',
// '(', ';', '"' raw and '.' and '\' escaped, and each must come back as
// the one canonical name, neither an error nor another name. This listing
// is what the cutover's completeness gates compare with git. PowerDNS's
// API cannot delete an RRset at such a name (HTTP 422, "contains
// unsupported characters", for a DELETE too): plan reports those instead
// of sending a PATCH that fails whole.
func TestOddOwnersListed(t *testing.T) {
	text := zonetest.OddZone(origin, `x\.y IN TXT "by hand"`)
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	git := zonetest.Load(t, text, origin)
	ctx := context.Background()
	held, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	for _, s := range git.Sets {
		if g := held.Get(s.Name, s.Type); g == nil || !g.SameData(s) {
			t.Errorf("git's %s %s is not listed as such", s.Name, dns.Type(s.Type))
		}
	}
	for _, s := range held.Sets {
		if git.Get(s.Name, s.Type) == nil {
			t.Errorf("listed %q %s, which git does not have under that name", s.Name, dns.Type(s.Type))
		}
	}

	// A push of a zone without them deletes those PowerDNS's API can
	// name; the others (its API refuses their names, in a DELETE too) are
	// reported by plan, not sent to fail the whole PATCH.
	apex := zonetest.Load(t, "$ORIGIN "+origin+"\n@ 300 IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 300 IN NS ns1\nns1 300 IN A 192.0.2.53\n", origin)
	pl := plan.Compute(apex, held, plan.Options{Caps: p.Capabilities()})
	refused := map[string]bool{}
	for _, u := range pl.Unsupported {
		refused[u.Set.Name] = true
		if !strings.Contains(u.Reason, "cannot delete it: PowerDNS's API refuses owner names") {
			t.Errorf("%s: %s", u.Set.Name, u.Reason)
		}
	}
	for _, n := range []string{`a\.b`, `sp\ ace`, `at\@sign`, `paren\(`, `semi\;colon`, `quote\"`, `it\'s`, `back\\slash`, `hi\128\255`, "a.*", `x\.y`} {
		if !refused[n+"."+origin] {
			t.Errorf("the delete of %s.%s is not refused at plan time", n, origin)
		}
	}
	if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
		t.Fatalf("delete: %v", err)
	}
	left, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range left.Sets {
		if apex.Get(s.Name, s.Type) == nil && !refused[s.Name] {
			t.Errorf("%s %s not deleted", s.Name, dns.Type(s.Type))
		}
	}
	if len(left.Sets) != len(apex.Sets)+len(refused) {
		t.Errorf("%d RRsets left, want %d", len(left.Sets), len(apex.Sets)+len(refused))
	}
}
