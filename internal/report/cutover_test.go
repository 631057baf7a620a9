package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains/r53dtest"
)

func cutoverReport() *cutover.Report {
	return &cutover.Report{
		Zone: "example.test.", Command: "flip", Result: cutover.ResultRefused, Emergency: true,
		Errors: []string{"registrar: *boom* <b>"}, Warnings: []string{}, Stage: cutover.StageNotStarted,
		Delegation: cutover.DelegationView{NS: []string{"ns1.old.example."}, NSTTL: 300, DS: []string{}, PointsTo: "old"},
		Gates:      []cutover.Gate{{Name: "old-down", OK: true, Detail: "down"}, {Name: "new-matches-git", Detail: "www | A differs", Plan: []string{"push"}}},
		Actions:    []string{"nothing changed at the registrar"},
		Next:       []cutover.Next{{Step: "finish", Earliest: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}},
	}
}

func TestCutoverText(t *testing.T) {
	var b bytes.Buffer
	WriteCutoverText(&b, cutoverReport())
	out := b.String()
	if !strings.HasPrefix(out, "error: registrar: *boom*") {
		t.Errorf("errors do not come first:\n%s", out)
	}
	for _, s := range []string{"EMERGENCY flip example.test.: refused", "FAIL new-matches-git", "1. push", "next: finish not before 2026-12-01T00:00:00Z", "points to old"} {
		if !strings.Contains(out, s) {
			t.Errorf("text lacks %q:\n%s", s, out)
		}
	}
}

// TestCutoverTextRefusedHeadline: a refused step's first line names the
// gates that refused it, ahead of any warning (a CDS not asked on a
// server that did not answer came first, above "flip example.test.:
// error", and the unmet gates were said only near the end); gates keep
// their order.
func TestCutoverTextRefusedHeadline(t *testing.T) {
	r := &cutover.Report{
		Zone: "example.test.", Command: "flip", Result: cutover.ResultRefused, Stage: cutover.StageNotStarted,
		Warnings:   []string{"dnssec: CDS not asked on 2 old-side servers"},
		Delegation: cutover.DelegationView{NS: []string{"ns1.old.example."}, PointsTo: "old"},
		Gates: []cutover.Gate{{Name: "points-to-old", OK: true}, {Name: "ttl-prestaged", Detail: "largest TTL 20 s"},
			{Name: "ttl-expired", Detail: "not yet"}, {Name: "delegation", Side: "new", OK: true}},
	}
	var b bytes.Buffer
	WriteCutoverText(&b, r)
	lines := strings.Split(b.String(), "\n")
	if want := "flip example.test.: refused: unmet gates ttl-prestaged, ttl-expired"; lines[0] != want {
		t.Errorf("first line %q, want %q:\n%s", lines[0], want, b.String())
	}
	if !strings.HasPrefix(lines[1], "warning: dnssec: CDS") {
		t.Errorf("second line %q, want the warning:\n%s", lines[1], b.String())
	}
	if i, j := strings.Index(b.String(), "ok   points-to-old"), strings.Index(b.String(), "FAIL ttl-prestaged"); i < 0 || j < i {
		t.Errorf("gates not in the step's order:\n%s", b.String())
	}
	b.Reset()
	r.Result, r.Command = cutover.ResultDone, "status"
	r.Gates[1].OK, r.Gates[2].OK = true, true
	WriteCutoverText(&b, r)
	if !strings.HasPrefix(b.String(), "status example.test.: done\n") {
		t.Errorf("a step that passed: %s", b.String())
	}
}

func TestCutoverMarkdown(t *testing.T) {
	var b bytes.Buffer
	WriteCutoverMarkdown(&b, cutoverReport())
	out := b.String()
	errAt, gateAt := strings.Index(out, "**Error:**"), strings.Index(out, "| gate |")
	if errAt < 0 || gateAt < 0 || errAt > gateAt {
		t.Errorf("errors not first:\n%s", out)
	}
	if strings.Contains(out, "<b>") || strings.Contains(out, "*boom*") || strings.Contains(out, "www | A") {
		t.Errorf("zone text not escaped:\n%s", out)
	}
	if !strings.Contains(out, "**Emergency failover**") {
		t.Errorf("emergency not named:\n%s", out)
	}
}

func TestCutoverJSONKeys(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCutoverJSON(&b, cutoverReport()); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"zone", "stage", "delegation", "gates", "actions", "next", "errors", "emergency"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	d := m["delegation"].(map[string]any)
	for _, k := range []string{"ns", "ns_ttl", "ds", "ds_ttl", "points_to"} {
		if _, ok := d[k]; !ok {
			t.Errorf("delegation lacks %q", k)
		}
	}
	g := m["gates"].([]any)[1].(map[string]any)
	if g["name"] != "new-matches-git" || g["ok"] != false || g["detail"] == nil {
		t.Errorf("gate %v", g)
	}
	n := m["next"].([]any)[0].(map[string]any)
	if n["step"] != "finish" || n["earliest"] != "2026-12-01T00:00:00Z" {
		t.Errorf("next %v", n)
	}
}

// TestCutoverTextSetupFailed: a step that could not start (a missing
// secret, a zone not in the config) read nothing: its text says so rather
// than "delegation at the parent: NS  (TTL 0 s), ... points to unknown",
// which reads as if the parent served no delegation.
func TestCutoverTextSetupFailed(t *testing.T) {
	var b bytes.Buffer
	WriteCutoverText(&b, cutover.SetupReport("walk.tst", "status", errors.New("zone walk.tst. is not under zones: in dnsparity.yaml")))
	out := b.String()
	if strings.Contains(out, "NS  (TTL 0 s)") || !strings.Contains(out, "error: zone walk.tst. is not under zones:") || !strings.Contains(out, "stage and delegation: not read") {
		t.Errorf("text of a step that could not start:\n%s", out)
	}
}

// An emergency rollback names the new provider as the one down and the
// old side as the one checked against git, in text and markdown.
func TestCutoverEmergencyRollbackSides(t *testing.T) {
	r := cutoverReport()
	r.Command = "rollback"
	var text, md bytes.Buffer
	WriteCutoverText(&text, r)
	WriteCutoverMarkdown(&md, r)
	for _, out := range []string{text.String(), md.String()} {
		if !strings.Contains(out, "the new provider is down") || !strings.Contains(out, "the old side was checked against git") {
			t.Errorf("emergency rollback: sides not named:\n%s", out)
		}
	}
	if !strings.Contains(text.String(), "EMERGENCY rollback example.test.") {
		t.Errorf("headline:\n%s", text.String())
	}
}

// TestCutoverTextEmergencyNext: a planned flip (or rollback) refused
// because a side does not answer ends with the way out its parity gate
// offers, the emergency step, not only "nothing changed at the
// registrar"; an emergency step's own report, and a gate that offers
// nothing, add no such line.
func TestCutoverTextEmergencyNext(t *testing.T) {
	for _, tc := range []struct {
		command, down, up string
	}{{"flip", "old", "new"}, {"rollback", "new", "old"}} {
		r := &cutover.Report{Zone: "example.test.", Command: tc.command, Result: cutover.ResultError, Stage: cutover.StageNotStarted,
			Gates: []cutover.Gate{{Name: "parity", Err: true, Detail: "parity cannot be proven: " + tc.down + " server 192.0.2.1:53 does not answer",
				Plan: []string{"bring every server of both providers back (each must answer the zone's SOA)", "run the step again",
					"if the " + tc.down + " provider is down and the " + tc.up + " one serves git: `dnsparity " + tc.command + " --emergency`"},
				Offer: &cutover.Offer{Down: tc.down, Up: tc.up, Step: tc.command}}},
			Actions: []string{"nothing changed at the registrar: unmet gates parity"}, Trail: "state/example.test.json"}
		var b bytes.Buffer
		WriteCutoverText(&b, r)
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		want := "next: the " + tc.down + " provider does not answer: if it is down and the " + tc.up + " one serves git, run `dnsparity " + tc.command + " --zone example.test. --emergency`"
		if last := lines[len(lines)-1]; last != want {
			t.Errorf("%s: last line %q, want %q:\n%s", tc.command, last, want, b.String())
		}
		// The Action renders the report it reads back from the JSON.
		js, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back cutover.Report
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		var again bytes.Buffer
		WriteCutoverText(&again, &back)
		if !strings.HasSuffix(strings.TrimSpace(again.String()), want) {
			t.Errorf("%s: read back from %s, the report does not end %q:\n%s", tc.command, js, want, again.String())
		}

		r.Emergency = true
		b.Reset()
		WriteCutoverText(&b, r)
		if strings.Contains(b.String(), "next: the ") {
			t.Errorf("emergency %s: names the emergency step as next:\n%s", tc.command, b.String())
		}
		r.Emergency = false
		r.Gates[0].Plan, r.Gates[0].Offer = r.Gates[0].Plan[:2], nil
		b.Reset()
		WriteCutoverText(&b, r)
		if strings.Contains(b.String(), "next: the ") {
			t.Errorf("%s: no gate offers the emergency step, yet:\n%s", tc.command, b.String())
		}
	}
}

// TestCutoverTextMultiLineDetail: a gate detail of several lines (the
// parity gate's, one line per server that does not answer) and a plan
// entry of several go on indented under their first line, not at column
// 0 where they read as lines of their own.
func TestCutoverTextMultiLineDetail(t *testing.T) {
	r := &cutover.Report{Zone: "example.test.", Command: "flip", Result: cutover.ResultError, Stage: cutover.StageNotStarted,
		Gates: []cutover.Gate{{Name: "parity", Err: true,
			Detail: "parity cannot be proven: old server 192.0.2.1:53 does not answer\nold server 192.0.2.2:53 does not answer",
			Plan:   []string{"first\nsecond"}}}}
	var b bytes.Buffer
	WriteCutoverText(&b, r)
	out := b.String()
	for _, want := range []string{
		"\n  FAIL parity            parity cannot be proven: old server 192.0.2.1:53 does not answer\n                         old server 192.0.2.2:53 does not answer\n",
		"\n       1. first\n          second\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
}

// TestCutoverTextNext: the text writes each step to come the report
// holds, whatever its result, past times too (a refused step's past ones
// are left out where the step's clock is: cutover's record), and a next
// step without a detail ends without a blank.
func TestCutoverTextNext(t *testing.T) {
	at := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	for _, result := range []string{cutover.ResultRefused, cutover.ResultObserved} {
		r := &cutover.Report{Zone: "example.test.", Command: "finish", Result: result, Stage: cutover.StageFlipped,
			Next: []cutover.Next{{Step: "finish", Earliest: at.Add(-time.Hour)}, {Step: "finish", Earliest: at.Add(time.Hour)}}}
		var b bytes.Buffer
		WriteCutoverText(&b, r)
		for _, want := range []string{"\nnext: finish not before 2026-12-05T11:00:00Z\n", "\nnext: finish not before 2026-12-05T13:00:00Z\n"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: text lacks %q:\n%s", result, want, b.String())
			}
		}
	}
}

// TestCutoverTextChangeNotMade: the registrar change a refused step or a
// dry run would have made is shown as not made; a made one is not
// qualified.
func TestCutoverTextChangeNotMade(t *testing.T) {
	at := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	change := func(made bool) *cutover.Change {
		c := &cutover.Change{Before: registrar.Delegation{NS: []string{"ns1.old.example.test."}}, After: registrar.Delegation{NS: []string{"ns1.new.example.test."}}}
		if made {
			c.At = at
		}
		return c
	}
	for _, tc := range []struct {
		result string
		made   bool
		want   string
	}{
		{cutover.ResultRefused, false, "registrar change (not made): NS ns1.old.example.test. -> NS ns1.new.example.test."},
		{cutover.ResultError, false, "registrar change (not made): NS"},
		{cutover.ResultDryRun, false, "registrar change (dry run, not made): NS"},
		{cutover.ResultDone, true, "\nregistrar change: NS ns1.old.example.test. -> NS ns1.new.example.test."},
	} {
		var b bytes.Buffer
		WriteCutoverText(&b, &cutover.Report{Zone: "example.test.", Command: "flip", Result: tc.result, Change: change(tc.made)})
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("%s: want %q in:\n%s", tc.result, tc.want, b.String())
		}
	}
}

// TestCutoverNextRoundedUp: a "not before" time is never early: the text
// and the Markdown round it up to the second as the JSON report does. On
// the code before, the text cut it ("flip, earliest 19:17:21.8" printed
// "not before 19:17:21Z" while the JSON and a later status said 19:17:22Z).
func TestCutoverNextRoundedUp(t *testing.T) {
	r := &cutover.Report{Zone: "example.test.", Command: "flip", Result: cutover.ResultDone, Stage: cutover.StageFlipped,
		Next: []cutover.Next{{Step: "old-delegation-expired", Earliest: time.Date(2026, 12, 5, 19, 17, 21, 800_000_000, time.UTC)}}}
	var b bytes.Buffer
	WriteCutoverText(&b, r)
	if !strings.Contains(b.String(), "next: old-delegation-expired not before 2026-12-05T19:17:22Z") {
		t.Errorf("text:\n%s", b.String())
	}
	b.Reset()
	WriteCutoverMarkdown(&b, r)
	if !strings.Contains(b.String(), "not before 2026-12-05T19:17:22Z") {
		t.Errorf("markdown:\n%s", b.String())
	}
	b.Reset()
	if err := WriteCutoverJSON(&b, r); err != nil || !strings.Contains(b.String(), `"earliest": "2026-12-05T19:17:22Z"`) {
		t.Errorf("json (%v):\n%s", err, b.String())
	}
}

// TestCutoverSettledRoundedUp: when resolvers may have left the other
// side at the latest ("settled at", a deadline) is rounded up to the
// second in the text and the Markdown, as the JSON writes it; when the
// step happened ("at") is cut to it.
func TestCutoverSettledRoundedUp(t *testing.T) {
	since := time.Date(2026, 12, 5, 19, 0, 0, 300_000_000, time.UTC)
	r := &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageFlipped,
		Propagation: &cutover.Propagation{Target: "new", Since: since, ParentNSTTL: 5, ChildNSTTL: 5, SettledAt: since.Add(10 * time.Second)}}
	var b bytes.Buffer
	WriteCutoverText(&b, r)
	if !strings.Contains(b.String(), "at 2026-12-05T19:00:00Z: settled at 2026-12-05T19:00:11Z") {
		t.Errorf("text:\n%s", b.String())
	}
	b.Reset()
	WriteCutoverMarkdown(&b, r)
	if !strings.Contains(b.String(), "at 2026-12-05T19:00:00Z (settled at 2026-12-05T19:00:11Z") {
		t.Errorf("markdown:\n%s", b.String())
	}
}

// TestCutoverWaitsFor: the text and the Markdown name what settled and
// finish still wait for (Propagation.WaitsFor), as the JSON does.
func TestCutoverWaitsFor(t *testing.T) {
	since := time.Date(2026, 12, 5, 19, 0, 0, 0, time.UTC)
	r := &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageFlipped,
		Propagation: &cutover.Propagation{Target: "new", Since: since, SettledAt: since.Add(time.Hour), WaitsFor: []string{cutover.WaitOldApexNS, cutover.WaitOverlap}}}
	for name, write := range map[string]func(io.Writer, *cutover.Report){"text": WriteCutoverText, "markdown": WriteCutoverMarkdown} {
		var b bytes.Buffer
		write(&b, r)
		if !strings.Contains(b.String(), "waits for old-apex-ns, policy-overlap") {
			t.Errorf("%s:\n%s", name, b.String())
		}
	}
}

// TestResolverWaitingBeforeSettled: right after a flip, a resolver that
// still holds the old side's NS set (its TTL not yet passed) is shown
// waiting, not FAIL (a user seeing FAIL mid-flip may roll back for
// nothing); after the settling time it is FAIL, and a moved one ok.
func TestResolverWaitingBeforeSettled(t *testing.T) {
	since := time.Date(2026, 12, 5, 19, 0, 0, 0, time.UTC)
	rows := []cutover.PropagationRR{
		{Resolver: "192.0.2.1:53", Side: "new", NS: []string{"ns1.old.example."}, NSSide: "old", SOASide: "old"},
		{Resolver: "192.0.2.2:53", OK: true, Side: "new", NS: []string{"ns1.new.example."}, NSSide: "new", SOASide: "new"},
	}
	for _, tc := range []struct {
		settled        bool
		text, markdown string
	}{
		{false, "  wait resolver 192.0.2.1:53: answers from new", "- ⏳ resolver 192.0.2.1:53"},
		{true, "  FAIL resolver 192.0.2.1:53: answers from new", "- ❌ resolver 192.0.2.1:53"},
	} {
		r := &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageFlipped,
			Propagation: &cutover.Propagation{Target: "new", Since: since, SettledAt: since.Add(10 * time.Second), Settled: tc.settled, Resolvers: rows}}
		var b bytes.Buffer
		WriteCutoverText(&b, r)
		if !strings.Contains(b.String(), tc.text) || !strings.Contains(b.String(), "  ok   resolver 192.0.2.2:53") {
			t.Errorf("settled %v, text lacks %q or the moved resolver's ok:\n%s", tc.settled, tc.text, b.String())
		}
		b.Reset()
		WriteCutoverMarkdown(&b, r)
		if !strings.Contains(b.String(), tc.markdown) || !strings.Contains(b.String(), "- ✅ resolver 192.0.2.2:53") {
			t.Errorf("settled %v, markdown lacks %q or the moved resolver's ✅:\n%s", tc.settled, tc.markdown, b.String())
		}
	}
}

// TestStatusSaysWhatObservedMeans: a status report says in its text and
// its Markdown what "observed" means (it only read) and what to do now,
// by where the migration stands; the JSON keeps the word. On the code
// before, the text said "status example.test.: observed" and nothing
// more.
func TestStatusSaysWhatObservedMeans(t *testing.T) {
	gates := func(unmet ...string) []cutover.Gate {
		var gs []cutover.Gate
		for _, n := range []string{"parity", "ttl-prestaged", "ttl-expired", "new-authoritative", "drift", "parent-servers", "dnssec"} {
			gs = append(gs, cutover.Gate{Name: n, OK: !slices.Contains(unmet, n)})
		}
		return append(gs, cutover.Gate{Name: "delegation", Side: "new", OK: !slices.Contains(unmet, "delegation (new)")},
			cutover.Gate{Name: "delegation", Side: "old", OK: !slices.Contains(unmet, "delegation (old)")}, // the side a flip leaves: not a flip's gate
			cutover.Gate{Name: "hidden-master", OK: false})                                                 // status's own
	}
	status := func(stage, pointsTo string, gs []cutover.Gate) *cutover.Report {
		return &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: stage,
			Delegation: cutover.DelegationView{PointsTo: pointsTo}, Gates: gs}
	}
	for _, tc := range []struct {
		name string
		r    *cutover.Report
		want string
	}{
		{"not started, TTLs high", status(cutover.StageNotStarted, "old", gates("ttl-prestaged", "ttl-expired")),
			"what now: the parent delegates to the old side; a flip would be refused now (unmet gates ttl-prestaged, ttl-expired): do what each says below, then run `dnsparity status --zone example.test.` again\n"},
		{"not started, TTLs high, old side's delegation", status(cutover.StageNotStarted, "old", gates("ttl-prestaged", "ttl-expired", "delegation (old)")),
			"what now: the parent delegates to the old side; a flip would be refused now (unmet gates ttl-prestaged, ttl-expired): do what each says below, then run `dnsparity status --zone example.test.` again; a rollback would be refused now (unmet gate delegation (old), which only a rollback checks): see the warning\n"},
		{"waiting for the TTLs", status(cutover.StageNotStarted, "old", gates("ttl-expired")),
			"what now: the parent delegates to the old side; a flip waits for the old TTLs to expire from caches: run `dnsparity flip --zone example.test. --dry-run` from the time the next: flip line names\n"},
		{"ready", status(cutover.StageRolledBack, "old", gates()),
			"what now: the parent delegates to the old side and every gate status checks for a flip passes: run `dnsparity flip --zone example.test. --dry-run`"},
		{"new side's delegation", status(cutover.StageNotStarted, "old", gates("delegation (new)")),
			"(unmet gates delegation (new))"},
		{"flipped", status(cutover.StageFlipped, "new", gates()),
			"what now: the parent delegates to the new side, in the overlap: keep both providers identical (push to both), then run `dnsparity finish --zone example.test.` from the time the next: finish line names; `dnsparity rollback --zone example.test.` goes back to the old side\n"},
		{"finished", status(cutover.StageFinished, "new", gates()), "what now: the migration is finished: nothing left to do\n"},
		{"mixed", status(cutover.StageNotStarted, "mixed", gates()), "what now: the stage in the audit trail (not-started) and the delegation at the parent (points to mixed) do not name a next step"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			WriteCutoverText(&b, tc.r)
			text := b.String()
			if !strings.HasPrefix(text, "status example.test.: observed (status only reads: live DNS and the audit trail as they are now; nothing was changed)\nwhat now: ") || !strings.Contains(text, tc.want) {
				t.Errorf("text, want %q:\n%s", tc.want, text)
			}
			b.Reset()
			WriteCutoverMarkdown(&b, tc.r)
			if md := b.String(); !strings.Contains(md, "status only reads: live DNS") || !strings.Contains(md, "**What now:** ") {
				t.Errorf("markdown:\n%s", md)
			} else if strings.Contains(tc.want, "`dnsparity") && (!strings.Contains(md, "`dnsparity ") || strings.Contains(md, "&#96;")) {
				t.Errorf("markdown: the commands are not code spans:\n%s", md)
			}
			b.Reset()
			if err := WriteCutoverJSON(&b, tc.r); err != nil || !strings.Contains(b.String(), `"result": "observed"`) || strings.Contains(b.String(), "only reads") {
				t.Errorf("json (%v):\n%s", err, b.String())
			}
		})
	}
	// Another step's report says nothing of the kind.
	var b bytes.Buffer
	WriteCutoverText(&b, &cutover.Report{Zone: "example.test.", Command: "flip", Result: cutover.ResultDone, Stage: cutover.StageFlipped})
	if strings.Contains(b.String(), "what now") || strings.Contains(b.String(), "only reads") {
		t.Errorf("a flip's report:\n%s", b.String())
	}
}

// TestCutoverMarkdownCommandsEverywhere: a command the tool writes in
// backticks renders as a code span wherever the report says it (errors,
// warnings, actions too, not only a gate's detail and What now); it was
// "&#96;dnsparity ttl --cap&#96;" in finish's actions.
func TestCutoverMarkdownCommandsEverywhere(t *testing.T) {
	cmd := "`dnsparity ttl --cap`"
	r := &cutover.Report{Zone: "example.test.", Command: "finish", Result: cutover.ResultDone, Stage: cutover.StageFinished,
		Errors: []string{"e: run " + cmd}, Warnings: []string{"w: run " + cmd}, Actions: []string{"a: run " + cmd}}
	var b bytes.Buffer
	WriteCutoverMarkdown(&b, r)
	if n := strings.Count(b.String(), MarkdownSpans(cmd)); n != 3 || strings.Contains(b.String(), "&#96;") {
		t.Errorf("%d code spans of %s, want 3 and no escaped backtick:\n%s", n, cmd, b.String())
	}
}

// TestCutoverMarkdownSetupFailed: a step that could not start (a bad
// config, another step holding the zone) read no delegation; its
// Markdown said "Stage: **unknown**. Delegation at the parent: NS  (TTL
// 0 s), 0 DS, points to ****." as if it had.
func TestCutoverMarkdownSetupFailed(t *testing.T) {
	for _, r := range []*cutover.Report{
		cutover.SetupReport("walk.tst", "status", errors.New("zone walk.tst. is not under zones: in dnsparity.yaml")),
		{Zone: "walk.tst.", Command: "flip", Result: cutover.ResultError, Errors: []string{"another cutover step holds zone walk.tst."}},
	} {
		var b bytes.Buffer
		WriteCutoverMarkdown(&b, r)
		out := b.String()
		if strings.Contains(out, "NS  (TTL 0 s)") || strings.Contains(out, "****") || !strings.Contains(out, "Stage and delegation: not read") {
			t.Errorf("Markdown of a step that could not start:\n%s", out)
		}
	}
}

// TestCutoverNextNow: a next step whose time had come when the report
// was made (Next.Now) reads "now" in text and Markdown, not its time,
// which is past when read; one still to come keeps "not before".
func TestCutoverNextNow(t *testing.T) {
	at := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	r := &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageNotStarted,
		Next: []cutover.Next{{Step: "prestage-ttl", Earliest: at, Now: true, Detail: "cap every TTL"}, {Step: "finish", Earliest: at.Add(time.Hour)}}}
	var text, md bytes.Buffer
	WriteCutoverText(&text, r)
	WriteCutoverMarkdown(&md, r)
	for _, c := range []struct{ out, now, later string }{
		{text.String(), "\nnext: prestage-ttl now: cap every TTL\n", "\nnext: finish not before 2026-12-05T13:00:00Z\n"},
		{md.String(), "- next: **prestage-ttl** now\n", "- next: **finish** not before 2026-12-05T13:00:00Z"},
	} {
		if !strings.Contains(c.out, c.now) || !strings.Contains(c.out, c.later) || strings.Contains(c.out, "12:00:00Z") {
			t.Errorf("want %q and %q, no past time:\n%s", c.now, c.later, c.out)
		}
	}
}

// TestStatusWhatNowRollbackOnly: status's "what now" line says when a
// failing gate blocks only a rollback (the old side's delegation), before
// the flip (every flip gate passing) and in the overlap; it said a flip
// may run, or a rollback goes back, without a word about it.
func TestStatusWhatNowRollbackOnly(t *testing.T) {
	gates := []cutover.Gate{{Name: cutover.GateDelegation, Side: "new", OK: true}, {Name: cutover.GateDelegation, Side: "old", OK: false, Detail: "the old side's apex NS names the new servers"}}
	for _, tc := range []struct {
		stage, pointsTo string
	}{{cutover.StageNotStarted, "old"}, {cutover.StageFlipped, "new"}} {
		r := &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: tc.stage,
			Delegation: cutover.DelegationView{NS: []string{"ns1.example.test."}, PointsTo: tc.pointsTo}, Gates: gates}
		var b bytes.Buffer
		WriteCutoverText(&b, r)
		line := ""
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.HasPrefix(l, "what now: ") {
				line = l
			}
		}
		if !strings.Contains(line, "a rollback would be refused") || !strings.Contains(line, "delegation (old)") {
			t.Errorf("%s: what now does not say delegation (old) blocks a rollback: %q", tc.stage, line)
		}
	}
}

// TestStatusWhatNowAfterFlipNamesEveryGate: in the overlap, "what now"
// names every failing gate status checks for the step back (the old
// side's dnssec gate with its delegation gate; it named only the
// delegation), and finish's failing parity; after an emergency flip with
// the old side still down (LeftDown) it does not tell the user to keep
// both providers identical (push to both), which cannot be done, but to
// push to the new side and bring the old one back.
func TestStatusWhatNowAfterFlipNamesEveryGate(t *testing.T) {
	status := func(leftDown string, gs ...cutover.Gate) string {
		r := &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageFlipped,
			Delegation: cutover.DelegationView{NS: []string{"ns1.new.example.test."}, PointsTo: "new"}, Gates: gs, LeftDown: leftDown}
		var b bytes.Buffer
		WriteCutoverText(&b, r)
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.HasPrefix(l, "what now: ") {
				return l
			}
		}
		return ""
	}
	line := status("", cutover.Gate{Name: cutover.GateParity, OK: false}, cutover.Gate{Name: cutover.GateDNSSEC, OK: false},
		cutover.Gate{Name: cutover.GateDelegation, Side: "new", OK: true}, cutover.Gate{Name: cutover.GateDelegation, Side: "old", OK: false})
	for _, want := range []string{"a rollback would be refused now (unmet gates dnssec, delegation (old)", "finish would be refused now (unmet gate parity)"} {
		if !strings.Contains(line, want) {
			t.Errorf("overlap, dnssec, delegation (old) and parity failing: what now lacks %q: %q", want, line)
		}
	}
	line = status("old", cutover.Gate{Name: cutover.GateParity, OK: false}, cutover.Gate{Name: cutover.GateDNSSEC, OK: true},
		cutover.Gate{Name: cutover.GateDelegation, Side: "new", OK: true}, cutover.Gate{Name: cutover.GateDelegation, Side: "old", OK: false})
	if strings.Contains(line, "push to both") || !strings.Contains(line, "old side is still down") || !strings.Contains(line, "push --provider old --zone example.test.") {
		t.Errorf("after an emergency flip, the old side down: what now %q", line)
	}
	// After an emergency rollback, the new side down: the same, mirrored.
	r := &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageRolledBack,
		Delegation: cutover.DelegationView{NS: []string{"ns1.old.example.test."}, PointsTo: "old"}, LeftDown: "new",
		Gates: []cutover.Gate{{Name: cutover.GateParity, OK: false}, {Name: cutover.GateNewAuthoritative, OK: false}}}
	var b bytes.Buffer
	WriteCutoverText(&b, r)
	if text := b.String(); !strings.Contains(text, "new side is still down") || !strings.Contains(text, "push --provider new --zone example.test.") {
		t.Errorf("after an emergency rollback, the new side down:\n%s", text)
	}
}

// TestRegistrarErrorEachForm: a registrar's error text holding its own
// secret key in each form of redacttest.Echoes (Route 53 Domains'
// operation ending FAILED or ERROR with that message, or its API
// refusing the change with an HTTP 400 error body of it, r53dtest), quoted
// by a flip's or a rollback's report as the step quotes it
// (cutover.Report.RegistrarFailed, which the step calls), is shown by none of
// the report's renderings once the command redacts it as it does
// (redact.Plain with the config's secrets, then JSON, Markdown, text).
func TestRegistrarErrorEachForm(t *testing.T) {
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "p<ss>w&rd_7Hq2mZ9wXr4Lt8Vn3"} {
		api := r53dtest.New("AKIDREPORT", secret)
		api.PendingPolls = 0
		api.AddDomainNS("example.test", r53dtest.Nameserver{Name: "ns1.old.example"})
		cfg, err := config.Parse([]byte("registrar:\n  type: route53domains\n  url: "+api.URL+"\n  access_key_id_env: K\n  secret_access_key_env: S\n"), "dnsparity.yaml")
		if err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"K": "AKIDREPORT", "S": secret}
		getenv := func(k string) string { return env[k] }
		set := cfg.Secrets(getenv) // the command's set (cmd/dnsparity cutover)
		reg, err := registrar.New(cfg.Registrar, registrar.Env{Config: cfg, Getenv: getenv})
		if err != nil {
			t.Fatal(err)
		}
		reg.(*route53domains.Registrar).SetPoll(time.Millisecond, 5*time.Second)
		ctx := redact.WithSecrets(context.Background(), set)
		for _, e := range redacttest.Echoes(secret) {
			for _, step := range []string{"flip", "rollback", "flip refused"} {
				msg := "key " + e.Form + " refused"
				switch step {
				case "flip":
					api.FailNext("UPDATE_NAMESERVER", msg)
				case "rollback":
					api.ErrorNext("UPDATE_NAMESERVER", msg, false)
				default:
					api.RejectNext("UpdateDomainNameservers", "InvalidInput", msg)
				}
				err := reg.SetDelegation(ctx, "example.test.", registrar.Delegation{NS: []string{"ns1.new.example."}})
				if err == nil {
					t.Fatalf("%q %s, %s: the registrar took the change", secret, e.Name, step)
				}
				rep := &cutover.Report{Zone: "example.test.", Command: strings.Fields(step)[0], Stage: cutover.StageNotStarted}
				rep.RegistrarFailed(err, cutover.ActionRegistrarFailed(rep.Zone)) // as the step quotes it
				if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0], err.Error()) || !strings.Contains(rep.Errors[0], " refused") {
					t.Fatalf("%q %s, %s: the step's error %q does not quote the registrar's %q", secret, e.Name, step, rep.Errors, err)
				}
				renderedLeak(t, set, rep, secret, e, step)
			}
		}
		api.Close()
	}
}

// TestStatusReportEachForm: status after a flip, with a secret in each
// form of redacttest.Echoes in every text a server's or the trail's
// answer reaches (a parent server's row, a resolver's row and SOA, the
// watch's detail in a warning, propagation.waits_for and the finish
// step's advice that quotes it), is shown by none of the renderings
// once the command redacts the report (redact.Plain, then JSON,
// Markdown with its tables, text).
func TestStatusReportEachForm(t *testing.T) {
	at := time.Date(2026, 12, 7, 19, 0, 0, 0, time.UTC)
	for _, secret := range []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "p<ss>w&rd_7Hq2mZ9wXr4Lt8Vn3", "q7<code>Hq2mZ9</code>wXr4Lt8"} {
		set := &redact.Secrets{}
		set.Add(secret)
		for _, e := range redacttest.Echoes(secret) {
			text := "key " + e.Form + " refused"
			waits := []string{cutover.WaitNSTTL, text}
			rep := &cutover.Report{Zone: "example.test.", Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageFlipped,
				Warnings: []string{"the flip's watch ended before every resolver moved: " + text},
				Propagation: &cutover.Propagation{Target: "new", Since: at, SettledAt: at.Add(time.Hour), WaitsFor: waits,
					Parent:    []cutover.ParentRow{{Server: "192.0.2.1", Detail: text}},
					Child:     []cutover.ChildRow{{Server: "192.0.2.2", NS: []string{"ns1.new.example."}, OK: true}},
					Resolvers: []cutover.PropagationRR{{Resolver: "192.0.2.3", NSSide: "unknown", SOASide: "unknown", Side: "unknown", SOA: text, Detail: "NS: " + text}}},
				Next: []cutover.Next{{Step: "finish", Earliest: at.Add(time.Hour), Detail: "after policy.overlap; waits for " + strings.Join(waits, ", ")}}}
			renderedLeak(t, set, rep, secret, e, "status")
		}
	}
}

// renderedLeak redacts rep as the command does (redact.Plain with set),
// writes it as JSON, Markdown and text, and fails the test where a
// rendering plants nothing ("refused" missing) or shows a piece of
// secret or of the form e it was planted in (redacttest.Leak).
func renderedLeak(t *testing.T, set *redact.Secrets, rep *cutover.Report, secret string, e redacttest.Echo, step string) {
	t.Helper()
	rep = redact.Plain(set, rep)
	var js, md, txt bytes.Buffer
	if err := WriteCutoverJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	WriteCutoverMarkdown(&md, rep)
	WriteCutoverText(&txt, rep)
	for name, out := range map[string]string{"json": js.String(), "markdown": md.String(), "text": txt.String()} {
		if !strings.Contains(out, "refused") {
			t.Fatalf("%q %s, %s %s: the test plants nothing:\n%s", secret, e.Name, step, name, out)
		}
		if l := redacttest.Leak(out, secret, e.Form); l != "" {
			t.Errorf("%q %s, %s %s: %s", secret, e.Name, step, name, l)
		}
	}
}

// TestCutoverHintsPasteAsPrinted: every command a cutover report's text
// tells the user to run gives the zone back as one word when pasted into
// a POSIX shell, whatever the zone's name holds (a presentation-form
// escape, a quote, a $): the hints printed the name unquoted.
func TestCutoverHintsPasteAsPrinted(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("no sh to run the hints: %v", err)
	}
	const zone = `it's\$a b.test.`
	reports := map[string]*cutover.Report{
		"status, old side": {Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageNotStarted,
			Delegation: cutover.DelegationView{PointsTo: "old"}},
		"status, in the overlap": {Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageFlipped,
			Delegation: cutover.DelegationView{PointsTo: "new"}},
		"status, emergency rollback": {Command: "status", Result: cutover.ResultObserved, Stage: cutover.StageRolledBack, LeftDown: "new",
			Delegation: cutover.DelegationView{PointsTo: "old"}},
		"flip refused, side down": {Command: "flip", Result: cutover.ResultRefused, Stage: cutover.StageNotStarted,
			Delegation: cutover.DelegationView{PointsTo: "old"},
			Gates:      []cutover.Gate{{Name: "new-matches-git", Offer: &cutover.Offer{Down: "new", Up: "old", Step: "rollback"}}}},
	}
	command := regexp.MustCompile("`(dnsparity [^`]*--zone[^`]*)`")
	for name, r := range reports {
		t.Run(name, func(t *testing.T) {
			r.Zone = zone
			var b bytes.Buffer
			WriteCutoverText(&b, r)
			cmds := command.FindAllStringSubmatch(b.String(), -1)
			if len(cmds) == 0 {
				t.Fatalf("no command with --zone in:\n%s", b.String())
			}
			for _, c := range cmds {
				// The words the shell reads, each on a line of its own.
				out, err := exec.Command(sh, "-c", `set -- `+strings.TrimPrefix(c[1], "dnsparity ")+`; for w; do printf '%s\n' "$w"; done`).Output()
				if err != nil {
					t.Errorf("sh -c %s: %v", c[1], err)
					continue
				}
				if !strings.Contains(string(out), "--zone\n"+zone+"\n") {
					t.Errorf("%s: the shell reads the words %q, not --zone %q", c[1], strings.Split(string(out), "\n"), zone)
				}
			}
		})
	}
}
