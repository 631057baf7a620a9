package parityrun

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		{name: "an unknown zone", in: Input{Config: cfg, Names: []string{"c.test."}}, err: "--zone: "},
		{name: "a side without nameservers", in: Input{Config: noNS}, err: "no --new and no providers.new.nameservers in " + noNS},
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
