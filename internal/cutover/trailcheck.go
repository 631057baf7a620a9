package cutover

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/plural"
)

// The audit trail is repository content, and its entries drive gates: the
// TTLs pushed (ttl-expired), the delegation recorded before a flip (what
// rollback restores), DS and DNSKEY observations (dnssec), flip times
// (overlap). A change to a trail file is legitimate only when it appends
// entries, in time order: CheckAppend judges one, ReadTrail refuses a
// trail whose entries are out of time order.

// TrailClockSkew is how far past now an appended entry may be dated (the
// clocks of the machine that wrote it and the one judging it differ).
const TrailClockSkew = 5 * time.Minute

// TrailChange is one way a new version of a zone's trail file is not the
// old version with entries appended.
type TrailChange struct {
	// Entry is the entry it is about (1-based), 0 for the file as a whole.
	Entry int
	// Line is where that entry starts in the new version (1 when it has
	// none there).
	Line int
	// Message says what changed, for a reviewer ("entry 3 (flip at
	// 2026-11-01T10:00:00Z) changed: before, time").
	Message string
}

// trailFile is a trail file as CheckAppend reads it: each entry kept as
// written (compared as JSON values) and as the fields that name it.
type trailFile struct {
	Zone    string            `json:"zone"`
	Entries []json.RawMessage `json:"entries"`
}

// entryHead is what names an entry in a message.
type entryHead struct {
	Time      time.Time  `json:"time"`
	Command   string     `json:"command"`
	DryRun    bool       `json:"dry_run"`
	Result    string     `json:"result"`
	ChangedAt *time.Time `json:"changed_at"`
}

// locked reports whether the entry was written by a step holding the
// zone's lock: all but push and sync (RecordPush), which take only the
// trail's own lock and may land while a step runs.
func (h entryHead) locked() bool { return h.Command != "push" && h.Command != "sync" }

// setsStage reports whether the entry moved the cutover's stage
// (Entry.setsStage, the predicate Trail.Stage goes by).
func (h entryHead) setsStage() bool {
	return (&Entry{Command: h.Command, DryRun: h.DryRun, Result: h.Result}).setsStage()
}

// describe is an entry as a reviewer reads it: "flip at T".
func (h entryHead) describe() string {
	what := h.Command
	if what == "" {
		what = "entry"
	}
	if h.DryRun {
		what = "dry-run " + what
	}
	if h.Time.IsZero() {
		return what + " with no time"
	}
	what += " at " + h.Time.UTC().Format(time.RFC3339)
	if h.ChangedAt != nil && !h.ChangedAt.Equal(h.Time) {
		// The overlap and the old delegation's expiry count from the
		// registrar change, not from the entry's time.
		what += ", registrar change at " + h.ChangedAt.UTC().Format(time.RFC3339)
	}
	return what
}

// CheckAppend judges cur, the new version of a zone's trail file, against
// old, the version it replaces: nil for a file that is absent (old: a new
// trail; cur: the file deleted). Allowed: old's entries unchanged, in
// order, followed by new ones, each dated at or after the entry before it
// and no later than now plus TrailClockSkew. Anything else is a
// TrailChange: a deleted file, a changed or removed entry, another zone,
// an appended entry that goes back in time or is dated in the future, a
// file that is not a trail.
func CheckAppend(old, cur []byte, now time.Time) []TrailChange {
	return ReviewTrail(old, cur, now).Changes
}

// TrailReview is what a change to a trail file does (ReviewTrail).
type TrailReview struct {
	// Changes are what is not allowed (CheckAppend).
	Changes []TrailChange
	// Appended describes each entry the change appends ("entry 3 (flip
	// at T)"), allowed or not: a reviewer should know which steps a merge
	// adds to the record, since one written by hand drives the gates like
	// a real one.
	Appended []string
	// AppendedLines is the line each entry of Appended starts on in the
	// new version.
	AppendedLines []int
	// AppendedTimes is each appended entry's time (and changed_at, when
	// it has one: the registrar change it records), in the order of
	// Appended: what a run that wrote them must span.
	AppendedTimes [][]time.Time
	// Reordered: the old version's entries were out of time order (a
	// trail every cutover command refuses) and the change puts them back
	// in it, each unchanged (a stable sort by time), which is allowed.
	Reordered bool
}

// ReviewTrail is CheckAppend's judgement with what the change appends.
func ReviewTrail(old, cur []byte, now time.Time) TrailReview {
	var r TrailReview
	r.Changes, r.Appended, r.Reordered = checkAppend(old, cur, now)
	if len(r.Appended) > 0 {
		// The appended entries are the last ones of cur.
		if c, err := parseTrailFile(cur); err == nil && len(c.Entries) >= len(r.Appended) {
			r.AppendedLines = entryLines(cur, len(c.Entries))[len(c.Entries)-len(r.Appended):]
			for _, raw := range c.Entries[len(c.Entries)-len(r.Appended):] {
				var e Entry
				_ = json.Unmarshal(raw, &e) // checkAppend judged it; a zero time is before any run
				ts := []time.Time{e.Time}
				if e.ChangedAt != nil {
					ts = append(ts, *e.ChangedAt)
				}
				r.AppendedTimes = append(r.AppendedTimes, ts)
			}
		}
	}
	return r
}

func checkAppend(old, cur []byte, now time.Time) (changes []TrailChange, added []string, reordered bool) {
	if cur == nil {
		if old == nil {
			return nil, nil, false
		}
		n := "its entries"
		if o, err := parseTrailFile(old); err == nil {
			n = "its " + plural.N(len(o.Entries), "entry", "entries")
		}
		return []TrailChange{{Line: 1, Message: "the file is deleted, and with it " + n}}, nil, false
	}
	c, err := parseTrailFile(cur)
	if err != nil {
		return []TrailChange{{Line: 1, Message: "the file is not an audit trail: " + err.Error()}}, nil, false
	}
	lines := entryLines(cur, len(c.Entries))
	var out []TrailChange
	var o trailFile
	if old != nil {
		if o, err = parseTrailFile(old); err != nil {
			return []TrailChange{{Line: 1, Message: "the base's version is not an audit trail (" + err.Error() + "), so what this change does to it cannot be judged: review it by hand"}}, nil, false
		}
		// A trail out of time order (edited by hand, or merged by an
		// older commit-trail step) may be put back in order, each entry
		// as it was.
		if sorted, ok := inTimeOrder(o.Entries); !ok && len(c.Entries) >= len(sorted) {
			same := true
			for i := range sorted {
				if len(changedKeys(sorted[i], c.Entries[i])) > 0 {
					same = false
					break
				}
			}
			if same {
				o.Entries, reordered = sorted, true
			}
		}
		if o.Zone != "" && c.Zone != o.Zone {
			out = append(out, TrailChange{Line: 1, Message: fmt.Sprintf("the zone it is for changed from %s to %q", o.Zone, c.Zone)})
		}
	}
	heads := make([]entryHead, len(c.Entries))
	for i, raw := range c.Entries {
		if err := json.Unmarshal(raw, &heads[i]); err != nil {
			out = append(out, TrailChange{Entry: i + 1, Line: lines[i], Message: fmt.Sprintf("entry %d is not an audit-trail entry: %v", i+1, err)})
		}
	}
	for i, raw := range o.Entries {
		var was entryHead
		_ = json.Unmarshal(raw, &was)
		if i >= len(c.Entries) {
			out = append(out, TrailChange{Entry: i + 1, Line: 1, Message: fmt.Sprintf("entry %d (%s) is removed", i+1, was.describe())})
			continue
		}
		if keys := changedKeys(raw, c.Entries[i]); len(keys) > 0 {
			msg := fmt.Sprintf("entry %d (%s) is changed: %s", i+1, was.describe(), strings.Join(keys, ", "))
			if !heads[i].Time.Equal(was.Time) {
				msg += fmt.Sprintf(" (its time now reads %s)", heads[i].Time.UTC().Format(time.RFC3339))
			}
			out = append(out, TrailChange{Entry: i + 1, Line: lines[i], Message: msg})
		}
	}
	for i := len(o.Entries); i < len(c.Entries); i++ {
		h := heads[i]
		added = append(added, fmt.Sprintf("entry %d (%s)", i+1, h.describe()))
		switch {
		case h.Time.IsZero():
			out = append(out, TrailChange{Entry: i + 1, Line: lines[i], Message: fmt.Sprintf("entry %d (%s), appended, has no time", i+1, h.describe())})
		case i > 0 && h.Time.Before(heads[i-1].Time):
			out = append(out, TrailChange{Entry: i + 1, Line: lines[i], Message: fmt.Sprintf("entry %d (%s), appended, is dated before entry %d (%s): an appended entry must not go back in time", i+1, h.describe(), i, heads[i-1].describe())})
		case h.Time.After(now.Add(TrailClockSkew)):
			out = append(out, TrailChange{Entry: i + 1, Line: lines[i], Message: fmt.Sprintf("entry %d (%s), appended, is dated in the future (the check ran at %s)", i+1, h.describe(), now.UTC().Format(time.RFC3339))})
		}
		if why := changedAtOutside(heads, i); why != "" {
			out = append(out, TrailChange{Entry: i + 1, Line: lines[i], Message: fmt.Sprintf("entry %d (%s), appended, %s", i+1, h.describe(), why)})
		}
	}
	return out, added, reordered
}

// changedAtOutside says why entry i's registrar change time cannot be
// true ("" when it can): a step writes its entry after the change it
// records (changed_at at or before time), and holds the zone's lock from
// before its gates, so the change comes after every entry another locked
// step wrote before it (a push or sync may land in between). A changed_at
// set back would make the overlap gate and the old delegation's expiry
// count from a change days earlier than it was made.
func changedAtOutside(heads []entryHead, i int) string {
	h := heads[i]
	if h.ChangedAt == nil || h.Time.IsZero() {
		return ""
	}
	if h.ChangedAt.After(h.Time) {
		return "records a registrar change after the entry's own time: a step writes its entry after its change"
	}
	for j := i - 1; j >= 0; j-- {
		if heads[j].locked() && !heads[j].Time.IsZero() {
			if h.ChangedAt.Before(heads[j].Time) {
				return fmt.Sprintf("records a registrar change before entry %d (%s), which a step wrote while it held the zone: a registrar change set back in time", j+1, heads[j].describe())
			}
			break
		}
	}
	return ""
}

// parseTrailFile reads a trail file for CheckAppend: one JSON object with
// a key "entries" (in any case, as encoding/json matches it) whose value
// is a list, or null for none, holding nothing dnsparity never writes
// (checkTrailText).
func parseTrailFile(b []byte) (trailFile, error) {
	var t trailFile
	if err := json.Unmarshal(b, &t); err != nil {
		return t, err
	}
	if err := checkTrailText(b); err != nil {
		return t, err
	}
	if t.Entries == nil {
		var keys map[string]json.RawMessage
		_ = json.Unmarshal(b, &keys) // b is an object or null: it unmarshaled into t
		has := false
		for k := range keys {
			has = has || strings.EqualFold(k, "entries")
		}
		if !has {
			return t, fmt.Errorf("no entries")
		}
	}
	return t, nil
}

// changedKeys are the keys of two JSON objects whose values differ (the
// whole entry when either is not an object, null included, and they are
// not the same JSON value), sorted.
func changedKeys(a, b json.RawMessage) []string {
	var x, y map[string]any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil || x == nil || y == nil {
		var v, w any
		if json.Unmarshal(a, &v) == nil && json.Unmarshal(b, &w) == nil && reflect.DeepEqual(v, w) ||
			bytes.Equal(bytes.TrimSpace(a), bytes.TrimSpace(b)) {
			return nil
		}
		return []string{"the whole entry"}
	}
	var keys []string
	for k, v := range x {
		if w, ok := y[k]; !ok || !reflect.DeepEqual(v, w) {
			keys = append(keys, k)
		}
	}
	for k := range y {
		if _, ok := x[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// entryLines is the line each of the n entries of a trail file starts on
// (1 for an entry not found).
func entryLines(b []byte, n int) []int {
	lines := make([]int, n)
	for i := range lines {
		lines[i] = 1
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return lines
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return lines
		}
		if key != "entries" {
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return lines
			}
			continue
		}
		if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
			return lines
		}
		for i := 0; dec.More(); i++ {
			// The entry starts at the first byte after the offset that
			// is neither space nor a comma.
			off := int(dec.InputOffset())
			for off < len(b) && strings.IndexByte(" \t\r\n,", b[off]) >= 0 {
				off++
			}
			if i < n {
				lines[i] = 1 + bytes.Count(b[:off], []byte("\n"))
			}
			var skip json.RawMessage
			if dec.Decode(&skip) != nil {
				return lines
			}
		}
		return lines
	}
	return lines
}

// inTimeOrder is entries sorted by time, stably (each as written), and
// whether they already were.
func inTimeOrder(entries []json.RawMessage) ([]json.RawMessage, bool) {
	type at struct {
		t   time.Time
		raw json.RawMessage
	}
	xs := make([]at, len(entries))
	ordered := true
	for i, raw := range entries {
		var h entryHead
		_ = json.Unmarshal(raw, &h)
		xs[i] = at{h.Time, raw}
		if i > 0 && h.Time.Before(xs[i-1].t) {
			ordered = false
		}
	}
	if ordered {
		return entries, true
	}
	sort.SliceStable(xs, func(i, j int) bool { return xs[i].t.Before(xs[j].t) })
	out := make([]json.RawMessage, len(xs))
	for i, x := range xs {
		out[i] = x.raw
	}
	return out, false
}

// outOfOrder is the first entry (index) dated before the entry before it,
// -1 when they are in time order.
func (t *Trail) outOfOrder() int {
	for i := 1; i < len(t.Entries); i++ {
		if t.Entries[i].Time.Before(t.Entries[i-1].Time) {
			return i
		}
	}
	return -1
}

// TrailZone is the zone a trail file's text says it is for ("" when it
// says none, or is no trail).
func TrailZone(b []byte) string {
	var t trailFile
	if json.Unmarshal(b, &t) != nil {
		return ""
	}
	return t.Zone
}

// ClaimedZone is the zone a text says it is the trail of, read as far as
// it is JSON: the first "zone" key (as encoding/json matches it,
// foldKey) of the object its text starts with, when that key's value is
// a string followed by a comma or the object's end; "" when it says none. A
// trail cut short, or followed by a second value, still says whose it is
// (dnsparity writes "zone" first), so check-trail, looking for every
// zone's trail by file name (a sync), judges it, and refuses it, rather
// than passing it as no zone's (unmerged-steps.jq's claims).
func ClaimedZone(b []byte) string {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return ""
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return ""
		}
		if k, _ := key.(string); foldKey(k) == "zone" {
			var zone string
			if dec.Decode(&zone) != nil {
				return ""
			}
			// Said only when the value ends as JSON goes on (a comma or
			// the object's end), as jq --stream emits it.
			rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n")
			if len(rest) == 0 || (rest[0] != ',' && rest[0] != '}') {
				return ""
			}
			return zone
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return ""
		}
	}
	return ""
}

// UnmergedSteps is the step entries (each described: "flip at T") of
// theirs, another copy of zone's trail file (the one an audit-trail side
// branch, dnsparity-trail/BRANCH-RUN, holds), that ours (the checkout's
// copy; nil when it has none) lacks: what makes a cutover step run from
// ours refuse (check-trail). A step entry is one a step wrote holding the
// zone's lock (entryHead.locked: not push or sync, which record beside a
// step and drive none of its gates); entries are compared whole, as JSON
// values, as commit-trail.sh merges them. A theirs for another zone holds
// none of zone's entries: nil. Either copy that is not an audit trail
// (parseTrailFile), or an entry of theirs that is not an entry, is an
// error: what it holds cannot be judged, so a step is refused rather than
// run from it.
//
// .github/actions/check-trail/unmerged-steps.jq applies this rule in jq
// (the composite action runs on the runner, where the binary is not: it
// lives in the Action's FROM-scratch image, run only as a step of its
// own); TestCheckTrailAgreesWithUnmergedSteps (internal/action) runs
// check-trail.sh on every row of a table of trails and fails on any row
// where its verdict and this one differ.
func UnmergedSteps(zone string, theirs, ours []byte) ([]string, error) {
	return unmerged(zone, theirs, ours, entryHead.locked)
}

// UnmergedStageSteps is UnmergedSteps for a sync: only the entries that
// move the cutover's stage (Entry.setsStage: a flip, rollback or finish
// done, not a dry run). A sync reads the trail only through Trail.Stage
// (the push order after an emergency step, push.Steps; the apex-trap
// side), so a status, a dry run or a refused step waiting on a side
// branch changes nothing it does and must not stop it
// (check-trail with for: sync; unmerged-steps.jq's $rule "sync").
func UnmergedStageSteps(zone string, theirs, ours []byte) ([]string, error) {
	return unmerged(zone, theirs, ours, entryHead.setsStage)
}

// unmerged is the entries of theirs that keep says matter and ours lacks
// (UnmergedSteps, UnmergedStageSteps).
func unmerged(zone string, theirs, ours []byte, keep func(entryHead) bool) ([]string, error) {
	t, err := parseTrailFile(theirs)
	if err != nil {
		return nil, fmt.Errorf("the side branch's copy is not an audit trail: %w", err)
	}
	if t.Zone != zone {
		return nil, nil
	}
	var o trailFile
	if ours != nil {
		if o, err = parseTrailFile(ours); err != nil {
			return nil, fmt.Errorf("the checkout's copy is not an audit trail: %w", err)
		}
	}
	var out []string
	for i, raw := range t.Entries {
		var h entryHead
		if err := json.Unmarshal(raw, &h); err != nil {
			return nil, fmt.Errorf("the side branch's entry %d is not an audit-trail entry: %w", i+1, err)
		}
		if !keep(h) || holds(o.Entries, raw) {
			continue
		}
		out = append(out, h.describe())
	}
	return out, nil
}

// holds reports whether entries hold raw, compared as JSON values.
func holds(entries []json.RawMessage, raw json.RawMessage) bool {
	for _, e := range entries {
		if changedKeys(e, raw) == nil {
			return true
		}
	}
	return false
}
