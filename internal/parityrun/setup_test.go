package parityrun

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/provider"
	_ "github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	_ "github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/shard"
)

// TestNew: which zone files and servers a run takes from the command line
// and dnsparity.yaml, and what it refuses.
func TestNew(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	zoneText := "$TTL 300\n@ IN SOA ns1 host 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
	a := write("a.test.zone", zoneText)
	b := write("b.test.zone", zoneText)
	cfg := write("dnsparity.yaml", "zones:\n  - name: a.test.\n    file: a.test.zone\n  - name: b.test.\n    file: b.test.zone\n"+
		"providers:\n  old: {type: rfc2136, server: 127.0.0.1, nameservers: [192.0.2.10]}\n  new: {type: rfc2136, server: 127.0.0.1, nameservers: [\"192.0.2.20:5300\"]}\n")
	noNS := write("nons.yaml", "zones:\n  - name: a.test.\n    file: a.test.zone\nproviders:\n  old: {type: rfc2136, server: 127.0.0.1, nameservers: [192.0.2.10]}\n")
	noProviders := write("noproviders.yaml", "zones:\n  - name: a.test.\n    file: a.test.zone\n")
	// A nameserver given as a name, no resolver: refused at the entry's
	// line, before the provider is built (cloudflare: its token unset).
	named := write("named.yaml", "zones:\n  - name: a.test.\n    file: a.test.zone\nproviders:\n  old: {type: rfc2136, server: 127.0.0.1, nameservers: [192.0.2.10]}\n"+
		"  new:\n    type: cloudflare\n    api_key_env: CF_TOKEN_UNSET\n    nameservers:\n      - 192.0.2.20\n      - ns2.example.net\n")
	resolver := "192.0.2.9"
	getenv := func(string) string { return "" }
	jobs := func(s *Setup) string {
		var out []string
		for _, j := range s.Jobs {
			out = append(out, filepath.Base(j.File)+"@"+j.Origin)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		name       string
		in         Input
		jobs       string
		olds, news string
		err        string
	}{
		{name: "every zone of the config, each side's nameservers", in: Input{Config: cfg},
			jobs: "a.test.zone@a.test. b.test.zone@b.test.", olds: "192.0.2.10", news: "192.0.2.20:5300"},
		{name: "a zone by name, a side given", in: Input{Config: cfg, Names: []string{"B.TEST."}, Olds: []string{"192.0.2.99"}},
			jobs: "b.test.zone@b.test.", olds: "192.0.2.99", news: "192.0.2.20:5300"},
		{name: "a file named by --zone takes its origin", in: Input{Files: []string{a}, Names: []string{"x.test."}, Olds: []string{"192.0.2.1"}, News: []string{"192.0.2.2"}},
			jobs: "a.test.zone@x.test.", olds: "192.0.2.1", news: "192.0.2.2"},
		{name: "two files keep their own origins", in: Input{Files: []string{a, b}, Names: []string{"x.test."}, Olds: []string{"192.0.2.1"}, News: []string{"192.0.2.2"}},
			jobs: "a.test.zone@ b.test.zone@", olds: "192.0.2.1", news: "192.0.2.2"},
		{name: "a nameserver by name, no resolver", in: Input{Config: named}, err: named + ":11: providers.new.nameservers: ns2.example.net is a name and parity.resolver is not set"},
		{name: "a nameserver by name, --resolver given", in: Input{Config: named, Olds: []string{"192.0.2.1"}, News: []string{"ns2.example.net"}, Set: parity.Settings{Resolver: &resolver}},
			jobs: "a.test.zone@a.test.", olds: "192.0.2.1", news: "ns2.example.net"},
		{name: "an unknown zone", in: Input{Config: cfg, Names: []string{"c.test."}}, err: cfg + ":1: zone c.test. is not under zones:"},
		// At the line of providers: (the side is missing), else line 1:
		// before, no line.
		{name: "a side without nameservers", in: Input{Config: noNS}, err: noNS + ":4: no --new and no providers.new.nameservers in " + noNS},
		{name: "no providers", in: Input{Config: noProviders}, err: noProviders + ":1: no --old and no providers.old.nameservers in " + noProviders},
		// --shard and --zone: the zone is taken within the shard of the
		// split of every zone (shard.Select, as check, plan and push): a
		// zone of another shard is that error, not "not under zones:".
		{name: "a zone of the shard", in: Input{Config: cfg, Names: []string{"b.test."}, Shard: &shard.Spec{I: 2, N: 2}},
			jobs: "b.test.zone@b.test.", olds: "192.0.2.10", news: "192.0.2.20:5300"},
		{name: "a zone of another shard", in: Input{Config: cfg, Names: []string{"b.test."}, Shard: &shard.Spec{I: 1, N: 2}},
			err: "--zone b.test.: zone b.test. is not in shard 1/2 of the config's zones"},
		{name: "--shard with --file", in: Input{Config: cfg, Files: []string{a}, Shard: &shard.Spec{I: 1, N: 2}}, err: "--shard takes the zones of dnsparity.yaml: no --file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(context.Background(), tc.in, getenv)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := jobs(s); got != tc.jobs {
				t.Errorf("jobs = %q, want %q", got, tc.jobs)
			}
			if tc.in.Shard != nil {
				var claimed []string
				for _, z := range s.ShardZones {
					claimed = append(claimed, filepath.Base(s.Cfg.ZoneFile(z))+"@"+z.Name)
				}
				if got := strings.Join(claimed, " "); got != tc.jobs {
					t.Errorf("shard zones = %q, want %q", got, tc.jobs)
				}
			}
			// The config keeps the zones taken, and finds them by name
			// (SetZones: its index follows); the others are not under it.
			if s.Cfg != nil && len(tc.in.Names) > 0 {
				for _, z := range s.Cfg.Zones {
					if got, err := s.Cfg.Zone(z.Name); err != nil || got != z {
						t.Errorf("after the run took its zones: Cfg.Zone(%s) = %+v, %v", z.Name, got, err)
					}
				}
				if _, err := s.Cfg.Zone("a.test."); len(s.Cfg.Zones) == 1 && s.Cfg.Zones[0].Name == "b.test." && (err == nil || !strings.Contains(err.Error(), "is not under zones:")) {
					t.Errorf("after the run took b.test.: Cfg.Zone(a.test.) = %v, want not under zones:", err)
				}
			}
			if got := strings.Join(s.Olds, " "); got != tc.olds {
				t.Errorf("olds = %q, want %q", got, tc.olds)
			}
			if got := strings.Join(s.News, " "); got != tc.news {
				t.Errorf("news = %q, want %q", got, tc.news)
			}
		})
	}
}

// TestSideNameserversManyZones: parity over many zones with a side
// whose servers are not in the config (no providers.old.nameservers)
// asks its provider for each zone's nameservers (provider.Side's
// Nameservers). It looked each zone up by name, one after the other: at
// Cloudflare 120 zones were 120 lookups (GET zones?name=) where one
// listing of the account's zones finds them all, as plan and push have
// them found (provider.ZonesAhead: GET /zones, 50 a page); at DNS Made
// Easy, which finds a domain by name only, 40 lookups one at a time.
// Each fake is 5 ms away and counts the requests in flight at once
// (fakeapi.Kit.Enter).
func TestSideNameserversManyZones(t *testing.T) {
	type fake struct {
		yaml string
		env  map[string]string
		kit  *fakeapi.Kit
	}
	for _, tc := range []struct {
		name   string
		zones  int
		start  func(t *testing.T, names []string) fake
		listed bool // the provider lists the account's zones at once
	}{
		{"cloudflare", 120, func(t *testing.T, names []string) fake {
			s := cftest.New("cf-ns-token")
			t.Cleanup(s.Close)
			for _, n := range names {
				s.AddZone(n)
			}
			return fake{"type: cloudflare\n    url: " + s.APIURL() + "\n    api_key_env: CF_TOKEN", map[string]string{"CF_TOKEN": "cf-ns-token"}, &s.Kit}
		}, true},
		{"dnsmadeeasy", 40, func(t *testing.T, names []string) fake {
			s := dmetest.New("dme-ns-key", "dme-ns-secret")
			s.Limit = 1 << 20 // not refused: the client's pace is sped up below
			t.Cleanup(s.Close)
			for _, n := range names {
				s.AddZone(n)
			}
			return fake{"type: dnsmadeeasy\n    url: " + s.APIURL() + "\n    api_key_env: DME_KEY\n    secret_key_env: DME_SECRET",
				map[string]string{"DME_KEY": "dme-ns-key", "DME_SECRET": "dme-ns-secret"}, &s.Kit}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var names []string
			cfg := "zones:\n"
			for i := range tc.zones {
				n := fmt.Sprintf("z%03d.ns.test", i)
				names = append(names, n)
				cfg += "  - name: " + n + ".\n    file: " + n + ".zone\n"
				if err := os.WriteFile(filepath.Join(dir, n+".zone"), []byte("$ORIGIN "+n+".\n@ 300 SOA ns1 h 1 2 3 4 5\n@ 300 NS ns1\nns1 300 A 192.0.2.1\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			f := tc.start(t, names)
			f.kit.Latency = 5 * time.Millisecond
			path := filepath.Join(dir, "dnsparity.yaml")
			if err := os.WriteFile(path, []byte(cfg+"providers:\n  old:\n    "+f.yaml+"\n  new:\n    type: rfc2136\n    server: 192.0.2.2\n    nameservers: [192.0.2.2]\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			getenv := func(k string) string { return f.env[k] }
			// The account's limiter, which the run's provider shares,
			// sped up as the fake's limit is lifted.
			c, err := config.Load(path)
			if err == nil {
				err = c.Resolve(getenv, "old")
			}
			var p provider.Provider
			if err == nil {
				p, err = provider.New(c.Providers["old"])
			}
			if err != nil {
				t.Fatal(err)
			}
			p.(interface{ Limiter() *httpretry.Limiter }).Limiter().SetSpeed(1000)
			r, err := New(context.Background(), Input{Config: path}, getenv)
			if err != nil || len(r.Olds) == 0 {
				t.Fatalf("parity setup: %v, old servers %v", err, r.Olds)
			}
			n, most := f.kit.Count("GET zones"), f.kit.MostInFlight()
			t.Logf("%d zones: requests %s, at most %d in flight", tc.zones, f.kit.Counts(), most)
			if tc.listed && n >= tc.zones {
				t.Errorf("%d zones' nameservers: %d requests for zones, want the account's zones listed once, not a lookup per zone; requests: %s", tc.zones, n, f.kit.Counts())
			}
			if !tc.listed && most < 2 {
				t.Errorf("%d zones' nameservers: at most %d request in flight, want several at once; requests: %s", tc.zones, most, f.kit.Counts())
			}
		})
	}
}

// TestServerFlagsFirst: an --old or --new that is no server (a bad port,
// no host) is a usage error of that flag, said before any zone file or
// config is read: it was found only when the zone's run began, after the
// "parity ZONE: old ..." line, as the zone's "could not run" report
// ("ERROR: example.com.: old server \"192.0.2.1:abc\": bad port").
func TestServerFlagsFirst(t *testing.T) {
	for _, tc := range []struct {
		olds, news []string
		want       string // "": no error from the flags
	}{
		{[]string{"192.0.2.1:abc"}, []string{"192.0.2.2"}, `--old: old server "192.0.2.1:abc": bad port`},
		{[]string{"192.0.2.1"}, []string{"192.0.2.2", ":53"}, `--new: new server ":53" is neither an IP address nor a host name`},
		{[]string{"192.0.2.1:70000"}, []string{"a..b"}, `--old: old server "192.0.2.1:70000": bad port` + "\n" + `--new: new server "a..b" is neither`},
		{[]string{"2001:db8::1", "[2001:db8::2]:5353"}, []string{"ns1.example.net"}, ""},
	} {
		// A file that is not there: any error about it comes after the flags'.
		_, err := New(context.Background(), Input{Files: []string{"missing.zone"}, Olds: tc.olds, News: tc.news}, func(string) string { return "" })
		switch {
		case tc.want == "" && err != nil && strings.Contains(err.Error(), "server"):
			t.Errorf("%v %v: %v", tc.olds, tc.news, err)
		case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
			t.Errorf("%v %v: error %v, want it to start %q", tc.olds, tc.news, err, tc.want)
		}
	}
}
