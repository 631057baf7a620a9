package parity_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/progress/progresstest"
)

// The geo policy, as git holds it (the answers for everybody outside the
// regions) and as each implementation serves it: PowerDNS LUA records
// answering by the ECS subnet (view(), which uses bestwho), Knot's
// mod-geoip in subnet mode over the same zone file.
const geoGit = `$TTL 300
@	IN SOA ns1.parity.test. hostmaster.parity.test. 1 3600 600 604800 300
@	IN NS ns1.parity.test.
ns1	IN A 192.0.2.1
plain	IN A 192.0.2.99
mail	IN MX 10 plain.parity.test.
`

// geoPolicy is one region's answers: www and api per region.
type geoPolicy struct{ euWWW, usWWW, euAPI string }

var samePolicy = geoPolicy{euWWW: "192.0.2.10", usWWW: "192.0.2.20", euAPI: "192.0.2.11"}

func geoZone() string {
	return geoGit + "www	60 IN A 192.0.2.30\napi	60 IN A 192.0.2.31\n"
}

func geoPDNS(t *testing.T, p geoPolicy) *lab.PowerDNS {
	t.Helper()
	lab.Require(t, "pdns_server")
	lua := fmt.Sprintf(`www	60 IN LUA A "view({{{'198.51.100.0/24'}, {'%s'}}, {{'203.0.113.0/24'}, {'%s'}}, {{'0.0.0.0/0', '::/0'}, {'192.0.2.30'}}})"
api	60 IN LUA A "view({{{'198.51.100.0/24'}, {'%s'}}, {{'0.0.0.0/0', '::/0'}, {'192.0.2.31'}}})"
`, p.euWWW, p.usWWW, p.euAPI)
	return lab.PDNS(t, lab.Options{LUA: true, NSID: "pdns-1", Zones: []lab.Zone{{Origin: origin, Text: geoGit + lua}}})
}

func geoKnot(t *testing.T, p geoPolicy) *lab.Server {
	t.Helper()
	lab.Require(t, "knotd")
	geo := fmt.Sprintf(`www.parity.test:
  - net: 198.51.100.0/24
    A: %s
  - net: 203.0.113.0/24
    A: %s
api.parity.test:
  - net: 198.51.100.0/24
    A: %s
`, p.euWWW, p.usWWW, p.euAPI)
	return lab.Knot(t, lab.Options{NSID: "knot-1", GeoIP: geo, Zones: []lab.Zone{{Origin: origin, Text: geoZone()}}})
}

var geoSubnets = []parity.Subnet{
	{Prefix: netip.MustParsePrefix("198.51.100.0/24"), Region: "eu"},
	{Prefix: netip.MustParsePrefix("203.0.113.0/24"), Region: "us"},
	{Prefix: netip.MustParsePrefix("2001:db8:1::/48"), Region: "ap"},
}

func runGeo(t *testing.T, old, new string, o parity.Options) *parity.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	o.Timeout, o.Retries, o.Concurrency = time.Second, 2, 8
	rep, err := parity.Run(ctx, loadText(t, geoZone()), []parity.Target{{Addr: old}}, []parity.Target{{Addr: new}}, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func kinds(rep *parity.Report, kind string) []parity.Finding {
	var out []parity.Finding
	for _, f := range rep.Findings {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// TestParityECS: the same geo policy on PowerDNS (LUA) and Knot (geoip)
// is clean from every subnet; a policy that differs for one region is
// found for that region only, named by region, with both answers and the
// node (NSID) of each; the plain run (no subnets) sees neither.
func TestParityECS(t *testing.T) {
	old := geoPDNS(t, samePolicy)
	t.Run("same policy", func(t *testing.T) {
		kn := geoKnot(t, samePolicy)
		// Each stage is a task of its own after the zone's questions,
		// each ended once with its answers counted.
		rec := &progresstest.Recorder{}
		rep := runGeo(t, old.Addr, kn.Addr, parity.Options{Subnets: geoSubnets, Progress: rec, ProgressEvery: time.Hour})
		var stages []string
		for _, tk := range rec.Tasks() {
			stages = append(stages, strings.TrimPrefix(tk.Label, rep.Zone+": "))
			if tk.Total == 0 || tk.Last() != tk.Total || tk.Stops != 1 || tk.Failed {
				t.Errorf("task %+v: want its answers counted, stopped once", tk)
			}
		}
		if got, want := strings.Join(stages, "|"), rep.Zone+"|client subnets: first probe|client subnets: eu (198.51.100.0/24)|client subnets: us (203.0.113.0/24)|client subnets: ap (2001:db8:1::/48)"; got != want {
			t.Errorf("progress tasks %q, want %q", got, want)
		}
		dump(t, rep)
		for _, f := range rep.Findings {
			if f.Severity != parity.SevInfo {
				t.Errorf("finding on the same policy: %+v", f)
			}
		}
		if n := len(kinds(rep, "ecs")); n != 0 {
			t.Errorf("%d ecs notes; both servers answer by subnet", n)
		}
		plain := runGeo(t, old.Addr, kn.Addr, parity.Options{})
		if rep.Queries <= plain.Queries {
			t.Errorf("%d queries with subnets, %d without: no ECS probes were sent", rep.Queries, plain.Queries)
		}
	})
	t.Run("us differs", func(t *testing.T) {
		p := samePolicy
		p.usWWW = "192.0.2.21"
		kn := geoKnot(t, p)
		if rep := runGeo(t, old.Addr, kn.Addr, parity.Options{}); !rep.OK() {
			t.Fatalf("the plain run sees a difference: %+v", rep.Findings)
		}
		rep := runGeo(t, old.Addr, kn.Addr, parity.Options{Subnets: geoSubnets})
		dump(t, rep)
		var errs []parity.Finding
		for _, f := range rep.Findings {
			if f.Severity == parity.SevError {
				errs = append(errs, f)
			}
		}
		if len(errs) != 1 {
			t.Fatalf("%d errors, want one (www A from us): %+v", len(errs), errs)
		}
		f := errs[0]
		if f.Name != "www.parity.test." || f.Type != "A" || f.Kind != "rdata" || f.Region != "us" || f.Subnet != "203.0.113.0/24" ||
			!strings.Contains(f.Old, "192.0.2.20") || !strings.Contains(f.New, "192.0.2.21") ||
			!strings.Contains(f.Detail, "us (203.0.113.0/24)") || !strings.Contains(f.Detail, "scope /24") ||
			f.NSIDOld != "pdns-1" || f.NSIDNew != "knot-1" {
			t.Errorf("finding %+v; want www A rdata from us (203.0.113.0/24), old 192.0.2.20 (pdns-1), new 192.0.2.21 (knot-1), scopes in the detail", f)
		}
	})
	t.Run("geo TTL differs", func(t *testing.T) {
		// Knot's geo answers live 300 s, PowerDNS's 60 s: the same
		// difference from eu and from us is one finding naming both.
		lab.Require(t, "knotd")
		kn := lab.Knot(t, lab.Options{GeoIP: "www.parity.test:\n  - net: 198.51.100.0/24\n    A: 192.0.2.10\n  - net: 203.0.113.0/24\n    A: 192.0.2.20\napi.parity.test:\n  - net: 198.51.100.0/24\n    A: 192.0.2.11\n",
			GeoIPTTL: 300, Zones: []lab.Zone{{Origin: origin, Text: geoZone()}}})
		rep := runGeo(t, old.Addr, kn.Addr, parity.Options{Subnets: geoSubnets})
		dump(t, rep)
		var www []parity.Finding
		for _, f := range kinds(rep, "ttl") {
			if f.Name == "www.parity.test." {
				www = append(www, f)
			}
		}
		if len(www) != 1 || www[0].Subnet != "198.51.100.0/24, 203.0.113.0/24" || www[0].Region != "eu, us" ||
			!strings.Contains(www[0].Detail, "eu (198.51.100.0/24), us (203.0.113.0/24) (the same from each): TTL old 60, new 300") {
			t.Errorf("www ttl findings %+v; want one naming eu and us", www)
		}
		if !rep.OK() {
			t.Errorf("a TTL is not an error: %+v", rep.Findings)
		}
	})
	t.Run("new ignores ECS", func(t *testing.T) {
		lab.Require(t, "named")
		bd := lab.BIND(t, lab.Options{NSID: "bind-1", Zones: []lab.Zone{{Origin: origin, Text: geoZone()}}})
		rep := runGeo(t, old.Addr, bd.Addr, parity.Options{Subnets: geoSubnets})
		dump(t, rep)
		got := map[string]bool{}
		for _, f := range rep.Findings {
			if f.Severity == parity.SevError {
				got[f.Name+" "+f.Region] = true
				if f.NSIDNew != "bind-1" {
					t.Errorf("%s from %s: nsid_new %q, want bind-1", f.Name, f.Region, f.NSIDNew)
				}
			}
		}
		want := map[string]bool{"www.parity.test. eu": true, "www.parity.test. us": true, "api.parity.test. eu": true}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("errors at %v, want %v (ap gets the default on both sides)", got, want)
		}
		notes := kinds(rep, "ecs")
		if len(notes) != 1 || notes[0].Severity != parity.SevInfo || !strings.Contains(notes[0].Detail, bd.Addr) || !strings.Contains(notes[0].Detail, "ignores EDNS Client Subnet") {
			t.Errorf("ecs notes %+v; want one info naming %s", notes, bd.Addr)
		}
	})
}

// TestParityECSProviderFeature: a name geo-routed only for a third
// region (Knot on both sides: scope 0 and the default answer from the
// first probe's two subnets) is not found client-dependent by the probe;
// named in ClientDependent (a provider-feature record), it is asked from
// every subnet and the region's difference is found.
func TestParityECSProviderFeature(t *testing.T) {
	lab.Require(t, "knotd")
	conf := func(ap string) string {
		return fmt.Sprintf("www.parity.test:\n  - net: 2001:db8:1::/48\n    A: %s\n", ap)
	}
	old := lab.Knot(t, lab.Options{GeoIP: conf("192.0.2.40"), Zones: []lab.Zone{{Origin: origin, Text: geoZone()}}})
	nw := lab.Knot(t, lab.Options{GeoIP: conf("192.0.2.41"), Zones: []lab.Zone{{Origin: origin, Text: geoZone()}}})
	if rep := runGeo(t, old.Addr, nw.Addr, parity.Options{Subnets: geoSubnets}); !rep.OK() {
		t.Fatalf("the first probe (eu, us) found the ap difference: %+v", rep.Findings)
	}
	rep := runGeo(t, old.Addr, nw.Addr, parity.Options{Subnets: geoSubnets, ClientDependent: []string{"WWW.parity.test"}})
	dump(t, rep)
	var errs []parity.Finding
	for _, f := range rep.Findings {
		if f.Severity == parity.SevError {
			errs = append(errs, f)
		}
	}
	if len(errs) != 1 || errs[0].Name != "www.parity.test." || errs[0].Region != "ap" || errs[0].Subnet != "2001:db8:1::/48" {
		t.Errorf("errors %+v; want www A from ap (2001:db8:1::/48)", errs)
	}
}
