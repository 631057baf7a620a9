package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	prog "github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/progress/progresstest"
)

const cliZone = `$ORIGIN cli.test.
$TTL 300
@   IN SOA ns1 hostmaster 1 3600 600 1209600 300
@   IN NS  ns1
ns1 IN A   192.0.2.53
www IN A   192.0.2.80
`

// parityDoc is the JSON of one zone's parity report.
type parityDoc struct {
	Zone     string
	Error    string
	Findings []struct {
		Name, Type, Severity, Kind, Detail, File string
		Line                                     int
	}
}

// TestParityCLIContract: --zone is a zone name (its file from the config),
// --file a zone file, the old "--zone FILE" still works with a note; paths
// relative to the repository root; progress on stderr after the header;
// a zone failing check reported in the chosen format (exit 1); exit 2
// with JSON carrying "error"; --resolver and parity.resolver addresses
// only.
func TestParityCLIContract(t *testing.T) {
	lab.Require(t, "knotd")
	k := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "cli.test.", Text: cliZone}}})
	k2 := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "cli.test.", Text: strings.Replace(cliZone, "192.0.2.80", "192.0.2.81", 1)}}})
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "zones"), 0o755); err != nil {
		t.Fatal(err)
	}
	zfile := filepath.Join(dir, "zones", "cli.test.zone")
	badFile := filepath.Join(dir, "zones", "bad.test.zone")
	write := func(p, s string) {
		t.Helper()
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(zfile, cliZone)
	// no $ORIGIN, absolute names, a file name that names no domain
	absFile := filepath.Join(dir, "zones", "cli-zone.txt")
	write(absFile, "$TTL 300\ncli.test. IN SOA ns1.cli.test. hostmaster.cli.test. 1 3600 600 1209600 300\n"+
		"cli.test. IN NS ns1.cli.test.\nns1.cli.test. IN A 192.0.2.53\nwww.cli.test. IN A 192.0.2.80\n")
	write(badFile, "$ORIGIN bad.test.\n$TTL 300\n@ IN SOA ns1 host 1 2 3 4 5\n@ IN NS ns1\nns1 IN A 999.1.2.3\n")
	cfg := func(extra string) string {
		// Both configs in the folder of the zone files: a config's paths
		// stay inside its repository (DESIGN "Paths").
		p := filepath.Join(dir, "extra.yaml")
		if extra == "" {
			p = filepath.Join(dir, "dnsparity.yaml")
		}
		write(p, "zones:\n  - name: cli.test.\n    file: "+zfile+"\n  - name: bad.test.\n    file: "+badFile+"\n"+
			"providers:\n  old: {type: rfc2136, server: "+k.Addr+", nameservers: ["+k.Addr+"]}\n  new: {type: rfc2136, server: "+k.Addr+", nameservers: ["+k.Addr+"]}\n"+extra)
		return p
	}
	good := cfg("")
	badResolver := cfg("parity:\n  resolver: localhost:53\n")
	dead := lab.Addr(t) + ":53"

	cases := []struct {
		name      string
		args      []string
		code      int
		stderr    []string // substrings of stderr, in this order
		zone      string   // the JSON report's zone
		file      string   // a finding's file (relative) when set
		kind      string   // a finding of this kind when set
		jsonError string   // substring of the JSON "error" when set
		detail    string   // substring of a finding's detail when set
		task      string   // the label of the one progress task shown, when set
		noTask    bool     // nothing is compared: no progress task is shown
	}{
		{name: "positions in details relative to the repository root", args: []string{"--config", good, "--zone", "cli.test", "--new", k2.Addr},
			code: exitProblem, zone: "cli.test.", kind: "rdata", file: "zones/cli.test.zone", detail: "new deviates from git (zones/cli.test.zone:6)"},
		{name: "zone name from the config, paths relative to its folder", args: []string{"--config", good, "--zone", "cli.test"},
			code: exitOK, zone: "cli.test.", stderr: []string{"parity cli.test.: old " + k.Addr}, task: "cli.test."},
		{name: "--file", args: []string{"--file", zfile, "--old", k.Addr, "--new", k.Addr}, code: exitOK, zone: "cli.test."},
		{name: "origin from an absolute SOA owner, said so", args: []string{"--file", absFile, "--old", k.Addr, "--new", k.Addr},
			code: exitOK, zone: "cli.test.", stderr: []string{"origin cli.test. taken from the SOA owner"}},
		{name: "--zone FILE still works, with a note", args: []string{"--zone", zfile, "--old", k.Addr, "--new", k.Addr},
			code: exitOK, zone: "cli.test.", stderr: []string{"note: --zone " + zfile + " is a file"}},
		{name: "unknown zone name", args: []string{"--config", good, "--zone", "nope.test"}, code: exitError,
			stderr: []string{"dnsparity.yaml:1: zone nope.test. is not under zones", "cli.test."}, jsonError: "is not under zones", noTask: true},
		{name: "a zone failing check is reported, not compared", args: []string{"--config", good, "--zone", "bad.test."},
			code: exitProblem, zone: "bad.test.", kind: "check", file: "zones/bad.test.zone", jsonError: "nothing was compared", noTask: true},
		{name: "--resolver must be an address", args: []string{"--config", good, "--resolver", "none"}, code: exitError,
			stderr: []string{`--resolver: "none" is not an IP address`}, jsonError: "not an IP address", noTask: true},
		{name: "parity.resolver must be an address", args: []string{"--config", badResolver}, code: exitError,
			stderr: []string{badResolver + ":", ": parity.resolver: ", "not an IP address"}, jsonError: "parity.resolver", noTask: true},
		{name: "a dead server: JSON with error", args: []string{"--file", zfile, "--old", k.Addr, "--new", dead, "--timeout", "200ms", "--retries", "0"},
			code: exitError, stderr: []string{dead}, jsonError: dead},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			rec := &progresstest.Recorder{}
			a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, progress: rec}
			code := a.main(context.Background(), append([]string{"parity", "--format", "json"}, c.args...))
			if code != c.code {
				t.Fatalf("exit %d, want %d; stderr: %s\nstdout: %s", code, c.code, errb.String(), out.String())
			}
			if tasks := rec.Tasks(); c.task != "" {
				// The zone's answers, questions × 2 servers, all counted.
				if len(tasks) != 1 || tasks[0].Label != c.task || tasks[0].Unit != "answers" || tasks[0].Total == 0 || tasks[0].Total%2 != 0 ||
					tasks[0].Last() != tasks[0].Total || tasks[0].Stops != 1 {
					t.Errorf("progress tasks %+v: want %s's answers, all counted, stopped once", tasks, c.task)
				}
			} else if c.noTask && len(tasks) != 0 {
				t.Errorf("progress tasks %+v: want none, nothing was compared", tasks)
			}
			rest := errb.String()
			for _, w := range c.stderr {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stderr lacks %q (in order): %s", w, errb.String())
				}
				rest = rest[i+len(w):]
			}
			var doc parityDoc
			if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
				t.Fatalf("stdout is not one JSON report: %v\n%s", err, out.String())
			}
			if c.zone != "" && doc.Zone != c.zone {
				t.Errorf("zone %q, want %q", doc.Zone, c.zone)
			}
			if c.jsonError != "" && !strings.Contains(doc.Error, c.jsonError) {
				t.Errorf("JSON error %q lacks %q", doc.Error, c.jsonError)
			}
			if c.jsonError == "" && doc.Error != "" {
				t.Errorf("unexpected JSON error %q", doc.Error)
			}
			if c.kind != "" {
				found := false
				for _, f := range doc.Findings {
					found = found || f.Kind == c.kind && f.File == c.file && f.Line > 0 && f.Severity == "error" && strings.Contains(f.Detail, c.detail)
				}
				if !found {
					t.Errorf("no %s error at %s:LINE in %s", c.kind, c.file, out.String())
				}
			}
		})
	}
}

// TestParityCLIInterrupted: a run interrupted (Ctrl-C cancels the context)
// prints the partial report of what was compared and exits 2.
func TestParityCLIInterrupted(t *testing.T) {
	lab.Require(t, "knotd")
	k := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "cli.test.", Text: cliZone}}})
	zfile := filepath.Join(t.TempDir(), "cli.test.zone")
	if err := os.WriteFile(zfile, []byte(cliZone), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	time.AfterFunc(1500*time.Millisecond, cancel)
	code := a.main(ctx, []string{"parity", "--file", zfile, "--old", k.Addr, "--new", k.Addr, "--rate", "4", "--format", "json"})
	if code != exitError {
		t.Fatalf("exit %d, want 2; stderr %s", code, errb.String())
	}
	var doc struct {
		Partial  bool
		Compared int
		Error    string
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("no JSON report: %v\n%s", err, out.String())
	}
	if !doc.Partial || doc.Compared == 0 || !strings.Contains(doc.Error, "interrupted") || !strings.Contains(errb.String(), "interrupted") {
		t.Errorf("want a partial report that says it was interrupted: %+v; stderr %s", doc, errb.String())
	}
}

// TestProgressTo: plan, push, parity and the cutover steps show their
// progress on a progress.Printer on stderr, named after the command;
// a.progress, when set, replaces it.
func TestProgressTo(t *testing.T) {
	var errb bytes.Buffer
	a := &app{stderr: &errb}
	for _, cmd := range []string{"parity", "flip"} {
		got := a.progressTo(cmd)
		if p, ok := got.(prog.Printer); !ok || p.W != io.Writer(&errb) || p.Cmd != cmd {
			t.Errorf("%s: %#v, want a Printer on stderr named %s", cmd, got, cmd)
		}
	}
	rec := &progresstest.Recorder{}
	a.progress = rec
	if got := a.progressTo("parity"); got != rec {
		t.Errorf("with a.progress set: %#v", got)
	}
}

// TestParityZonesProgressFailed: parity over several zones counts a zone
// that could not be compared (its servers do not answer) apart, not as
// compared: the progress said "compared: 2/2 zones" for a run in which no
// zone was compared.
func TestParityZonesProgressFailed(t *testing.T) {
	dir := t.TempDir()
	cfg := "zones:\n"
	for _, name := range []string{"a.test", "b.test"} {
		text := strings.ReplaceAll(cliZone, "cli.test.", name+".")
		if err := os.WriteFile(filepath.Join(dir, name+".zone"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg += "  - name: " + name + ".\n    file: " + name + ".zone\n"
	}
	cfg += "providers:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: [127.0.0.1:1]\n  new:\n    type: rfc2136\n    server: 127.0.0.1:1\n    nameservers: [127.0.0.1:1]\n"
	if err := os.WriteFile(filepath.Join(dir, "dnsparity.yaml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	rec := &progresstest.Recorder{}
	a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, progress: rec}
	code := a.main(context.Background(), []string{"parity", "--config", filepath.Join(dir, "dnsparity.yaml"), "--timeout", "200ms", "--retries", "1", "--format", "json"})
	if code != exitError {
		t.Fatalf("exit %d, want 2 (no server answers); stderr %s", code, errb.String())
	}
	i := slices.IndexFunc(rec.Tasks(), func(t progresstest.Task) bool { return t.Label == "compared" })
	if i < 0 {
		t.Fatalf("no task compared: %+v", rec.Tasks())
	}
	if p := rec.Tasks()[i]; p.Total != 2 || p.Last() != 0 || p.FailedUnits == 0 || p.Unit != "zones" {
		t.Errorf("progress: %d/%d %s compared, %d failed; want 0/2 zones and at least one failed", p.Last(), p.Total, p.Unit, p.FailedUnits)
	}
}
