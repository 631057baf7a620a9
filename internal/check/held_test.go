package check

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const (
	heldOld  = "ns1.old.example.test."
	heldNew  = "ns1.new.example.test."
	heldDS1  = "12345 13 2 1111111111111111111111111111111111111111111111111111111111111111"
	heldDS2  = "12345 13 2 2222222222222222222222222222222222222222222222222222222222222222"
	heldLine = 7 // the line of example's NS record in heldParent
)

// heldParent is git's copy of test., the registrar's parent zone,
// delegating example.test. to ns (glue 192.0.2.53), with the DS records
// ds (RDATA), the NS record on line heldLine.
func heldParent(ns string, ds ...string) string {
	text := `$ORIGIN test.
$TTL 300
@        IN SOA ns.test. hostmaster.test. ( 1 60 60 3600 300 )
@        IN NS  ns.test.
ns       IN A   192.0.2.1
www      IN A   192.0.2.2
example  IN NS  ` + ns + `
` + ns + ` IN A 192.0.2.53
`
	for _, d := range ds {
		text += "example  IN DS  " + d + "\n"
	}
	return text
}

// heldMove is a done flip or rollback of example.test. to ns (glue
// 192.0.2.53) with DS ds, accepted by the registrar at at.
func heldMove(command string, at time.Time, ns string, ds ...string) cutover.Entry {
	return cutover.Entry{Time: at.Add(time.Minute), Command: command, Result: cutover.ResultDone, ChangedAt: &at,
		After: &registrar.Delegation{NS: []string{ns}, NSTTL: 300, Glue: map[string][]string{ns: {"192.0.2.53"}}, DS: ds, DSTTL: 300}}
}

// TestCheckHeldDelegation: check of the registrar's parent zone (test.)
// warns, on the line of the cut's NS record, when git's delegation of a
// configured child (example.test.) is not what the child's last flip or
// rollback set (audit trail), and says what to commit; nothing when it
// is, or when no flip has run (git's copy is then the delegation as it
// stands). --zone test. alone still knows the cut.
func TestCheckHeldDelegation(t *testing.T) {
	flipAt := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		git   string
		trail []cutover.Entry
		want  []string // what the warning says; nil: no warning
	}{
		{name: "git is what the flip set", git: heldParent(heldNew),
			trail: []cutover.Entry{heldMove("flip", flipAt, heldNew)}},
		{name: "old NS still in git after a flip", git: heldParent(heldOld),
			trail: []cutover.Entry{heldMove("flip", flipAt, heldNew)},
			want: []string{"delegation of example.test.: git's copy in test.zone is not what the parent serves since the flip of 2026-03-01T12:00:00Z",
				"NS " + heldNew + " (glue " + heldNew + " 192.0.2.53)", "commit that delegation to test.zone"}},
		{name: "no flip yet", git: heldParent(heldOld),
			trail: []cutover.Entry{{Time: flipAt, Command: "flip", Result: "refused"}}},
		{name: "no trail", git: heldParent(heldOld)},
		{name: "DS differs only", git: heldParent(heldNew, heldDS1),
			trail: []cutover.Entry{heldMove("flip", flipAt, heldNew, heldDS2)},
			want:  []string{"delegation of example.test.", "; DS " + heldDS2, "commit that delegation to test.zone"}},
		{name: "same DS", git: heldParent(heldNew, heldDS2),
			trail: []cutover.Entry{heldMove("flip", flipAt, heldNew, heldDS2)}},
		{name: "git has the flip's after a rollback", git: heldParent(heldNew),
			trail: []cutover.Entry{heldMove("flip", flipAt, heldNew), heldMove("rollback", flipAt.Add(time.Hour), heldOld)},
			want:  []string{"since the rollback of 2026-03-01T13:00:00Z", "NS " + heldOld}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cfgPath := filepath.Join(dir, config.FileName)
			write := func(name, text string) {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write(config.FileName, "zones:\n  - {name: test., file: test.zone}\n  - {name: example.test., file: example.zone}\nproviders:\n  p: {type: rfc2136}\nregistrar: {type: parent, zone: test., provider: p}\n")
			write("test.zone", tc.git)
			cfg, err := config.Load(cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			path := cutover.TrailPathFor(cfg, "example.test.")
			tr, err := cutover.ReadTrail(path, "example.test.")
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range tc.trail {
				if err := tr.Append(path, e); err != nil {
					t.Fatal(err)
				}
			}
			ts, _, err := Targets(nil, "", Scope{Config: cfgPath, Zones: []string{"test."}})
			if err != nil {
				t.Fatal(err)
			}
			res := Run(ts, 0)
			if len(res.Failed) != 0 || res.Tally.Errors != 0 {
				t.Fatalf("Run = %+v, want test.zone read without errors", res)
			}
			var held []zone.Problem
			for _, p := range res.Problems {
				if strings.Contains(p.Message, "delegation of") {
					held = append(held, p)
				}
			}
			if tc.want == nil {
				if len(held) != 0 {
					t.Errorf("warnings %v, want none", held)
				}
				return
			}
			if len(held) != 1 {
				t.Fatalf("warnings %v, want one", held)
			}
			p := held[0]
			if p.Severity != zone.Warning || filepath.Base(p.Pos.File) != "test.zone" || p.Pos.Line != heldLine {
				t.Errorf("warning %s at %s, want a warning at test.zone:%d", p.Severity, p.Pos, heldLine)
			}
			for _, w := range tc.want {
				if !strings.Contains(p.Message, w) {
					t.Errorf("warning %q\nwants %q", p.Message, w)
				}
			}
			if res.Tally.Warnings < 1 {
				t.Errorf("tally %+v counts no warning", res.Tally)
			}
		})
	}
}

// TestCutPos: the warning lands on the cut's NS record, else on its first
// record, else on the whole file.
func TestCutPos(t *testing.T) {
	set := func(name string, typ uint16, lines ...int) *zone.RRSet {
		s := &zone.RRSet{Name: name, Type: typ}
		for _, l := range lines {
			s.Records = append(s.Records, zone.Record{Pos: zone.Pos{File: "p.zone", Line: l}})
		}
		return s
	}
	for _, tc := range []struct {
		sets []*zone.RRSet
		want string
	}{
		{[]*zone.RRSet{set("c.p.", 43, 9), set("c.p.", 2, 12, 8), set("ns.c.p.", 1, 5)}, "p.zone:8"},
		{[]*zone.RRSet{set("c.p.", 43, 9), set("ns.c.p.", 1, 5)}, "p.zone:5"},
		{nil, "p.zone"}, // the whole file (Pos.String: no ":0")
	} {
		if got := fmt.Sprint(cutPos("p.zone", "c.p.", tc.sets)); got != tc.want {
			t.Errorf("cutPos = %s, want %s", got, tc.want)
		}
	}
}
