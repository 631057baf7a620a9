package cutover

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// trailText is a trail of example.test. with entries, written as Append
// writes it.
func trailText(t *testing.T, es ...Entry) []byte {
	t.Helper()
	b, err := json.MarshalIndent(Trail{Zone: "example.test.", Entries: es}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestCheckAppend: a pull request's version of a trail file passes only
// as the base's entries, unchanged, followed by entries appended in time
// order and not in the future.
func TestCheckAppend(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	t0 := now.Add(-24 * time.Hour)
	push := Entry{Time: t0, Command: "push", Result: ResultDone, Pushed: map[string]Pushed{"old": {MaxTTL: 86400}}}
	flip := Entry{Time: t0.Add(time.Hour), Command: "flip", Result: ResultDone,
		Before: &registrar.Delegation{NS: []string{"ns1.old.test."}}, After: &registrar.Delegation{NS: []string{"ns1.new.test."}}}
	status := Entry{Time: t0.Add(2 * time.Hour), Command: "status", Result: ResultObserved}
	base := trailText(t, push, flip)

	evil := flip
	evil.Before = &registrar.Delegation{NS: []string{"ns1.attacker.test."}}
	backdatedFlip := flip
	backdatedFlip.Time = t0.Add(-7 * 24 * time.Hour)
	lowPush := push
	lowPush.Pushed = map[string]Pushed{"old": {MaxTTL: 60}}
	early := status
	early.Time = t0.Add(30 * time.Minute) // before the flip it follows
	future := status
	future.Time = now.Add(time.Hour)
	skewed := status
	skewed.Time = now.Add(TrailClockSkew - time.Second)
	dry := Entry{Time: t0.Add(time.Hour), Command: "flip", DryRun: true, Result: ResultDone} // the flip's second: not back in time
	// A rollback appended after the flip, its registrar change recorded
	// as made between its gates and its entry, with a push landing while
	// it watched (push takes no zone lock); and the same set back days
	// (the overlap and the old delegation's expiry count from it), or
	// after its own entry.
	at := func(d time.Duration) *time.Time { x := t0.Add(d); return &x }
	rollback := Entry{Time: t0.Add(5 * time.Hour), Command: "rollback", Result: ResultDone, ChangedAt: at(4 * time.Hour)}
	midPush := push
	midPush.Time = t0.Add(4*time.Hour + time.Minute)
	setBack := rollback
	setBack.ChangedAt = at(-9 * 24 * time.Hour)
	beforeStatus := rollback
	beforeStatus.ChangedAt = at(90 * time.Minute) // before the status run at 2h
	afterOwn := rollback
	afterOwn.ChangedAt = at(6 * time.Hour)

	tests := []struct {
		name     string
		old, cur []byte
		want     []string // one substring per change, in order; none: allowed
	}{
		{"unchanged", base, base, nil},
		{"appended", base, trailText(t, push, flip, status), nil},
		{"appended at the same second", base, trailText(t, push, flip, dry, status), nil},
		{"appended within the skew", base, trailText(t, push, flip, skewed), nil},
		{"another layout, same entries", base, []byte(strings.ReplaceAll(string(trailText(t, push, flip, status)), "\n", "")), nil},
		{"a new trail", nil, trailText(t, push, flip), nil},
		{"no file either side", nil, nil, nil},
		{"a changed entry", base, trailText(t, push, evil, status), []string{"entry 2 (flip at 2026-11-01T13:00:00Z) is changed: before"}},
		{"a changed TTL", base, trailText(t, lowPush, flip), []string{"entry 1 (push at 2026-11-01T12:00:00Z) is changed: pushed"}},
		{"a backdated entry", base, trailText(t, push, backdatedFlip), []string{"entry 2 (flip at 2026-11-01T13:00:00Z) is changed: time (its time now reads 2026-10-25T12:00:00Z)"}},
		{"a removed entry", base, trailText(t, push), []string{"entry 2 (flip at 2026-11-01T13:00:00Z) is removed"}},
		{"an entry removed from the middle", base, trailText(t, flip), []string{"entry 1 (push at 2026-11-01T12:00:00Z) is changed", "entry 2 (flip at 2026-11-01T13:00:00Z) is removed"}},
		{"a deleted file", base, nil, []string{"the file is deleted, and with it its 2 entries"}},
		{"an appended entry back in time", base, trailText(t, push, flip, early), []string{"entry 3 (status at 2026-11-01T12:30:00Z), appended, is dated before entry 2 (flip at 2026-11-01T13:00:00Z)"}},
		{"a new trail out of order", nil, trailText(t, flip, push), []string{"entry 2 (push at 2026-11-01T12:00:00Z), appended, is dated before entry 1"}},
		{"an appended entry in the future", base, trailText(t, push, flip, future), []string{"entry 3 (status at 2026-11-02T13:00:00Z), appended, is dated in the future"}},
		{"another zone", base, []byte(strings.Replace(string(base), `"example.test."`, `"other.test."`, 1)), []string{`the zone it is for changed from example.test. to "other.test."`}},
		{"an out-of-order base put back in order", trailText(t, flip, push), trailText(t, push, flip, status), nil},
		{"an out-of-order base left as it is", trailText(t, flip, push), trailText(t, flip, push), nil},
		{"an out-of-order base reordered and changed", trailText(t, flip, push), trailText(t, push, evil), []string{"entry 1 (flip at 2026-11-01T13:00:00Z) is changed", "entry 2 (push at 2026-11-01T12:00:00Z) is changed"}},
		{"a step's registrar change, a push in between", base, trailText(t, push, flip, status, midPush, rollback), nil},
		{"a registrar change set back days", base, trailText(t, push, flip, status, setBack), []string{"entry 4 (rollback at 2026-11-01T17:00:00Z, registrar change at 2026-10-23T12:00:00Z), appended, records a registrar change before entry 3 (status at 2026-11-01T14:00:00Z)"}},
		{"a registrar change before the step before it", base, trailText(t, push, flip, status, midPush, beforeStatus), []string{"entry 5 (rollback at 2026-11-01T17:00:00Z, registrar change at 2026-11-01T13:30:00Z), appended, records a registrar change before entry 3 (status"}},
		{"a registrar change after its entry", base, trailText(t, push, flip, status, afterOwn), []string{"records a registrar change after the entry's own time"}},
		{"not a trail", base, []byte("{\"zone\": \"example.test.\", \"entries\": [\n"), []string{"the file is not an audit trail"}},
		// The JSON values, not Go's reading of them: an empty entry turned
		// null is a change; "entries" only as a key, in any case, as
		// encoding/json matches it (before: {} and null were the same
		// entry, the word in a value made a file with no entries a trail,
		// and the key in capitals, which ReadTrail reads, made none).
		{"an empty entry turned null", []byte(`{"zone":"example.test.","entries":[{}]}`), []byte(`{"zone":"example.test.","entries":[null]}`), []string{"entry 1 (entry with no time) is changed: the whole entry"}},
		{"no entries, the word in a value", base, []byte(`{"zone":"example.test.","note":"entries"}`), []string{"the file is not an audit trail: no entries"}},
		{"the entries key in capitals, null", nil, []byte(`{"zone":"example.test.","Entries":null}`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckAppend(tt.old, tt.cur, now)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d changes, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i].Message, w) {
					t.Errorf("change %d: %q, want %q in it", i, got[i].Message, w)
				}
			}
		})
	}
}

// TestUnmergedSteps: the rule check-trail applies (its script is held to
// it by TestCheckTrailAgreesWithUnmergedSteps in internal/action): the
// side branch's entries a step wrote that the checkout's trail lacks, in
// order; push and sync are no step's; another zone's trail holds none.
func TestUnmergedSteps(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	status := Entry{Time: t0, Command: "status", Result: ResultObserved}
	flip := Entry{Time: t0.Add(time.Hour), Command: "flip", Result: ResultDone}
	sync := Entry{Time: t0.Add(2 * time.Hour), Command: "sync", Result: ResultDone}
	push := Entry{Time: t0.Add(3 * time.Hour), Command: "push", Result: ResultDone}
	back := Entry{Time: t0.Add(4 * time.Hour), Command: "rollback", Result: ResultDone, DryRun: true}
	for _, tc := range []struct {
		name         string
		zone         string
		theirs, ours []byte
		want         string
	}{
		{"the same trail", "example.test.", trailText(t, status, flip), trailText(t, status, flip), ""},
		{"a flip, then a dry-run rollback", "example.test.", trailText(t, status, flip, sync, push, back), trailText(t, status), "flip at 2026-11-01T11:00:00Z; dry-run rollback at 2026-11-01T14:00:00Z"},
		{"sync and push only", "example.test.", trailText(t, status, sync, push), trailText(t, status), ""},
		{"no trail in the checkout", "example.test.", trailText(t, status), nil, "status at 2026-11-01T10:00:00Z"},
		{"the checkout ahead", "example.test.", trailText(t, status), trailText(t, status, flip), ""},
		{"another zone's", "other.test.", trailText(t, status, flip), nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UnmergedSteps(tc.zone, tc.theirs, tc.ours)
			if err != nil || strings.Join(got, "; ") != tc.want {
				t.Errorf("UnmergedSteps: %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	if _, err := UnmergedSteps("example.test.", []byte(`{"zone":"example.test.","entries":["flip"]}`), nil); err == nil || !strings.Contains(err.Error(), "entry 1 is not an audit-trail entry") {
		t.Errorf("an entry that is a string: %v, want an error naming entry 1", err)
	}
}

// TestUnmergedStageSteps: the rule check-trail applies before a sync
// (for: sync): only the side branch's entries that move the stage
// (Entry.setsStage, what Trail.Stage and so the push order read) that
// the checkout lacks. A status, a dry run, a refused or failed flip, a
// push or sync waiting on a side branch change nothing a sync does.
func TestUnmergedStageSteps(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	status := Entry{Time: t0, Command: "status", Result: ResultObserved}
	flip := Entry{Time: t0.Add(time.Hour), Command: "flip", Result: ResultDone}
	dry := Entry{Time: t0.Add(time.Hour), Command: "flip", Result: ResultDone, DryRun: true}
	refused := Entry{Time: t0.Add(time.Hour), Command: "flip", Result: ResultRefused}
	failed := Entry{Time: t0.Add(time.Hour), Command: "rollback", Result: "error"}
	back := Entry{Time: t0.Add(2 * time.Hour), Command: "rollback", Result: ResultDone, Emergency: true}
	finish := Entry{Time: t0.Add(3 * time.Hour), Command: "finish", Result: ResultDone}
	sync := Entry{Time: t0.Add(4 * time.Hour), Command: "sync", Result: ResultDone}
	for _, tc := range []struct {
		name         string
		theirs, ours []byte
		want         string
	}{
		{"a status", trailText(t, status), nil, ""},
		{"a dry-run flip", trailText(t, status, dry), trailText(t, status), ""},
		{"a refused flip", trailText(t, status, refused), trailText(t, status), ""},
		{"a failed rollback", trailText(t, status, failed), trailText(t, status), ""},
		{"a sync", trailText(t, status, sync), trailText(t, status), ""},
		{"a flip done", trailText(t, status, flip), trailText(t, status), "flip at 2026-11-01T11:00:00Z"},
		{"a flip, a rollback and a finish", trailText(t, status, flip, back, finish, sync), trailText(t, status), "flip at 2026-11-01T11:00:00Z; rollback at 2026-11-01T12:00:00Z; finish at 2026-11-01T13:00:00Z"},
		{"merged", trailText(t, status, flip), trailText(t, status, flip, sync), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UnmergedStageSteps("example.test.", tc.theirs, tc.ours)
			if err != nil || strings.Join(got, "; ") != tc.want {
				t.Errorf("UnmergedStageSteps: %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

// TestAppended: the entries a change appends, named for the reviewer, and
// a base out of time order put back in it.
func TestAppended(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	a := Entry{Time: now.Add(-2 * time.Hour), Command: "push", Result: ResultDone}
	b := Entry{Time: now.Add(-time.Hour), Command: "flip", Result: ResultDone}
	if r := ReviewTrail(trailText(t, a), trailText(t, a, b), now); strings.Join(r.Appended, "; ") != "entry 2 (flip at 2026-11-02T11:00:00Z)" || r.Reordered {
		t.Errorf("appended %q, reordered %v", r.Appended, r.Reordered)
	}
	if r := ReviewTrail(trailText(t, a, b), trailText(t, a, b), now); len(r.Appended) != 0 || r.Reordered {
		t.Errorf("appended %q, reordered %v to an unchanged trail", r.Appended, r.Reordered)
	}
	// A base out of time order put back in it, each entry unchanged.
	if r := ReviewTrail(trailText(t, b, a), trailText(t, a, b), now); len(r.Changes) != 0 || !r.Reordered {
		t.Errorf("reordered: %+v", r)
	}
}

// TestCheckAppendLine: a change names the line its entry starts on in the
// new version (a check annotation goes there).
func TestCheckAppendLine(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	a := Entry{Time: now.Add(-2 * time.Hour), Command: "push", Result: ResultDone}
	b := Entry{Time: now.Add(-time.Hour), Command: "flip", Result: ResultDone}
	cur := trailText(t, a, b, Entry{Time: now.Add(48 * time.Hour), Command: "status", Result: ResultObserved})
	got := CheckAppend(trailText(t, a, b), cur, now)
	if len(got) != 1 || got[0].Entry != 3 {
		t.Fatalf("changes %+v", got)
	}
	lines := strings.Split(string(cur), "\n")
	if got[0].Line < 2 || got[0].Line > len(lines) || !strings.Contains(lines[got[0].Line-1], "{") || !strings.Contains(lines[got[0].Line], `"time": "2026-11-04T12:00:00Z"`) {
		t.Errorf("line %d of\n%s", got[0].Line, cur)
	}
}

// TestReadTrailOrder: a trail whose entries are out of time order was
// edited by hand; the cutover commands refuse it, naming the file.
func TestReadTrailOrder(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	path := TrailPath(t.TempDir(), "example.test.")
	flip := Entry{Time: now.Add(-time.Hour), Command: "flip", Result: ResultDone}
	push := Entry{Time: now.Add(-2 * time.Hour), Command: "push", Result: ResultDone}
	if err := os.WriteFile(path, trailText(t, flip, push), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadTrail(path, "example.test.")
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "entry 2 (push at 2026-11-02T10:00:00Z) is dated before entry 1") {
		t.Fatalf("ReadTrail of a trail out of time order: %v", err)
	}
	if err := os.WriteFile(path, trailText(t, push, flip), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTrail(path, "example.test."); err != nil {
		t.Fatalf("ReadTrail of a trail in order: %v", err)
	}
}

// TestAppendInTimeOrder: an entry dated before one another process
// appended meanwhile (a push recorded while a step ran) goes before it, so
// the trail stays in time order.
func TestAppendInTimeOrder(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "example.test.json")
	tr, err := ReadTrail(path, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Entry{
		{Time: now, Command: "status", Result: ResultObserved},
		{Time: now.Add(2 * time.Minute), Command: "push", Result: ResultDone},
		{Time: now.Add(time.Minute + 500*time.Millisecond), Command: "flip", Result: ResultDone},
	} {
		if err := tr.Append(path, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadTrail(path, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	for _, e := range got.Entries {
		cmds = append(cmds, e.Command)
	}
	if strings.Join(cmds, " ") != "status flip push" {
		t.Errorf("entries %v, want status flip push", cmds)
	}
}

// TestAppendPushNotInThePast: a push recorded from a machine whose clock
// is behind the trail's last entry (an observation that saw every TTL at
// the cap) is dated at that entry, not before it: put before it, the
// observation would hide the TTL the push sent, and ttl-expired would
// count that TTL from a time before it was sent.
func TestAppendPushNotInThePast(t *testing.T) {
	now := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "example.test.json")
	tr, err := ReadTrail(path, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	obs := Entry{Time: now, Command: "status", Result: ResultObserved, TTL: &TTLs{OldMax: 300, NewMax: 300}}
	if err := tr.Append(path, obs); err != nil {
		t.Fatal(err)
	}
	if err := RecordPush(path, "example.test.", "push", "tester", now.Add(-3*time.Minute), map[string]Pushed{"old": {MaxTTL: 86400}}); err != nil {
		t.Fatal(err)
	}
	got, err := ReadTrail(path, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != 2 || got.Entries[1].Command != "push" || got.Entries[1].Time.Before(now) {
		t.Fatalf("entries %+v: want the push last, dated %s or later", got.Entries, now)
	}
	if !got.pushedSinceObservation() {
		t.Error("the push is not seen as after the observation")
	}
}

// TestStepsRefuseTrailOutOfOrder: status, flip (dry run too), rollback
// and finish refuse a trail whose entries go back in time, exit 2, naming
// the file, before a gate counts from it or a server is asked.
func TestStepsRefuseTrailOutOfOrder(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.1\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	// A state folder with a blank: the git command the error suggests
	// pastes as printed.
	dir := filepath.Join(t.TempDir(), "state dir")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := TrailPath(dir, "example.test.")
	gitLog := shell.Line("git", "log", "-p", "--", path)
	now := time.Now().UTC()
	// A flip time moved back by hand before the push it followed.
	push := Entry{Time: now.Add(-time.Hour), Command: "push", Result: ResultDone, Pushed: map[string]Pushed{"old": {MaxTTL: 86400}}}
	flip := Entry{Time: now.Add(-10 * 24 * time.Hour), Command: "flip", Result: ResultDone,
		Before: &registrar.Delegation{NS: []string{"ns1.attacker.test."}}, After: &registrar.Delegation{NS: []string{"ns1.new.test."}}}
	if err := os.WriteFile(path, trailText(t, push, flip), 0o644); err != nil {
		t.Fatal(err)
	}
	asked := 0
	for name, step := range map[string]func(context.Context, *Config) *Report{
		"status":       Status,
		"flip":         func(ctx context.Context, c *Config) *Report { return Flip(ctx, c, false, false) },
		"flip dry run": func(ctx context.Context, c *Config) *Report { return Flip(ctx, c, true, false) },
		"emergency":    func(ctx context.Context, c *Config) *Report { return Flip(ctx, c, false, true) },
		"rollback":     func(ctx context.Context, c *Config) *Report { return Rollback(ctx, c, false, false) },
		"rollback em.": func(ctx context.Context, c *Config) *Report { return Rollback(ctx, c, false, true) },
		"finish":       Finish,
	} {
		t.Run(name, func(t *testing.T) {
			c := &Config{Zone: z, TrailPath: path, Old: Side{Name: "old"}, New: Side{Name: "new"},
				ParentServers: []string{"127.0.0.1:1"},
				DNSSEC:        func(context.Context, dnssec.Input) (dnssec.Result, error) { asked++; return dnssec.Result{}, nil }}
			rep := step(context.Background(), c)
			all := strings.Join(rep.Errors, "\n")
			if rep.ExitCode() != 2 || !strings.Contains(all, path) || !strings.Contains(all, "not in time order") || !strings.Contains(all, gitLog) {
				t.Errorf("result %s (exit %d), errors:\n%s\nwant exit 2 naming %s as not in time order, and %s", rep.Result, rep.ExitCode(), all, path, gitLog)
			}
		})
	}
	if asked > 0 {
		t.Errorf("a gate ran %d times on a trail out of order", asked)
	}
	b, _ := os.ReadFile(path)
	if string(b) != string(trailText(t, push, flip)) {
		t.Errorf("the trail was written:\n%s", b)
	}
}

// TestTrailErrorNamesTheLine: an audit trail that does not decode (cut
// short, a value of the wrong type, a stray character) stops every step
// with FILE:LINE: of the fault, not "unexpected end of JSON input" alone;
// the file is left as it is.
func TestTrailErrorNamesTheLine(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       string
	}{
		{"cut short", "{\"zone\": \"a.test.\",\n \"entries\": [\n  {\"command\": \"status\"\n", ":3: "},
		{"a value of the wrong type", "{\n \"zone\": \"a.test.\",\n \"entries\": 5\n}\n", ":3: "},
		{"a stray character", "{\n \"zone\": \"a.test.\",\n \"entries\": []\n}\nx\n", ":5: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "a.test.json")
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := ReadTrail(p, "a.test.")
			if err == nil || !strings.HasPrefix(err.Error(), p+tc.line+"audit trail: ") {
				t.Fatalf("ReadTrail = %v, want it to start %s%saudit trail: ", err, p, tc.line)
			}
			if b, _ := os.ReadFile(p); string(b) != tc.text {
				t.Errorf("the trail was changed: %q", b)
			}
		})
	}
}

// TestTrailTextNoWriterLeaves: a trail text that encoding/json and
// check-trail's jq would read differently, and no dnsparity writer
// leaves, is refused (ReadTrail naming the file and line, and
// UnmergedSteps): a key twice, a key and its case-folded twin, a time Go's
// parser takes that RFC 3339 does not. Before, Go read the last
// "entries" of {"entries":[flip],"Entries":[],"entries":[flip]} and jq
// the first key's position; Go took "T1:00:01Z", "01,5Z" and year 0000.
// What Append writes (fractional seconds, an offset) still reads.
func TestTrailTextNoWriterLeaves(t *testing.T) {
	const flip = `{"time":"2026-11-01T10:00:01Z","command":"flip","result":"done"}`
	entry := func(time string) string {
		return `{"time":"` + time + `","command":"flip","result":"done"}`
	}
	for _, tc := range []struct {
		name, text string
		line       int // 0: accepted
	}{
		{"entries twice, a twin between", "{\"zone\":\"example.test.\",\n\"entries\":[" + flip + "],\n\"Entries\":[],\n\"entries\":[" + flip + "]}\n", 3},
		{"entries and its twin in capitals", "{\"zone\":\"example.test.\",\n\"entries\":[" + flip + "],\n\"Entries\":[]}\n", 3},
		{"entries and a twin with a long s", "{\"zone\":\"example.test.\",\n\"entries\":[],\n\"entrie\u017f\":[" + flip + "]}\n", 3},
		{"an entry's command twice", "{\"zone\":\"example.test.\",\"entries\":[\n" + `{"time":"2026-11-01T10:00:01Z","command":"flip","command":"push"}` + "]}\n", 2},
		{"an entry's command and Command", "{\"zone\":\"example.test.\",\"entries\":[\n" + `{"time":"2026-11-01T10:00:01Z","command":"flip","Command":"push"}` + "]}\n", 2},
		{"an hour of one digit", "{\"zone\":\"example.test.\",\"entries\":[\n" + entry("2026-11-01T1:00:01Z") + "]}\n", 2},
		{"a comma before fractional seconds", "{\"zone\":\"example.test.\",\"entries\":[\n" + entry("2026-11-01T10:00:01,5Z") + "]}\n", 2},
		{"the year 0000", "{\"zone\":\"example.test.\",\"entries\":[\n" + entry("0000-11-01T10:00:01Z") + "]}\n", 2},
		{"an offset of 24 hours", "{\"zone\":\"example.test.\",\"entries\":[\n" + entry("2026-11-01T10:00:01+24:00") + "]}\n", 2},
		{"a changed_at with an hour of one digit", "{\"zone\":\"example.test.\",\"entries\":[\n" + `{"time":"2026-11-01T10:00:01Z","command":"flip","changed_at":"2026-11-01T9:00:00Z"}` + "]}\n", 2},
		{"fractional seconds and an offset", "{\"zone\":\"example.test.\",\"entries\":[\n" + entry("2026-11-01T12:00:01.123456789+02:00") + "]}\n", 0},
		{"the year 0001 (a zero time)", "{\"zone\":\"example.test.\",\"entries\":[\n" + entry("0001-01-01T00:00:00Z") + "]}\n", 0},
		{"the same key in two entries", "{\"zone\":\"example.test.\",\"entries\":[\n" + flip + ",\n" + flip + "]}\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "example.test.json")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			_, rerr := ReadTrail(path, "example.test.")
			_, uerr := UnmergedSteps("example.test.", []byte(tc.text), nil)
			if tc.line == 0 {
				if rerr != nil || uerr != nil {
					t.Errorf("ReadTrail: %v; UnmergedSteps: %v; want both to read it", rerr, uerr)
				}
				return
			}
			if want := fmt.Sprintf("%s:%d: audit trail: ", path, tc.line); rerr == nil || !strings.Contains(rerr.Error(), want) {
				t.Errorf("ReadTrail: %v, want an error starting %q", rerr, want)
			}
			if uerr == nil {
				t.Errorf("UnmergedSteps read it")
			}
		})
	}
	// What Append writes reads back.
	path := filepath.Join(t.TempDir(), "example.test.json")
	tr := &Trail{Zone: "example.test."}
	at := time.Date(2026, 11, 1, 10, 0, 1, 5e8, time.FixedZone("", 5*3600+30*60))
	if err := tr.Append(path, Entry{Time: at, Command: "flip", Result: ResultDone, ChangedAt: &at}); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTrail(path, "example.test."); err != nil {
		t.Errorf("ReadTrail of what Append wrote: %v", err)
	}
}

// TestClaimedZone: whose trail a text says it is, as far as it is JSON
// (check-trail judges such a file when it looks for every zone's).
func TestClaimedZone(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{`{"zone":"example.test.","entries":[]}`, "example.test."},
		{`{"zone":"example.test.","entries":[{"time":`, "example.test."},
		{`{"zone":"example.test.","entries":[]} {"x":1}`, "example.test."},
		{`{"Zone":"example.test."}`, "example.test."},
		{`{"entries":[],"zone":"example.test."}`, "example.test."},
		{`{"zone":"example.test."x}`, ""},
		{`{"zone":"example.test."`, ""},
		{`{"zone":{"name":"example.test."},"zone":"example.test."}`, ""},
		{`{"name":"x"}`, ""},
		{`flip at 10:00`, ""},
		{`["example.test."]`, ""},
	} {
		if got := ClaimedZone([]byte(tc.text)); got != tc.want {
			t.Errorf("ClaimedZone(%s) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
