package main

// The NS1, DNS Made Easy and ClouDNS environments of the cloud tests
// (cloud_test.go runs every provider through one table), and the tests
// only they need.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
)

// ns1Env: an NS1 zone with plain records, a record with a filter chain
// and an ALIAS.
func ns1Env(t *testing.T) *cloudEnv {
	s := ns1test.New("ns1-key-for-cmd-tests")
	t.Cleanup(s.Close)
	s.PageSize = 4
	s.AddZone("example.com")
	a := func(v ...any) []ns1test.Answer {
		var out []ns1test.Answer
		for _, x := range v {
			out = append(out, ns1test.Answer{Answer: []any{x}})
		}
		return out
	}
	for _, r := range []ns1test.Record{
		{Domain: "example.com", Type: "ALIAS", TTL: 300, Answers: a("lb.example.net")},
		{Domain: "www.example.com", Type: "A", TTL: 60, Answers: []ns1test.Answer{{Answer: []any{"192.0.2.10"}, Meta: map[string]any{"up": true}}, {Answer: []any{"192.0.2.11"}, Meta: map[string]any{"up": false}}},
			Filters: []ns1test.Filter{{Filter: "up", Config: map[string]any{}}, {Filter: "shuffle", Config: map[string]any{}}, {Filter: "select_first_n", Config: map[string]any{"N": 1}}}},
		{Domain: "mail.example.com", Type: "A", TTL: 300, Answers: a("192.0.2.25")},
		{Domain: "example.com", Type: "MX", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{10, "mail.example.com"}}}},
		{Domain: "example.com", Type: "TXT", TTL: 300, Answers: a("v=spf1 mx -all")},
		{Domain: "_sip._tcp.example.com", Type: "SRV", TTL: 300, Answers: []ns1test.Answer{{Answer: []any{10, 5, 5060, "mail.example.com"}}}},
		{Domain: "example.com", Type: "CAA", TTL: 3600, Answers: []ns1test.Answer{{Answer: []any{0, "issue", "letsencrypt.org"}}}},
	} {
		r.Zone = "example.com"
		s.Seed(r)
	}
	e := newCloudEnv(t, fmt.Sprintf("    type: ns1\n    url: %s\n    api_key_env: NS1_KEY\n", s.APIURL()), map[string]string{"NS1_KEY": "ns1-key-for-cmd-tests"})
	e.writes = func() int { return s.Count("write") }
	return e
}

// dmeEnv: a DNS Made Easy domain with plain records, an ANAME, an
// HTTPRED and a Global Traffic Director record.
func dmeEnv(t *testing.T) *cloudEnv {
	s := dmetest.New("dme-cmd-key", "dme-cmd-secret")
	t.Cleanup(s.Close)
	id := s.AddZone("example.com")
	ten, zero := 10, 0
	for _, r := range []dmetest.Record{
		{Name: "", Type: "ANAME", Value: "lb.example.net.", TTL: 300},
		{Name: "go", Type: "HTTPRED", Value: "https://example.org/", TTL: 300, RedirectType: "Standard - 301"},
		{Name: "geo", Type: "A", Value: "192.0.2.10", TTL: 300},
		{Name: "geo", Type: "A", Value: "198.51.100.10", TTL: 300, GtdLocation: "EUROPE"},
		{Name: "mail", Type: "A", Value: "192.0.2.25", TTL: 300},
		{Name: "", Type: "MX", Value: "mail", TTL: 300, MxLevel: &ten},
		{Name: "", Type: "TXT", Value: `"v=spf1 mx -all"`, TTL: 300},
		{Name: "", Type: "CAA", Value: `"letsencrypt.org"`, CaaType: "issue", IssuerCritical: &zero, TTL: 3600},
	} {
		s.Seed(id, r)
	}
	e := newCloudEnv(t, fmt.Sprintf("    type: dnsmadeeasy\n    url: %s\n    api_key_env: DME_KEY\n    secret_key_env: DME_SECRET\n", s.APIURL()),
		map[string]string{"DME_KEY": "dme-cmd-key", "DME_SECRET": "dme-cmd-secret"})
	e.writes = func() int { return s.Count("write") }
	return e
}

// cloudnsEnv: a ClouDNS zone with plain records, an ALIAS, a WR and a
// GeoDNS record.
func cloudnsEnv(t *testing.T) *cloudEnv {
	s := cloudnstest.New("9876", "", "cloudns-cmd-password")
	t.Cleanup(s.Close)
	s.AddZone("example.com")
	for _, r := range []cloudnstest.Record{
		{Type: "ALIAS", Host: "", Record: "lb.example.net", TTL: "300"},
		{Type: "WR", Host: "go", Record: "https://example.org/", TTL: "300", RedirectType: "301"},
		{Type: "A", Host: "geo", Record: "192.0.2.10", TTL: "300"},
		{Type: "A", Host: "geo", Record: "198.51.100.10", TTL: "300", GeoCode: "EU"},
		{Type: "A", Host: "mail", Record: "192.0.2.25", TTL: "300"},
		{Type: "MX", Host: "", Record: "mail.example.com", Priority: "10", TTL: "300"},
		{Type: "TXT", Host: "", Record: "v=spf1 mx -all", TTL: "300"},
		{Type: "CAA", Host: "", CaaFlag: "0", CaaType: "issue", CaaValue: "letsencrypt.org", TTL: "3600"},
	} {
		s.Seed("example.com", r)
	}
	e := newCloudEnv(t, fmt.Sprintf("    type: cloudns\n    url: %s\n    auth_id: \"9876\"\n    api_key_env: CLOUDNS_PASSWORD\n", s.URL),
		map[string]string{"CLOUDNS_PASSWORD": "cloudns-cmd-password"})
	e.writes = func() int { return s.Count("write") }
	return e
}

// TestStaleDSClouDNS: a DS left at the parent after DNSSEC was turned off
// at ClouDNS (or its key changed) is named, with the side.
func TestStaleDSClouDNS(t *testing.T) {
	s := cloudnstest.New("9876", "", "cloudns-cmd-password")
	defer s.Close()
	s.AddZone("example.com")
	e := newCloudEnv(t, fmt.Sprintf("    type: cloudns\n    url: %s\n    auth_id: \"9876\"\n    api_key_env: CLOUDNS_PASSWORD\n", s.URL),
		map[string]string{"CLOUDNS_PASSWORD": "cloudns-cmd-password"})
	cfg, err := config.Load(filepath.Join(e.dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	a := &app{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return e.env[k] }}
	oldDS, newDS := "11111 13 2 AAAA", "22222 13 2 BBBB"
	for _, tc := range []struct {
		name   string
		on     bool
		ds     []string
		parent []string
		want   []string
	}{
		{"in sync", true, []string{newDS}, []string{newDS}, nil},
		{"re-keyed, old DS left", true, []string{newDS}, []string{oldDS, newDS}, []string{"the DS " + oldDS + " at the parent", "publishes 1 other DS"}},
		{"DNSSEC off, DS left", false, nil, []string{oldDS}, []string{"providers.old (cloudns): the DS " + oldDS, "DNSSEC is off there"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s.SetDNSSEC("example.com", tc.on, tc.ds...)
			got := provider.StaleDSWarnings(context.Background(), cfg, a.getenv, "example.com.", tc.parent)
			if len(tc.want) == 0 {
				if len(got) != 0 {
					t.Errorf("stale: %v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("stale: %v", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got[0], w) {
					t.Errorf("%q lacks %q", got[0], w)
				}
			}
		})
	}
	e.env["CLOUDNS_PASSWORD"] = "wrong-password-value"
	got := provider.StaleDSWarnings(context.Background(), cfg, a.getenv, "example.com.", []string{oldDS})
	if len(got) != 1 || !strings.Contains(got[0], "not read") || strings.Contains(got[0], "wrong-password-value") {
		t.Errorf("bad credentials: %v", got)
	}
}

// TestStaleDSOnlyReporters: provider.StaleDSWarnings asks only the sides whose type
// reports a DNSSEC state (provider.DSReporter): an rfc2136 side is not
// made, so its TSIG secret, absent here, is never read, and no line says
// its state was not read.
func TestStaleDSOnlyReporters(t *testing.T) {
	s := cloudnstest.New("9876", "", "cloudns-cmd-password")
	defer s.Close()
	s.AddZone("example.com")
	e := newCloudEnv(t, fmt.Sprintf("    type: cloudns\n    url: %s\n    auth_id: \"9876\"\n    api_key_env: CLOUDNS_PASSWORD\n", s.URL)+
		"  new:\n    type: rfc2136\n    server: 192.0.2.53\n    tsig: {name: update-key., algorithm: hmac-sha256, secret_env: NEW_TSIG_SECRET}\n",
		map[string]string{"CLOUDNS_PASSWORD": "cloudns-cmd-password"})
	cfg, err := config.Load(filepath.Join(e.dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var asked []string
	a := &app{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { asked = append(asked, k); return e.env[k] }}
	s.SetDNSSEC("example.com", false)
	got := provider.StaleDSWarnings(context.Background(), cfg, a.getenv, "example.com.", []string{"11111 13 2 AAAA"})
	if len(got) != 1 || !strings.HasPrefix(got[0], "providers.old (cloudns): the DS 11111 13 2 AAAA") {
		t.Errorf("stale DS lines %q, want only the old side's stale DS", got)
	}
	for _, k := range asked {
		if k == "NEW_TSIG_SECRET" {
			t.Errorf("the rfc2136 side's secret was read (%v): it reports no DNSSEC state", asked)
		}
	}
}

// TestPushFailureMidPlanDME: DNS Made Easy accepts the in-place edit
// (updateMulti) and then refuses createMulti (HTTP 400): push exits 2,
// says exactly what was applied, and pushing again converges.
func TestPushFailureMidPlanDME(t *testing.T) {
	s := dmetest.New("dme-cmd-key", "dme-cmd-secret")
	defer s.Close()
	id := s.AddZone("example.com")
	s.Seed(id, dmetest.Record{Name: "mail", Type: "A", Value: "192.0.2.25", TTL: 300})
	e := newCloudEnv(t, fmt.Sprintf("    type: dnsmadeeasy\n    url: %s\n    api_key_env: DME_KEY\n    secret_key_env: DME_SECRET\n", s.APIURL()),
		map[string]string{"DME_KEY": "dme-cmd-key", "DME_SECRET": "dme-cmd-secret"})
	file := filepath.Join(e.dir, "zones", "example.com.zone")
	if err := os.WriteFile(file, []byte("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 86400 NS ns10.dnsmadeeasy.com.\nmail 600 A 192.0.2.25\nnew 300 A 192.0.2.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.AddFault(dmetest.Fault{Method: "POST", Path: "createMulti", Times: 1, Status: 400})
	code, out, errs := e.run(t, "push", "--force") // one RRset of one is replaced
	if code != exitError {
		t.Fatalf("push exit %d, want 2: %s %s", code, out, errs)
	}
	for _, w := range []string{"applied: old example.com. 1 of 2 changes", "createMulti", "not applied: new.example.com. A", "HTTP 400: Bad Request", "push again"} {
		if !strings.Contains(out+errs, w) {
			t.Errorf("output lacks %q:\n%s%s", w, out, errs)
		}
	}
	s.ClearFaults()
	if code, out, errs := e.run(t, "push", "--force"); code != exitOK {
		t.Fatalf("re-run exit %d: %s %s", code, out, errs)
	}
	if code, out, _ := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("not converged:\n%s", out)
	}
}

// TestDMESystemApexNSManaged: with manage_apex, plan and push never
// create DNS Made Easy's system name servers (which its records listing
// lacks and its servers answer anyway) as custom apex NS records: only
// git's other name goes, and the apex NS the plan reports serving after
// the push is the system ones and git's.
func TestDMESystemApexNSManaged(t *testing.T) {
	s := dmetest.New("dme-cmd-key", "dme-cmd-secret")
	defer s.Close()
	id := s.AddZone("example.com")
	e := newCloudEnv(t, fmt.Sprintf("    type: dnsmadeeasy\n    url: %s\n    api_key_env: DME_KEY\n    secret_key_env: DME_SECRET\n    manage_apex: true\n", s.APIURL()),
		map[string]string{"DME_KEY": "dme-cmd-key", "DME_SECRET": "dme-cmd-secret"})
	file := filepath.Join(e.dir, "zones", "example.com.zone")
	if err := os.WriteFile(file, []byte("$ORIGIN example.com.\n@ 300 SOA ns10.dnsmadeeasy.com. h. 1 2 3 4 5\n@ 86400 NS ns10.dnsmadeeasy.com.\n@ 86400 NS ns11.dnsmadeeasy.com.\n@ 86400 NS ns1.example.net.\nwww 300 A 192.0.2.80\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := e.run(t, "plan", "--format", "json", "--force")
	if code != exitOK {
		t.Fatalf("plan exit %d: %s %s", code, out, errs)
	}
	var pj struct {
		Plans []struct {
			Changes []struct {
				Action, Name, Type string
				New                *struct{ Values []string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &pj); err != nil || len(pj.Plans) != 1 {
		t.Fatalf("plan JSON: %v\n%s", err, out)
	}
	for _, c := range pj.Plans[0].Changes {
		if c.Type == "NS" && c.Name == "example.com." && (c.New == nil || strings.Join(c.New.Values, ",") != "ns1.example.net.") {
			t.Errorf("apex NS change %+v, want ns1.example.net. alone created", c)
		}
	}
	if code, out, errs := e.run(t, "push", "--force"); code != exitOK {
		t.Fatalf("push exit %d: %s %s", code, out, errs)
	}
	if got := strings.Join(s.ApexNS(id), ","); got != "ns10.dnsmadeeasy.com.,ns11.dnsmadeeasy.com.,ns1.example.net." {
		t.Errorf("DNS Made Easy serves apex NS %s", got)
	}
	if code, out, _ := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("not converged:\n%s", out)
	}
}
