package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider/route53"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestDriftRefusesBlockedRRset: the new provider (Route 53) holds www A
// as an alias, which Records leaves out, and git has www A. A push
// refuses that RRset (provider.Feature.Blocks); the drift gate says so
// ("push refuses them"), not that a push would create it.
func TestDriftRefusesBlockedRRset(t *testing.T) {
	s := r53test.New("AKIDEXAMPLE0123", "secret")
	t.Cleanup(s.Close)
	id := s.AddZone("example.test", false)
	s.Seed(id, r53test.RRSet{Name: "www.example.test.", Type: "A", AliasTarget: &r53test.AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net."}})
	p, err := route53.New(context.Background(), &config.Provider{Name: "new", Type: "route53", Settings: &route53.Settings{URL: s.URL, AWS: config.AWS{AccessKeyID: "AKIDEXAMPLE0123", SecretAccessKey: "secret"}}})
	if err != nil {
		t.Fatal(err)
	}
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nwww 300 A 192.0.2.80\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &Config{Zone: z, New: Side{Name: "new", Provider: p}}
	l := &listing{}
	l.new, l.newUnread, l.newBlocks, l.newErr = list(context.Background(), c, &c.New)
	if l.newErr != nil {
		t.Fatal(l.newErr)
	}
	g := gateDrift(c, l)
	if g.OK || !strings.Contains(g.Detail, "push refuses them") || !strings.Contains(g.Detail, "www.example.test.") {
		t.Errorf("%s: ok %v, %s; want git's www A refused beside Route 53's alias", g.Name, g.OK, g.Detail)
	}
}
