package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// ecsDoc is the JSON of a parity report with the client-subnet and replay
// keys of the contract.
type ecsDoc struct {
	Error    string
	Findings []struct {
		Name, Type, Severity, Kind, Detail string
		Subnet, Region                     string
		NSIDOld                            string `json:"nsid_old"`
		NSIDNew                            string `json:"nsid_new"`
	}
	Replayed *struct {
		Questions   int `json:"questions"`
		OutsideZone int `json:"outside_zone"`
		Logged      int `json:"logged"`
		OverLimit   int `json:"over_limit"`
	}
}

// TestParityCLIClientSubnets: parity.client_subnets (a map region → CIDR)
// and parity.queries in dnsparity.yaml, --client-subnet, --queries and
// --max-queries on the command line; the JSON carries subnet, region,
// nsid_old, nsid_new and replayed.
func TestParityCLIClientSubnets(t *testing.T) {
	lab.Require(t, "knotd")
	geo := func(us string) string {
		return "www.cli.test:\n  - net: 203.0.113.0/24\n    A: " + us + "\n"
	}
	k1 := lab.Knot(t, lab.Options{NSID: "k-old", GeoIP: geo("192.0.2.20"), Zones: []lab.Zone{{Origin: "cli.test.", Text: cliZone}}})
	k2 := lab.Knot(t, lab.Options{NSID: "k-new", GeoIP: geo("192.0.2.21"), Zones: []lab.Zone{{Origin: "cli.test.", Text: cliZone}}})
	dir := t.TempDir()
	write := func(name, s string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("cli.test.zone", cliZone)
	write("q.log", `04-Dec-2026 19:00:01.123 client @0x1 127.0.0.1#40001 (WWW.cli.test): query: WWW.cli.test IN A -E(0) (127.0.0.1)
04-Dec-2026 19:00:01.124 client @0x1 127.0.0.1#40002 (nope1.cli.test): query: nope1.cli.test IN A -E(0) (127.0.0.1)
04-Dec-2026 19:00:01.125 client @0x1 127.0.0.1#40003 (nope2.cli.test): query: nope2.cli.test IN TXT -E(0) (127.0.0.1)
04-Dec-2026 19:00:01.126 client @0x1 127.0.0.1#40004 (nope2.cli.test): query: nope2.cli.test IN TXT -E(0) (127.0.0.1)
04-Dec-2026 19:00:01.127 client @0x1 127.0.0.1#40005 (other.test): query: other.test IN A -E(0) (127.0.0.1)
`)
	cfg := write("dnsparity.yaml", "zones:\n  - name: cli.test.\n    file: cli.test.zone\n"+
		"providers:\n  old: {type: rfc2136, server: "+k1.Addr+", nameservers: ["+k1.Addr+"]}\n  new: {type: rfc2136, server: "+k2.Addr+", nameservers: ["+k2.Addr+"]}\n"+
		"parity:\n  client_subnets:\n    eu: 198.51.100.0/24\n    us: 203.0.113.0/24\n  queries: q.log\n")
	run := func(args ...string) (int, ecsDoc, string) {
		t.Helper()
		var out, errb bytes.Buffer
		a := &app{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
		code := a.main(context.Background(), append([]string{"parity", "--format", "json", "--config", cfg}, args...))
		var doc ecsDoc
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("%v: exit %d, stdout is not one JSON report: %v\n%s\n%s", args, code, err, out.String(), errb.String())
		}
		return code, doc, errb.String()
	}

	code, doc, stderr := run()
	if code != exitProblem {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	var us int
	for _, f := range doc.Findings {
		if f.Severity != "error" {
			continue
		}
		if f.Name != "www.cli.test." || f.Subnet != "203.0.113.0/24" || f.Region != "us" || f.NSIDOld != "k-old" || f.NSIDNew != "k-new" {
			t.Errorf("error finding %+v; want www.cli.test. from us (203.0.113.0/24), nodes k-old and k-new", f)
		}
		us++
	}
	if us != 1 {
		t.Errorf("%d error findings, want 1: %+v", us, doc.Findings)
	}
	if r := doc.Replayed; r == nil || r.Questions != 3 || r.OutsideZone != 2 || r.Logged != 4 {
		t.Errorf("replayed %+v, want 3 questions (WWW, nope1, nope2), 2 outside the zone's names, 4 logged (other.test left out)", r)
	}

	// --client-subnet replaces the config's subnets: from eu alone there
	// is no difference; --max-queries bounds the replay.
	code, doc, stderr = run("--client-subnet", "eu=198.51.100.0/24", "--max-queries", "1")
	if code != exitOK {
		t.Errorf("--client-subnet eu: exit %d, want 0: %+v\n%s", code, doc.Findings, stderr)
	}
	if r := doc.Replayed; r == nil || r.Questions != 1 || r.OverLimit != 3 {
		t.Errorf("--max-queries 1: replayed %+v, want 1 question and 3 queries over the limit", r)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--client-subnet", "203.0.113.7/24"}, "--client-subnet: \"203.0.113.7/24\" has host bits set"},
		{[]string{"--queries", filepath.Join(dir, "none.tap")}, "queries: "},
		{[]string{"--max-queries", "-1"}, "must not be negative"},
	} {
		code, doc, stderr := run(c.args...)
		if code != exitError || !strings.Contains(stderr, c.want) || !strings.Contains(doc.Error, strings.TrimSpace(strings.SplitN(c.want, ":", 2)[0])) {
			t.Errorf("%v: exit %d stderr %q JSON error %q; want 2 and %q", c.args, code, stderr, doc.Error, c.want)
		}
	}
}
