package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// writeTree writes files (path → text) under dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for p, text := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const soaRel = "@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.1\n"

func TestZonesGlob(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"zones/b.example.zone":          soaRel,                                    // the file name
		"zones/a.example.db":            "$ORIGIN other.example.\n" + soaRel,       // $ORIGIN wins over the file name
		"zones/c.zone":                  "c.example. 300 IN SOA ns hm 1 2 3 4 5\n", // the SOA owner
		"zones/override.example.zone":   soaRel,                                    // overridden by name below
		"zones/sub/d.example.zone":      soaRel,                                    // only through **
		"zones/.hidden/e.example.db":    soaRel,                                    // hidden folder: not entered
		"zones/README.md":               "not a zone",                              // not matched
		"special/override.example.zone": soaRel,
	})
	cfg := "zones:\n  - files: zones/*.zone\n  - files: 'zones/**/*.db'\n  - files: zones/**/d.*.zone\n  - name: override.example\n    file: special/override.example.zone\n"
	writeTree(t, dir, map[string]string{"dnsparity.yaml": cfg})
	c, err := Load(filepath.Join(dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, z := range c.Zones {
		got = append(got, z.Name+"="+z.File)
	}
	want := []string{
		"b.example.=zones/b.example.zone",
		"c.example.=zones/c.zone",
		"other.example.=zones/a.example.db",
		"d.example.=zones/sub/d.example.zone",
		"override.example.=special/override.example.zone",
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("zones:\n got %v\nwant %v", got, want)
	}
	if p := c.Zones[0].Pattern; p != "zones/*.zone" {
		t.Errorf("Pattern = %q", p)
	}
	if f := c.ZoneFile(c.Zones[0]); f != filepath.Join(dir, "zones/b.example.zone") {
		t.Errorf("ZoneFile = %q", f)
	}
}

func TestZonesGlobErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		cfg   string
		want  []string
	}{
		{"no match", nil, "zones:\n  - files: zones/*.zone\n", []string{`dnsparity.yaml:2: zones[0].files: "zones/*.zone" matches no file`}},
		{"two files one zone", map[string]string{"zones/a.zone": "$ORIGIN x.example.\n" + soaRel, "zones/b.zone": "x.example. SOA ns hm 1 2 3 4 5\n"},
			"zones:\n  - files: zones/*.zone\n", []string{"zones/a.zone and zones/b.zone are both zone x.example."}},
		{"two globs, one zone", map[string]string{"a/x.example.zone": soaRel, "b/x.example.zone": soaRel},
			"zones:\n  - files: a/*.zone\n  - files: b/*.zone\n", []string{"dnsparity.yaml:3: zones[1]", "a/x.example.zone and b/x.example.zone are both zone x.example."}},
		{"name beside files", map[string]string{"zones/a.example.zone": soaRel}, "zones:\n  - files: zones/*.zone\n    name: a.example.\n", []string{"files is an entry of its own"}},
		{"file name not a zone", map[string]string{"zones/a..b.zone": soaRel}, "zones:\n  - files: zones/*.zone\n", []string{`the file name "a..b.zone" is not a domain name`}},
		{"leaves the folder", nil, "zones:\n  - files: ../zones/*.zone\n", []string{"may not leave the config's directory"}},
		{"absolute", nil, "zones:\n  - files: /etc/*.zone\n", []string{"relative to the config's directory"}},
		{"bad pattern", nil, "zones:\n  - files: 'zones/[a.zone'\n", []string{"bad pattern"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tt.files)
			writeTree(t, dir, map[string]string{"dnsparity.yaml": tt.cfg})
			_, err := Load(filepath.Join(dir, "dnsparity.yaml"))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), "dnsparity.yaml") {
				t.Errorf("error %q does not name the config", err)
			}
		})
	}
}

// write10000 writes 10,000 zone files of 30 RRsets, half named by $ORIGIN
// and half by their file name, and a config with one glob.
func write10000(t testing.TB) string {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	var body strings.Builder
	for i := 0; i < 26; i++ {
		fmt.Fprintf(&body, "h%d IN A 192.0.2.%d\n", i, i)
	}
	for i := 0; i < 10000; i++ {
		name := fmt.Sprintf("z%05d.example", i)
		text := soaRel + body.String()
		if i%2 == 0 {
			text = "$ORIGIN " + name + ".\n$TTL 300\n" + text
		}
		if err := os.WriteFile(filepath.Join(dir, "zones", name+".zone"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte("zones:\n  - files: zones/*.zone\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "dnsparity.yaml")
}

func TestZonesGlob10000(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 files")
	}
	path := write10000(t)
	t0 := time.Now()
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("10,000 zones loaded in %v (the figure: go test -bench LoadGlob ./internal/config/)", time.Since(t0))
	if len(c.Zones) != 10000 || c.Zones[9999].Name != "z09999.example." || c.Zones[0].Name != "z00000.example." {
		t.Fatalf("%d zones, last %+v", len(c.Zones), c.Zones[len(c.Zones)-1])
	}
}

// BenchmarkLoadGlob10000 loads a config whose one glob names 10,000 zone
// files (goal: under a second).
func BenchmarkLoadGlob10000(b *testing.B) {
	path := write10000(b)
	b.ResetTimer()
	for b.Loop() {
		c, err := Load(path)
		if err != nil || len(c.Zones) != 10000 {
			b.Fatal(err)
		}
	}
}

// TestZoneLookup: Zone finds every zone of a loaded config by its name in
// any form, and follows Zones when a caller replaced them (parity and
// check keep only the zones a run takes): a zone no longer there is not
// found, one moved is found where it is now.
func TestZoneLookup(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		name := fmt.Sprintf("z%02d.example", i)
		if err := os.WriteFile(filepath.Join(dir, "zones", name+".zone"), []byte("$ORIGIN "+name+".\n"+soaRel), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfgText := "zones:\n  - name: Named.Example\n    file: zones/z00.example.zone\n  - files: zones/*.zone\n"
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(filepath.Join(dir, "dnsparity.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Zones) != 51 {
		t.Fatalf("%d zones, want 51", len(c.Zones))
	}
	for _, z := range c.Zones {
		for _, name := range []string{z.Name, strings.ToUpper(strings.TrimSuffix(z.Name, "."))} {
			got, err := c.Zone(name)
			if err != nil || got != z {
				t.Errorf("Zone(%q) = %+v, %v; want %+v", name, got, err, z)
			}
		}
	}
	if _, err := c.Zone("z50.example"); err == nil || !strings.Contains(err.Error(), "is not under zones:") {
		t.Errorf("Zone(z50.example): %v, want not under zones:", err)
	}
	// Zones replaced by a reversed subset: every other zone, last first.
	var kept []Zone
	for i := len(c.Zones) - 1; i >= 0; i -= 2 {
		kept = append(kept, c.Zones[i])
	}
	removed := c.Zones[len(c.Zones)-2]
	// Zones assigned around SetZones: the index no longer matches, and
	// Zone says so instead of answering from a stale index or a scan.
	stale := *c
	stale.Zones = kept
	for _, name := range []string{kept[0].Name, removed.Name} {
		if got, err := stale.Zone(name); err == nil || !strings.Contains(err.Error(), "SetZones") {
			t.Errorf("Zones assigned without SetZones: Zone(%s) = %+v, %v; want an error naming SetZones", name, got, err)
		}
	}
	c.SetZones(kept)
	for _, z := range kept {
		if got, err := c.Zone(z.Name); err != nil || got != z {
			t.Errorf("after SetZones: Zone(%s) = %+v, %v; want %+v", z.Name, got, err, z)
		}
	}
	if got, err := c.Zone(removed.Name); err == nil || !strings.Contains(err.Error(), "is not under zones:") {
		t.Errorf("after SetZones: Zone(%s) = %+v, %v; want not under zones: (no longer there)", removed.Name, got, err)
	}
	// A config built without Load is indexed by SetZones.
	lit := &Config{}
	lit.SetZones([]Zone{{Name: "a.example.", File: "a"}})
	if got, err := lit.Zone("A.example"); err != nil || got.File != "a" {
		t.Errorf("config literal: Zone(A.example) = %+v, %v", got, err)
	}
}

// BenchmarkLoadEntries10000 loads a config that names 10,000 zones one
// entry each (name and file), as a config generated by a script does.
func BenchmarkLoadEntries10000(b *testing.B) {
	dir := filepath.Dir(write10000(b))
	var cfg strings.Builder
	cfg.WriteString("zones:\n")
	for i := range 10000 {
		fmt.Fprintf(&cfg, "  - name: z%05d.example.\n    file: zones/z%05d.example.zone\n", i, i)
	}
	path := filepath.Join(dir, "entries.yaml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c, err := Load(path)
		if err != nil || len(c.Zones) != 10000 {
			b.Fatal(err)
		}
	}
}

// TestZoneFileRelativeToConfig: a zone's file is relative to the config's
// folder. A config kept in a subfolder naming zones/a.test.zone as seen
// from the repository's root, where the user runs, was refused naming
// config/zones/a.test.zone, with no word that the path is the config's
// folder's nor that the file is there from here: the error now says both
// and the path to write. A path wrong from everywhere gets no such hint.
// Without a .git above, the repository is the config's folder: the path
// from there (../zones/a.test.zone) would be refused as outside it, so the
// hint says to move the file or the config instead.
func TestZoneFileRelativeToConfig(t *testing.T) {
	const here = `: a file's path in config/dnsparity.yaml is relative to its folder, config; zones/a.test.zone is there from the current folder`
	for _, c := range []struct {
		name, git, want string
	}{
		{"in a git work tree", "", here + ": write ../zones/a.test.zone"},
		{"without .git", "none", here + ", but outside the repository the config's paths must stay in, "},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{
				"zones/a.test.zone":     soaRel,
				"config/dnsparity.yaml": "zones:\n  - name: a.test.\n    file: zones/a.test.zone\n  - name: b.test.\n    file: zones/b.test.zone\n",
			}
			if c.git == "" {
				files[".git/HEAD"] = ""
			}
			writeTree(t, dir, files)
			t.Chdir(dir)
			cfg, err := Load("config/dnsparity.yaml")
			if err != nil {
				t.Fatal(err)
			}
			if c.git != "" {
				// The premise: the path from the config's folder is
				// refused there.
				writeTree(t, dir, map[string]string{"config/moved.yaml": "zones:\n  - name: a.test.\n    file: ../zones/a.test.zone\n"})
				if _, err := Load("config/moved.yaml"); err == nil || !strings.Contains(err.Error(), "outside the repository") {
					t.Fatalf("../zones/a.test.zone without .git: %v, want it refused as outside the repository", err)
				}
			}
			for i, want := range []string{c.want, ""} {
				path, opt := cfg.ZoneLoad(cfg.Zones[i])
				_, err := zone.Load(path, opt)
				if err == nil {
					t.Fatalf("%s: loaded", path)
				}
				if got := strings.Contains(err.Error(), "relative to its folder"); got != (want != "") || want != "" && !strings.Contains(err.Error(), want) {
					t.Errorf("%s: %v\nwant %q", path, err, want)
				}
				if strings.Contains(err.Error(), "write ../") && c.git != "" {
					t.Errorf("%s: suggests a path outside the repository: %v", path, err)
				}
			}
		})
	}
}
