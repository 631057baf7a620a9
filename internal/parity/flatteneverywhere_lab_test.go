package parity_test

import (
	"net/netip"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityFlattenedEverywhereLab: the flattening rule (a CNAME chain
// against the data it leads to at the name itself) holds in every
// comparison of two servers' answers, not only between the sides'
// representatives: two servers of one side (one serves web A, the other
// web CNAME cdn.esp.test., which resolves to the same address), and
// each comparison from a client subnet (Knot's mod-geoip answering the
// CNAME to clients in eu, the other servers the address). The same
// data is the warning the representatives' comparison gives, other data
// an error. Before, each such pair was a plain difference: an error
// (cname-hop, missing) for the same data.
func TestParityFlattenedEverywhereLab(t *testing.T) {
	resolver := stubResolver(t, espZone("cdn IN A 192.0.2.77"))
	chain := "web IN CNAME cdn.esp.test."
	flatSame, flatOther := "web IN A 192.0.2.77", "web IN A 192.0.2.99"
	eu := parity.Subnet{Prefix: netip.MustParsePrefix("198.51.100.0/24"), Region: "eu"}
	// srv is a server: its kind and zone lines, or a Knot whose
	// mod-geoip answers web from eu with geo (zone: web A 192.0.2.30).
	type srv struct{ kind, lines, geo string }
	const geoPlain = "web IN A 192.0.2.30"
	geoCNAME := srv{geo: "web.parity.test:\n  - net: 198.51.100.0/24\n    CNAME: cdn.esp.test.\n"}
	geoA := func(a string) srv {
		return srv{geo: "web.parity.test:\n  - net: 198.51.100.0/24\n    A: " + a + "\n"}
	}
	cases := []struct {
		name     string
		git      string
		old, nu  []srv
		subnets  bool
		want     []finding
		noErrors bool
	}{
		{name: "two servers of old: a chain and the same address", git: chain,
			old: []srv{{"knot", chain, ""}, {"bind", flatSame, ""}}, nu: []srv{{"knot", chain, ""}},
			want: []finding{{"web." + origin, "A", "disagree-within-provider", parity.SevWarning,
				[]string{"old servers", "through a CNAME chain to cdn.esp.test", "the same data (through the resolver)"}}},
			noErrors: true},
		{name: "two servers of new: a chain and another address", git: chain,
			old: []srv{{"knot", chain, ""}}, nu: []srv{{"knot", chain, ""}, {"bind", flatOther, ""}},
			want: []finding{{"web." + origin, "A", "disagree-within-provider", parity.SevError,
				[]string{"new servers", "through a CNAME chain to cdn.esp.test", "other data", "192.0.2.99"}}}},
		{name: "from a client subnet: old's chain against new's address, and within old", git: geoPlain, subnets: true,
			old: []srv{geoCNAME, geoA("192.0.2.77")}, nu: []srv{geoA("192.0.2.77")},
			want: []finding{
				{"web." + origin, "A", "flattened", parity.SevWarning, []string{"for clients in eu", "old answers web.parity.test A through a CNAME chain", "the same data"}},
				{"web." + origin, "A", "disagree-within-provider", parity.SevWarning, []string{"for clients in eu", "old servers", "the same data"}},
			},
			noErrors: true},
		{name: "from a client subnet: another address", git: geoPlain, subnets: true,
			old: []srv{geoCNAME}, nu: []srv{geoA("192.0.2.99")},
			want: []finding{{"web." + origin, "A", "flattened", parity.SevError, []string{"for clients in eu", "other data", "192.0.2.99"}}}},
	}
	start := func(t *testing.T, s srv) string {
		if s.geo == "" {
			return serve(t, s.kind, verdictBase+s.lines+"\n")
		}
		lab.Require(t, "knotd")
		return lab.Knot(t, lab.Options{GeoIP: s.geo, Zones: []lab.Zone{{Origin: origin, Text: verdictBase + geoPlain + "\n"}}}).Addr
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var old, nu []string
			for _, s := range c.old {
				old = append(old, start(t, s))
			}
			for _, s := range c.nu {
				nu = append(nu, start(t, s))
			}
			rep := runWith(t, loadAny(t, verdictBase+c.git+"\n"), old, nu, func(o *parity.Options) {
				o.Resolver = resolver
				if c.subnets {
					o.Subnets = []parity.Subnet{eu}
				}
			})
			ok := hasFindings(t, rep, c.want)
			for _, f := range rep.Findings {
				if c.noErrors && f.Severity == parity.SevError {
					t.Errorf("unexpected error %s at %s %s: %s", f.Kind, f.Name, f.Type, f.Detail)
					ok = false
				}
			}
			if !ok {
				dump(t, rep)
			}
		})
	}
}

// TestParityFlattenedAlikeGitDriftLab: git's CNAME flattened alike by
// both sides (Knot old, BIND new, each serving the address at the name)
// is no difference the flip makes, so it stays a git-drift warning, but
// judged by the flattening rule: the detail says whether resolvers get
// the data git's chain leads to (through the resolver) or other data
// (both sides stale), and it is one finding per name, not one more for
// the qtype=CNAME question. Before, the detail said only "git has →
// cdn.esp.test., old has no CNAME" for either, twice (A and CNAME).
func TestParityFlattenedAlikeGitDriftLab(t *testing.T) {
	resolver := stubResolver(t, espZone("cdn IN A 192.0.2.77"))
	for _, c := range []struct {
		name, flat string
		words      []string
	}{
		{"the data the chain leads to", "web IN A 192.0.2.77", []string{"git answers web.parity.test A through a CNAME chain to cdn.esp.test, old and new at the name itself", "the chain leads to the same data"}},
		{"other data on both", "web IN A 192.0.2.99", []string{"the chain leads to other data", "192.0.2.77", "old and new get web.parity.test. 300 IN A 192.0.2.99"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := verdictBase + c.flat + "\n"
			rep := runWith(t, loadAny(t, verdictBase+"web IN CNAME cdn.esp.test.\n"), []string{serve(t, "knot", text)}, []string{serve(t, "bind", text)}, func(o *parity.Options) {
				o.Resolver = resolver
			})
			ok := hasFindings(t, rep, []finding{{"web." + origin, "A", "git-drift", parity.SevWarning, c.words}})
			n := 0
			for _, f := range rep.Findings {
				if f.Name == "web."+origin {
					n++
				}
				if f.Severity == parity.SevError {
					t.Errorf("unexpected error %s at %s %s: %s", f.Kind, f.Name, f.Type, f.Detail)
					ok = false
				}
			}
			if n != 1 {
				t.Errorf("%d findings at web, want the one git-drift", n)
				ok = false
			}
			if !ok {
				dump(t, rep)
			}
		})
	}
}
