package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// assigns is a provider that assigns its own NS names (Cloudflare,
// Route 53, NS1, DNS Made Easy, ClouDNS) or serves a zone push never
// made (rfc2136); creates one that creates a zone with the NS names it
// is given (PowerDNS: provider.ZoneCreator). nsFromGit only asks which
// it is: neither is ever called.
type assigns struct{ provider.Provider }

type creates struct{ provider.Provider }

func (creates) CreateZone(context.Context, string, []string) error { return nil }

// TestNSFromGit: the NS set a side serves at its apex is git's choice
// (the delegation gate's ns-source then refuses a name outside the zone)
// when push writes git's apex NS there (manage_apex), or when push
// created the zone with git's set: a provider that creates zones with the
// names given, none named in providers.SIDE.nameservers, and the side
// still serving git's very set. A provider's own names that git copies
// are not (a Cloudflare zone whose file lists Cloudflare's names was
// refused a flip until its delegation was configured).
func TestNSFromGit(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$TTL 300\n@ SOA ns1.p.net. h.p.net. 1 60 60 600 60\n@ NS ns1.p.net.\n@ NS ns2.p.net.\n"), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	git := []string{"ns2.p.net.", "ns1.p.net."}
	for _, c := range []struct {
		what        string
		manageApex  bool
		nameservers []string
		p           provider.Provider
		served      []string
		want        string // a part of the reason, "" for none
	}{
		{"manage_apex: push writes git's apex NS", true, nil, assigns{}, git, "push writes from git's apex NS (example.test.zone:3"},
		{"manage_apex, with a creating provider", true, nil, creates{}, []string{"other.p.net."}, "manage_apex: true"},
		{"a provider's own names that git copies", false, nil, assigns{}, git, ""},
		{"a zone push created with git's set", false, []string{"192.0.2.1"}, creates{}, git, "the set push creates the zone with"},
		{"served set no longer git's", false, nil, creates{}, []string{"ns1.p.net."}, ""},
	} {
		pc := &config.Provider{ManageApex: c.manageApex, Nameservers: c.nameservers}
		pc.Name = "new"
		got := nsFromGit(pc, c.p, z, c.served, "192.0.2.1:53")
		if (got == "") != (c.want == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.what, got, c.want)
		}
	}
}
