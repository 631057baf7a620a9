package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// driftAt is the drift gate of git's text against a new provider (Route
// 53) holding set beside it.
func driftAt(t *testing.T, set r53test.RRSet, text string) Gate {
	s := r53test.New("AKIDEXAMPLE0123", "secret")
	t.Cleanup(s.Close)
	id := s.AddZone("example.test", false)
	s.Seed(id, set)
	p, err := route53.New(context.Background(), &config.Provider{Name: "new", Type: "route53", Settings: &route53.Settings{URL: s.URL, AWS: config.AWS{AccessKeyID: "AKIDEXAMPLE0123", SecretAccessKey: "secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	z, err := zone.Parse(strings.NewReader(text), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &Config{Zone: z, New: Side{Name: "new", Provider: p}}
	l := &listing{}
	l.new, l.newUnread, l.newBlocks, _, l.newErr = list(context.Background(), c, &c.New)
	if l.newErr != nil {
		t.Fatal(l.newErr)
	}
	return gateDrift(c, l)
}

// TestDriftRefusesBlockedRRset: the new provider (Route 53) holds w A as
// weighted sets, which Records leaves out, and git has w A. A push
// refuses that RRset (provider.Feature.Blocks); the drift gate says so
// ("push refuses them"), not that a push would create it.
func TestDriftRefusesBlockedRRset(t *testing.T) {
	g := driftAt(t, r53test.RRSet{Name: "w.example.test.", Type: "A", SetIdentifier: "blue", Weight: aws.Int64(70), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.1")},
		"$ORIGIN example.test.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nw 300 A 192.0.2.80\n")
	if g.OK || !strings.Contains(g.Detail, "push refuses them") || !strings.Contains(g.Detail, "w.example.test.") {
		t.Errorf("%s: ok %v, %s; want git's w A refused beside Route 53's weighted sets", g.Name, g.OK, g.Detail)
	}
}

// TestDriftShowsAliasReplace: the new provider holds www A as an alias
// and git has www A. A push replaces the alias with git's RRset (a
// replace over it, provider.Feature.Replaceable); the drift gate says
// what the push would do (the plan's "~ www A"), not that push refuses
// it, nor that the new provider holds git's zone.
func TestDriftShowsAliasReplace(t *testing.T) {
	g := driftAt(t, r53test.RRSet{Name: "www.example.test.", Type: "A", AliasTarget: &r53test.AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net."}},
		"$ORIGIN example.test.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nwww 300 A 192.0.2.80\n")
	if g.OK || !strings.Contains(g.Detail, "a push would do:") || !strings.Contains(g.Detail, "~ www.example.test. A") {
		t.Errorf("%s: ok %v, %s; want the replace of the alias a push would do", g.Name, g.OK, g.Detail)
	}
}
