package powerdns_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestApplyZoneMissingNotApplied: a push to a zone the real PowerDNS does
// not hold stops at its first read (the disabled records a PATCH must
// send back), before any PATCH: every change is listed not applied in
// Result.Left, and the error says so. On the code before, Left was empty
// (the changes in no list).
func TestApplyZoneMissingNotApplied(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	var cs []provider.Change
	for _, s := range providertest.Desired(t, origin, "$ORIGIN example.com.\n@ 300 SOA ns h 1 2 3 4 5\na 300 A 192.0.2.1\nb 300 TXT \"b\"\n").Sets {
		if s.Name != origin {
			cs = append(cs, provider.Change{Action: provider.Create, Name: s.Name, Type: s.Type, New: s})
		}
	}
	res, err := p.Apply(context.Background(), origin, cs, nil)
	if err == nil {
		t.Fatal("a push to a zone the server does not hold succeeded")
	}
	t.Logf("%v", err)
	if len(res.Applied) != 0 || len(res.Left.NotApplied) != len(cs) || provider.PerhapsApplied(err) {
		t.Errorf("the Result's left: %+v (applied %d), PerhapsApplied %v; want all %d not applied", res.Left, len(res.Applied), provider.PerhapsApplied(err), len(cs))
	}
	if want := "not applied: " + provider.ChangeNames(cs); !strings.Contains(err.Error(), want) {
		t.Errorf("the error does not say %q: %v", want, err)
	}
}
