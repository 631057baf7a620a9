package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/report"
)

// pdnsEnv is a repository whose only provider is an empty PowerDNS.
func pdnsEnv(t *testing.T, provider string) (*pushEnv, *lab.PowerDNS) {
	t.Helper()
	lab.Require(t, "pdns_server")
	srv := lab.PDNS(t, lab.Options{})
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	e := &pushEnv{dir: dir, env: map[string]string{"PDNS_KEY": srv.APIKey}, zone: filepath.Join(dir, "zones", "example.com.zone")}
	e.writeZone(t, readTestdata(t, "example.com.zone"))
	cfg := fmt.Sprintf("zones:\n  - {name: example.com., file: zones/example.com.zone}\nproviders:\n  new:\n    type: powerdns\n    url: %s\n    api_key_env: PDNS_KEY\n%s", srv.APIURL, provider)
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return e, srv
}

// apexAnswer is the answer section a server gives for the push zone's
// apex and qtype.
func apexAnswer(t *testing.T, addr string, qtype uint16) []dns.RR {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(pushOrigin, qtype)
	r, err := dns.Exchange(m, addr)
	if err != nil {
		t.Fatal(err)
	}
	return r.Answer
}

func apexNS(t *testing.T, addr string) []string {
	t.Helper()
	var out []string
	for _, rr := range apexAnswer(t, addr, dns.TypeNS) {
		if ns, ok := rr.(*dns.NS); ok {
			out = append(out, ns.Ns)
		}
	}
	sort.Strings(out)
	return out
}

func soaMNAME(t *testing.T, addr string) string {
	t.Helper()
	for _, rr := range apexAnswer(t, addr, dns.TypeSOA) {
		if soa, ok := rr.(*dns.SOA); ok {
			return soa.Ns
		}
	}
	t.Fatalf("no SOA from %s", addr)
	return ""
}

// TestNewZoneShowsEveryRRset: the plan of a zone to be created lists what
// the creation writes (SOA, apex NS) beside the rest, and says where the
// apex NS come from; with manage_apex false and no nameservers of the
// provider's own, the zone file's apex NS are a reported choice. The SOA's
// MNAME is the side's own primary name, as its apex NS are (its first
// delegation name, else its first configured nameserver name), not the
// old provider's that git's SOA names; only without either it is git's.
func TestNewZoneShowsEveryRRset(t *testing.T) {
	for _, tc := range []struct {
		name     string
		provider string
		ns       string // the apex NS the new zone gets
		mname    string // its SOA MNAME
		note     string
		warn     bool
	}{
		{"provider's own nameservers", "    nameservers: [ns1.pdns.example.net., ns2.pdns.example.net.]\n",
			"ns1.pdns.example.net.,ns2.pdns.example.net.", "ns1.pdns.example.net.", "providers.new.nameservers", false},
		{"delegation names", "    delegation: [ns1.new.example.net., ns2.new.example.net.]\n",
			"ns1.new.example.net.,ns2.new.example.net.", "ns1.new.example.net.", "providers.new.delegation", false},
		{"zone file's, reported", "",
			"ns1.example.com.,ns2.example.com.", "ns1.example.com.", "the zone file (providers.new has no nameservers names and manage_apex is false)", true},
		{"zone file's, manage_apex", "    manage_apex: true\n",
			"ns1.example.com.,ns2.example.com.", "ns1.example.com.", "the zone file (manage_apex: true)", false},
		{"zone file's with manage_apex, delegation names", "    manage_apex: true\n    delegation: [ns1.new.example.net., ns2.new.example.net.]\n",
			"ns1.example.com.,ns2.example.com.", "ns1.new.example.net.", "the zone file (manage_apex: true)", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, srv := pdnsEnv(t, tc.provider)
			code, out, errs := e.run(t, "plan")
			if code != exitOK {
				t.Fatalf("plan: exit %d\n%s\n%s", code, out, errs)
			}
			for _, want := range []string{"zone to be created with 2 RRsets", "+ example.com. SOA", "+ example.com. NS", "[with the zone]", "new zone's apex NS: " + tc.note, " " + tc.mname + " hostmaster.example.com. "} {
				if !strings.Contains(out, want) {
					t.Errorf("plan does not show %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, "warning: the new zone gets the zone file's apex NS") != tc.warn {
				t.Errorf("warning shown: %v, want %v:\n%s", !tc.warn, tc.warn, out)
			}
			code, j, errs := e.pushJSON(t)
			if code != exitOK {
				t.Fatalf("push: exit %d\n%s", code, errs)
			}
			p := j.Plans[0]
			var withZone []string
			for _, c := range p.Changes {
				if c.WithZone {
					withZone = append(withZone, c.Type+" "+strings.Join(c.New.Values, ","))
				}
				if c.Name == pushOrigin && c.Type == "NS" && !c.WithZone {
					t.Errorf("the apex NS is created twice: %+v", c)
				}
			}
			if len(withZone) != 2 || !strings.HasPrefix(withZone[0], "SOA ") || withZone[1] != "NS "+tc.ns {
				t.Errorf("with the zone: %v, want SOA and NS %s", withZone, tc.ns)
			}
			if p.Applied == nil || *p.Applied != len(p.Changes) || p.Summary["create"] != len(p.Changes) || p.WithZone != tc.note && !strings.HasPrefix(p.WithZone, tc.note) {
				t.Errorf("push: %+v", p)
			}
			if got := strings.Join(apexNS(t, srv.Addr), ","); got != tc.ns {
				t.Errorf("served apex NS %s, want %s", got, tc.ns)
			}
			if !strings.HasPrefix(withZone[0], "SOA "+tc.mname+" hostmaster.example.com. ") {
				t.Errorf("planned SOA %q, want MNAME %s", withZone[0], tc.mname)
			}
			if got := soaMNAME(t, srv.Addr); got != tc.mname {
				t.Errorf("served SOA MNAME %s, want %s", got, tc.mname)
			}
			// A second push has nothing to do: the provider's MNAME stays.
			if code, out, errs := e.run(t, "plan", "--detect-drift"); code != exitOK {
				t.Errorf("plan after the push: exit %d\n%s\n%s", code, out, errs)
			}
		})
	}
}

// TestPlanJSONOnFailure: every way plan and push stop writes JSON with an
// "error" (exit 2), or with the zone problems (exit 1).
func TestPlanJSONOnFailure(t *testing.T) {
	e, _ := pdnsEnv(t, "")
	for _, tc := range []struct {
		name  string
		setup func()
		args  []string
		code  int
		error string
	}{
		{"missing API key variable", func() { delete(e.env, "PDNS_KEY") }, []string{"plan"}, exitError, "PDNS_KEY"},
		{"unknown provider", nil, []string{"push", "--provider", "nope"}, exitError, `no provider "nope"`},
		{"unknown zone", nil, []string{"plan", "--zone", "other.example."}, exitError, `zone other.example. is not under zones`},
		{"provider down", func() {
			e.writeZone(t, readTestdata(t, "example.com.zone"))
			cfg := fmt.Sprintf("zones:\n  - {name: example.com., file: zones/example.com.zone}\nproviders:\n  new: {type: powerdns, url: 'http://%s:8081', api_key_env: PDNS_KEY}\n", lab.Addr(t))
			os.WriteFile(filepath.Join(e.dir, "dnsparity.yaml"), []byte(cfg), 0o644)
		}, []string{"push"}, exitError, "unreachable"},
		{"zone file errors", func() { e.writeZone(t, readTestdata(t, "example.com.zone")+"\nbroken IN A 999.1.2.3\n") }, []string{"plan"}, exitProblem, "zone files have errors"},
		// The checks of `dnsparity check` include the mail records: a
		// broken SPF record is not pushed either.
		{"broken SPF record", func() {
			e.writeZone(t, readTestdata(t, "example.com.zone")+"\n_spf-broken IN TXT \"v=spf1 inclde:_spf.example.net -all\"\n")
		}, []string{"push"}, exitProblem, "zone files have errors"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			saved := e.env["PDNS_KEY"]
			defer func() { e.env["PDNS_KEY"] = saved }()
			if tc.setup != nil {
				tc.setup()
			}
			code, out, errs := e.run(t, append(tc.args, "--format", "json")...)
			var j report.PlanJSON
			if err := json.Unmarshal([]byte(out), &j); err != nil {
				t.Fatalf("exit %d, no JSON (%v):\n%s\nstderr: %s", code, err, out, errs)
			}
			if code != tc.code || !strings.Contains(j.Error, tc.error) || j.Plans == nil {
				t.Errorf("exit %d, JSON %+v; want exit %d and an error with %q", code, j, tc.code, tc.error)
			}
			if tc.code == exitProblem {
				if len(j.Problems) != 1 || j.Problems[0].File != "zones/example.com.zone" || j.Problems[0].Line == 0 {
					t.Errorf("problems: %+v", j.Problems)
				}
			}
		})
	}
}

// TestPlanPathsRelative: file names in plan reports are relative to the
// repository root, as in annotations, whatever the current directory.
func TestPlanPathsRelative(t *testing.T) {
	e, _ := pdnsEnv(t, "    nameservers: [ns1.example.com.]\n")
	for _, format := range []string{"text", "json", "markdown"} {
		code, out, errs := e.run(t, "plan", "--format", format)
		if code != exitOK {
			t.Fatalf("%s: exit %d\n%s", format, code, errs)
		}
		if strings.Contains(out, e.dir) || !strings.Contains(out, "zones/example.com.zone") {
			t.Errorf("%s: paths not relative to the repository root:\n%s", format, out)
		}
	}
}
