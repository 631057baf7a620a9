package cloudflare_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// TestOddOwnersByHand: a record put at Cloudflare by hand at a name that
// holds a character a zone file escapes ('@', an apostrophe: the API's
// JSON name carries it raw) is listed at git's name for it. The plan then
// refuses git's RRset (the API cannot write such names from dnsparity)
// and leaves the provider's alone: read as another name, it was planned as
// a delete of the record git holds.
func TestOddOwnersByHand(t *testing.T) {
	for _, c := range []struct{ api, git string }{
		{"at@sign.example.com", `at\@sign`},
		{"it's.example.com", `it\'s`},
	} {
		t.Run(c.git, func(t *testing.T) {
			s := cftest.New(token)
			defer s.Close()
			id := s.AddZone("example.com")
			s.Seed(id, cftest.Record{Name: c.api, Type: "TXT", Content: `"by hand"`, TTL: 300})
			p := newProvider(t, s, token)
			d := desired(t, "@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ada.ns.cloudflare.com.\n"+c.git+" TXT \"by hand\"\n")
			cur, err := p.Records(context.Background(), "example.com.")
			if err != nil {
				t.Fatal(err)
			}
			name := c.git + ".example.com."
			if cur.Get(name, 16) == nil {
				t.Errorf("%q is not listed as %s: %v", c.api, name, cur.Names())
			}
			pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
			for _, ch := range pl.Changes {
				if ch.Type == 16 {
					t.Errorf("planned %s: the provider holds git's record", ch)
				}
			}
			if len(pl.Unsupported) != 1 || !strings.Contains(pl.Unsupported[0].Reason, "escaped characters") {
				t.Errorf("unsupported %v, want git's %s refused", pl.Unsupported, name)
			}
		})
	}
}
