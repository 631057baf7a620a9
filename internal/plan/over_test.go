package plan

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// TestReplaceOver: git's RRset at the name and type of a record the
// provider holds that no zone file expresses and a push can replace
// (provider.Feature.Replaceable, a Route 53 alias) is a replace over it:
// Old nil, Over the feature, counted by max_change_percent as a change of
// an RRset the provider holds. A blocking feature at the same key, or a
// second replaceable one, refuses it instead.
func TestReplaceOver(t *testing.T) {
	cur := parse(t, "@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n")
	want := parse(t, "@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.80\n")
	alias := providerFeature("www.example.com.", "A", "alias", false, true)
	p := Compute(want, cur, Options{Unreadable: alias})
	if len(p.Changes) != 1 || p.Changes[0].String() != "~ www.example.com. A" || p.Changes[0].Old != nil || p.Changes[0].Over == nil || p.Changes[0].Over.Feature != "alias" {
		t.Fatalf("changes %v (%+v)", summary(p), p.Changes)
	}
	if TTLOnly(p.Changes[0]) {
		t.Error("a replace over an alias counted as TTL only")
	}
	if p.Current != 2 || p.Percent() != 50 {
		t.Errorf("current %d, percent %v; want 2 (ns1 A, the alias) and 50", p.Current, p.Percent())
	}
	if u := p.Unsafe(Policy{MaxChangePercent: 49}); len(u) != 1 || !strings.Contains(u[0], "1 of the 2 RRsets") {
		t.Errorf("unsafe %v", u)
	}
	if x := Explain(p.Zone, p.Changes[0]); !strings.Contains(x, "alias") {
		t.Errorf("explain %q", x)
	}
	for name, fs := range map[string][]providerFeatureT{
		"blocking beside": append(alias, providerFeature("www.example.com.", "A", "unrepresentable", true, false)...),
		"two replaceable": append(alias, alias...),
		"blocking only":   providerFeature("www.example.com.", "A", "weighted-routing", true, false),
	} {
		p := Compute(want, cur, Options{Unreadable: fs})
		if len(p.Changes) != 0 || len(p.Unsupported) != 1 {
			t.Errorf("%s: changes %v, unsupported %v; want www A refused", name, summary(p), p.Unsupported)
		}
	}
	// Not in git: the record stays, nothing is planned.
	if p := Compute(cur, cur, Options{Unreadable: alias}); !p.Empty() || p.Current != 1 {
		t.Errorf("alias not in git: changes %v, current %d", summary(p), p.Current)
	}
}

type providerFeatureT = provider.Feature

func providerFeature(name, typ, kind string, blocks, replaceable bool) []provider.Feature {
	return []provider.Feature{{Name: name, Type: typ, Feature: kind, Value: "x", Blocks: blocks, Replaceable: replaceable}}
}
