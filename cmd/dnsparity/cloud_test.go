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

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/cloudflare/cftest"
	"github.com/dnsparity/dnsparity/internal/provider/route53/r53test"
	"github.com/dnsparity/dnsparity/internal/report"
)

// cloudEnv is a temp repo whose provider "old" is a fake cloud API.
type cloudEnv struct {
	dir    string
	env    map[string]string
	writes func() int // write calls the fake received
}

func (e *cloudEnv) run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(k string) string { return e.env[k] }}
	full := append([]string{args[0], "--config", filepath.Join(e.dir, "dnsparity.yaml")}, args[1:]...)
	if args[0] == "check" {
		full = args
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := a.main(ctx, full)
	return code, out.String(), errb.String()
}

func newCloudEnv(t *testing.T, providerYAML string, env map[string]string) *cloudEnv {
	t.Helper()
	e := &cloudEnv{dir: t.TempDir(), env: env}
	if err := os.MkdirAll(filepath.Join(e.dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "zones:\n  - name: example.com.\n    file: zones/example.com.zone\nproviders:\n  old:\n" + providerYAML
	if err := os.WriteFile(filepath.Join(e.dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return e
}

// cloudflareEnv: a Cloudflare zone with plain records and every
// Cloudflare-only feature.
func cloudflareEnv(t *testing.T) *cloudEnv {
	s := cftest.New("cf-token-for-tests")
	t.Cleanup(s.Close)
	id := s.AddZone("example.com")
	prio := 10
	for _, r := range []cftest.Record{
		{Name: "example.com", Type: "CNAME", Content: "lb.example.net", TTL: 1},
		{Name: "www.example.com", Type: "A", Content: "192.0.2.10", TTL: 1, Proxied: true},
		{Name: "auto.example.com", Type: "A", Content: "192.0.2.11", TTL: 1},
		{Name: "mail.example.com", Type: "A", Content: "192.0.2.25", TTL: 300},
		{Name: "example.com", Type: "MX", Content: "mail.example.com", Priority: &prio, TTL: 300},
		{Name: "example.com", Type: "TXT", Content: `"v=spf1 mx -all"`, TTL: 300},
		{Name: "_sip._tcp.example.com", Type: "SRV", Data: json.RawMessage(`{"priority":10,"weight":5,"port":5060,"target":"mail.example.com"}`), TTL: 300},
		{Name: "example.com", Type: "CAA", Data: json.RawMessage(`{"flags":0,"tag":"issue","value":"letsencrypt.org"}`), TTL: 3600},
	} {
		s.Seed(id, r)
	}
	e := newCloudEnv(t, fmt.Sprintf("    type: cloudflare\n    url: %s\n    api_key_env: CF_TOKEN\n", s.APIURL()), map[string]string{"CF_TOKEN": "cf-token-for-tests"})
	e.writes = func() int { return s.Count("POST batch") }
	return e
}

// route53Env: a Route 53 zone with plain records, an alias and a weighted
// pair.
func route53Env(t *testing.T) *cloudEnv {
	s := r53test.New("AKIDCMDTEST", "cmd-test-secret-key")
	s.PendingPolls = 0
	t.Cleanup(s.Close)
	id := s.AddZone("example.com", false)
	for _, r := range []r53test.RRSet{
		{Name: "example.com.", Type: "A", AliasTarget: &r53test.AliasTarget{HostedZoneID: "Z2FDTNDATAQYW2", DNSName: "d111111abcdef8.cloudfront.net."}},
		{Name: "w.example.com.", Type: "A", SetIdentifier: "blue", Weight: aws.Int64(70), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.1")},
		{Name: "w.example.com.", Type: "A", SetIdentifier: "green", Weight: aws.Int64(30), TTL: aws.Int64(60), ResourceRecords: r53test.NewRecords("192.0.2.2")},
		{Name: "mail.example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.25")},
		{Name: "example.com.", Type: "MX", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("10 mail.example.com.")},
		{Name: "example.com.", Type: "TXT", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords(`"v=spf1 mx -all"`)},
		{Name: "*.wild.example.com.", Type: "A", TTL: aws.Int64(300), ResourceRecords: r53test.NewRecords("192.0.2.7")},
	} {
		s.Seed(id, r)
	}
	e := newCloudEnv(t, fmt.Sprintf("    type: route53\n    url: %s\n    access_key_id_env: R53_KEY\n    secret_access_key_env: R53_SECRET\n", s.URL),
		map[string]string{"R53_KEY": "AKIDCMDTEST", "R53_SECRET": "cmd-test-secret-key"})
	e.writes = func() int { return s.Count("ChangeResourceRecordSets") }
	return e
}

func TestImportCheckPlanRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name     string
		env      func(*testing.T) *cloudEnv
		comments []string // decision comments the file must carry
		skipped  []string // not written, on stderr
		features int
	}{
		{"cloudflare", cloudflareEnv, []string{"dnsparity: proxied:", "dnsparity: ttl-automatic:"}, []string{"example.com. CNAME lb.example.net: cname-flattening"}, 3},
		{"route53", route53Env, nil, []string{"example.com. A ALIAS d111111abcdef8.cloudfront.net.: alias", "w.example.com. A 192.0.2.1: weighted-routing"}, 3},
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
			if !strings.Contains(text, "; dnsparity: not written") {
				t.Errorf("omitted records not in the file as comments:\n%s", text)
			}
			// check accepts it.
			if code, out, errs := e.run(t, "check", file); code != exitOK {
				t.Fatalf("check exit %d:\n%s%s\n%s", code, out, errs, text)
			}
			// plan against the same provider is empty, and names the features.
			code, out, errs := e.run(t, "plan", "--format", "json")
			if code != exitOK {
				t.Fatalf("plan exit %d: %s\n%s", code, out, errs)
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
			if code, out, _ := e.run(t, "plan"); code != exitOK || !strings.Contains(out, "provider-only:") {
				t.Errorf("text plan does not show features:\n%s", out)
			}
			// push: nothing to do, nothing written.
			if code, out, errs := e.run(t, "push"); code != exitOK || e.writes() != 0 {
				t.Fatalf("push exit %d, %d writes: %s %s", code, e.writes(), out, errs)
			}
			// A change in git is pushed and then in sync.
			if err := os.WriteFile(file, append(b, []byte("added 300 IN A 192.0.2.200\n")...), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, out, errs := e.run(t, "push"); code != exitOK || e.writes() != 1 {
				t.Fatalf("push exit %d, %d writes: %s %s", code, e.writes(), out, errs)
			}
			if code, out, _ := e.run(t, "plan", "--detect-drift"); code != exitOK {
				t.Fatalf("not in sync after push:\n%s", out)
			}
			// import refuses to overwrite without --force.
			if code, _, errs := e.run(t, "import", "--provider", "old", "--zone", "example.com", "-o", file); code != exitError || !strings.Contains(errs, "--force") {
				t.Errorf("overwrite: exit %d %s", code, errs)
			}
		})
	}
}

func TestCloudBadCredentials(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   func(*testing.T) *cloudEnv
		key   string
		wrong string
	}{
		{"cloudflare", cloudflareEnv, "CF_TOKEN", "wrong-cloudflare-token"},
		{"route53", route53Env, "R53_SECRET", "wrong-aws-secret-key"},
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

func TestImportRFC2136(t *testing.T) {
	e := newPushEnv(t)
	out := filepath.Join(e.dir, "zones", "imported.zone")
	code, _, errs := e.run(t, "import", "--provider", "old", "--zone", pushOrigin, "-o", out)
	if code != exitOK {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	var o, ce bytes.Buffer
	a := &app{stdout: &o, stderr: &ce, getenv: func(string) string { return "" }}
	if code := a.main(context.Background(), []string{"check", "--origin", pushOrigin, out}); code != exitOK {
		t.Fatalf("check exit %d: %s %s", code, o.String(), ce.String())
	}
	// The imported file as the zone: the plan against the same server is
	// empty.
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	e.writeZone(t, string(b))
	if code, text, errs := e.run(t, "plan", "--provider", "old", "--detect-drift"); code != exitOK {
		t.Fatalf("plan after import: exit %d\n%s%s", code, text, errs)
	}
}

// TestParityProviderFeatures: parity between two servers that answer
// the same, with the old side on a hosted provider: each provider-only
// feature is a provider-feature warning naming the record, with the old
// value, and parity still holds.
func TestParityProviderFeatures(t *testing.T) {
	lab.Require(t, "knotd")
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n@ NS ns1.example.com.\nns1 A 192.0.2.53\nwww A 192.0.2.10\n"
	z := lab.Zone{Origin: "example.com.", Text: text}
	k1 := lab.Knot(t, lab.Options{Zones: []lab.Zone{z}})
	k2 := lab.Knot(t, lab.Options{Zones: []lab.Zone{z}})
	for _, tc := range []struct {
		name, typ string
		env       func(*testing.T) *cloudEnv
		want      []string
		old       map[string]string // finding → its old value
	}{
		{"cloudflare", "cloudflare", cloudflareEnv, []string{"www.example.com. proxied", "example.com. cname-flattening", "auto.example.com. ttl-automatic"}, map[string]string{"www.example.com. proxied": "192.0.2.10"}},
		{"ns1", "ns1", ns1Env, []string{"www.example.com. filter-chain", "example.com. alias"}, nil},
		{"dnsmadeeasy", "dnsmadeeasy", dmeEnv, []string{"example.com. aname", "go.example.com. http-redirect", "geo.example.com. traffic-director"}, nil},
		{"cloudns", "cloudns", cloudnsEnv, []string{"example.com. alias", "go.example.com. web-redirect", "geo.example.com. geodns"}, nil},
		{"powerdns", "powerdns", powerdnsLUAEnv, []string{"geo.example.com. lua"}, nil},
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
			got := map[string]string{}
			for _, f := range doc.Findings {
				if f.Kind != "provider-feature" {
					continue
				}
				if f.Severity != "warning" || !strings.HasPrefix(f.Detail, prefix) || !strings.Contains(f.Detail, "decide:") {
					t.Errorf("finding %+v", f)
				}
				got[f.Name+" "+strings.SplitN(strings.TrimPrefix(f.Detail, prefix), ":", 2)[0]] = f.Old
			}
			for _, w := range tc.want {
				if _, ok := got[w]; !ok {
					t.Errorf("no provider-feature finding %q in %v", w, got)
				}
			}
			for k, v := range tc.old {
				if got[k] != v {
					t.Errorf("old value of %s: %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

// powerdnsLUAEnv: a real PowerDNS (its API) whose zone has a LUA record,
// a PowerDNS-only feature.
func powerdnsLUAEnv(t *testing.T) *cloudEnv {
	lab.Require(t, "pdns_server")
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n@ NS ns1.example.com.\nns1 A 192.0.2.53\nwww A 192.0.2.10\n" +
		`geo 60 LUA A "ifportup(443, {'192.0.2.20', '192.0.2.21'})"` + "\n"
	p := lab.PDNS(t, lab.Options{LUA: true, Zones: []lab.Zone{{Origin: "example.com.", Text: text}}})
	return newCloudEnv(t, fmt.Sprintf("    type: powerdns\n    url: %s\n    server_id: %s\n    api_key_env: PDNS_KEY\n", p.APIURL, p.ServerID), map[string]string{"PDNS_KEY": p.APIKey})
}

// TestAPINameservers: the nameservers each provider's API
// names for the zone (what parity asks and a flip delegates to).
func TestAPINameservers(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func(*testing.T) *cloudEnv
		want string
	}{
		{"cloudflare", cloudflareEnv, "ada.ns.cloudflare.com. bob.ns.cloudflare.com."},
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
			sides, err := provider.Sides(cfg, func(k string) string { return e.env[k] }, "old")
			if err != nil || len(cfg.Providers["old"].Nameservers) > 0 {
				t.Fatalf("sides %v; nameservers %v in the config", err, cfg.Providers["old"].Nameservers)
			}
			ns, err := sides[0].Nameservers(context.Background(), []string{"example.com."})
			if err != nil || strings.Join(ns, " ") != tc.want {
				t.Fatalf("nameservers %v %v", ns, err)
			}
			if _, err := sides[0].Nameservers(context.Background(), []string{"missing.example."}); err == nil || !strings.Contains(err.Error(), "providers.old") {
				t.Errorf("missing zone: %v", err)
			}
		})
	}
}

// TestPlanCapabilities: every zone-file line a provider cannot hold
// faithfully is reported with its file and line, and push sends nothing.
func TestPlanCapabilities(t *testing.T) {
	text := "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nfine 300 A 192.0.2.1\nshort 30 A 192.0.2.2\nloc 300 LOC 52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m\n@ 300 CAA 0 tbs \"x\"\nodd 300 TYPE65000 \\# 1 ab\n"
	text2 := "$ORIGIN example.com.\n@ 300 SOA ns. h. 1 2 3 4 5\n@ 300 NS ns.example.net.\nfine 300 A 192.0.2.1\nodd 120 A 192.0.2.2\nsvc 300 HTTPS 1 . alpn=h2\nsplit 300 TXT \"ab\" \"cd\"\nunk 300 TYPE65000 \\# 1 ab\n@ 300 CAA 0 tbs \"x\"\n"
	for _, tc := range []struct {
		name string
		env  func(*testing.T) *cloudEnv
		text string
		bad  map[int]string // line → words of the reason
	}{
		// Cloudflare writes LOC (providers17), NS1 HTTPS with alpn.
		{"cloudflare", cloudflareEnv, text, map[int]string{5: "TTL 30", 7: "CAA tag", 8: "TYPE65000"}},
		{"route53", route53Env, text, map[int]string{6: "LOC", 7: "CAA tag", 8: "TYPE65000"}},
		{"ns1", ns1Env, text2, map[int]string{7: "splits it at 255", 8: "TYPE65000"}},
		{"dnsmadeeasy", dmeEnv, text2, map[int]string{6: "HTTPS", 8: "TYPE65000", 9: "CAA tag"}},
		{"cloudns", cloudnsEnv, text2, map[int]string{5: "TTL 120", 6: "HTTPS", 7: "splits it at 255", 8: "TYPE65000", 9: "CAA tag"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.env(t)
			file := filepath.Join(e.dir, "zones", "example.com.zone")
			if err := os.WriteFile(file, []byte(tc.text), 0o644); err != nil {
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
				if u.File != "zones/example.com.zone" { // relative to the repository root
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

// TestImportPowerDNS: import is generic over providers: a PowerDNS zone
// (API) imports into a file that check accepts and plan finds in sync.
func TestImportPowerDNS(t *testing.T) {
	lab.Require(t, "pdns_server")
	text := readTestdata(t, "example.com.zone")
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: pushOrigin, Text: text}}})
	e := newCloudEnv(t, fmt.Sprintf("    type: powerdns\n    url: %s\n    api_key_env: PDNS_KEY\n", srv.APIURL), map[string]string{"PDNS_KEY": srv.APIKey})
	file := filepath.Join(e.dir, "zones", "example.com.zone")
	code, _, errs := e.run(t, "import", "--provider", "old", "--zone", pushOrigin, "-o", file)
	if code != exitOK {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	if code, out, errs := e.run(t, "check", file); code != exitOK {
		t.Fatalf("check exit %d: %s %s", code, out, errs)
	}
	if code, out, errs := e.run(t, "plan", "--detect-drift"); code != exitOK {
		t.Fatalf("plan after import: exit %d\n%s%s", code, out, errs)
	}
}

// TestMigrateCloudflareToRoute53: the migration's first steps between the
// two hosted providers: import the old (Cloudflare) zone, push it to the
// new (Route 53), and both are in sync with git; the provider-only
// records are listed, not carried over silently.
func TestMigrateCloudflareToRoute53(t *testing.T) {
	cf := cftest.New("cf-token")
	defer cf.Close()
	id := cf.AddZone("example.com")
	prio := 10
	for _, r := range []cftest.Record{
		{Name: "www.example.com", Type: "A", Content: "192.0.2.10", TTL: 1, Proxied: true},
		{Name: "mail.example.com", Type: "A", Content: "192.0.2.25", TTL: 300},
		{Name: "example.com", Type: "MX", Content: "mail.example.com", Priority: &prio, TTL: 300},
		{Name: "example.com", Type: "TXT", Content: "v=spf1 mx -all", TTL: 300},
		{Name: "dkim._domainkey.example.com", Type: "TXT", Content: "v=DKIM1; k=rsa; p=" + dkim2048, TTL: 300},
		{Name: "example.com", Type: "CAA", Data: json.RawMessage(`{"flags":0,"tag":"issue","value":"letsencrypt.org"}`), TTL: 3600},
		{Name: "_sip._tcp.example.com", Type: "SRV", Data: json.RawMessage(`{"priority":10,"weight":5,"port":5060,"target":"mail.example.com"}`), TTL: 300},
	} {
		cf.Seed(id, r)
	}
	r53 := r53test.New("AKIDMIGRATE", "migrate-secret")
	r53.PendingPolls = 0
	defer r53.Close()
	r53.AddZone("example.com", false)
	e := newCloudEnv(t, fmt.Sprintf("    type: cloudflare\n    url: %s\n    api_key_env: CF_TOKEN\n  new:\n    type: route53\n    url: %s\n    access_key_id_env: R53_KEY\n    secret_access_key_env: R53_SECRET\n", cf.APIURL(), r53.URL),
		map[string]string{"CF_TOKEN": "cf-token", "R53_KEY": "AKIDMIGRATE", "R53_SECRET": "migrate-secret"})
	file := filepath.Join(e.dir, "zones", "example.com.zone")
	if code, _, errs := e.run(t, "import", "--provider", "old", "--zone", "example.com", "-o", file); code != exitOK {
		t.Fatalf("import exit %d: %s", code, errs)
	}
	// The proxied record is kept with its decision comment, at the TTL
	// Cloudflare answers it with (automatic: 300).
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "; dnsparity: proxied:") || !strings.Contains(string(b), "www\t300\tIN\tA\t192.0.2.10") {
		t.Fatalf("proxied record:\n%s", b)
	}
	code, out, errs := e.run(t, "push", "--provider", "new", "--format", "json")
	if code != exitOK {
		t.Fatalf("push to route53: exit %d\n%s\n%s", code, out, errs)
	}
	if n := r53.Count("ChangeResourceRecordSets"); n != 1 {
		t.Errorf("%d change batches for a small zone, want 1", n)
	}
	code, out, errs = e.run(t, "plan", "--detect-drift", "--format", "json")
	if code != exitOK {
		_, text, _ := e.run(t, "plan")
		t.Fatalf("not in sync after the pushes: exit %d\n%s\n%s", code, text, errs)
	}
	var j report.PlanJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	if len(j.Plans) != 2 || len(j.Plans[0].Features) != 1 || j.Plans[0].Features[0].Feature != "proxied" || len(j.Plans[1].Features) != 0 {
		t.Errorf("features per provider: %s", out)
	}
}

// dkim2048 is the 2048-bit RSA key of testdata/push/example.com.zone
// (mail2026._domainkey): a key record over 255 octets that check takes
// as a key (mailauth decodes it).
const dkim2048 = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoD7IgcegN67riRUf7Rm/HjIaprMBgDV6GJr6yl66m7vEMpO8e0hQp0UCnOtiZZF+dmh+GOIS1pTJ+ayJxJllo2zUX2MaXoJyYIVT0cmdUGnfXLdeXw9WvOEP/9OPBs/nk7w+HT1glW3bpH7DDAzKf6VPOvFvlxBOaFQpvgU8rhrRGsyXUNCB9PBgrdcW0x6KDmialzTRarqfaDSdYSxZ8s2a9yZpyfmsLyTWebMym2d6uqo3VvG5vpFZ9mHndvd4c5SjEpD5BVGeCCcMQTfHTVOIaAk8aPG5nRC8dKs/Nytep45W5u5H0THsrRbKTD93IE99e9yDxObYgePsImVz5QIDAQAB"

// TestImportHelpZoneListers: import's help says which providers name the
// zone meant: every provider type that lists its zones
// (provider.ZoneLister), which is every one but rfc2136. It named
// PowerDNS, Cloudflare and Route 53 only after NS1, DNS Made Easy and
// ClouDNS gained the listing.
func TestImportHelpZoneListers(t *testing.T) {
	var without []string
	for _, typ := range provider.Types() {
		if !provider.Has[provider.ZoneLister](typ) {
			without = append(without, typ)
		}
	}
	if strings.Join(without, " ") != "rfc2136" {
		t.Errorf("provider types without a zone listing: %q; the help says rfc2136 alone", without)
	}
	if help := strings.Join(strings.Fields(importHelp), " "); !strings.Contains(help, "where the provider lists its zones (every API provider), else among the config's zones (an RFC 2136 server)") {
		t.Errorf("import's help does not say which providers list their zones:\n%s", importHelp)
	}
}

// TestParityFeaturesOff: a pull request from a fork gets no secrets, so
// parity cannot read a hosted provider's own features: a warning every
// such run gave, which `fail-on: warning` made a failure no fork could
// clear. --features=false (the Action's pr on a fork) reads none and
// says nothing of them; without it, the unset secret is that warning.
func TestParityFeaturesOff(t *testing.T) {
	lab.Require(t, "knotd")
	text := "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n@ NS ns1.example.com.\nns1 A 192.0.2.53\nwww A 192.0.2.10\n"
	z := lab.Zone{Origin: "example.com.", Text: text}
	k1 := lab.Knot(t, lab.Options{Zones: []lab.Zone{z}})
	k2 := lab.Knot(t, lab.Options{Zones: []lab.Zone{z}})
	e := cloudflareEnv(t)
	if err := os.WriteFile(filepath.Join(e.dir, "zones", "example.com.zone"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for k := range e.env {
		delete(e.env, k) // a fork's run: no secret set
	}
	code, out, errs := e.run(t, "parity", "--old", k1.Addr, "--new", k2.Addr)
	if code != exitOK || !strings.Contains(out, "provider-only features not read") {
		t.Errorf("parity without the token: exit %d, want 0 with a warning that the features were not read:\n%s\n%s", code, out, errs)
	}
	code, out, errs = e.run(t, "parity", "--old", k1.Addr, "--new", k2.Addr, "--features=false")
	if code != exitOK || strings.Contains(out, "provider-feature") || strings.Contains(out, "features not read") {
		t.Errorf("parity --features=false without the token: exit %d, want 0 and no provider-feature finding:\n%s\n%s", code, out, errs)
	}
}
