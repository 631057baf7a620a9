package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/report"
)

// TestFlagsBeforeSecrets: a mistyped --zone, --provider or parity flag
// (which need no secret) is the error a command reports, not the
// credential variables it would read next (unset here): the user who
// mistyped is told so, instead of being sent to set secrets first. On
// the code before, plan and push named CF_TOKEN and PDNS_KEY for a
// --zone the config lacks, and parity for a bad --resolver or a missing
// --queries file when a side's servers come from its provider's API.
func TestFlagsBeforeSecrets(t *testing.T) {
	e := newCloudEnv(t, "    type: cloudflare\n    url: http://127.0.0.1:1\n    api_key_env: CF_TOKEN\n"+
		"  new:\n    type: powerdns\n    url: http://127.0.0.1:1\n    api_key_env: PDNS_KEY\n    nameservers: [127.0.0.2]\n"+
		"registrar: {type: manual}\ncutover:\n  parent_servers: [127.0.0.3]\n", map[string]string{})
	if err := os.WriteFile(filepath.Join(e.dir, "zones", "example.com.zone"), []byte("$TTL 300\n@ SOA ns1 hm 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	typo := "did you mean example.com.?"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "--zone", "exmaple.com."}, typo},
		{[]string{"push", "--zone", "exmaple.com."}, typo},
		{[]string{"plan", "--provider", "odl"}, "did you mean old?"},
		{[]string{"push", "--zone", "example.com.", "--provider", "nwe"}, "did you mean new?"},
		{[]string{"parity", "--zone", "exmaple.com."}, typo},
		{[]string{"parity", "--resolver", "192.0.2.1:port"}, "--resolver"},
		{[]string{"parity", "--queries", filepath.Join(e.dir, "none.tap")}, "queries: "},
		{[]string{"import", "--provider", "odl", "--zone", "example.com."}, "did you mean old?"},
		{[]string{"import", "--provider", "old", "--zone", "exmaple..com"}, "is not a domain name"},
		{[]string{"status", "--zone", "exmaple.com."}, typo},
		{[]string{"flip", "--zone", "exmaple.com."}, typo},
		{[]string{"rollback", "--zone", "exmaple.com."}, typo},
		{[]string{"finish", "--zone", "exmaple.com."}, typo},
	} {
		code, _, errs := e.run(t, tc.args...)
		if code != exitError || !strings.Contains(errs, tc.want) || strings.Contains(errs, "CF_TOKEN") || strings.Contains(errs, "PDNS_KEY") {
			t.Errorf("%s: exit %d, want 2 saying %q and naming no secret:\n%s", strings.Join(tc.args, " "), code, tc.want, errs)
		}
	}
	// The same commands with good names do read the secrets, and say
	// which are missing.
	for _, args := range [][]string{{"plan", "--zone", "example.com."}, {"push"}, {"parity"}} {
		if code, _, errs := e.run(t, args...); code != exitError || !strings.Contains(errs, "CF_TOKEN") {
			t.Errorf("%s: exit %d, want 2 naming CF_TOKEN:\n%s", strings.Join(args, " "), code, errs)
		}
	}
	// A cutover step needs the old side's servers by address in the
	// config before it reads a secret (config.CutoverErrors): given them,
	// status reads the secrets too.
	cfg := filepath.Join(e.dir, "dnsparity.yaml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "api_key_env: CF_TOKEN\n", "api_key_env: CF_TOKEN\n    nameservers: [127.0.0.4]\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := e.run(t, "status", "--zone", "example.com."); code != exitError || !strings.Contains(errs, "CF_TOKEN") {
		t.Errorf("status --zone example.com.: exit %d, want 2 naming CF_TOKEN:\n%s", code, errs)
	}
}

// TestFlagsBeforeConfig: a flag whose own value is wrong (a --resolver
// that is no address, a --queries file that is not there, a --shard or
// --format out of range) is the error a command reports before its
// config's, here a url: password too short to be masked, which the config
// refuses as it loads: the user is told of the flag first, as a command
// line's usage errors come first. parity named the url: for a bad
// --resolver and a missing --queries file. With the flags right, the
// refusal is the error, naming the url: and never its value.
func TestFlagsBeforeConfig(t *testing.T) {
	e := newCloudEnv(t, "    type: powerdns\n    url: http://admin:zq7@127.0.0.1:1\n    api_key_env: PDNS_KEY\n    nameservers: [127.0.0.2]\n", map[string]string{"PDNS_KEY": "pdns-key-0123456789"})
	if err := os.WriteFile(filepath.Join(e.dir, "zones", "example.com.zone"), []byte("$TTL 300\n@ SOA ns1 hm 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	const refused = "the url: of provider old holds a secret of fewer than"
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"parity", "--resolver", "192.0.2.1:port"}, "--resolver"},
		{[]string{"parity", "--queries", filepath.Join(e.dir, "none.tap")}, "queries: "},
		{[]string{"plan", "--shard", "3/2"}, "-shard"},
		{[]string{"push", "--format", "yml"}, "-format"},
		{[]string{"check", "--format", "yml"}, "-format"},
		{[]string{"plan"}, refused},
		{[]string{"parity"}, refused},
	} {
		code, out, errs := e.run(t, tc.args...)
		if code != exitError || !strings.Contains(errs, tc.want) || tc.want != refused && strings.Contains(errs, "url:") || strings.Contains(out+errs, "zq7") {
			t.Errorf("%s: exit %d, want 2 saying %q (and no url: unless that is the error, never its password):\n%s", strings.Join(tc.args, " "), code, tc.want, errs)
		}
	}
}

// TestAXFRQueriesBeforeTSIG: `parity --axfr` with a --queries file that
// is not there says so, not that the TSIG secret the transfer signs with
// is unset (it named OLD_TSIG_SECRET first).
func TestAXFRQueriesBeforeTSIG(t *testing.T) {
	e := newCloudEnv(t, "    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: [127.0.0.2]\n    tsig: {name: k., secret_env: OLD_TSIG_SECRET}\n"+
		"  new:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: [127.0.0.3]\n", map[string]string{})
	if err := os.WriteFile(filepath.Join(e.dir, "zones", "example.com.zone"), []byte("$TTL 300\n@ SOA ns1 hm 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := e.run(t, "parity", "--axfr", "--queries", filepath.Join(e.dir, "none.tap"))
	if code != exitError || !strings.Contains(errs, "queries: ") || strings.Contains(errs, "OLD_TSIG_SECRET") {
		t.Errorf("exit %d, want 2 saying queries: and naming no secret:\n%s", code, errs)
	}
	// With the file there, the missing secret is the error.
	if err := os.WriteFile(filepath.Join(e.dir, "q.log"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := e.run(t, "parity", "--axfr", "--queries", filepath.Join(e.dir, "q.log")); code != exitError || !strings.Contains(errs, "OLD_TSIG_SECRET") {
		t.Errorf("exit %d, want 2 naming OLD_TSIG_SECRET:\n%s", code, errs)
	}
}

// TestZoneErrorsBeforeSecrets: plan and push with a zone file error and
// a provider secret unset report the zone's errors (which need no
// secret) first, then the unset variable, in text and JSON, exit 2, and
// ask no provider anything. They reported the variable alone.
func TestZoneErrorsBeforeSecrets(t *testing.T) {
	var asked atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.Error(w, "not expected", http.StatusInternalServerError)
	}))
	t.Cleanup(api.Close)
	e := newCloudEnv(t, "    type: powerdns\n    url: "+api.URL+"\n    api_key_env: PDNS_API_KEY\n    nameservers: [127.0.0.2]\n", map[string]string{})
	if err := os.WriteFile(filepath.Join(e.dir, "zones", "example.com.zone"),
		[]byte("$TTL 300\n@ SOA ns1 hm 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\nwww CNAME ns1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"plan"}, {"push"}, {"plan", "--format", "json"}} {
		code, out, errs := e.run(t, args...)
		zoneErr, secret := strings.Index(errs, "zones/example.com.zone:6:"), strings.Index(errs, "PDNS_API_KEY")
		if code != exitError || zoneErr < 0 || secret < zoneErr {
			t.Errorf("%s: exit %d, want 2 with the zone's error (line 6) before PDNS_API_KEY:\n%s", strings.Join(args, " "), code, errs)
		}
		if args[len(args)-1] == "json" {
			var r report.PlanJSON
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
			}
			if len(r.Problems) == 0 || !strings.Contains(r.Error, "PDNS_API_KEY") {
				t.Errorf("%s: JSON problems %v, error %q: want the zone's error and PDNS_API_KEY", strings.Join(args, " "), r.Problems, r.Error)
			}
		}
	}
	if n := asked.Load(); n != 0 {
		t.Errorf("the provider was asked %d times with its secret unset", n)
	}
}

// TestParityZoneErrorsBeforeSecrets: parity whose old side's servers come
// from its provider's API (no nameservers in the config) with that
// provider's secret unset reports the zone file's errors (which need no
// secret) first, then the unset variable, in text and JSON, exit 2, and
// asks no provider anything, as plan and push do. It reported the
// variable alone. A record that holds a secret the run did read (the new
// side's TSIG key, which --axfr signs with) is refused, not printed with
// the zone's problems.
func TestParityZoneErrorsBeforeSecrets(t *testing.T) {
	var asked atomic.Int64
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		http.Error(w, "not expected", http.StatusInternalServerError)
	}))
	t.Cleanup(api.Close)
	const tsigSecret = "c2VjcmV0LXRzaWcta2V5LWZvci10aGUtbmV3LXNpZGU="
	e := newCloudEnv(t, "    type: powerdns\n    url: "+api.URL+"\n    api_key_env: PDNS_API_KEY\n"+
		"  new:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: [127.0.0.2]\n    tsig: {name: k., secret_env: NEW_TSIG_SECRET}\n",
		map[string]string{"NEW_TSIG_SECRET": tsigSecret})
	file := filepath.Join(e.dir, "zones", "example.com.zone")
	zoneText := "$TTL 300\n@ SOA ns1 hm 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.2\nwww CNAME ns1\n"
	if err := os.WriteFile(file, []byte(zoneText), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"parity"}, {"parity", "--format", "json"}} {
		code, out, errs := e.run(t, args...)
		zoneErr, secret := strings.Index(errs, "zones/example.com.zone:6:"), strings.Index(errs, "PDNS_API_KEY")
		if code != exitError || zoneErr < 0 || secret < zoneErr {
			t.Errorf("%s: exit %d, want 2 with the zone's error (line 6) before PDNS_API_KEY:\n%s", strings.Join(args, " "), code, errs)
		}
		if args[len(args)-1] == "json" {
			var rep parity.Report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
			}
			if len(rep.Findings) == 0 || rep.Findings[0].Line != 6 || rep.Findings[0].Name != "example.com." || !strings.Contains(rep.Error, "PDNS_API_KEY") {
				t.Errorf("%s: JSON %s: want the zone's error (line 6) as a finding and PDNS_API_KEY as the error", strings.Join(args, " "), out)
			}
		}
	}
	// The new side's TSIG secret, read for --axfr, in a record: refused
	// before the zone's problems are printed.
	if err := os.WriteFile(file, []byte(zoneText+"key TXT \""+tsigSecret+"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := e.run(t, "parity", "--axfr", "--format", "json")
	if code != exitError || strings.Contains(out+errs, tsigSecret) || !strings.Contains(errs, "zone example.com.") {
		t.Errorf("a record holding the TSIG secret: exit %d, want 2 refusing zone example.com. without showing it:\n%s\n%s", code, errs, out)
	}
	if n := asked.Load(); n != 0 {
		t.Errorf("the provider was asked %d times with its secret unset", n)
	}
}
