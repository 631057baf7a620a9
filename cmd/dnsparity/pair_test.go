package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/report"
)

// pairEnv is old = Knot (RFC 2136), new = PowerDNS (API), as in a real
// migration.
type pairEnv struct {
	*pushEnv
	knot  *lab.Server
	pdns  *lab.PowerDNS
	patch atomic.Int32 // PATCH requests to fail with 500 (the proxy in front of PowerDNS)
	slow  atomic.Int64 // nanoseconds each PATCH is held back
	url   string       // PowerDNS through the proxy
}

func newPairEnv(t *testing.T, knotUpdates bool) *pairEnv {
	t.Helper()
	lab.Require(t, "knotd", "pdns_server")
	minimal := lab.Zone{Origin: pushOrigin, Text: readTestdata(t, "minimal.zone")}
	e := &pairEnv{pushEnv: &pushEnv{dir: t.TempDir()}}
	e.knot = lab.Knot(t, lab.Options{Zones: []lab.Zone{minimal}, TSIG: pushKey, AllowUpdate: knotUpdates})
	e.pdns = lab.PDNS(t, lab.Options{})
	u, err := url.Parse(e.pdns.APIURL)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := e.slow.Load(); d > 0 && r.Method == http.MethodPatch {
			time.Sleep(time.Duration(d))
		}
		if r.Method == http.MethodPatch && e.patch.Load() > 0 {
			e.patch.Add(-1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"error": "injected failure"}`)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	e.url = ts.URL
	e.env = map[string]string{"OLD_TSIG": pushKey.Secret, "PDNS_KEY": e.pdns.APIKey}
	if err := os.MkdirAll(filepath.Join(e.dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	e.zone = filepath.Join(e.dir, "zones", "example.com.zone")
	e.writeZone(t, readTestdata(t, "example.com.zone"))
	e.writePair(t, e.knot.Addr)
	return e
}

func (e *pairEnv) writePair(t *testing.T, knotAddr string) {
	t.Helper()
	cfg := fmt.Sprintf(`zones:
  - name: example.com.
    file: zones/example.com.zone
providers:
  old:
    type: rfc2136
    flavor: knot
    server: %s
    tsig: {name: update-key., algorithm: hmac-sha256, secret_env: OLD_TSIG}
  new:
    type: powerdns
    url: %s
    api_key_env: PDNS_KEY
    nameservers: [ns1.example.com., ns2.example.com.]
policy:
  max_change_percent: 30
`, knotAddr, e.url)
	if err := os.WriteFile(filepath.Join(e.dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
}

func planByProvider(j report.PlanJSON) map[string]report.PlanZoneJSON {
	out := map[string]report.PlanZoneJSON{}
	for _, p := range j.Plans {
		out[p.Provider] = p
	}
	return out
}

func applied(p report.PlanZoneJSON) int {
	if p.Applied == nil {
		return -1
	}
	return *p.Applied
}

// pdnsDelete deletes the zone through PowerDNS's API directly.
func (e *pairEnv) pdnsDelete(t *testing.T) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, e.pdns.APIURL+"/api/v1/servers/localhost/zones/example.com.", nil)
	req.Header.Set("X-API-Key", e.pdns.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// pdnsHasZone asks PowerDNS's API directly.
func (e *pairEnv) pdnsHasZone(t *testing.T) bool {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.pdns.APIURL+"/api/v1/servers/localhost/zones/example.com.", nil)
	req.Header.Set("X-API-Key", e.pdns.APIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// TestPairOldFails: when the old provider refuses the push, nothing is sent
// to the new one; the report says what was applied (nothing); once the old
// provider takes updates, a push again converges both.
func TestPairOldFails(t *testing.T) {
	e := newPairEnv(t, false) // Knot transfers but refuses UPDATE
	before := axfr(t, e.knot.Addr)
	code, j, errs := e.pushJSON(t)
	if code != exitError {
		t.Fatalf("push: exit %d, want 2\n%s", code, errs)
	}
	ps := planByProvider(j)
	if applied(ps["old"]) != 0 || ps["old"].Error == "" {
		t.Errorf("old: applied %d, error %q", applied(ps["old"]), ps["old"].Error)
	}
	if applied(ps["new"]) != 0 || !strings.Contains(ps["new"].Error, "not pushed: stopped after provider old") {
		t.Errorf("new: applied %d, error %q", applied(ps["new"]), ps["new"].Error)
	}
	for prov, p := range ps {
		for _, c := range p.Changes {
			if c.Done == nil || *c.Done {
				t.Errorf("%s: %s %s %s: done %v, want false", prov, c.Action, c.Name, c.Type, c.Done)
			}
		}
	}
	if !strings.Contains(j.Error, "nothing was applied anywhere") {
		t.Errorf("top-level error: %q", j.Error)
	}
	if e.pdnsHasZone(t) {
		t.Errorf("the new provider got the zone although the old one refused")
	}
	if after := axfr(t, e.knot.Addr); after != before {
		t.Errorf("the refusing server changed")
	}

	// The old provider now takes updates: a push again converges.
	minimal := lab.Zone{Origin: pushOrigin, Text: readTestdata(t, "minimal.zone")}
	k2 := lab.Knot(t, lab.Options{Zones: []lab.Zone{minimal}, TSIG: pushKey, AllowUpdate: true})
	e.writePair(t, k2.Addr)
	if code, j, errs := e.pushJSON(t); code != exitOK || j.Error != "" {
		t.Fatalf("push again: exit %d %q\n%s", code, j.Error, errs)
	}
	if code, out, errs := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("drift after converging: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestPairNewFails: the old provider is pushed, the new one fails (its API
// answers 500 to every PATCH): exit 2, the report says exactly what each
// got, and a push again converges.
func TestPairNewFails(t *testing.T) {
	e := newPairEnv(t, true)
	e.patch.Store(100)
	code, j, errs := e.pushJSON(t)
	if code != exitError {
		t.Fatalf("push: exit %d, want 2\n%s", code, errs)
	}
	ps := planByProvider(j)
	if old := ps["old"]; applied(old) != len(old.Changes) || old.Error != "" || len(old.Changes) < 20 {
		t.Errorf("old: applied %d of %d, error %q", applied(old), len(old.Changes), old.Error)
	}
	nw := ps["new"]
	// The zone was created (its SOA and apex NS), the PATCH failed.
	if applied(nw) != 2 || !strings.Contains(nw.Error, "HTTP 500") || !strings.Contains(nw.Error, "gave up after") {
		t.Errorf("new: applied %d, error %q", applied(nw), nw.Error)
	}
	// Each change says whether it was done.
	for prov, p := range ps {
		for _, c := range p.Changes {
			want := prov == "old" || c.WithZone
			if c.Done == nil || *c.Done != want {
				t.Errorf("%s: %s %s %s: done %v, want %v", prov, c.Action, c.Name, c.Type, c.Done, want)
			}
		}
	}
	want := fmt.Sprintf("applied: old example.com. %d of %d changes; new example.com. 2 of %d changes", len(ps["old"].Changes), len(ps["old"].Changes), len(nw.Changes))
	if !strings.Contains(j.Error, want) {
		t.Errorf("top-level error %q does not say %q", j.Error, want)
	}
	// Text and Markdown mark what was not applied.
	e.patch.Store(100)
	// Each change's own mark, not the phrase: the error line names the
	// changes left too (provider.Settle: "not applied: A, MX, … and N more").
	for format, mark := range map[string]string{"text": "[not applied]", "markdown": "&#40;not applied&#41;"} {
		e.pdnsDelete(t)
		_, out, _ := e.run(t, "push", "--provider", "new", "--format", format)
		if n := strings.Count(out, mark); n != len(nw.Changes)-2 {
			t.Errorf("%s: %d changes marked not applied, want %d:\n%s", format, n, len(nw.Changes)-2, out)
		}
	}
	e.pdnsDelete(t)
	e.patch.Store(0)
	if code, j, errs := e.pushJSON(t); code != exitOK || j.Error != "" {
		t.Fatalf("push again: exit %d %q\n%s", code, j.Error, errs)
	} else if ps := planByProvider(j); len(ps["old"].Changes) != 0 || len(ps["new"].Changes) == 0 {
		t.Errorf("push again: old %d changes (want 0), new %d (want the rest)", len(ps["old"].Changes), len(ps["new"].Changes))
	}
	if code, out, errs := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("drift after converging: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestPairConflict: another writer changes a zone between plan and push.
// The old provider (RFC 2136) refuses on its prerequisites, the new one
// (PowerDNS) is read again and refused before anything is sent: exit 1,
// the other writer's data stays, and nothing goes on to the next provider.
func TestPairConflict(t *testing.T) {
	e := newPairEnv(t, true)
	ctx := context.Background()

	// At the old provider.
	e.beforeApply = func(prov, zone string) {
		if prov == "old" {
			m := new(dns.Msg)
			m.SetUpdate(pushOrigin)
			rr, _ := dns.NewRR("lb.example.com. 300 IN A 203.0.113.9") // the plan creates lb A
			m.Insert([]dns.RR{rr})
			m.SetTsig(pushKey.Name, dns.HmacSHA256, 300, time.Now().Unix())
			c := &dns.Client{Net: "tcp", TsigSecret: map[string]string{pushKey.Name: pushKey.Secret}}
			if r, _, err := c.ExchangeContext(ctx, m, e.knot.Addr); err != nil || r.Rcode != dns.RcodeSuccess {
				t.Errorf("other writer: %v %v", r, err)
			}
		}
	}
	code, j, errs := e.pushJSON(t)
	if code != exitProblem {
		t.Fatalf("push: exit %d, want 1\n%s", code, errs)
	}
	ps := planByProvider(j)
	if !strings.Contains(ps["old"].Error, "lb.example.com. A was to be created but the server now has it") || applied(ps["old"]) != 0 {
		t.Errorf("old: applied %d, error %q", applied(ps["old"]), ps["old"].Error)
	}
	if !strings.Contains(ps["new"].Error, "not pushed") || e.pdnsHasZone(t) {
		t.Errorf("new was pushed: %q", ps["new"].Error)
	}
	if a := axfr(t, e.knot.Addr); !strings.Contains(a, "203.0.113.9") || strings.Contains(a, "www.example.com.") {
		t.Errorf("old after the refused push:\n%s", a)
	}

	// The zone exists at PowerDNS first (a plain push of new), and lb is
	// back to git at the old provider (forced: it is a replace).
	e.beforeApply = nil
	if code, _, errs := e.pushJSON(t, "--provider", "new"); code != exitOK {
		t.Fatalf("push new: exit %d\n%s", code, errs)
	}
	e.writeZone(t, strings.Replace(readTestdata(t, "example.com.zone"), "192.0.2.81", "192.0.2.82", 1))
	// At the new provider: the zone changes there after old is pushed.
	e.beforeApply = func(prov, zone string) {
		if prov == "new" {
			body := `{"rrsets": [{"name": "oob.example.com.", "type": "A", "ttl": 300, "changetype": "REPLACE", "records": [{"content": "203.0.113.10", "disabled": false}]}]}`
			req, _ := http.NewRequestWithContext(ctx, http.MethodPatch, e.pdns.APIURL+"/api/v1/servers/localhost/zones/example.com.", strings.NewReader(body))
			req.Header.Set("X-API-Key", e.pdns.APIKey)
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != http.StatusNoContent {
				t.Errorf("other writer at PowerDNS: %v %v", resp, err)
			}
			if resp != nil {
				resp.Body.Close()
			}
		}
	}
	code, j, errs = e.pushJSON(t, "--force")
	if code != exitProblem {
		t.Fatalf("push: exit %d, want 1\n%s", code, errs)
	}
	ps = planByProvider(j)
	if ps["old"].Error != "" || applied(ps["old"]) != len(ps["old"].Changes) {
		t.Errorf("old: applied %d of %d, error %q", applied(ps["old"]), len(ps["old"].Changes), ps["old"].Error)
	}
	if nw := ps["new"]; !strings.Contains(nw.Error, "oob.example.com. A differs from git since the plan") || applied(nw) != 0 {
		t.Errorf("new: applied %d, error %q", applied(nw), nw.Error)
	}
	if !strings.Contains(j.Error, "stopped after provider new") || !strings.Contains(j.Error, "applied: old example.com.") {
		t.Errorf("top-level error: %q", j.Error)
	}
	m := new(dns.Msg)
	m.SetQuestion("oob.example.com.", dns.TypeA)
	if r, err := dns.Exchange(m, e.pdns.Addr); err != nil || len(r.Answer) != 1 {
		t.Errorf("the other writer's record is gone from PowerDNS: %v %v", r, err)
	}
	// Without the other writer, a push again converges.
	e.beforeApply = nil
	if code, _, errs := e.pushJSON(t, "--force"); code != exitOK {
		t.Fatalf("push again: exit %d\n%s", code, errs)
	}
	if code, out, errs := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("drift after converging: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestPushProgress: a push that takes longer than a second or two says how
// far it has got on stderr, then how it ended; a quick one says nothing.
func TestPushProgress(t *testing.T) {
	e := newPairEnv(t, true)
	code, _, errs := e.run(t, "push", "--provider", "old")
	if code != exitOK || strings.Contains(errs, "dnsparity push:") {
		t.Fatalf("quick push: exit %d, stderr:\n%s", code, errs)
	}
	e.slow.Store(int64(2500 * time.Millisecond))
	code, _, errs = e.run(t, "push", "--provider", "new")
	if code != exitOK {
		t.Fatalf("slow push: exit %d\n%s", code, errs)
	}
	var lines []string // the push's own lines (a slow read may add others)
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		if strings.Contains(l, " changes") {
			lines = append(lines, l)
		}
	}
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "dnsparity push: provider new, zone example.com.: 2/30 changes, ") || !strings.Contains(lines[0], "s elapsed") ||
		!strings.HasPrefix(lines[len(lines)-1], "dnsparity push: provider new, zone example.com.: 30/30 changes in ") {
		t.Errorf("progress on stderr:\n%s", errs)
	}
}

// TestPolicyBoundaryPush: a push that changes exactly max_change_percent
// of a zone (the percentage as plan prints it) goes without --force; one
// RRset more is refused.
func TestPolicyBoundaryPush(t *testing.T) {
	e := newPairEnv(t, true)
	if code, _, errs := e.run(t, "push"); code != exitOK {
		t.Fatalf("first push: exit %d\n%s", code, errs)
	}
	text := readTestdata(t, "example.com.zone")
	edit := func(n int) string {
		out := text
		for i, from := range []string{"192.0.2.80", "2001:db8::80", "192.0.2.10", "2001:db8::10"}[:n] {
			out = strings.Replace(out, from, fmt.Sprintf("%s%d", strings.TrimRight(from, "0123456789"), 200+i), 1)
		}
		return out
	}
	e.writeZone(t, edit(3))
	code, out, errs := e.run(t, "plan", "--provider", "old", "--format", "json")
	var j report.PlanJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil || len(j.Plans) != 1 || j.Plans[0].Summary["replace"] != 3 {
		t.Fatalf("plan: exit %d %v\n%s\n%s", code, err, out, errs)
	}
	pct := strconv.FormatFloat(j.Plans[0].Percent, 'g', -1, 64)
	cfg, err := os.ReadFile(filepath.Join(e.dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(e.dir, "dnsparity.yaml"), []byte(strings.Replace(string(cfg), "max_change_percent: 30", "max_change_percent: "+pct, 1)), 0o644)
	e.writeZone(t, edit(4))
	if code, _, errs := e.run(t, "push"); code != exitProblem || !strings.Contains(errs, "more than max_change_percent "+pct+"%") {
		t.Fatalf("push of one RRset over %s%%: exit %d\n%s", pct, code, errs)
	}
	e.writeZone(t, edit(3))
	if code, _, errs := e.run(t, "push"); code != exitOK {
		t.Fatalf("push of exactly %s%%: exit %d\n%s", pct, code, errs)
	}
}
