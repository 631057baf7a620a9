package cutover

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// Entry is one step in a zone's audit trail.
type Entry struct {
	Time      time.Time `json:"time"`
	Actor     string    `json:"actor"`
	Command   string    `json:"command"` // status, flip, rollback, finish
	Emergency bool      `json:"emergency,omitempty"`
	DryRun    bool      `json:"dry_run,omitempty"`
	// Result: done, refused, error, nothing-to-do, observed (status).
	Result string `json:"result"`
	Gates  []Gate `json:"gates,omitempty"`
	// Before and After are the delegation at the parent before the step
	// and after it (confirmed at the parent's servers).
	Before *registrar.Delegation `json:"before,omitempty"`
	After  *registrar.Delegation `json:"after,omitempty"`
	// ChangedAt is when the registrar accepted the change.
	ChangedAt *time.Time `json:"changed_at,omitempty"`
	TTL       *TTLs      `json:"ttl,omitempty"`
	// ParentDS is the DS set the parent's servers served at the step.
	ParentDS *DSSeen      `json:"parent_ds,omitempty"`
	Watch    *WatchResult `json:"watch,omitempty"`
	Error    string       `json:"error,omitempty"`
	Actions  []string     `json:"actions,omitempty"`
}

// TTLs is what a step observed of both providers' TTLs: the largest TTL
// of any RRset (the SOA's negative-caching TTL included).
type TTLs struct {
	OldMax uint32 `json:"old_max"`
	NewMax uint32 `json:"new_max"`
	OldErr string `json:"old_error,omitempty"`
	NewErr string `json:"new_error,omitempty"`
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

	// redact, when set, takes secrets out of the file's text as it is
	// written (Config.Redact).
	redact func(string) string
}

// TrailPath is the trail file of zone under dir (NAME.json, without the
// final dot).
func TrailPath(dir, zone string) string {
	name := strings.TrimSuffix(zone, ".")
	if name == "" {
		name = "root"
	}
	return filepath.Join(dir, name+".json")
}

// ReadTrail reads a trail; a missing file is an empty trail.
func ReadTrail(path, zone string) (*Trail, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Trail{Zone: zone, Entries: []Entry{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("audit trail: %w", err)
	}
	var t Trail
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("audit trail %s: %w", path, err)
	}
	if t.Zone != "" && t.Zone != zone {
		return nil, fmt.Errorf("audit trail %s is for zone %s, not %s", path, t.Zone, zone)
	}
	t.Zone = zone
	return &t, nil
}

// Append adds e to the trail and writes the file (to a temporary file
// renamed over it, so a crash never leaves half a trail).
func (t *Trail) Append(path string, e Entry) error {
	t.Entries = append(t.Entries, e)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("audit trail: %w", err)
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return fmt.Errorf("audit trail: %w", err)
	}
	if t.redact != nil {
		b = []byte(t.redact(string(b)))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".trail-*")
	if err != nil {
		return fmt.Errorf("audit trail: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("audit trail: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("audit trail: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
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
	for i := len(t.Entries) - 1; i >= 0; i-- {
		e := &t.Entries[i]
		if e.DryRun || e.Result != ResultDone {
			continue
		}
		switch e.Command {
		case "flip":
			return StageFlipped, e
		case "rollback":
			return StageRolledBack, e
		case "finish":
			return StageFinished, e
		}
	}
	return StageNotStarted, nil
}

// LastTTL is the last TTL observation in the trail (nil when none).
func (t *Trail) LastTTL() *TTLs {
	for i := len(t.Entries) - 1; i >= 0; i-- {
		if t.Entries[i].TTL != nil {
			return t.Entries[i].TTL
		}
	}
	return nil
}

// AssumedPreviousTTL is the previous maximum TTL assumed when the trail
// never saw the TTLs above the cap: a day, the largest TTL common
// resolvers keep by default (Unbound's cache-max-ttl).
const AssumedPreviousTTL = 86400

// Lowered says when the TTLs were last seen to go down to the cap: the
// first observation at or under cap after the last one above it (now,
// when cur is the first), and the previous maximum (AssumedPreviousTTL
// when no observation above the cap is recorded). ok is false when cur is
// above the cap.
func (t *Trail) Lowered(cur TTLs, cap uint32, now time.Time) (since time.Time, prev uint32, known, ok bool) {
	if cur.Max() > cap {
		return time.Time{}, 0, false, false
	}
	since, prev = now, AssumedPreviousTTL
	for i := len(t.Entries) - 1; i >= 0; i-- {
		e := t.Entries[i]
		if e.TTL == nil || e.TTL.OldErr != "" || e.TTL.NewErr != "" {
			continue
		}
		if e.TTL.Max() > cap {
			return since, e.TTL.Max(), true, true
		}
		since = e.Time
	}
	return since, prev, false, true
}

// CachedDS is the DS set validating resolvers may still hold although the
// parent no longer serves it (cur is empty): the last DS set the trail saw,
// until the first time the trail saw it gone (now, if this is the first)
// plus its TTL. Nothing once that has passed, or while the parent serves a
// DS.
func (t *Trail) CachedDS(cur []string, now time.Time) ([]string, time.Time) {
	if len(cur) > 0 {
		return nil, time.Time{}
	}
	gone := now
	for i := len(t.Entries) - 1; i >= 0; i-- {
		e := t.Entries[i]
		if e.ParentDS == nil {
			continue
		}
		if len(e.ParentDS.DS) == 0 {
			gone = e.Time
			continue
		}
		until := gone.Add(time.Duration(e.ParentDS.TTL) * time.Second)
		if !now.Before(until) {
			return nil, time.Time{}
		}
		return e.ParentDS.DS, until
	}
	return nil, time.Time{}
}
