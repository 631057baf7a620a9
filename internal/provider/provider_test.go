package provider_test

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func TestRegistry(t *testing.T) {
	if got := strings.Join(provider.Types(), ","); got != "powerdns,rfc2136" {
		t.Errorf("types %s", got)
	}
	// What a type can do is known without making one (no secret read).
	if !provider.Has[provider.FeatureReporter]("powerdns") || provider.Has[provider.FeatureReporter]("rfc2136") ||
		!provider.Has[provider.Primary]("rfc2136") || provider.Has[provider.Primary]("powerdns") || provider.Has[provider.Primary]("nope") {
		t.Errorf("Has: the types' interfaces are not what their Go types implement")
	}
	tests := []struct {
		cfg  config.Provider
		err  string
		name string
	}{
		{config.Provider{Name: "old", Type: "nope"}, `providers.old: unknown type "nope"`, "unknown type"},
		{config.Provider{Name: "old", Type: "rfc2136"}, "providers.old: rfc2136: server is required", "rfc2136 without server"},
		{config.Provider{Name: "new", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: "ftp://x"}}}, "is not an http(s) URL", "bad url"},
		{config.Provider{Name: "new", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: "http://127.0.0.1:8081"}}}, "powerdns: no API key (set api_key_env to the name of the variable holding it)", "no key"},
		{config.Provider{Name: "new", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: "http://127.0.0.1:8081", APIKey: "k"}}}, "", "powerdns"},
		{config.Provider{Name: "old", Type: "rfc2136", Settings: &rfc2136.Settings{Server: "127.0.0.1"}}, "", "rfc2136"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := provider.New(&tc.cfg)
			if tc.err == "" {
				if err != nil || p == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("New: %v, want %q", err, tc.err)
			}
		})
	}
}

func TestHolds(t *testing.T) {
	set := func(s string) *zone.RRSet {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		z, err := zone.NewRRSet([]dns.RR{rr})
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	long := "x. 300 IN TXT \"" + strings.Repeat("a", 255) + "\" \"b\""
	tests := []struct {
		caps provider.Capabilities
		rr   string
		ok   bool
	}{
		{provider.Capabilities{}, "x. 300 IN A 192.0.2.1", true},
		{provider.Capabilities{}, "x. 300 IN TYPE65000 \\# 1 ab", false},
		{provider.Capabilities{UnknownTypes: true}, "x. 300 IN TYPE65000 \\# 1 ab", true},
		{provider.Capabilities{Types: map[uint16]bool{dns.TypeA: true}}, "x. 300 IN AAAA ::1", false},
		{provider.Capabilities{}, long, false},
		{provider.Capabilities{LongTXT: true}, long, true},
		{provider.Capabilities{}, "x. 300 IN TXT \"a\" \"b\"", true},
		{provider.Capabilities{LongTXT: true, MaxRRsetSize: 200}, long, false},
		{provider.Capabilities{LongTXT: true, MaxRRsetSize: 400}, long, true},
		{provider.Capabilities{MinTTL: 60}, "x. 30 IN A 192.0.2.1", false},
		{provider.Capabilities{MinTTL: 60}, "x. 60 IN A 192.0.2.1", true},
		{provider.Capabilities{MinTTL: 60}, "x. 1 IN A 192.0.2.1", false},
		{provider.Capabilities{Check: func(s *zone.RRSet) string {
			if s.Type == dns.TypeCAA {
				return "no CAA"
			}
			return ""
		}}, "x. 300 IN CAA 0 issue \"ca.example\"", false},
	}
	for _, tc := range tests {
		if ok, why := tc.caps.Holds(set(tc.rr)); ok != tc.ok {
			t.Errorf("%+v holds %s: %v (%s), want %v", tc.caps, tc.rr, ok, why, tc.ok)
		}
	}
}

func TestByName(t *testing.T) {
	ch := func(a provider.Action, name string, typ uint16) provider.Change {
		return provider.Change{Action: a, Name: name, Type: typ}
	}
	cs := []provider.Change{
		ch(provider.Delete, "gone.example.", dns.TypeA),
		ch(provider.Delete, "www.example.", dns.TypeA),
		ch(provider.Delete, "gone.example.", dns.TypeTXT),
		ch(provider.Replace, "example.", dns.TypeMX),
		ch(provider.Create, "www.example.", dns.TypeCNAME),
		ch(provider.Create, "new.example.", dns.TypeA),
	}
	var got []string
	for _, g := range provider.ByName(cs) {
		var parts []string
		for _, c := range g {
			parts = append(parts, c.String())
		}
		got = append(got, strings.Join(parts, ", "))
	}
	want := []string{
		"- www.example. A, + www.example. CNAME",
		"~ example. MX",
		"+ new.example. A",
		"- gone.example. A, - gone.example. TXT",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
