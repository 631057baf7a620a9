package shard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Spec
		err  bool
	}{
		{"3/16", Spec{3, 16}, false}, {" 1/1 ", Spec{1, 1}, false}, {"256/256", Spec{256, 256}, false},
		{"0/4", Spec{}, true}, {"5/4", Spec{}, true}, {"1/257", Spec{}, true}, {"a/b", Spec{}, true}, {"3", Spec{}, true},
	} {
		got, err := Parse(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("Parse(%q) = %v, %v", tt.in, got, err)
		}
	}
}

// itemNames names n items (zones) i0.example. to i<n-1>.example.
func itemNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("i%d.example.", i)
	}
	return out
}

func TestAssignBalanced(t *testing.T) {
	// One big zone and many small ones: the big one alone, the rest even.
	w := []int64{5, 5, 5, 5, 1000, 5, 5, 5, 5, 5, 5, 5, 300, 300, 5, 5}
	parts := Assign(itemNames(len(w)), w, 4)
	if len(parts) != 4 {
		t.Fatalf("%d shards", len(parts))
	}
	var total []int64
	seen := map[int]bool{}
	for _, p := range parts {
		var sum int64
		for k, i := range p {
			if seen[i] {
				t.Fatalf("item %d in two shards", i)
			}
			seen[i] = true
			if k > 0 && p[k-1] > i {
				t.Errorf("shard %v not in item order", p)
			}
			sum += w[i]
		}
		total = append(total, sum)
	}
	if len(seen) != len(w) {
		t.Fatalf("%d of %d items assigned", len(seen), len(w))
	}
	// The largest shard is the 1000-RRset zone alone (no split does
	// better); each 300 is in a shard of its own, without the 1000; the
	// small ones go where they fit below the cap (capOf: 1.05 of the
	// average, 440 here), which they may share with a 300.
	limit := capOf(1670, 4)
	for s, p := range parts {
		has := map[int64]int{}
		for _, i := range p {
			has[w[i]]++
		}
		switch {
		case has[1000] > 0 && len(p) != 1:
			t.Errorf("the 1000-RRset zone shares shard %d: %v (loads %v)", s+1, parts, total)
		case has[300] > 1:
			t.Errorf("both 300-RRset zones in shard %d: %v (loads %v)", s+1, parts, total)
		case has[1000] == 0 && total[s] > limit:
			t.Errorf("shard %d: %d RRsets, over the cap %d (loads %v)", s+1, total[s], limit, total)
		}
	}
	// Sizes 1..17 (153) over 3 shards: 51 each on average, none over the
	// cap (54: 1.05 × 51, rounded up). The split by load alone gave 51±1;
	// the stable split gives up that much balance for zones that stay in
	// their shard (TestAssignStable).
	var w17 []int64
	for i := int64(1); i <= 17; i++ {
		w17 = append(w17, i)
	}
	for _, p := range Assign(itemNames(len(w17)), w17, 3) {
		var sum int64
		for _, i := range p {
			sum += w17[i]
		}
		if sum > capOf(153, 3) || sum > 54 {
			t.Errorf("1..17 over 3 shards: a shard of %d, want at most 54", sum)
		}
	}
	if !reflect.DeepEqual(Assign(itemNames(len(w)), w, 4), parts) {
		t.Error("not deterministic")
	}
	p := Assign(itemNames(2), []int64{3, 1}, 4)
	var nonEmpty int
	for _, s := range p {
		if len(s) > 1 {
			t.Errorf("more shards than items: two items in one shard: %v", p)
		}
		if len(s) == 1 {
			nonEmpty++
		}
	}
	if len(p) != 4 || nonEmpty != 2 {
		t.Errorf("more shards than items: %v, want 4 shards, 2 of them with one item", p)
	}
}

// writeCfg writes zones of the given sizes (RRsets below the apex's 3)
// and a config naming them by glob.
func writeCfg(t *testing.T, sizes []int) *config.Config {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "zones"), 0o755)
	for i, n := range sizes {
		var b strings.Builder
		fmt.Fprintf(&b, "$ORIGIN z%d.example.\n@ 300 SOA ns hm 1 2 3 4 5\n@ 300 NS ns\nns 300 A 192.0.2.1\n", i)
		for k := 0; k < n; k++ {
			fmt.Fprintf(&b, "h%d 300 A 192.0.2.%d\n", k, k%250)
		}
		os.WriteFile(filepath.Join(dir, "zones", fmt.Sprintf("z%d.zone", i)), []byte(b.String()), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte("zones:\n  - files: zones/*.zone\n"), 0o644)
	cfg, err := config.Load(filepath.Join(dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestMatrixAndSelect(t *testing.T) {
	cfg := writeCfg(t, []int{100, 1, 1, 1, 50, 50, 1, 1})
	m := NewMatrix(cfg, 3)
	if len(m.Include) != 3 || m.Include[0].Shard != "1/3" {
		t.Fatalf("matrix %+v", m)
	}
	for _, e := range m.Include {
		if slices.Contains(e.Zones, "z0.example.") && (len(e.Zones) != 1 || e.RRsets != 103) {
			t.Errorf("shard %s: %+v, want the 100-RRset zone alone", e.Shard, e)
		}
	}
	// Every shard job computes the same split from the config.
	all := 0
	for _, e := range m.Include {
		spec, _ := Parse(e.Shard)
		zs, err := Select(cfg, &spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, z := range zs {
			names = append(names, z.Name)
		}
		if !reflect.DeepEqual(names, e.Zones) {
			t.Errorf("shard %s: Select gives %v, the matrix %v", e.Shard, names, e.Zones)
		}
		all += len(names)
	}
	if all != 8 {
		t.Errorf("%d zones over the shards, want 8", all)
	}
	if m := NewMatrix(cfg, 500); len(m.Include) != 8 {
		t.Errorf("500 shards asked for 8 zones: %d jobs, want 8", len(m.Include))
	}
	js, _ := json.Marshal(NewMatrix(cfg, 2))
	if !strings.HasPrefix(string(js), `{"include":[{"shard":"1/2","zones":["`) {
		t.Errorf("matrix JSON %s", js)
	}
}

func writeJSON(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestMergeParity(t *testing.T) {
	dir := t.TempDir()
	r1 := writeJSON(t, dir, "1.json", `{"shard": {"name": "1/3", "zones": ["a.", "b."]}, "exit": 0, "reports": [
  {"zone": "a.", "findings": [], "queries": 10, "seconds": 1},
  {"zone": "b.", "findings": [{"name": "x.b.", "severity": "warning", "kind": "ttl"}], "queries": 12, "seconds": 1}]}`)
	r3 := writeJSON(t, dir, "3.json", `{"shard": {"name": "3/3", "zones": ["e."]}, "exit": 1, "reports": [
  {"zone": "e.", "findings": [{"name": "e.", "severity": "error", "kind": "rdata"}], "queries": 9, "seconds": 1}]}`)
	r2 := writeJSON(t, dir, "2.json", `{"shard": {"name": "2/3", "zones": ["c.", "d."]}, "exit": 0, "reports": [
  {"zone": "c.", "findings": [], "queries": 10, "seconds": 1},
  {"zone": "d.", "findings": [], "queries": 10, "seconds": 1}]}`)

	var out bytes.Buffer
	sh, exit, err := Merge(&out, []string{r3, r1, r2}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Reports []struct{ Zone string } `json:"reports"`
		Shards  Shards                  `json:"shards"`
		Exit    int                     `json:"exit"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	var zones []string
	for _, r := range got.Reports {
		zones = append(zones, r.Zone)
	}
	if strings.Join(zones, " ") != "a. b. c. d. e." {
		t.Errorf("zones %v, want shard order", zones)
	}
	if exit != 1 || got.Exit != 1 || !sh.OK() || got.Shards.Expected != 3 || got.Shards.Reported != 3 {
		t.Errorf("exit %d/%d, shards %+v", exit, got.Exit, got.Shards)
	}
	if strings.Contains(out.String(), `"shard"`) {
		t.Errorf("the shard keys are kept:\n%s", out.String())
	}

	// Shard 2 missing: named, with its zones; exit 2.
	out.Reset()
	sh, exit, err = Merge(&out, []string{r1, r3}, 0, func(s Spec) []string { return []string{"zones of " + s.String()} })
	if err != nil {
		t.Fatal(err)
	}
	if exit != 2 || !reflect.DeepEqual(sh.Missing, []string{"2/3"}) || !reflect.DeepEqual(sh.MissingZones, []string{"zones of 2/3"}) {
		t.Errorf("missing shard: exit %d, %+v", exit, sh)
	}
	if !strings.Contains(out.String(), `"missing": [`) || !strings.Contains(out.String(), `"2/3"`) {
		t.Errorf("the merged report does not name the missing shard:\n%s", out.String())
	}
	// --expect: every shard missing is still a report.
	out.Reset()
	if sh, exit, err = Merge(&out, nil, 2, nil); err != nil || exit != 2 || len(sh.Missing) != 2 {
		t.Errorf("no report, expect 2: %v, exit %d, %+v", err, exit, sh)
	}
}

func TestMergeFailedAndDuplicate(t *testing.T) {
	dir := t.TempDir()
	r1 := writeJSON(t, dir, "1.json", `{"plans": [{"provider": "old", "zone": "a."}, {"provider": "new", "zone": "a."}], "error": "", "shard": {"name": "1/2", "zones": ["a.", "b."]}, "exit": 0}`)
	r2 := writeJSON(t, dir, "2.json", `{"plans": [{"provider": "old", "zone": "b."}, {"provider": "old", "zone": "c."}], "error": "provider new: 503", "shard": {"name": "2/2", "zones": ["b.", "c."]}, "exit": 2}`)
	var out bytes.Buffer
	sh, exit, err := Merge(&out, []string{r1, r2}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if exit != 2 || !reflect.DeepEqual(sh.Failed, []string{"2/2"}) {
		t.Errorf("failed shard: exit %d, %+v", exit, sh)
	}
	if len(sh.Duplicates) != 1 || sh.Duplicates[0].Zone != "b." || !reflect.DeepEqual(sh.Duplicates[0].Shards, []string{"1/2", "2/2"}) {
		t.Errorf("duplicates %+v", sh.Duplicates)
	}
	var got struct {
		Plans []struct{ Provider, Zone string } `json:"plans"`
		Error string                            `json:"error"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	var ps []string
	for _, p := range got.Plans {
		ps = append(ps, p.Provider+" "+p.Zone)
	}
	// b. is shard 1's (given first); shard 2's plan for b. is left out.
	if strings.Join(ps, ", ") != "old a., new a., old c." {
		t.Errorf("plans %v", ps)
	}
	if got.Error != "shard 2/2: provider new: 503" {
		t.Errorf("error %q", got.Error)
	}
	// Two reports of one shard, or of different matrices: refused.
	r1b := writeJSON(t, dir, "1b.json", `{"problems": [], "shard": {"name": "1/2", "zones": []}, "exit": 0}`)
	if _, _, err := Merge(&out, []string{r1, r1b}, 0, nil); err == nil || !strings.Contains(err.Error(), "both shard 1/2") {
		t.Errorf("one shard twice: %v", err)
	}
	r3 := writeJSON(t, dir, "3.json", `{"problems": [], "shard": {"name": "1/3", "zones": []}, "exit": 0}`)
	if _, _, err := Merge(&out, []string{r1, r3}, 0, nil); err == nil || !strings.Contains(err.Error(), "different matrices") {
		t.Errorf("two matrices: %v", err)
	}
	bad := writeJSON(t, dir, "bad.json", `[{"zone": "a."}]`)
	if _, _, err := Merge(&out, []string{bad}, 0, nil); err == nil || !strings.Contains(err.Error(), "not a shard report") {
		t.Errorf("an unsharded report: %v", err)
	}
}

// TestMergeClaims: a shard report is that shard's whole run or nothing.
// One that claims fewer zones than the config's split gives it (a shard
// that failed on some, edited to look passed) is named and fails the
// merge; results a report has for a zone it does not claim are left out,
// named, and fail the merge too.
func TestMergeClaims(t *testing.T) {
	dir := t.TempDir()
	split := func(s Spec) []string {
		return map[int][]string{1: {"a.", "b."}, 2: {"c."}}[s.I]
	}
	r1 := writeJSON(t, dir, "1.json", `{"shard": {"name": "1/2", "zones": ["a."]}, "exit": 0, "reports": [
  {"zone": "a.", "findings": [], "queries": 1, "seconds": 1}]}`)
	r2 := writeJSON(t, dir, "2.json", `{"shard": {"name": "2/2", "zones": ["c."]}, "exit": 0, "reports": [
  {"zone": "c.", "findings": [], "queries": 1, "seconds": 1},
  {"zone": "evil.example.", "findings": [{"name": "<img src=x>", "severity": "error", "kind": "x"}], "queries": 1, "seconds": 1}]}`)
	var out bytes.Buffer
	sh, exit, err := Merge(&out, []string{r1, r2}, 0, split)
	if err != nil {
		t.Fatal(err)
	}
	if exit != 2 || sh.OK() || !reflect.DeepEqual(sh.Mismatched, []string{"1/2"}) || !reflect.DeepEqual(sh.Foreign, []string{"evil.example. (shard 2/2)"}) {
		t.Errorf("exit %d, shards %+v: want 2, shard 1/2 mismatched, evil.example. foreign", exit, sh)
	}
	if strings.Contains(out.String(), `"zone": "evil.example."`) || !strings.Contains(out.String(), `"exit": 2`) {
		t.Errorf("the foreign result is merged or the exit is not 2:\n%s", out.String())
	}
	if got := Claims("1/2", []string{"a."}, split); len(got) != 1 || !strings.Contains(got[0], "lacks 1 zone the config gives it: b.") {
		t.Errorf("Claims = %q", got)
	}
	if got := Claims("2/2", []string{"c."}, split); len(got) != 0 {
		t.Errorf("Claims of a whole shard = %q", got)
	}
}

// TestSelectNames: names narrow a shard's run in the order given; a name
// of another shard is an error that names the shard, whatever its form.
func TestSelectNames(t *testing.T) {
	cfg := writeCfg(t, []int{100, 1, 1, 1, 50, 50, 1, 1})
	split := Split(cfg, 3)
	for _, s := range split {
		var names []string
		for i := len(s.Zones) - 1; i >= 0; i-- {
			names = append(names, strings.ToUpper(strings.TrimSuffix(s.Zones[i].Name, ".")))
		}
		spec := s.Spec
		got, err := Select(cfg, &spec, names)
		if err != nil {
			t.Fatalf("shard %s, its own zones %v: %v", spec, names, err)
		}
		if len(got) != len(names) {
			t.Fatalf("shard %s: %d zones for %d names", spec, len(got), len(names))
		}
		for i, z := range got {
			if want := s.Zones[len(s.Zones)-1-i]; z != want {
				t.Errorf("shard %s: zone %d is %+v, want %+v", spec, i, z, want)
			}
		}
		for _, other := range split {
			if other.Spec == spec {
				continue
			}
			for _, z := range other.Zones {
				if _, err := Select(cfg, &spec, []string{z.Name}); err == nil || !strings.Contains(err.Error(), "is not in shard "+spec.String()) {
					t.Errorf("shard %s, zone %s of shard %s: %v, want not in shard", spec, z.Name, other.Spec, err)
				}
			}
		}
	}
}

// TestSelectNameTwice: a zone named twice (--zone a.test. --zone A.TEST,
// or without its final dot) is refused, naming it and both forms, with
// or without a shard: it was taken twice, so check counted its file
// twice, plan and push planned and pushed it twice at once (push runs
// zones in parallel), parity compared it twice and matrix gave it two
// shards, two jobs pushing one zone.
func TestSelectNameTwice(t *testing.T) {
	cfg := writeCfg(t, []int{10, 20, 30})
	a, b := cfg.Zones[0].Name, cfg.Zones[1].Name
	for _, names := range [][]string{{a, b, strings.ToUpper(a)}, {strings.TrimSuffix(a, "."), a}, {a, a}} {
		for _, spec := range []*Spec{nil, {I: 1, N: 1}} {
			got, err := Select(cfg, spec, names)
			want := "--zone: zone " + a + " is given twice"
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("shard %v: Select(%q) = %v, %v; want the error %q", spec, names, got, err, want)
			}
		}
	}
	if got, err := Select(cfg, nil, []string{a, b}); err != nil || len(got) != 2 {
		t.Errorf("Select of two zones: %v, %v", got, err)
	}
}

// TestSelectOneShard: shard 1/1 is every zone of the config in its order,
// as the split into one shard gives it, with names or without.
func TestSelectOneShard(t *testing.T) {
	cfg := writeCfg(t, []int{5, 100, 1, 50})
	spec := Spec{I: 1, N: 1}
	got, err := Select(cfg, &spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := Split(cfg, 1)[0].Zones; !reflect.DeepEqual(got, want) || !reflect.DeepEqual(got, cfg.Zones) {
		t.Errorf("shard 1/1: %v, want %v (the config's zones)", got, want)
	}
	got, err = Select(cfg, &spec, []string{"z3.example", "Z1.example."})
	if err != nil || len(got) != 2 || got[0].Name != "z3.example." || got[1].Name != "z1.example." {
		t.Errorf("shard 1/1 with names: %v, %v", got, err)
	}
}

// records are n lines of A and TXT records.
func records(n int) string {
	var b strings.Builder
	for k := range n {
		fmt.Fprintf(&b, "h%d A 192.0.2.%d\nh%d TXT \"v=spf1 -all\"\n", k, k%250, k)
	}
	return b.String()
}

// crlf is text with every line ending in CRLF, as a checkout with
// core.autocrlf (a Windows runner) writes it.
func crlf(text string) string { return strings.ReplaceAll(text, "\n", "\r\n") }

// writeRepo writes files (path → text) under a fresh repository root (a
// .git folder) and returns its config's path.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, text := range files {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "dnsparity.yaml")
}

const apex = "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"

// TestWeightsLoaded: a zone weighs what loading it reads: its file, the
// files its $INCLUDEs read (beside it or from the repository root,
// nested, in a file with CRLF lines too) and the records its $GENERATEs
// make, a line end one byte whether the
// checkout wrote LF or CRLF; an include that leads out of the repository
// or is missing adds nothing (its load refuses it). The split weighed the
// zone file's size alone: a zone of three lines including 2,000 records
// weighed three lines, and its shard took it on top of an even share;
// and a CRLF checkout weighed each zone by its line count more, so a
// shard job on a Windows runner split the zones otherwise than the
// matrix job and the merge (zones run twice or never).
func TestWeightsLoaded(t *testing.T) {
	big := records(2000)
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  int // bytes of what the zone loads
	}{
		{"plain", map[string]string{"zones/a.example.zone": apex + records(3)}, len(apex + records(3))},
		{"crlf", map[string]string{"zones/a.example.zone": crlf(apex + records(3))}, len(apex + records(3))},
		{"include beside", map[string]string{"zones/a.example.zone": apex + "$INCLUDE big.inc\n", "zones/big.inc": big},
			len(apex+"$INCLUDE big.inc\n") + len(big)},
		{"include from the root, quoted, lower case", map[string]string{"zones/a.example.zone": apex + "$include \"inc/big.inc\" ; all hosts\n", "inc/big.inc": big},
			len(apex+"$include \"inc/big.inc\" ; all hosts\n") + len(big)},
		{"include in a CRLF file", map[string]string{"zones/a.example.zone": crlf(apex + "$INCLUDE big.inc\n"), "zones/big.inc": crlf(big)},
			len(apex+"$INCLUDE big.inc\n") + len(big)},
		{"nested", map[string]string{"zones/a.example.zone": apex + "$INCLUDE one.inc\n", "zones/one.inc": "$INCLUDE big.inc sub\n", "zones/big.inc": big},
			len(apex+"$INCLUDE one.inc\n") + len("$INCLUDE big.inc sub\n") + len(big)},
		{"included twice", map[string]string{"zones/a.example.zone": apex + "$INCLUDE big.inc a\n$INCLUDE big.inc b\n", "zones/big.inc": big},
			len(apex+"$INCLUDE big.inc a\n$INCLUDE big.inc b\n") + 2*len(big)},
		{"outside the repository", map[string]string{"zones/a.example.zone": apex + "$INCLUDE /etc/services\n"}, len(apex + "$INCLUDE /etc/services\n")},
		{"missing", map[string]string{"zones/a.example.zone": apex + "$INCLUDE gone.inc\n"}, len(apex + "$INCLUDE gone.inc\n")},
		{"in a comment, not a directive", map[string]string{"zones/a.example.zone": apex + "; $INCLUDE big.inc\n", "zones/big.inc": big}, len(apex + "; $INCLUDE big.inc\n")},
		// $GENERATE makes 2,000 records of one line: each weighs as the
		// first it makes ("h1 A 192.0.2.1"), in an included file too.
		{"generate", map[string]string{"zones/a.example.zone": apex + "$GENERATE 1-2000 h$ A 192.0.2.$\n"},
			len(apex+"$GENERATE 1-2000 h$ A 192.0.2.$\n") + 2000*len("h1 A 192.0.2.1\n")},
		{"generate, CRLF, step", map[string]string{"zones/a.example.zone": crlf(apex + "$generate 1-2000/2 h$ A 192.0.2.$\n")},
			len(apex+"$generate 1-2000/2 h$ A 192.0.2.$\n") + 1000*len("h1 A 192.0.2.1\n")},
		{"generate in an include", map[string]string{"zones/a.example.zone": apex + "$INCLUDE gen.inc\n", "zones/gen.inc": "$GENERATE 1-2000 h$ A 192.0.2.$\n"},
			len(apex+"$INCLUDE gen.inc\n") + len("$GENERATE 1-2000 h$ A 192.0.2.$\n") + 2000*len("h1 A 192.0.2.1\n")},
		{"a generate the loader refuses", map[string]string{"zones/a.example.zone": apex + "$GENERATE 9-1 h$ A 192.0.2.$\n"}, len(apex + "$GENERATE 9-1 h$ A 192.0.2.$\n")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.files[".git/HEAD"] = "ref: refs/heads/main\n"
			tt.files["dnsparity.yaml"] = "zones:\n  - files: zones/*.zone\n"
			cfg, err := config.Load(writeRepo(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			if got := Weights(cfg); len(got) != 1 || got[0] != int64(tt.want) {
				t.Errorf("Weights = %v, want [%d]", got, tt.want)
			}
		})
	}
}

// TestSplitLineEndings: the split of one commit's zones is the same
// whether the checkout wrote LF or CRLF (the matrix job on Linux, a shard
// job or the merge on Windows, core.autocrlf), and so is the merge's
// check of each shard's zones against the config's split (ZonesOf); a
// zone that includes most of the records takes a shard of its own. Half
// the zones are many short lines, half a few long ones, so a CR per line
// weighs them otherwise: with each file's size, the CRLF checkout split
// them otherwise, and the merge took a shard's report for another split.
func TestSplitLineEndings(t *testing.T) {
	files := map[string]string{".git/HEAD": "ref: refs/heads/main\n", "dnsparity.yaml": "zones:\n  - files: zones/*.zone\n",
		"zones/big.example.zone": apex + "$INCLUDE big.inc\n", "zones/big.inc": records(400)}
	for i := range 60 {
		body := records(5 + i%7) // short lines
		if i%2 == 1 {
			body = ""
			for k := range 1 + i%5 {
				body += fmt.Sprintf("t%d TXT \"%s\"\n", k, strings.Repeat("v", 150+i))
			}
		}
		files[fmt.Sprintf("zones/z%02d.example.zone", i)] = apex + body
	}
	crlfFiles := map[string]string{}
	for p, text := range files {
		crlfFiles[p] = text
		if strings.HasPrefix(p, "zones/") {
			crlfFiles[p] = crlf(text)
		}
	}
	const n = 8
	var splits [2][][]string
	var zonesOf [2]func(Spec) []string
	for k, fs := range []map[string]string{files, crlfFiles} {
		cfg, err := config.Load(writeRepo(t, fs))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range Split(cfg, n) {
			var names []string
			for _, z := range s.Zones {
				names = append(names, z.Name)
			}
			splits[k] = append(splits[k], names)
		}
		zonesOf[k] = ZonesOf(cfg)
	}
	if !reflect.DeepEqual(splits[0], splits[1]) {
		t.Errorf("the split differs with CRLF lines:\nLF   %v\nCRLF %v", splits[0], splits[1])
	}
	for i := 1; i <= n; i++ {
		if lf, cr := zonesOf[0](Spec{i, n}), zonesOf[1](Spec{i, n}); !slices.Equal(lf, cr) {
			t.Errorf("shard %d/%d: the merge on a CRLF checkout expects %v, the LF shard job ran %v", i, n, cr, lf)
		}
	}
	for _, s := range splits[0] {
		for _, z := range s {
			if z == "big.example." && len(s) != 1 {
				t.Errorf("big.example. (400 records included) shares its shard with %d zones: %v", len(s)-1, s)
			}
		}
	}
}
