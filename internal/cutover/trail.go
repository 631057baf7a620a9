package cutover

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/shell"
)

// Entry is one step in a zone's audit trail.
type Entry struct {
	Time      time.Time `json:"time"`
	Actor     string    `json:"actor"`
	Command   string    `json:"command"` // status, flip, rollback, finish; push, sync
	Emergency bool      `json:"emergency,omitempty"`
	DryRun    bool      `json:"dry_run,omitempty"`
	// Result: done, refused, error, nothing-to-do, observed (status).
	Result string `json:"result"`
	Gates  []Gate `json:"gates,omitempty"`
	// Before and After are the delegation at the parent before the step
	// and after it (confirmed at the parent's servers).
	Before *registrar.Delegation `json:"before,omitempty"`
	After  *registrar.Delegation `json:"after,omitempty"`
	// BeforeNSAddrs (a flip's) are the addresses each NS name of Before
	// outside the zone resolved to when the flip ran (an empty list: it
	// resolved to none): such a name's addresses are its own zone's
	// holder's to move, and a rollback restoring Before refuses a name
	// that leads elsewhere since than then or to a configured server
	// (the delegation gate's ns-moved). Trails written before it was
	// recorded lack it: their names are judged by the SOA each address
	// they lead to serves, against the configured servers'.
	BeforeNSAddrs map[string][]string `json:"before_ns_addrs,omitempty"`
	// ChangedAt is when the registrar accepted the change.
	ChangedAt *time.Time `json:"changed_at,omitempty"`
	TTL       *TTLs      `json:"ttl,omitempty"`
	// ParentDS is the DS set the parent's servers served at the step.
	ParentDS *DSSeen `json:"parent_ds,omitempty"`
	// DNSKEY is what each side's DNSKEY sets held when the step's dnssec
	// gate asked them, by side: the key tags every answering server
	// served and the largest TTL (Trail.KeysSeen).
	DNSKEY map[string]dnssec.KeySet `json:"dnskey,omitempty"`
	// DelegatedTo are the sides the parent's delegation sent resolvers to
	// when the step read it (after a registrar change: the side it moved
	// to), and ParentNSTTL its NS TTL: ttl-expired counts a side's TTLs
	// only while resolvers could ask it (Trail.delegated).
	// ParentGlueTTL is the largest TTL of the glue they served with it:
	// a resolver keeps those addresses that long (Entry.parentTTL).
	DelegatedTo   []string `json:"delegated_to,omitempty"`
	ParentNSTTL   uint32   `json:"parent_ns_ttl,omitempty"`
	ParentGlueTTL uint32   `json:"parent_glue_ttl,omitempty"`
	// Pushed is what a push or sync sent, by side (RecordPush).
	Pushed map[string]Pushed `json:"pushed,omitempty"`
	// OldApexNS is the apex NS the old side's servers served when the
	// step ran (finish waits out the last set naming old servers:
	// Trail.apexNSNamesOwn).
	OldApexNS *OldApexNS `json:"old_apex_ns,omitempty"`
	// NewApexNS is the apex NS the new side's servers served when a
	// rollback or a status run while rolled back ran (status's
	// new-apex-ns waits out the last set naming new servers, as finish
	// does old_apex_ns's: Trail.apexNSNamesOwn).
	NewApexNS *NewApexNS   `json:"new_apex_ns,omitempty"`
	Watch     *WatchResult `json:"watch,omitempty"`
	Error     string       `json:"error,omitempty"`
	Actions   []string     `json:"actions,omitempty"`
}

// TTLs is what a step observed of both providers' TTLs: the largest TTL
// of any RRset listed or apex SOA and NS served (the SOA's
// negative-caching TTL included); the notes say where the apex TTLs came
// from.
type TTLs struct {
	OldMax  uint32 `json:"old_max"`
	NewMax  uint32 `json:"new_max"`
	OldErr  string `json:"old_error,omitempty"`
	NewErr  string `json:"new_error,omitempty"`
	OldApex string `json:"old_apex,omitempty"`
	NewApex string `json:"new_apex,omitempty"`
	// OldServed, NewServed: the RRset a side's servers served with the
	// longest TTL above the cap, and where (parity's answers: every
	// RRset of the zone, every server); ServedUnknown why the served
	// TTLs are not known (parity did not complete). Such an observation
	// is never one at or under the cap.
	OldServed     string `json:"old_served,omitempty"`
	NewServed     string `json:"new_served,omitempty"`
	ServedUnknown string `json:"served_unknown,omitempty"`
}

// Max is the larger of both sides' maxima.
func (t TTLs) Max() uint32 { return max(t.OldMax, t.NewMax) }

// DSSeen is a DS set seen at the parent, with its TTL.
type DSSeen struct {
	DS  []string `json:"ds"`
	TTL uint32   `json:"ttl"`
}

// Trail is a zone's audit trail: every step, oldest first.
type Trail struct {
	Zone    string  `json:"zone"`
	Entries []Entry `json:"entries"`

	// redact, when set, takes secrets out of the texts of an entry as it
	// is appended (Config.Redact; Entry.redacted).
	redact func([]string) []string
}

// TrailPath is the trail file of zone under dir (NAME.json, without the
// final dot): a file of dir itself, whatever the name holds (a "/" of an
// RFC 2317 zone, 0/25.2.0.192.in-addr.arpa., is written \047, its
// escape in a domain name, which a canonical name never holds), so no
// folder of dir is ever reached through the name.
func TrailPath(dir, zone string) string {
	name := strings.ReplaceAll(strings.TrimSuffix(zone, "."), "/", `\047`)
	if name == "" {
		name = "root"
	}
	return filepath.Join(dir, name+".json")
}

// ReadTrail reads zone's trail (zone "": whichever zone it is for); a
// missing file is an empty trail.
func ReadTrail(path, zone string) (*Trail, error) {
	var b []byte
	f, err := openState(path, os.O_RDONLY)
	if err == nil {
		b, err = io.ReadAll(f)
		f.Close()
	}
	if errors.Is(err, fs.ErrNotExist) {
		return &Trail{Zone: zone, Entries: []Entry{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit trail: %w", err)
	}
	var t Trail
	if err := json.Unmarshal(b, &t); err != nil {
		if line := jsonLine(b, err); line > 0 {
			return nil, fmt.Errorf("%s:%d: audit trail: %w (restore the file from git history: %s)", path, line, err, shell.Line("git", "log", "-p", "--", path))
		}
		return nil, fmt.Errorf("audit trail %s: %w", path, err)
	}
	// What no writer leaves (a key twice, a time not as Append writes it)
	// reads one way here and another in check-trail's jq.
	var se *trailSyntaxError
	if err := checkTrailText(b); errors.As(err, &se) {
		return nil, fmt.Errorf("%s:%d: audit trail: %s, which no dnsparity writer leaves (restore the file from git history: %s)", path, se.Line, se.Msg, shell.Line("git", "log", "-p", "--", path))
	}
	// Every writer appends in time order (Append), so entries out of it
	// were edited by hand: a gate must not count from them.
	if i := t.outOfOrder(); i >= 0 {
		return nil, fmt.Errorf("audit trail %s: entry %d (%s at %s) is dated before entry %d (%s at %s): its entries are not in time order, which no dnsparity writer leaves (it was edited by hand, or merged by an older commit-trail step), and no gate may count from it: find the change in git history (%s) and restore the file, or, each entry unchanged, sort the entries by time in a pull request of its own (the Action's pr allows that)",
			path, i+1, t.Entries[i].Command, t.Entries[i].Time.UTC().Format(time.RFC3339), i, t.Entries[i-1].Command, t.Entries[i-1].Time.UTC().Format(time.RFC3339), shell.Line("git", "log", "-p", "--", path))
	}
	if zone == "" {
		return &t, nil // whichever zone it is for
	}
	if t.Zone != "" && t.Zone != zone {
		return nil, fmt.Errorf("audit trail %s is for zone %s, not %s", path, t.Zone, zone)
	}
	t.Zone = zone
	return &t, nil
}

// jsonLine is the line of b where decoding it failed with err: a syntax
// error (a file cut short: its last line) or a value of the wrong type,
// both by their offset; 0 for another error.
func jsonLine(b []byte, err error) int {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return 0
	}
	pre := b[:min(max(off, 0), int64(len(b)))]
	if len(pre) == len(b) {
		pre = bytes.TrimRight(pre, "\n") // cut short: its last line
	}
	return bytes.Count(pre, []byte("\n")) + 1
}

// trailLockWait bounds the wait for another process's write of the same
// trail (a write takes milliseconds).
const trailLockWait = 30 * time.Second

// Append adds e to the trail file and writes it (to a temporary file
// renamed over it, so a crash never leaves half a trail). Under the trail's
// own lock it reads the file again first and appends to what is there, so
// an entry another process wrote since t was read (a push recording the
// TTLs it pushed, a step run meanwhile) is kept; t then holds the file's
// entries.
func (t *Trail) Append(path string, e Entry) error {
	f, err := lockFile(context.Background(), trailLockPath(path), t.Zone, trailLockWait, nil)
	if err != nil {
		return fmt.Errorf("audit trail: %w", err)
	}
	defer func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}()
	zone := t.Zone
	disk, err := ReadTrail(path, zone)
	if err != nil {
		return err
	}
	if zone == "" {
		zone = disk.Zone
	}
	if t.redact != nil {
		e = e.redacted(t.redact)
	}
	// A push is recorded after it was applied: one dated before the
	// trail's last entry (this machine's clock behind the one that wrote
	// it, or a step recorded meanwhile) is dated at that entry, never
	// before it. Put before it, its TTLs would count as sent earlier
	// than they were (ttl-expired ending early by the skew), or before an
	// observation that did not see them.
	if n := len(disk.Entries); len(e.Pushed) > 0 && n > 0 && e.Time.Before(disk.Entries[n-1].Time) {
		e.Time = disk.Entries[n-1].Time
	}
	// In time order: an entry dated before one another process wrote
	// meanwhile (a push recorded while this step ran) goes before it, so
	// that the trail stays one that ReadTrail accepts.
	at := len(disk.Entries)
	for at > 0 && toSecond(e.Time).Before(disk.Entries[at-1].Time) {
		at--
	}
	t.Zone, t.Entries = zone, slices.Insert(disk.Entries, at, e)
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("audit trail: %w", err)
	}
	// Replaced, never written through: a temporary file renamed over it,
	// so a crash never leaves half a trail.
	if err := confine.WriteFile(filepath.Dir(path), path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("audit trail: %w", err)
	}
	return nil
}

// Stage names where a cutover stands.
const (
	StageNotStarted = "not-started"
	StageFlipped    = "flipped"
	StageRolledBack = "rolled-back"
	StageFinished   = "finished"
)

// Stage is where the trail says the cutover stands, and the entry that
// put it there (nil for not-started).
func (t *Trail) Stage() (string, *Entry) {
	e := t.last((*Entry).setsStage)
	if e == nil {
		return StageNotStarted, nil
	}
	return stageAfter(e.Command), e
}

// setsStage reports whether e put the cutover where it then stood
// (Stage): a flip, rollback or finish done, not a dry run. A flip run
// before it is not one to resume (attemptedBefore stops there).
func (e *Entry) setsStage() bool {
	return !e.DryRun && e.Result == ResultDone && stageAfter(e.Command) != ""
}

// stageAfter is the stage a done step of command leaves the cutover in
// ("": a command that does not move it, such as status or push).
func stageAfter(command string) string {
	switch command {
	case "flip":
		return StageFlipped
	case "rollback":
		return StageRolledBack
	case "finish":
		return StageFinished
	}
	return ""
}

// LastTTL is the last TTL observation in the trail (nil when none).
func (t *Trail) LastTTL() *TTLs {
	if e := t.last(func(e *Entry) bool { return e.TTL != nil }); e != nil {
		return e.TTL
	}
	return nil
}

// AssumedPreviousTTL is the previous maximum TTL assumed when the trail
// never saw the TTLs above the cap: a day, the largest TTL common
// resolvers keep by default (Unbound's cache-max-ttl).
const AssumedPreviousTTL = 86400

// Lowered says when the TTLs above the cap have certainly left every cache
// and why. Only what a resolver could have cached counts: a side's TTLs
// while the parent's delegation sent resolvers to it (Trail.delegated:
// the old side until the first flip, and after each rollback; the new
// side from each flip until the rollback after it; and whatever status
// saw). Each TTL above the cap the trail saw on a side (a status or step
// observation of the providers, or a push that sent or replaced an RRset
// with it) may have been served from when it can first have been there
// (a push's own TTL: the push; a TTL observed or replaced: since the last
// observation of that side at or under the cap before it) until the first
// such observation after it (now, when cur is the first), and cached that
// long after the last moment of that time the side was delegated to.
// since is that moment for the TTL whose copies expire last, prev the TTL
// (since + prev is when the gate passes). So a fresh provider zone's
// defaults that a push replaced before any delegation pointed there count
// for nothing, while a record pushed at a day to the delegated side and
// capped again minutes later holds the flip a day. When the trail never
// saw a TTL above the cap that counts, since is the first observation at
// or under it and prev AssumedPreviousTTL (known false). ok is false when
// cur is above the cap.
func (t *Trail) Lowered(cur TTLs, cap uint32, now time.Time) (since time.Time, prev uint32, known, ok bool) {
	if cur.Max() > cap {
		return time.Time{}, 0, false, false
	}
	spans := t.delegated()
	var end time.Time
	for i := range t.Entries {
		e := &t.Entries[i]
		for _, side := range []string{"old", "new"} {
			for _, h := range e.highTTLs(side, cap) {
				from := e.Time
				if !h.sent {
					from = t.lowBefore(i, side, cap)
				}
				until := t.lowAfter(i, side, cap, now)
				last, served := servedWhileDelegated(spans[side], from, until)
				if !served {
					continue // no resolver was sent to that side meanwhile
				}
				if at := last.Add(time.Duration(h.ttl) * time.Second); !known || at.After(end) {
					end, since, prev, known = at, last, h.ttl, true
				}
			}
		}
	}
	if known {
		return since, prev, true, true
	}
	since = now
	for e := range t.from(0) {
		if e.lowObservation(cap) {
			since = e.Time // the first observation at or under the cap
			break
		}
	}
	return since, AssumedPreviousTTL, false, true
}

// CachedDS is every DS set validating resolvers may still hold although
// the parent serves another (cur): each set the trail recorded, other
// than cur and the empty set (resolvers holding it treat the zone as
// unsigned), until its last sighting plus its TTL, if that is after now.
// A set's last sighting is the first later record that no longer saw it
// (now, if the trail's last record saw it): it may have been served until
// then. Every set counts, not only the last before cur: a resolver holds
// the one it cached, and a set replaced by deleting it and adding another
// (a record of no DS in between) or by a short-lived one is still cached.
// A set the trail saw more than once counts once, with its latest end;
// oldest end first. A DS removed (cur empty) and a DS added beside the
// old one (RFC 8901 route (b)) alike: resolvers that cached the earlier
// set validate with it.
func (t *Trail) CachedDS(cur []string, now time.Time) []dnssec.HeldDS {
	key := dsKey(cur)
	var out []dnssec.HeldDS
	at := map[string]int{} // set -> index in out
	run, end := key, now   // the set of the run of records walked back through, and when it ended
	next := now            // the time of the record after this one
	for e := range t.newestFirst() {
		if e.ParentDS == nil {
			continue
		}
		k := dsKey(e.ParentDS.DS)
		if k != run {
			run, end = k, next // the record after it no longer saw it
		}
		next = e.Time
		if k == key || len(e.ParentDS.DS) == 0 {
			continue
		}
		until := end.Add(time.Duration(e.ParentDS.TTL) * time.Second)
		if !now.Before(until) {
			continue
		}
		if i, ok := at[k]; ok {
			if until.After(out[i].Until) {
				out[i].Until = until
			}
			continue
		}
		at[k] = len(out)
		out = append(out, dnssec.HeldDS{DS: slices.Clone(e.ParentDS.DS), Until: until})
	}
	slices.SortStableFunc(out, func(a, b dnssec.HeldDS) int { return a.Until.Compare(b.Until) })
	return out
}

// dsRecordBegan is when the trail began to record the parent's DS set
// (its first record of it; now when it holds none) and how long a set
// the parent served before then may still be held by validating
// resolvers, which the trail cannot know (dnssec.Input.UnseenDSSince):
// the TTL of the set it first saw there (cur's, curTTL, when it saw
// none yet), the parent's DS TTL; AssumedPreviousTTL when that set was
// empty (a DS removed before then: its TTL is not known).
func (t *Trail) dsRecordBegan(now time.Time, cur []string, curTTL uint32) (time.Time, uint32) {
	since, ds, ttl := now, cur, curTTL
	for e := range t.from(0) {
		if e.ParentDS != nil {
			since, ds, ttl = e.Time, e.ParentDS.DS, e.ParentDS.TTL
			break
		}
	}
	if len(ds) == 0 || ttl == 0 {
		ttl = AssumedPreviousTTL
	}
	return since, ttl
}

// KeysSeen is every record of what side's DNSKEY sets held, oldest
// first: the dnssec gate counts the DNSKEY TTL from the first of the
// unbroken run of them holding the keys the other side signs with
// (dnssec.Input.OtherKeys). Between two records the set is taken as
// unchanged. Each counts at the end of the second its entry names (the
// trail keeps whole seconds, cut down), so that the wait is never short.
func (t *Trail) KeysSeen(side string) []dnssec.KeysAt {
	var out []dnssec.KeysAt
	for _, e := range t.Entries {
		if ks, ok := e.DNSKEY[side]; ok {
			out = append(out, dnssec.KeysAt{At: toSecond(e.Time).Add(time.Second), KeySet: ks})
		}
	}
	return out
}

// dsKey is a DS set in one spelling (sorted, upper case), for comparing.
func dsKey(ds []string) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = strings.ToUpper(strings.Join(strings.Fields(d), " "))
	}
	sort.Strings(s)
	return strings.Join(s, "\n")
}

// redacted is e with f applied to its texts: what a person, a server or a
// gate wrote (actor, error, actions, details, plans, checks, notes). The
// data later steps read back (times, NS names, glue, DS, TTLs, sides,
// command and result) are left as they are: a secret that is also a
// number or a word there (a four-digit account id, a TSIG key named like
// a server) must not make the trail unreadable or change the delegation
// a rollback restores.
func (e Entry) redacted(f func([]string) []string) Entry {
	// Every text's address, in the order the file holds them, the copies of the
	// slices and structs they stand in made first: f reads them one
	// after another in one call.
	var at []*string
	texts := func(xs []string) []string {
		if xs == nil {
			return nil
		}
		out := slices.Clone(xs)
		for i := range out {
			at = append(at, &out[i])
		}
		return out
	}
	at = append(at, &e.Actor)
	if e.Gates != nil {
		gs := slices.Clone(e.Gates)
		for i := range gs {
			g := &gs[i]
			at = append(at, &g.Detail)
			g.Plan = texts(g.Plan)
			if g.Checks != nil {
				g.Checks = slices.Clone(g.Checks)
				for j := range g.Checks {
					c := &g.Checks[j]
					at = append(at, &c.Server, &c.Detail, &c.Asked, &c.Expected, &c.Got, &c.Fix)
				}
			}
		}
		e.Gates = gs
	}
	if e.TTL != nil {
		t := *e.TTL
		at = append(at, &t.OldErr, &t.NewErr, &t.OldApex, &t.NewApex, &t.OldServed, &t.NewServed, &t.ServedUnknown)
		e.TTL = &t
	}
	if e.Watch != nil {
		w := *e.Watch
		at = append(at, &w.Detail)
		w.Resolvers = slices.Clone(w.Resolvers)
		for i := range w.Resolvers {
			at = append(at, &w.Resolvers[i].Detail)
		}
		e.Watch = &w
	}
	// The error and the actions last, as the file holds them (Entry's
	// field order): a secret split between the watch's last text and
	// the error is read whole.
	at = append(at, &e.Error)
	e.Actions = texts(e.Actions)
	vs := make([]string, len(at))
	for i, p := range at {
		vs[i] = *p
	}
	for i, v := range f(vs) {
		*at[i] = v
	}
	return e
}

// oldKeyTags are the key tags the trail saw as the old provider's: each
// tag of the old side's DNSKEY sets it recorded (KeysSeen), and each DS
// key tag at the parent before the first flip made (the DS set the flip
// found, and those recorded before it: they vouched for the old
// provider's keys, and in an RFC 8901 overlap for the new one's too);
// empty when it saw none. A tag names no key alone (RFC 4034 appendix
// B): a reader taking one for the old provider's errs towards refusing.
func (t *Trail) oldKeyTags() map[uint16]bool {
	tags := map[uint16]bool{}
	addDS := func(ds []string) {
		for _, d := range ds {
			if f := strings.Fields(d); len(f) > 0 {
				if tag, err := strconv.ParseUint(f[0], 10, 16); err == nil {
					tags[uint16(tag)] = true
				}
			}
		}
	}
	if t == nil {
		return tags
	}
	flipped := false
	for _, e := range t.Entries {
		if ks, ok := e.DNSKEY["old"]; ok {
			for _, tag := range ks.Tags {
				tags[tag] = true
			}
		}
		if flipped {
			continue
		}
		if e.ParentDS != nil {
			addDS(e.ParentDS.DS)
		}
		if e.Command == "flip" && e.setsStage() {
			if e.Before != nil {
				addDS(e.Before.DS)
			}
			flipped = true
		}
	}
	return tags
}

// signersSeen are the keys the trail saw side's servers sign their
// DNSKEY set or apex SOA with (each record's dnssec.KeySet.Signers),
// once each: the keys its provider holds the private halves of, kept to
// name them once it stops signing with them (finish's old-key). Records
// made before they were kept hold none.
func (t *Trail) signersSeen(side string) []string {
	var out []string
	if t == nil {
		return nil
	}
	for _, k := range t.KeysSeen(side) {
		for _, s := range k.Signers {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}
