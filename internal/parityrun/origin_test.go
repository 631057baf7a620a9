package parityrun

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadOriginMismatch: a config's zone whose file names another
// origin is not compared: a check finding saying what to correct
// (config.Config.OriginChecked, as check, plan and push), not a run against
// the other name. On the code before, parity asked the servers for
// shop.example. and reported every server lame ("create the zone at the
// provider and run dnsparity push"). A --file keeps its own origin.
func TestLoadOriginMismatch(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	file := write("shop.test.zone", "$ORIGIN shop.example.\n$TTL 300\n@ IN SOA ns1 host 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n")
	// No $ORIGIN, the SOA owner another name: every record outside the
	// zone loaded, which the one finding explains (config.OriginChecked;
	// before, also no SOA, no NS and three out-of-zone records).
	write("shop2.test.zone", "shop.example. 300 IN SOA ns1.shop.example. host 1 3600 600 86400 300\nshop.example. 300 IN NS ns1.shop.example.\nns1.shop.example. 300 IN A 192.0.2.1\n")
	cfg := write("dnsparity.yaml", "zones:\n  - name: shop.test.\n    file: shop.test.zone\n  - name: shop2.test.\n    file: shop2.test.zone\n"+
		"providers:\n  old: {type: rfc2136, server: 127.0.0.1, nameservers: [192.0.2.10]}\n  new: {type: rfc2136, server: 127.0.0.1, nameservers: [192.0.2.20]}\n")
	getenv := func(string) string { return "" }

	s, err := New(context.Background(), Input{Config: cfg}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"shop.test.", "shop2.test."} {
		_, _, rep, err := s.Load(s.Jobs[i])
		if err != nil {
			t.Fatal(err)
		}
		if rep == nil || len(rep.Findings) != 1 || rep.Findings[0].Kind != "check" || rep.Findings[0].Line != 1 ||
			!strings.Contains(rep.Findings[0].Detail, "origin shop.example. does not match the zone "+name) {
			t.Fatalf("report %+v, want one check finding at line 1 naming both origins", rep)
		}
	}

	s, err = New(context.Background(), Input{Files: []string{file}, Olds: []string{"192.0.2.1"}, News: []string{"192.0.2.2"}}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	if z, _, rep, err := s.Load(s.Jobs[0]); err != nil || rep != nil || z.Origin != "shop.example." {
		t.Errorf("--file: zone %v, report %+v, err %v; want shop.example. compared", z, rep, err)
	}
}

// TestLoadUnreadFileNamed: a --file that cannot be read gives the error
// and a report that names the file (its origin is not known), which the
// text and Markdown reports show in place of an empty zone name.
func TestLoadUnreadFileNamed(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s, err := New(context.Background(), Input{Files: []string{"missing.zone"}, Olds: []string{"192.0.2.1"}, News: []string{"192.0.2.2"}}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	_, _, rep, err := s.Load(s.Jobs[0])
	if err == nil || rep == nil || rep.Zone != "" || rep.File != "missing.zone" {
		t.Errorf("report %+v, err %v; want the error and a report of the file missing.zone", rep, err)
	}
}
