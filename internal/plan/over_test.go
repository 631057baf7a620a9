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

// TestDeleteOver: a replaceable record git has no RRset of stays, unless
// git's RRsets at its name cannot stand beside it (git's CNAME beside an
// alias A; git's data beside an alias of type CNAME): then it is a delete
// over it, counted.
func TestDeleteOver(t *testing.T) {
	cur := parse(t, "@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n")
	for _, tc := range []struct {
		name, git, typ, want string
	}{
		{"CNAME over alias A", "www CNAME d111111abcdef8.cloudfront.net.\n", "A", "- www.example.com. A, + www.example.com. CNAME"},
		{"TXT beside alias A", "www TXT \"x\"\n", "A", "+ www.example.com. TXT"},
		{"A over alias CNAME", "www A 192.0.2.80\n", "CNAME", "- www.example.com. CNAME, + www.example.com. A"},
		{"nothing at www", "", "A", ""},
	} {
		want := parse(t, "@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n"+tc.git)
		p := Compute(want, cur, Options{Unreadable: providerFeature("www.example.com.", tc.typ, "alias", false, true)})
		if got := strings.Join(summary(p), ", "); got != tc.want {
			t.Errorf("%s: plan %q, want %q", tc.name, got, tc.want)
		}
		for _, c := range p.Changes {
			if c.Action == provider.Delete && c.Over == nil {
				t.Errorf("%s: %s not over the alias", tc.name, c)
			}
		}
	}
}
