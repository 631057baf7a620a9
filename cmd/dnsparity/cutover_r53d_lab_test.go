package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains/r53dtest"
)

// TestCutoverRoute53Domains: flip and rollback through the route53domains
// registrar. The domain is registered at a fake Route 53 Domains API; when
// one of its operations completes, the fake "registry" publishes the
// delegation in the lab's parent zone (BIND), as a TLD registry does, so
// the gates, the propagation watch and the resolvers work on real DNS.
func TestCutoverRoute53Domains(t *testing.T) {
	l := newCoLab(t)
	ctx := context.Background()

	// The registry side: publish into test. through the parent registrar.
	pcfg, err := config.Load(l.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := pcfg.Resolve(func(k string) string { return l.env[k] }, "parent"); err != nil {
		t.Fatal(err)
	}
	publish, err := parent.FromConfig(pcfg.Registrar, registrar.Env{Config: pcfg})
	if err != nil {
		t.Fatal(err)
	}
	api := r53dtest.New("AKIDCUTOVER", "cutover-domains-secret")
	defer api.Close()
	api.PendingPolls = 0
	api.AddDomainNS("example.test", r53dtest.Nameserver{Name: "ns1.old.example.test", GlueIps: []string{l.oldIP}})
	api.OnPublish = func(domain string, ns []r53dtest.Nameserver, _ []r53dtest.Key) {
		d := registrar.Delegation{Glue: map[string][]string{}}
		for _, n := range ns {
			name := dns.Fqdn(n.Name)
			d.NS = append(d.NS, name)
			if len(n.GlueIps) > 0 {
				d.Glue[name] = n.GlueIps
			}
		}
		if err := publish.SetDelegation(ctx, coOrigin, d); err != nil {
			t.Errorf("registry publishing %v: %v", d, err)
		}
	}
	l.env["R53D_KEY"], l.env["R53D_SECRET"] = "AKIDCUTOVER", "cutover-domains-secret"
	b, err := os.ReadFile(l.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(b), "registrar:\n  type: parent\n  zone: test.\n  provider: parent\n",
		"registrar:\n  type: route53domains\n  url: "+api.URL+"\n  access_key_id_env: R53D_KEY\n  secret_access_key_env: R53D_SECRET\n", 1)
	if cfg == string(b) {
		t.Fatal("config has no parent registrar to replace")
	}
	cfgPath := l.dir + "/r53d.yaml"
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}

	code, rep, stderr := l.run(t, cfgPath, "status")
	if code != exitOK || rep.Delegation.PointsTo != "old" {
		t.Fatalf("status: exit %d points_to %s errors %v\n%s", code, rep.Delegation.PointsTo, rep.Errors, stderr)
	}

	// Pre-stage and wait out the old TTLs, as for any flip.
	l.ttl, l.serial = coPrestage, l.serial+1
	l.writeGit(t)
	l.reloadOld(t, "192.0.2.10")
	l.new.Reload(t, l.side("new", "192.0.2.10"))
	if code, rep, stderr := l.run(t, cfgPath, "status"); code != exitOK { // the trail notes the lowered TTLs
		t.Fatalf("status: exit %d errors %v\n%s", code, rep.Errors, stderr)
	}
	time.Sleep(coHighTTL*time.Second + 500*time.Millisecond)

	code, rep, stderr = l.run(t, cfgPath, "flip")
	if code != exitOK || rep.Result != cutover.ResultDone || rep.Delegation.PointsTo != "new" {
		t.Fatalf("flip: exit %d %s points_to %s gates %+v errors %v\n%s", code, rep.Result, rep.Delegation.PointsTo, rep.Gates, rep.Errors, stderr)
	}
	ns := api.Nameservers("example.test")
	if len(ns) != 1 || ns[0].Name != "ns1.new.example.test" || strings.Join(ns[0].GlueIps, ",") != l.newIP {
		t.Errorf("registrar after the flip: %+v", ns)
	}
	if got := l.parentNS(t); got != "ns1.new.example.test." {
		t.Errorf("parent NS after the flip: %q", got)
	}
	if api.Count("UpdateDomainNameservers") != 1 || api.Count("GetOperationDetail") < 1 {
		t.Errorf("API calls: update %d, polls %d", api.Count("UpdateDomainNameservers"), api.Count("GetOperationDetail"))
	}
	if rep.Watch == nil || !rep.Watch.AllMoved {
		t.Errorf("watch: %+v", rep.Watch)
	}

	code, rep, stderr = l.run(t, cfgPath, "rollback")
	if code != exitOK || rep.Result != cutover.ResultDone || rep.Delegation.PointsTo != "old" {
		t.Fatalf("rollback: exit %d %s gates %+v errors %v\n%s", code, rep.Result, rep.Gates, rep.Errors, stderr)
	}
	ns = api.Nameservers("example.test")
	if len(ns) != 1 || ns[0].Name != "ns1.old.example.test" || strings.Join(ns[0].GlueIps, ",") != l.oldIP {
		t.Errorf("registrar after the rollback: %+v", ns)
	}
	if got := l.parentNS(t); got != "ns1.old.example.test." {
		t.Errorf("parent NS after the rollback: %q", got)
	}

	// The registry refuses the next change: flip fails with exit 2 and
	// says so; the delegation stays with old.
	api.FailNext("UPDATE_NAMESERVER", "registry maintenance")
	code, rep, stderr = l.run(t, cfgPath, "flip")
	if code != exitError || !strings.Contains(strings.Join(rep.Errors, " ")+stderr, "registry maintenance") {
		t.Errorf("flip with a failing registry: exit %d errors %v\n%s", code, rep.Errors, stderr)
	}
	if got := l.parentNS(t); got != "ns1.old.example.test." {
		t.Errorf("parent NS after a failed flip: %q", got)
	}
}
