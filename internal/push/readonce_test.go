package push

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/progress"
	_ "github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// rewriteOnPlan rewrites a file with text when the first zone is read
// from a provider (the "reading zone" task of Prepare): after that zone's
// file was checked, before it is planned; a push to the branch, or
// anything else writing the checkout, between the two.
type rewriteOnPlan struct {
	path, text string
	done       bool
	err        error
}

func (r *rewriteOnPlan) Start(label string, _ int) progress.Task {
	if strings.HasPrefix(label, "reading zone ") && !r.done {
		r.done = true
		r.err = os.WriteFile(r.path, []byte(r.text), 0o644)
	}
	return nopTask{}
}

// cloudflareRepo writes a config of n zones z00.test., z01.test., …
// (each at the fake cf, its file text(i, name)) with the provider new at
// cf, in dir, and returns the config's path and an environment holding
// the fake's token.
func cloudflareRepo(t *testing.T, cf *cftest.Server, dir string, n int, text func(i int, name string) string) (string, func(string) string) {
	t.Helper()
	cfg := "zones:\n"
	for i := range n {
		name := fmt.Sprintf("z%02d.test", i)
		cf.AddZone(name)
		cfg += "  - name: " + name + ".\n    file: " + name + ".zone\n"
		if err := os.WriteFile(filepath.Join(dir, name+".zone"), []byte(text(i, name)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg += "providers:\n  new:\n    type: cloudflare\n    url: " + cf.APIURL() + "\n    api_key_env: CF_TOKEN\n"
	path := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, func(k string) string { return map[string]string{"CF_TOKEN": "cf-test-token"}[k] }
}

type nopTask struct{}

func (nopTask) Update(int) {}
func (nopTask) Stop()      {}

// TestPlanIsOfTheCheckedZone: plan and push read each zone file once; the
// zone planned is the zone checked. Before, Setup read every zone file
// twice (ZoneFileErrors, then planZone again), and a file changed between
// the two was planned unchecked: here a zone file rewritten after the
// check, without its NS records (an error of check, which stops a plan)
// and with another address, planned that address at Cloudflare (the fake
// follows https://developers.cloudflare.com/api/resources/dns/subresources/records/methods/list/).
func TestPlanIsOfTheCheckedZone(t *testing.T) {
	cf := cftest.New("cf-test-token")
	defer cf.Close()
	cf.AddZone("example.test")
	dir := t.TempDir()
	zonePath := filepath.Join(dir, "example.test.zone")
	good := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ada.ns.cloudflare.com.\n@ NS bob.ns.cloudflare.com.\nwww A 192.0.2.1\n"
	cfg := "zones:\n  - name: example.test.\n    file: example.test.zone\nproviders:\n  new:\n    type: cloudflare\n    url: " + cf.APIURL() + "\n    api_key_env: CF_TOKEN\n"
	for path, text := range map[string]string{zonePath: good, filepath.Join(dir, "dnsparity.yaml"): cfg} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The rewritten file: no NS at the apex, another address.
	rw := &rewriteOnPlan{path: zonePath, text: "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\nwww A 192.0.2.99\n"}
	getenv := func(k string) string { return map[string]string{"CF_TOKEN": "cf-test-token"}[k] }
	targets, _, f := Setup(context.Background(), Options{Command: "plan", Config: filepath.Join(dir, "dnsparity.yaml"), Providers: []string{"new"}, Getenv: getenv, Stderr: io.Discard, Progress: rw})
	if rw.err != nil {
		t.Fatal(rw.err)
	}
	if f != nil || len(targets) != 1 {
		t.Fatalf("plan: %d targets, failure %+v", len(targets), f)
	}
	for _, c := range targets[0].Plan.Changes {
		if c.New != nil && slices.Contains(c.New.Strings(), "192.0.2.99") {
			t.Errorf("planned %v %s %v: the file as rewritten after the check, not the zone checked", c.Action, c.Name, c.New.Strings())
		}
	}
	d := targets[0].Desired
	if d == nil {
		t.Fatalf("no zone planned: %+v", targets[0].Plan)
	}
	if www := d.Get("www.example.test.", dns.TypeA); www == nil || !slices.Equal(www.Strings(), []string{"192.0.2.1"}) {
		t.Errorf("planned www: %v, want the checked 192.0.2.1", www)
	}
}

// TestPlanAsSoonAsChecked: each zone is planned as soon as it is checked,
// a few at once (Fanout), not once every zone file has been read: a run
// over 10,000 zones held every one of them, checked, until it was planned
// (plan's peak RSS 83 -> 153 MiB when the files were read once). Here the
// last of 40 zone files is rewritten when the first zone is read from the
// provider: the run has not read it yet, so its plan is of the file as
// rewritten (before, of the file as it was: every file had been read).
func TestPlanAsSoonAsChecked(t *testing.T) {
	const zones = 40
	cf := cftest.New("cf-test-token")
	defer cf.Close()
	dir := t.TempDir()
	text := func(name, addr string) string {
		return "$ORIGIN " + name + ".\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ada.ns.cloudflare.com.\n@ NS bob.ns.cloudflare.com.\nwww A " + addr + "\n"
	}
	cfgPath, getenv := cloudflareRepo(t, cf, dir, zones, func(_ int, name string) string { return text(name, "192.0.2.1") })
	last := filepath.Join(dir, fmt.Sprintf("z%02d.test.zone", zones-1))
	rw := &rewriteOnPlan{path: last, text: text(fmt.Sprintf("z%02d.test", zones-1), "192.0.2.99")}
	targets, _, f := Setup(context.Background(), Options{Command: "plan", Config: cfgPath, Providers: []string{"new"}, Getenv: getenv, Stderr: io.Discard, Progress: rw})
	if rw.err != nil || !rw.done {
		t.Fatalf("rewrite: done %v, %v", rw.done, rw.err)
	}
	if f != nil || len(targets) != zones {
		t.Fatalf("plan: %d targets, failure %+v", len(targets), f)
	}
	www := targets[zones-1].Desired.Get(fmt.Sprintf("www.z%02d.test.", zones-1), dns.TypeA)
	if www == nil || !slices.Equal(www.Strings(), []string{"192.0.2.99"}) {
		t.Errorf("the last zone planned with www %v: its file was read before the first zone was planned (every zone held, checked, until planned)", www.Strings())
	}
}

// TestPlanStopsAtZoneErrors: once a zone file is found with errors, no
// zone more is planned (nothing more is asked of a provider), every zone
// file is still checked and each error reported, and nothing is planned:
// the zone files' errors first (exit 1). Only the zones already in
// flight (Fanout's 8) can have been read from the provider.
func TestPlanStopsAtZoneErrors(t *testing.T) {
	const zones = 40
	cf := cftest.New("cf-test-token")
	defer cf.Close()
	dir := t.TempDir()
	cfgPath, getenv := cloudflareRepo(t, cf, dir, zones, func(i int, name string) string {
		if i == 2 || i == zones-1 {
			return "$ORIGIN " + name + ".\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\nwww A 192.0.2.1\n" // no NS: an error
		}
		return "$ORIGIN " + name + ".\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n@ NS ada.ns.cloudflare.com.\nwww A 192.0.2.1\n"
	})
	targets, _, f := Setup(context.Background(), Options{Command: "plan", Config: cfgPath, Providers: []string{"new"}, Getenv: getenv, Stderr: io.Discard})
	if f == nil || f.Code != 1 || targets != nil {
		t.Fatalf("plan with zone errors: %d targets, failure %+v, want exit 1 and no plan", len(targets), f)
	}
	files := map[string]bool{}
	for _, p := range f.Problems {
		files[filepath.Base(p.Pos.File)] = true
	}
	if !files["z02.test.zone"] || !files[fmt.Sprintf("z%02d.test.zone", zones-1)] {
		t.Errorf("problems %v: want both broken files', the last one's too", f.Problems)
	}
	if n := cf.Count("GET records"); n > 8 {
		t.Errorf("%d zones read from the provider after a zone file was found with errors, want at most the 8 in flight; requests: %s", n, cf.Counts())
	}
}
