package main

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
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider/cloudns/cloudnstest"
	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/report"
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

// TestImportRoundTripMoreProviders: import → check → plan (empty, naming
// the features) → push (no writes) → a change pushed in one write → in
// sync, for NS1, DNS Made Easy and ClouDNS.
func TestImportRoundTripMoreProviders(t *testing.T) {
	for _, tc := range []struct {
		name     string
		env      func(*testing.T) *cloudEnv
		comments []string // decision comments the file must carry
		skipped  []string // not written, on stderr
		features int
	}{
		{"ns1", ns1Env, []string{"dnsparity: filter-chain:"}, []string{"example.com. ALIAS lb.example.net: alias"}, 2},
		{"dnsmadeeasy", dmeEnv, []string{"dnsparity: traffic-director:"}, []string{"example.com. ANAME lb.example.net.: aname", "go.example.com. HTTPRED https://example.org/: http-redirect", "geo.example.com. A 198.51.100.10 (region EUROPE): traffic-director"}, 4},
		{"cloudns", cloudnsEnv, []string{"dnsparity: geodns:"}, []string{"example.com. ALIAS lb.example.net: alias", "go.example.com. WR https://example.org/: web-redirect", "geo.example.com. A 198.51.100.10 (location EU): geodns"}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.env(t)
			file := filepath.Join(e.dir, "zones", "example.com.zone")
			code, _, errs := e.run(t, "import", "--provider", "old", "--zone", "example.com", "-o", file)
			if code != exitProblem {
				t.Fatalf("import exit %d (want 1: some records not written)\n%s", code, errs)
			}
			for _, s := range tc.skipped {
				if !strings.Contains(errs, "not written: "+s) {
					t.Errorf("stderr does not list %q:\n%s", s, errs)
				}
			}
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			t.Logf("imported:\n%s\nstderr:\n%s", text, errs)
			for _, c := range tc.comments {
				if !strings.Contains(text, c) {
					t.Errorf("zone file lacks %q:\n%s", c, text)
				}
			}
			if code, out, errs := e.run(t, "check", file); code != exitOK {
				t.Fatalf("check exit %d:\n%s%s\n%s", code, out, errs, text)
			}
			code, out, errs := e.run(t, "plan", "--format", "json")
			if code != exitOK {
				t.Fatalf("plan exit %d: %s\n%s\n%s", code, out, errs, text)
			}
			var j report.PlanJSON
			if err := json.Unmarshal([]byte(out), &j); err != nil {
				t.Fatal(err)
			}
			if len(j.Plans) != 1 || len(j.Plans[0].Changes) != 0 {
				t.Fatalf("plan after import not empty:\n%s\nzone:\n%s", out, text)
			}
			if n := len(j.Plans[0].Features); n != tc.features {
				t.Errorf("plan lists %d features, want %d: %s", n, tc.features, out)
			}
			if code, out, errs := e.run(t, "push"); code != exitOK || e.writes() != 0 {
				t.Fatalf("push exit %d, %d writes: %s %s", code, e.writes(), out, errs)
			}
			if err := os.WriteFile(file, append(b, []byte("added 300 IN A 192.0.2.200\n")...), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, out, errs := e.run(t, "push"); code != exitOK || e.writes() != 1 {
				t.Fatalf("push exit %d, %d writes: %s %s", code, e.writes(), out, errs)
			}
			if code, out, _ := e.run(t, "plan", "--detect-drift"); code != exitOK {
				t.Fatalf("not in sync after push:\n%s", out)
			}
		})
	}
}

func TestMoreProvidersBadCredentials(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   func(*testing.T) *cloudEnv
		key   string
		wrong string
	}{
		{"ns1", ns1Env, "NS1_KEY", "wrong-ns1-api-key"},
		{"dnsmadeeasy", dmeEnv, "DME_SECRET", "wrong-dme-secret"},
		{"cloudns", cloudnsEnv, "CLOUDNS_PASSWORD", "wrong-cloudns-password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.env(t)
			file := filepath.Join(e.dir, "zones", "example.com.zone")
			if err := os.WriteFile(file, []byte("$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nnew 300 A 192.0.2.1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			e.env[tc.key] = tc.wrong
			for _, cmd := range []string{"plan", "push", "import"} {
				args := []string{cmd}
				if cmd == "import" {
					args = append(args, "--provider", "old", "--zone", "example.com", "-o", filepath.Join(e.dir, "out.zone"))
				}
				code, out, errs := e.run(t, args...)
				if code != exitError {
					t.Errorf("%s: exit %d, want 2", cmd, code)
				}
				if !strings.Contains(errs, "credentials refused") {
					t.Errorf("%s: stderr does not say the credentials were refused: %s", cmd, errs)
				}
				if strings.Contains(out+errs, tc.wrong) {
					t.Errorf("%s: the secret is in the output", cmd)
				}
			}
			if e.writes() != 0 {
				t.Errorf("%d writes with bad credentials", e.writes())
			}
			if _, err := os.Stat(filepath.Join(e.dir, "out.zone")); err == nil {
				t.Error("import wrote a file with bad credentials")
			}
		})
	}
}

// TestParityMoreProviderFeatures: parity between two servers that answer
// the same, with the old side on NS1, DNS Made Easy or ClouDNS: each
// provider-only feature is a provider-feature warning, parity holds.
func TestParityMoreProviderFeatures(t *testing.T) {
	lab.Require(t, "knotd")
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n@ NS ns1.example.com.\nns1 A 192.0.2.53\nwww A 192.0.2.10\n"
	z := lab.Zone{Origin: "example.com.", Text: text}
	k1 := lab.Knot(t, lab.Options{Zones: []lab.Zone{z}})
	k2 := lab.Knot(t, lab.Options{Zones: []lab.Zone{z}})
	for _, tc := range []struct {
		name, typ string
		env       func(*testing.T) *cloudEnv
		want      []string
	}{
		{"ns1", "ns1", ns1Env, []string{"www.example.com. filter-chain", "example.com. alias"}},
		{"dnsmadeeasy", "dnsmadeeasy", dmeEnv, []string{"example.com. aname", "go.example.com. http-redirect", "geo.example.com. traffic-director"}},
		{"cloudns", "cloudns", cloudnsEnv, []string{"example.com. alias", "go.example.com. web-redirect", "geo.example.com. geodns"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.env(t)
			if err := os.WriteFile(filepath.Join(e.dir, "zones", "example.com.zone"), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errs := e.run(t, "parity", "--old", k1.Addr, "--new", k2.Addr, "--format", "json")
			if code != exitOK {
				t.Fatalf("parity exit %d: %s\n%s", code, out, errs)
			}
			var doc struct {
				Findings []struct{ Name, Type, Severity, Kind, Old, New, Detail string }
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			prefix := "providers.old (" + tc.typ + "): "
			got := map[string]bool{}
			for _, f := range doc.Findings {
				if f.Kind != "provider-feature" {
					continue
				}
				if f.Severity != "warning" || !strings.HasPrefix(f.Detail, prefix) || !strings.Contains(f.Detail, "decide:") {
					t.Errorf("finding %+v", f)
				}
				got[f.Name+" "+strings.SplitN(strings.TrimPrefix(f.Detail, prefix), ":", 2)[0]] = true
			}
			for _, w := range tc.want {
				if !got[w] {
					t.Errorf("no provider-feature finding %q in %v", w, got)
				}
			}
		})
	}
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
			got := a.staleDS(context.Background(), cfg, "example.com.", tc.parent)
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
	got := a.staleDS(context.Background(), cfg, "example.com.", []string{oldDS})
	if len(got) != 1 || !strings.Contains(got[0], "not read") || strings.Contains(got[0], "wrong-password-value") {
		t.Errorf("bad credentials: %v", got)
	}
}

// TestAPINameserversMoreProviders: the nameservers each provider's API
// names for the zone (what parity asks and a flip delegates to).
func TestAPINameserversMoreProviders(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func(*testing.T) *cloudEnv
		want string
	}{
		{"ns1", ns1Env, "dns1.p01.nsone.net. dns2.p01.nsone.net."},
		{"dnsmadeeasy", dmeEnv, "ns10.dnsmadeeasy.com. ns11.dnsmadeeasy.com."},
		{"cloudns", cloudnsEnv, "pns41.cloudns.net. pns42.cloudns.com."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.env(t)
			cfg, err := config.Load(filepath.Join(e.dir, "dnsparity.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			a := &app{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return e.env[k] }}
			ns, err := a.apiNameservers(context.Background(), cfg, "old", []string{"example.com."})
			if err != nil || strings.Join(ns, " ") != tc.want {
				t.Fatalf("nameservers %v %v", ns, err)
			}
			if _, err := a.apiNameservers(context.Background(), cfg, "old", []string{"missing.example."}); err == nil || !strings.Contains(err.Error(), "providers.old") {
				t.Errorf("missing zone: %v", err)
			}
		})
	}
}

// TestPlanCapabilitiesMoreProviders: every zone-file line NS1, DNS Made
// Easy or ClouDNS cannot hold faithfully is reported with its file and
// line, and push sends nothing.
func TestPlanCapabilitiesMoreProviders(t *testing.T) {
	text := "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nfine 300 A 192.0.2.1\nodd 120 A 192.0.2.2\nsvc 300 HTTPS 1 . alpn=h2\nsplit 300 TXT \"ab\" \"cd\"\nunk 300 TYPE65000 \\# 1 ab\n@ 300 CAA 0 tbs \"x\"\n"
	for _, tc := range []struct {
		name string
		env  func(*testing.T) *cloudEnv
		bad  map[int]string // line → words of the reason
	}{
		{"ns1", ns1Env, map[int]string{6: "HTTPS", 7: "splits it at 255", 8: "TYPE65000"}},
		{"dnsmadeeasy", dmeEnv, map[int]string{6: "HTTPS", 8: "TYPE65000", 9: "CAA tag"}},
		{"cloudns", cloudnsEnv, map[int]string{5: "TTL 120", 6: "HTTPS", 7: "splits it at 255", 8: "TYPE65000", 9: "CAA tag"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.env(t)
			file := filepath.Join(e.dir, "zones", "example.com.zone")
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			code, out, errs := e.run(t, "plan", "--format", "json")
			if code != exitProblem {
				t.Fatalf("plan exit %d: %s %s", code, out, errs)
			}
			var j report.PlanJSON
			if err := json.Unmarshal([]byte(out), &j); err != nil {
				t.Fatal(err)
			}
			got := map[int]string{}
			for _, u := range j.Plans[0].Unsupported {
				if u.File != file && u.File != "zones/example.com.zone" {
					t.Errorf("unsupported %+v: file %q", u, u.File)
				}
				got[u.Line] = u.Reason
			}
			for line, words := range tc.bad {
				if !strings.Contains(got[line], words) {
					t.Errorf("line %d: %q, want %q (all: %v)", line, got[line], words, got)
				}
			}
			if len(got) != len(tc.bad) {
				t.Errorf("unsupported lines %v, want %v", got, tc.bad)
			}
			if code, _, errs := e.run(t, "push"); code != exitProblem || e.writes() != 0 || !strings.Contains(errs, "nothing was pushed") {
				t.Errorf("push exit %d, %d writes: %s", code, e.writes(), errs)
			}
		})
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
