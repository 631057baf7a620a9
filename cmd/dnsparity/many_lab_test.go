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

	"github.com/dnsparity/dnsparity/internal/lab"
)

// manyZoneText is a small zone (about 30 RRsets) for the many-zones tests.
func manyZoneText(origin string, variant int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\n@ IN NS ns2\nns1 IN A 192.0.2.53\nns2 IN A 198.51.100.53\n", origin)
	fmt.Fprintf(&b, "@ IN MX 10 mail\nmail IN A 192.0.2.25\n@ IN TXT \"v=spf1 mx -all\"\n")
	for i := 0; i < 22; i++ {
		fmt.Fprintf(&b, "h%d IN A 192.0.2.%d\n", i, 100+i+variant)
	}
	fmt.Fprintf(&b, "www IN CNAME h1\n_sip._tcp IN SRV 10 5 5060 h2\n")
	return b.String()
}

// writeManyZones writes n zones into dir/zones and a config with one glob
// and old and new providers at the given addresses.
func writeManyZones(t *testing.T, dir string, n int, old, new string) []lab.Zone {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	var zs []lab.Zone
	for i := 0; i < n; i++ {
		origin := fmt.Sprintf("z%04d.many.test.", i)
		text := manyZoneText(origin, 0)
		if err := os.WriteFile(filepath.Join(dir, "zones", strings.TrimSuffix(origin, ".")+".zone"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		zs = append(zs, lab.Zone{Origin: origin, Text: text})
	}
	cfg := fmt.Sprintf("zones:\n  - files: zones/*.zone\nproviders:\n  old:\n    type: rfc2136\n    server: %s\n    nameservers: [%s]\n  new:\n    type: rfc2136\n    server: %s\n    nameservers: [%s]\n", old, old, new, new)
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return zs
}

// serveManyZones writes n zones and their config into dir and serves them
// from BIND (old) and Knot (new, taking updates), the new side's copy of
// zone stale one address off (stale < 0: none).
func serveManyZones(t *testing.T, dir string, n, stale int) []lab.Zone {
	t.Helper()
	lab.Require(t, "named", "knotd")
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	zs := writeManyZones(t, dir, n, oldIP+":53", newIP+":53")
	newZones := append([]lab.Zone(nil), zs...)
	if stale >= 0 {
		newZones[stale].Text = manyZoneText(zs[stale].Origin, 1)
	}
	lab.BIND(t, lab.Options{IP: oldIP, Zones: zs})
	lab.Knot(t, lab.Options{IP: newIP, Zones: newZones, AllowUpdate: true})
	return zs
}

// TestManyZonesLab: the lab serves 1,000 zones on BIND (old) and Knot
// (new); the new side's copy of one zone has a stale address. parity over
// the config's glob compares all 1,000 in one process and finds exactly
// that one; check reads the 1,000 files.
func TestManyZonesLab(t *testing.T) {
	const n, stale = 1000, 637
	dir := t.TempDir()
	zs := serveManyZones(t, dir, n, stale) // h0..h21 of zone 637 one address off at new

	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := a.main(context.Background(), []string{"parity", "--config", filepath.Join(dir, "dnsparity.yaml"), "--format", "json"})
	if code != exitProblem {
		t.Fatalf("parity exit %d, want 1 (one zone differs)\n%s", code, tailString(errb.String(), 2000))
	}
	var reps []struct {
		Zone     string `json:"zone"`
		Error    string `json:"error"`
		Queries  int    `json:"queries"`
		Findings []struct {
			Name, Severity, Kind string
		} `json:"findings"`
	}
	if err := json.Unmarshal(out.Bytes(), &reps); err != nil {
		t.Fatalf("JSON: %v\n%s", err, tailString(out.String(), 500))
	}
	if len(reps) != n {
		t.Fatalf("%d reports, want %d", len(reps), n)
	}
	for i, r := range reps {
		errs := 0
		for _, f := range r.Findings {
			if f.Severity == "error" {
				errs++
			}
		}
		switch {
		case r.Zone != zs[i].Origin:
			t.Fatalf("report %d is zone %s, want %s (zone order)", i, r.Zone, zs[i].Origin)
		case r.Error != "" || r.Queries == 0:
			t.Errorf("zone %s: error %q, %d queries", r.Zone, r.Error, r.Queries)
		case i == stale && errs == 0:
			t.Errorf("zone %s: the stale addresses were not found: %+v", r.Zone, r.Findings)
		case i != stale && errs > 0:
			t.Errorf("zone %s: %d errors in a zone both sides serve alike: %+v", r.Zone, errs, r.Findings)
		}
	}
	if !strings.Contains(errb.String(), fmt.Sprintf("parity: %d zones", n)) {
		t.Errorf("stderr does not announce the run over %d zones:\n%s", n, tailString(errb.String(), 500))
	}

	// plan reads the 2,000 provider × zone (AXFR) and finds the one to fix;
	// it replaces most of the zone: --force.
	out.Reset()
	errb.Reset()
	t.Chdir(dir)
	if code := a.main(context.Background(), []string{"plan", "--format", "json"}); code != exitProblem {
		t.Fatalf("plan exit %d, want 1 (the stale zone's plan needs --force)\n%s", code, tailString(errb.String(), 2000))
	}
	var plans struct {
		Plans []struct {
			Provider, Zone string
			Summary        map[string]int
		} `json:"plans"`
	}
	if err := json.Unmarshal(out.Bytes(), &plans); err != nil {
		t.Fatalf("plan JSON: %v", err)
	}
	if len(plans.Plans) != 2*n {
		t.Fatalf("%d plans, want %d", len(plans.Plans), 2*n)
	}
	for i, p := range plans.Plans {
		changes := p.Summary["create"] + p.Summary["replace"] + p.Summary["delete"]
		wantProv, wantZone := "old", zs[i%n].Origin
		if i >= n {
			wantProv = "new"
		}
		if p.Provider != wantProv || p.Zone != wantZone {
			t.Fatalf("plan %d is %s %s, want %s %s (provider by provider, zone order)", i, p.Provider, p.Zone, wantProv, wantZone)
		}
		if stale := i == n+stale; (changes > 0) != stale {
			t.Errorf("plan %s %s: %d changes", p.Provider, p.Zone, changes)
		}
	}
	out.Reset()
	errb.Reset()
	if code := a.main(context.Background(), []string{"push", "--provider", "new", "--force"}); code != exitOK {
		t.Fatalf("push exit %d\n%s", code, tailString(errb.String(), 2000))
	}
	if code := a.main(context.Background(), []string{"parity", "--zone", zs[stale].Origin}); code != exitOK {
		t.Errorf("parity of %s after the push: exit %d\n%s", zs[stale].Origin, code, tailString(out.String(), 1000))
	}

	out.Reset()
	errb.Reset()
	if code := a.main(context.Background(), []string{"check"}); code != exitOK {
		t.Fatalf("check exit %d\n%s%s", code, tailString(out.String(), 500), errb.String())
	}
	if !strings.Contains(out.String(), fmt.Sprintf("%d zone files", n)) {
		t.Errorf("check: %s", out.String())
	}
}

func tailString(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

// TestShardedSweepLab: matrix splits 40 zones into 4 shards, each shard's
// parity runs on its own (as a matrix job would) and merge gives the
// report one run over all zones gives; a shard whose report is gone is
// named with its zones, exit 2.
func TestShardedSweepLab(t *testing.T) {
	const n = 40
	dir := t.TempDir()
	zs := serveManyZones(t, dir, n, 7)
	t.Chdir(dir)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		return a.main(context.Background(), args), out.String(), errb.String()
	}

	code, out, errs := run("matrix", "--shards", "4")
	if code != exitOK {
		t.Fatalf("matrix exit %d: %s", code, errs)
	}
	var m struct {
		Include []struct {
			Shard string   `json:"shard"`
			Zones []string `json:"zones"`
		} `json:"include"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil || len(m.Include) != 4 {
		t.Fatalf("matrix %v: %s", err, out)
	}
	var files []string
	for _, e := range m.Include {
		if len(e.Zones) != n/4 {
			t.Errorf("shard %s: %d zones, want %d (equal zones, equal shards)", e.Shard, len(e.Zones), n/4)
		}
		code, out, errs := run("parity", "--shard", e.Shard, "--format", "json")
		want := exitOK
		for _, z := range e.Zones {
			if z == zs[7].Origin {
				want = exitProblem
			}
		}
		if code != want {
			t.Fatalf("parity --shard %s: exit %d, want %d\n%s", e.Shard, code, want, tailString(errs, 1000))
		}
		f := filepath.Join(dir, "shard-"+strings.ReplaceAll(e.Shard, "/", "-")+".json")
		if err := os.WriteFile(f, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	code, out, errs = run(append([]string{"merge", "--format", "json"}, files...)...)
	if code != exitProblem {
		t.Fatalf("merge exit %d, want 1 (zone %s differs)\n%s", code, zs[7].Origin, errs)
	}
	var merged struct {
		Reports []struct {
			Zone     string            `json:"zone"`
			Findings []json.RawMessage `json:"findings"`
		} `json:"reports"`
		Shards struct {
			Expected, Reported int
			Missing            []string
		} `json:"shards"`
		Exit int `json:"exit"`
	}
	if err := json.Unmarshal([]byte(out), &merged); err != nil {
		t.Fatalf("merged JSON: %v\n%s", err, tailString(out, 500))
	}
	seen := map[string]bool{}
	for _, r := range merged.Reports {
		seen[r.Zone] = true
	}
	if len(merged.Reports) != n || len(seen) != n || merged.Shards.Reported != 4 || merged.Exit != 1 {
		t.Errorf("merged: %d reports of %d zones, shards %+v, exit %d", len(merged.Reports), len(seen), merged.Shards, merged.Exit)
	}

	// Shard 3's job died: no report.
	code, out, errs = run(append([]string{"merge"}, files[0], files[1], files[3])...)
	if code != exitError || !strings.Contains(out, "MISSING 3/4") || !strings.Contains(out, m.Include[2].Zones[0]) || !strings.Contains(errs, "shard 3/4 is missing") {
		t.Errorf("a missing shard: exit %d\n%s%s", code, out, errs)
	}

	// check --shard: the shard's zones only, with the shard in its report.
	code, out, _ = run("check", "--shard", "2/4", "--format", "json")
	if code != exitOK || !strings.Contains(out, `"name": "2/4"`) || !strings.Contains(out, `"exit": 0`) {
		t.Errorf("check --shard: exit %d\n%s", code, out)
	}
}

// TestManyZonesClosingLineLab: parity over many zones in text ends with
// one line for the run that names the zones that do not hold, first: the
// reports are written zone by zone in config order, so the one zone that
// differs stood in the middle of the output, and the last line was the
// last zone's "parity holds".
func TestManyZonesClosingLineLab(t *testing.T) {
	const n, stale = 30, 17
	dir := t.TempDir()
	zs := serveManyZones(t, dir, n, stale)
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := a.main(context.Background(), []string{"parity", "--config", filepath.Join(dir, "dnsparity.yaml")})
	if code != exitProblem {
		t.Fatalf("parity exit %d, want 1 (one zone differs)\n%s", code, tailString(errb.String(), 2000))
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	want := fmt.Sprintf("parity over %d zones: differences in 1 zone (%s); parity holds in %d", n, zs[stale].Origin, n-1)
	if last != want {
		t.Errorf("last line %q, want %q", last, want)
	}
}
