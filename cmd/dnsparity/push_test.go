package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/report"
)

var pushKey = &lab.TSIGKey{Name: "update-key.", Algorithm: "hmac-sha256", Secret: "c2VjcmV0LWtleS1mb3ItZG5zcGFyaXR5LXRlc3RzLTEyMzQ="}

const pushOrigin = "example.com."

// pushEnv is a temp repo with dnsparity.yaml pointing at lab servers.
type pushEnv struct {
	dir  string
	env  map[string]string
	zone string // path of the zone file
	srv  map[string]*lab.Server
	// beforeApply is handed to the app (another writer between plan and
	// push).
	beforeApply func(provider, zone string)
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "push", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// newPushEnv starts BIND (provider old) and Knot (provider new), both
// holding the minimal zone, both updated over RFC 2136.
func newPushEnv(t *testing.T) *pushEnv {
	t.Helper()
	lab.Require(t, "named", "knotd")
	minimal := lab.Zone{Origin: pushOrigin, Text: readTestdata(t, "minimal.zone")}
	opts := lab.Options{Zones: []lab.Zone{minimal}, TSIG: pushKey, AllowUpdate: true}
	e := &pushEnv{dir: t.TempDir(), srv: map[string]*lab.Server{"old": lab.BIND(t, opts), "new": lab.Knot(t, opts)}}
	e.env = map[string]string{"OLD_TSIG": pushKey.Secret, "NEW_TSIG": pushKey.Secret}
	if err := os.MkdirAll(filepath.Join(e.dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	e.zone = filepath.Join(e.dir, "zones", "example.com.zone")
	e.writeZone(t, readTestdata(t, "example.com.zone"))
	e.writeConfig(t, e.srv["old"].Addr, e.srv["new"].Addr)
	return e
}

func (e *pushEnv) writeZone(t *testing.T, text string) {
	t.Helper()
	if err := os.WriteFile(e.zone, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (e *pushEnv) writeConfig(t *testing.T, oldAddr, newAddr string) {
	t.Helper()
	cfg := fmt.Sprintf(`zones:
  - name: example.com.
    file: zones/example.com.zone
providers:
  old:
    type: rfc2136
    server: %s
    tsig: {name: update-key., algorithm: hmac-sha256, secret_env: OLD_TSIG}
  new:
    type: rfc2136
    server: %s
    tsig: {name: update-key., algorithm: hmac-sha256, secret_env: NEW_TSIG}
policy:
  max_change_percent: 30
`, oldAddr, newAddr)
	if err := os.WriteFile(filepath.Join(e.dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
}

// run runs dnsparity in-process with the env's config.
func (e *pushEnv) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(k string) string { return e.env[k] }, beforeApply: e.beforeApply}
	full := append([]string{args[0], "--config", filepath.Join(e.dir, "dnsparity.yaml")}, args[1:]...)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := a.main(ctx, full)
	return code, out.String(), errb.String()
}

func (e *pushEnv) pushJSON(t *testing.T, args ...string) (int, report.PlanJSON, string) {
	t.Helper()
	code, out, errs := e.run(t, append(append([]string{"push"}, args...), "--format", "json")...)
	var j report.PlanJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("push JSON: %v\n%s\nstderr: %s", err, out, errs)
	}
	return code, j, errs
}

// axfr reads a server's zone in presentation form, SOA aside.
func axfr(t *testing.T, addr string) string {
	t.Helper()
	var lines []string
	for _, rr := range lab.AXFR(t, addr, pushOrigin, pushKey) {
		if rr.Header().Rrtype != dns.TypeSOA {
			lines = append(lines, rr.String())
		}
	}
	return strings.Join(lines, "\n")
}

func requests(j report.PlanJSON) map[string]int {
	out := map[string]int{}
	for _, p := range j.Plans {
		if p.Requests != nil {
			out[p.Provider] = *p.Requests
		}
	}
	return out
}

func TestPushCycle(t *testing.T) {
	e := newPushEnv(t)

	code, j, errs := e.pushJSON(t)
	if code != exitOK {
		t.Fatalf("first push: exit %d\n%s", code, errs)
	}
	for _, p := range j.Plans {
		if p.Summary["create"] < 20 || p.Applied == nil || *p.Applied != len(p.Changes) || *p.Requests != 1 {
			t.Errorf("first push to %s: %+v", p.Provider, p)
		}
	}
	if code, out, errs := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("plan --detect-drift after push: exit %d\n%s\n%s", code, out, errs)
	}

	// A second push is empty and sends no change request.
	code, j, _ = e.pushJSON(t)
	if r := requests(j); code != exitOK || r["old"] != 0 || r["new"] != 0 {
		t.Fatalf("second push: exit %d, requests %v", code, r)
	}
	for _, p := range j.Plans {
		if len(p.Changes) != 0 {
			t.Errorf("second push to %s changes %v", p.Provider, p.Changes)
		}
	}

	// One record edited in git: one change, one message per provider.
	text := readTestdata(t, "example.com.zone")
	e.writeZone(t, strings.Replace(text, "lb      IN  A     192.0.2.81", "lb      IN  A     192.0.2.82", 1))
	code, out, _ := e.run(t, "plan")
	if code != exitOK || strings.Count(out, "  ~ lb.example.com. A") != 2 || strings.Contains(out, "  + ") || strings.Contains(out, "  - ") {
		t.Fatalf("plan after one edit: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "example.com.zone:") || !strings.Contains(out, "192.0.2.82") {
		t.Errorf("plan does not show the file:line and the new value:\n%s", out)
	}
	code, j, _ = e.pushJSON(t)
	for _, p := range j.Plans {
		if code != exitOK || len(p.Changes) != 1 || p.Changes[0].Action != "replace" || *p.Requests != 1 {
			t.Errorf("push after one edit to %s: exit %d %+v", p.Provider, code, p)
		}
	}
	if a := axfr(t, e.srv["new"].Addr); !strings.Contains(a, "192.0.2.82") || strings.Contains(a, "192.0.2.81") {
		t.Errorf("knot after the edit:\n%s", a)
	}

	// Deleting 40% of the zone trips the threshold: exit 1, nothing sent.
	before := axfr(t, e.srv["old"].Addr)
	var kept []string
	// The apex SPF record goes with the names it counts on (mx1, mx2,
	// _spf): check refuses an SPF record whose lookups fail.
	drop := []string{"mx1 ", "mx2 ", "_spf ", "@       IN  TXT   \"v=spf1", "_dmarc ", "_sip.", "sip ", "sip-backup ", "_imaps.", "*.apps ", "escapes ", "unknown ", "chain1 "}
lines:
	for _, l := range strings.Split(text, "\n") {
		for _, d := range drop {
			if strings.HasPrefix(l, d) {
				continue lines
			}
		}
		kept = append(kept, l)
	}
	e.writeZone(t, strings.Join(kept, "\n"))
	code, out, errs = e.run(t, "push")
	if code != exitProblem || !strings.Contains(errs, "max_change_percent") || !strings.Contains(errs, "--force") {
		t.Fatalf("push of a 40%% deletion: exit %d\n%s\n%s", code, out, errs)
	}
	if after := axfr(t, e.srv["old"].Addr); after != before {
		t.Fatalf("refused push changed the zone:\n%s\n---\n%s", before, after)
	}
	// plan says the same (exit 1, docs/ARCHITECTURE.md: an unsafe plan is a problem), and
	// plan --force accepts it.
	if code, out, _ := e.run(t, "plan"); code != exitProblem || !strings.Contains(out, "push needs --force") {
		t.Errorf("plan of a 40%% deletion: exit %d\n%s", code, out)
	}
	if code, out, _ := e.run(t, "plan", "--force"); code != exitOK || !strings.Contains(out, "forced") {
		t.Errorf("plan --force of a 40%% deletion: exit %d\n%s", code, out)
	}
	code, j, errs = e.pushJSON(t, "--force")
	if code != exitOK {
		t.Fatalf("push --force: exit %d\n%s", code, errs)
	}
	for _, p := range j.Plans {
		if p.Summary["delete"] != 14 || p.Summary["replace"] != 1 || *p.Requests != 1 { // lb back to .81 too
			t.Errorf("forced push to %s: %+v", p.Provider, p.Summary)
		}
	}
	if a := axfr(t, e.srv["old"].Addr); strings.Contains(a, "\n_spf.example.com.") || !strings.Contains(a, "www.example.com.") {
		t.Errorf("bind after forced push:\n%s", a)
	}
}

func TestPlanDetectDrift(t *testing.T) {
	e := newPushEnv(t)
	if code, _, errs := e.run(t, "plan", "--detect-drift"); code != exitProblem {
		t.Fatalf("drift before the first push: exit %d, %s", code, errs)
	}
	if code, out, errs := e.run(t, "push", "--dry-run"); code != exitOK || !strings.Contains(out, "+ www.example.com. CNAME") {
		t.Fatalf("push --dry-run: exit %d\n%s\n%s", code, out, errs)
	} else if !strings.Contains(errs, "dry run: nothing was sent to any provider") {
		// its output is plan's: say that nothing was pushed
		t.Errorf("push --dry-run does not say it sent nothing:\n%s", errs)
	}
	if code, _, _ := e.run(t, "plan", "--detect-drift"); code != exitProblem {
		t.Fatalf("push --dry-run pushed")
	}
	if code, _, errs := e.run(t, "push"); code != exitOK {
		t.Fatalf("push: exit %d\n%s", code, errs)
	}
	if code, out, errs := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("in sync: exit %d\n%s\n%s", code, out, errs)
	}
	// An out-of-band change on the new provider.
	m := new(dns.Msg)
	m.SetUpdate(pushOrigin)
	rr, _ := dns.NewRR("oob.example.com. 300 IN A 192.0.2.200")
	m.Insert([]dns.RR{rr})
	m.SetTsig(pushKey.Name, dns.HmacSHA256, 300, time.Now().Unix())
	c := &dns.Client{Net: "tcp", TsigSecret: map[string]string{pushKey.Name: pushKey.Secret}}
	if r, _, err := c.Exchange(m, e.srv["new"].Addr); err != nil || r.Rcode != dns.RcodeSuccess {
		t.Fatalf("out-of-band update: %v %v", r, err)
	}
	code, out, errs := e.run(t, "plan", "--detect-drift", "--format", "markdown")
	if code != exitProblem || !strings.Contains(errs, "provider new") || strings.Contains(errs, "provider old") {
		t.Fatalf("drift: exit %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "| - | oob.example.com. | A |") || !strings.Contains(out, " at new: ") {
		t.Errorf("markdown does not show the drift:\n%s", out)
	}
	if code, _, _ := e.run(t, "plan", "--detect-drift", "--provider", "old"); code != exitOK {
		t.Errorf("old is in sync but --detect-drift --provider old exits %d", code)
	}
}

func TestPushFailures(t *testing.T) {
	e := newPushEnv(t)
	before := axfr(t, e.srv["old"].Addr)

	t.Run("missing secret", func(t *testing.T) {
		saved := e.env["OLD_TSIG"]
		delete(e.env, "OLD_TSIG")
		defer func() { e.env["OLD_TSIG"] = saved }()
		code, _, errs := e.run(t, "push")
		if code != exitError || !strings.Contains(errs, "OLD_TSIG") || strings.Contains(errs, pushKey.Secret) {
			t.Errorf("exit %d: %s", code, errs)
		}
	})
	t.Run("wrong TSIG secret", func(t *testing.T) {
		wrong := "d3Jvbmctc2VjcmV0LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNA=="
		e.env["OLD_TSIG"] = wrong
		defer func() { e.env["OLD_TSIG"] = pushKey.Secret }()
		code, out, errs := e.run(t, "push", "--provider", "old")
		if code != exitError || !strings.Contains(errs, "refused") || strings.Contains(out+errs, wrong) {
			t.Errorf("exit %d:\n%s\n%s", code, out, errs)
		}
	})
	t.Run("provider down", func(t *testing.T) {
		e.writeConfig(t, e.srv["old"].Addr, lab.Addr(t)+":53")
		defer e.writeConfig(t, e.srv["old"].Addr, e.srv["new"].Addr)
		code, out, errs := e.run(t, "push")
		if code != exitError || !strings.Contains(errs, "provider new") || !strings.Contains(errs, "unreachable") {
			t.Errorf("exit %d:\n%s\n%s", code, out, errs)
		}
	})
	t.Run("zone file errors", func(t *testing.T) {
		e.writeZone(t, readTestdata(t, "example.com.zone")+"\nbroken IN A 999.1.2.3\n")
		defer e.writeZone(t, readTestdata(t, "example.com.zone"))
		code, out, errs := e.run(t, "push")
		if code != exitProblem || !strings.Contains(errs, "example.com.zone:") {
			t.Errorf("exit %d:\n%s\n%s", code, out, errs)
		}
	})
	if after := axfr(t, e.srv["old"].Addr); after != before {
		t.Errorf("failed pushes changed the zone:\n%s\n---\n%s", before, after)
	}
	t.Run("unknown flag", func(t *testing.T) {
		if code, _, _ := e.run(t, "push", "--nope"); code != exitError {
			t.Errorf("exit %d", code)
		}
	})
}

// TestPushPowerDNS pushes to an empty PowerDNS through its API: the zone is
// created, filled, then left alone; a wrong API key is exit 2.
func TestPushPowerDNS(t *testing.T) {
	e, srv := pdnsEnv(t, "    nameservers: [ns1.example.com., ns2.example.com.]\n")
	code, out, errs := e.run(t, "plan")
	if code != exitOK || !strings.Contains(out, "zone to be created") {
		t.Fatalf("plan of a missing zone: exit %d\n%s\n%s", code, out, errs)
	}
	code, j, errs := e.pushJSON(t)
	if code != exitOK || len(j.Plans) != 1 || !j.Plans[0].NewZone || *j.Plans[0].Requests != 2 { // POST zone + one PATCH
		t.Fatalf("first push: exit %d %+v\n%s", code, j, errs)
	}
	// The new zone has the zone file's SOA and apex NS TTL, not PowerDNS's
	// defaults (a.misconfigured.dns.server.invalid., negative TTL 3600).
	m := new(dns.Msg)
	m.SetQuestion(pushOrigin, dns.TypeSOA)
	if r, err := dns.Exchange(m, srv.Addr); err != nil || len(r.Answer) != 1 {
		t.Fatalf("SOA of the new zone: %v %v", r, err)
	} else if soa := r.Answer[0].(*dns.SOA); soa.Ns != "ns1.example.com." || soa.Minttl != 300 || soa.Hdr.Ttl != 300 {
		t.Errorf("SOA of the new zone: %s, want the zone file's", soa)
	}
	code, j, _ = e.pushJSON(t)
	if code != exitOK || len(j.Plans[0].Changes) != 0 || *j.Plans[0].Requests != 0 {
		t.Fatalf("second push: exit %d %+v", code, j.Plans[0])
	}
	if code, out, errs := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("drift after push: %d\n%s\n%s", code, out, errs)
	}

	e.env["PDNS_KEY"] = "not-the-key"
	code, out, errs = e.run(t, "push")
	if code != exitError || !strings.Contains(errs, "API key refused") || strings.Contains(out+errs, srv.APIKey) {
		t.Fatalf("wrong API key: exit %d\n%s\n%s", code, out, errs)
	}
	e.env["PDNS_KEY"] = srv.APIKey
	if code, _, _ := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("zone changed by a refused push")
	}
}

// TestPushMarkdownTitle: push's Markdown report is headed as push's,
// saying when nothing was sent (a dry run, a refusal): it was headed
// "## dnsparity plan" whatever ran, so a step summary of a push read as
// a plan of changes not made.
func TestPushMarkdownTitle(t *testing.T) {
	e := newPushEnv(t)
	for _, tc := range []struct {
		args  []string
		code  int
		title string
	}{
		{[]string{"plan"}, exitOK, "## dnsparity plan\n"},
		{[]string{"push", "--dry-run"}, exitOK, "## dnsparity push --dry-run: nothing was sent\n"},
		{[]string{"push"}, exitOK, "## dnsparity push\n"},
	} {
		code, out, errs := e.run(t, append(tc.args, "--format", "markdown")...)
		if code != tc.code || !strings.HasPrefix(out, tc.title) {
			t.Errorf("%v: exit %d, want %d and the title %q:\n%s\n%s", tc.args, code, tc.code, tc.title, out, errs)
		}
	}
}
