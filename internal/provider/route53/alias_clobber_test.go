package route53_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/push"
)

// TestAliasNotClobbered: Route 53 holds www A as an alias (and w A as
// weighted sets), which Records leaves out. git has www A and w A. A
// push sends a create as an UPSERT, which Route 53 applies to the record
// set of that name and type (Change, "UPSERT: If a resource record set
// does exist, Route 53 updates it with the values in the request"): the
// alias would be replaced, shown as a "+" create that max_change_percent
// does not count. The plan must refuse both RRsets instead (as for a
// record dnsparity cannot read), and a push leave the alias as it is.
func TestAliasNotClobbered(t *testing.T) {
	s := newServer(t)
	id := s.AddZone("example.com", false)
	s.Seed(id, r53test.RRSet{Name: "www.example.com.", Type: "A", AliasTarget: &r53test.AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net."}})
	s.Seed(id, r53test.RRSet{Name: "w.example.com.", Type: "A", SetIdentifier: "blue", Weight: aws.Int64(70), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.1")})
	s.Seed(id, r53test.RRSet{Name: "ok.example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.9")})
	p := newProvider(t, s, keyID, secret)
	d := desired(t, "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nwww 300 A 192.0.2.80\nw 300 A 192.0.2.1\nok 300 A 192.0.2.9\nnew 300 A 192.0.2.10\n")
	ctx := context.Background()
	tg, err := push.Prepare(ctx, "new", p, &config.Provider{Name: "new", Type: "route53"}, d, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	unsupported := map[string]string{}
	for _, u := range tg.Plan.Unsupported {
		unsupported[u.Set.Name+" "+dns.Type(u.Set.Type).String()] = u.Reason
	}
	for _, c := range tg.Plan.Changes {
		if (c.Name == "www.example.com." || c.Name == "w.example.com.") && c.Type == dns.TypeA {
			t.Errorf("plan %s over Route 53's %s record set (an UPSERT replaces or collides with it)", c, c.Name)
		}
	}
	if why := unsupported["www.example.com. A"]; !strings.Contains(why, "alias") {
		t.Errorf("www A not refused as held as an alias: %q", why)
	}
	if why := unsupported["w.example.com. A"]; !strings.Contains(why, "weighted") {
		t.Errorf("w A not refused as held by a routing policy: %q", why)
	}
	entries, blocked := push.Check([]*push.Target{tg}, plan.Policy{MaxChangePercent: 100})
	if !blocked {
		// What a push does: the alias is overwritten.
		e := entries[0]
		if _, err := push.Apply(ctx, tg, &e, nil); err != nil {
			t.Logf("push: %v", err)
		}
		for _, set := range s.Sets(id) {
			if set.Name == "www.example.com." && set.Type == "A" && set.AliasTarget == nil {
				t.Errorf("the alias www.example.com. A was overwritten by the push: %v", set.Values())
			}
		}
	}
}
