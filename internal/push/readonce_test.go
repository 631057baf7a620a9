package push

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/progress"
	_ "github.com/dnsparity/dnsparity/internal/provider/cloudflare"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
)

// rewriteOnPlan rewrites a file with text when the zones' planning starts
// (the "planned" tally): after the zone files were checked, before any is
// planned; a push to the branch, or anything else writing the checkout,
// between the two.
type rewriteOnPlan struct {
	path, text string
	err        error
}

func (r *rewriteOnPlan) Start(label string, _ int) progress.Task {
	if label == "planned" {
		r.err = os.WriteFile(r.path, []byte(r.text), 0o644)
	}
	return nopTask{}
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
