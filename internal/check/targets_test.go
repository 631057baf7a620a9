package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTargetsFolder(t *testing.T) {
	dir := t.TempDir()
	zone := "$TTL 300\n@ IN SOA ns1 host 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\nwww IN A 192.0.2.2\n"
	for _, f := range []string{"b.example.zone", "a.example.DB", "notes.txt", ".hidden/c.example.zone", "sub/d.example.zone"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(zone), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ts, zones, err := Targets([]string{dir}, "example.", Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if zones != nil {
		t.Errorf("zones = %v, want nil (not from a config)", zones)
	}
	var got []string
	for _, tg := range ts {
		rel, _ := filepath.Rel(dir, tg.Path)
		got = append(got, rel)
		if tg.Origin != "example." {
			t.Errorf("%s: origin %q, want example.", rel, tg.Origin)
		}
	}
	if want := "a.example.DB b.example.zone sub/d.example.zone"; strings.Join(got, " ") != want {
		t.Errorf("targets = %v, want %s", got, want)
	}
	res := Run(ts, 0)
	if len(res.Failed) != 0 || res.Records == 0 || res.Tally.Errors != 0 {
		t.Errorf("Run = %+v, want every file read without errors", res)
	}

	empty := t.TempDir()
	if _, _, err := Targets([]string{empty}, "", Scope{}); err == nil || !strings.Contains(err.Error(), "no *.zone or *.db files") {
		t.Errorf("empty folder: err = %v", err)
	}
	if _, _, err := Targets([]string{filepath.Join(empty, "missing.zone")}, "", Scope{}); err == nil || !strings.Contains(err.Error(), "missing.zone: no such file") {
		t.Errorf("missing file: err = %v", err)
	}
}

// TestTargetsZones: --zone takes zones of the config by name (any case,
// with or without the final dot), in the order given; a name not there is
// an error naming it and the config, at the line of its zones:, as every
// other command says it (it was "--zone NAME: no such zone in FILE",
// without the line: changed on purpose, README's wording).
func TestTargetsZones(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "dnsparity.yaml")
	if err := os.WriteFile(cfg, []byte("zones:\n  - {name: a.example., file: a.zone}\n  - {name: b.example., file: b.zone}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ts, zones, err := Targets(nil, "", Scope{Config: cfg, Zones: []string{"B.Example", "a.example."}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, tg := range ts {
		got = append(got, filepath.Base(tg.Path)+"@"+tg.Origin+"="+zones[i].Name)
	}
	if want := "b.zone@b.example.=b.example. a.zone@a.example.=a.example."; strings.Join(got, " ") != want {
		t.Errorf("targets = %v, want %s", got, want)
	}
	_, _, err = Targets(nil, "", Scope{Config: cfg, Zones: []string{"a.example.", "other.test"}})
	if want := cfg + ":1: zone other.test. is not under zones: in " + cfg + " (zones: a.example., b.example.)"; err == nil || err.Error() != want {
		t.Errorf("unknown zone: err = %v, want %s", err, want)
	}
	_, _, err = Targets(nil, "", Scope{Config: cfg, Zones: []string{"a.exmaple."}})
	if want := cfg + ":1: zone a.exmaple. is not under zones: in " + cfg + " (did you mean a.example.?)"; err == nil || err.Error() != want {
		t.Errorf("misspelt zone: err = %v, want %s", err, want)
	}
}

// TestTargetsNothingToCheck: with no PATH, no config and no folder zones/,
// the error says where it looked and what to give, not "zones: no such
// file or directory".
func TestTargetsNothingToCheck(t *testing.T) {
	t.Chdir(t.TempDir())
	_, _, err := Targets(nil, "", Scope{})
	if err == nil || !strings.Contains(err.Error(), "no PATH given, no dnsparity.yaml found from the current directory up, and no folder zones/ here: name zone files or folders") {
		t.Errorf("no config, no zones/: err = %v", err)
	}
	if err := os.WriteFile("dnsparity.yaml", []byte("providers: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = Targets(nil, "", Scope{})
	if err == nil || !strings.Contains(err.Error(), "no zone under zones: in ") {
		t.Errorf("a config without zones, no zones/: err = %v", err)
	}
}
