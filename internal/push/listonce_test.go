package push

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	_ "github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
)

// listingFake is one API fake whose provider lists the zone inside Apply
// (for the ids of the records it changes): its provider's settings, the
// apex NS its zones are served with, its counters of record listings and
// writes, and how to add a zone (its id) and add or delete a record of
// it directly (another writer).
type listingFake struct {
	yaml        string
	env         map[string]string
	speed       float64 // the client's pace sped up (0: as it is), where the fake's limit is lifted
	ns          [2]string
	kit         *fakeapi.Kit
	list, write string // the counters
	add         func(zone string) (id string)
	seed        func(id, zone, addr string) (rec string) // www A addr, TTL 300
	del         func(id, zone, rec string)
	close       func()

	ids, www map[string]string // by zone: its id, its www record's
}

// addWWW adds the zone z with www A addr.
func (f *listingFake) addWWW(z, addr string) {
	if f.ids == nil {
		f.ids, f.www = map[string]string{}, map[string]string{}
	}
	f.ids[z] = f.add(z)
	f.www[z] = f.seed(f.ids[z], z, addr)
}

// moveWWW replaces z's www by www A addr.
func (f *listingFake) moveWWW(z, addr string) {
	f.del(f.ids[z], z, f.www[z])
	f.www[z] = f.seed(f.ids[z], z, addr)
}

func (f *listingFake) reset() {
	f.kit.Mu.Lock()
	defer f.kit.Mu.Unlock()
	f.kit.ResetCountsLocked()
}

func cloudflareListing() *listingFake {
	s := cftest.New("cf-list-token")
	return &listingFake{
		yaml: fmt.Sprintf("    type: cloudflare\n    url: %s\n    api_key_env: CF_TOKEN\n", s.APIURL()),
		env:  map[string]string{"CF_TOKEN": "cf-list-token"},
		ns:   [2]string{"ada.ns.cloudflare.com.", "bob.ns.cloudflare.com."},
		kit:  &s.Kit, list: "GET records", write: "POST batch",
		add: func(z string) string { return s.AddZone(z) },
		seed: func(id, z, addr string) string {
			s.Seed(id, cftest.Record{Name: "www." + z, Type: "A", Content: addr, TTL: 300})
			rs := s.Records(id)
			return rs[len(rs)-1].ID
		},
		del:   func(id, _, rec string) { s.Delete(id, rec) },
		close: s.Close,
	}
}

func dnsMadeEasyListing() *listingFake {
	s := dmetest.New("dme-list-key", "dme-list-secret")
	s.Limit = 1 << 20 // not refused: the client's pace is sped up (speed)
	return &listingFake{
		yaml:  fmt.Sprintf("    type: dnsmadeeasy\n    url: %s\n    api_key_env: DME_KEY\n    secret_key_env: DME_SECRET\n", s.APIURL()),
		env:   map[string]string{"DME_KEY": "dme-list-key", "DME_SECRET": "dme-list-secret"},
		speed: 100,
		ns:    [2]string{"ns10.dnsmadeeasy.com.", "ns11.dnsmadeeasy.com."},
		kit:   &s.Kit, list: "list", write: "write",
		add: func(z string) string { return strconv.Itoa(s.AddZone(z)) },
		seed: func(id, _, addr string) string {
			return strconv.Itoa(s.Seed(atoi(id), dmetest.Record{Name: "www", Type: "A", Value: addr, TTL: 300}))
		},
		del:   func(id, _, rec string) { s.Delete(atoi(id), atoi(rec)) },
		close: s.Close,
	}
}

func clouDNSListing() *listingFake {
	s := cloudnstest.New("4343", "", "cloudns-list-password")
	return &listingFake{
		yaml: fmt.Sprintf("    type: cloudns\n    url: %s\n    auth_id: \"4343\"\n    api_key_env: CLOUDNS_PASSWORD\n", s.URL),
		env:  map[string]string{"CLOUDNS_PASSWORD": "cloudns-list-password"},
		ns:   [2]string{"pns41.cloudns.net.", "pns42.cloudns.com."},
		kit:  &s.Kit, list: "list", write: "write",
		add: func(z string) string { s.AddZone(z); return z },
		seed: func(_, z, addr string) string {
			return s.Seed(z, cloudnstest.Record{Type: "A", Host: "www", Record: addr, TTL: "300"})
		},
		del:   func(_, z, rec string) { s.Delete(z, rec) },
		close: s.Close,
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// TestPushListsOnce: a push with changes lists each changed zone twice at
// a provider whose Apply lists the zone for its records' ids (Cloudflare,
// DNS Made Easy, ClouDNS): once to plan, once just before the change,
// where that one listing both guards against another writer (the plan
// made again from it must be the plan pushed) and gives Apply the ids.
// It was three times: push's re-read (recheck), then Apply's own listing
// right after it. And a zone whose www moved at the provider between the
// plan and the push is still refused, nothing written to it, the other
// zones pushed (each fake keeps state and counts requests as its API's
// rate limit does: developers.cloudflare.com/fundamentals/api/reference/limits/,
// api-docs.dnsmadeeasy.com "Request Limits", ClouDNS's API help "Limits").
func TestPushListsOnce(t *testing.T) {
	const zones = 5
	for name, mk := range map[string]func() *listingFake{"cloudflare": cloudflareListing, "dnsmadeeasy": dnsMadeEasyListing, "cloudns": clouDNSListing} {
		t.Run(name, func(t *testing.T) {
			f := mk()
			defer f.close()
			dir := t.TempDir()
			cfg := "zones:\n"
			for i := range zones {
				z := fmt.Sprintf("z%d.list.test", i)
				f.addWWW(z, "198.51.100.1")
				text := fmt.Sprintf("$ORIGIN %s.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS %s\n@ NS %s\nwww A 192.0.2.%d\n", z, f.ns[0], f.ns[1], i+1)
				if err := os.WriteFile(filepath.Join(dir, z+".zone"), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				cfg += "  - name: " + z + ".\n    file: " + z + ".zone\n"
			}
			cfgPath := filepath.Join(dir, "dnsparity.yaml")
			if err := os.WriteFile(cfgPath, []byte(cfg+"providers:\n  new:\n"+f.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			getenv := func(k string) string { return f.env[k] }
			if f.speed > 0 {
				accountLimiter(t, cfgPath, getenv).SetSpeed(f.speed)
			}
			for _, run := range []struct {
				name  string
				moved string // the zone whose www another writer moves before the push
				want  int    // exit
			}{
				{"moved", "z3.list.test", cli.ExitProblem},
				{"pushed", "", cli.ExitOK},
			} {
				f.reset()
				var errb strings.Builder
				// The moved zone alone: a failed zone cancels the others'
				// pushes under way (their exit would be 2).
				var only []string
				if run.moved != "" {
					only = []string{run.moved + "."}
				}
				targets, _, fl := Setup(context.Background(), Options{Command: "push", Config: cfgPath, Providers: []string{"new"}, Zones: only, Getenv: getenv, Stderr: &errb})
				if fl != nil {
					t.Fatalf("%s: plan: %+v\n%s", run.name, fl, errb.String())
				}
				entries, blocked := Check(targets, plan.Policy{MaxChangePercent: 100})
				if blocked {
					t.Fatalf("%s: blocked: %+v", run.name, entries)
				}
				writes := 0
				exit, msg := Run(context.Background(), targets, entries, Options{Stderr: &errb, BeforeApply: func(_, z string) {
					if strings.TrimSuffix(z, ".") == run.moved {
						writes = f.kit.Count(f.write)
						f.moveWWW(run.moved, "203.0.113.9")
					}
				}})
				if exit != run.want {
					for _, e := range entries {
						t.Logf("%s %s: %s", e.Plan.Zone, run.name, e.Error)
					}
					t.Fatalf("%s: exit %d, want %d: %s", run.name, exit, run.want, msg)
				}
				for i, tg := range targets {
					e := entries[i]
					moved := strings.TrimSuffix(tg.Plan.Zone, ".") == run.moved
					switch {
					case moved && (e.Applied != 0 || !strings.Contains(e.Error, "changed at the provider since the plan")):
						t.Errorf("%s: zone %s moved before the push: applied %d, error %q; want it refused", run.name, tg.Plan.Zone, e.Applied, e.Error)
					case !moved && e.Error != "" && !strings.HasPrefix(e.Error, "not pushed: "):
						t.Errorf("%s: zone %s: %s", run.name, tg.Plan.Zone, e.Error)
					}
				}
				if run.moved != "" && f.kit.Count(f.write) != writes {
					t.Errorf("%s: %d writes after %s moved, want none to it", run.name, f.kit.Count(f.write)-writes, run.moved)
				}
				pushed := 0
				for _, e := range entries {
					if e.Applied > 0 {
						pushed++
					}
				}
				// Per zone: the plan's listing, and the one before the
				// change of each zone that reached it.
				reached := pushed
				if run.moved != "" {
					reached++
				}
				if got, want := f.kit.Count(f.list), len(targets)+reached; got != want {
					t.Errorf("%s: %d record listings for %d zones, %d of them changed: want %d (one to plan each, one before each change)", run.name, got, len(targets), reached, want)
				}
			}
		})
	}
}
