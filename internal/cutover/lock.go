package cutover

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// DefaultLockWait is how long a step waits for another step on the same
// zone to end before it gives up (cutover.lock_wait).
const DefaultLockWait = time.Minute

// Holder is who holds a zone's lock.
type Holder struct {
	Command string    `json:"command"`
	Actor   string    `json:"actor"`
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Since   time.Time `json:"since"`
}

func (h Holder) String() string {
	if h.PID == 0 {
		return "a process that has not said who it is"
	}
	return fmt.Sprintf("%s by %s (pid %d on host %s) since %s", h.Command, h.Actor, h.PID, h.Host, h.Since.UTC().Format(time.RFC3339))
}

// LockedError is a lock another process held for longer than the wait.
type LockedError struct {
	Zone   string
	Holder Holder
	Waited time.Duration
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("another cutover step holds zone %s: %s; waited %s (cutover.lock_wait): let it end, then run this step again", e.Zone, e.Holder, e.Waited.Round(time.Millisecond))
}

// lockPath is the lock of the steps on the zone whose trail is at
// trailPath, beside it and hidden (never committed with the trail), and
// trailLockPath the lock of the trail file itself.
func lockPath(trailPath string) string {
	return filepath.Join(filepath.Dir(trailPath), "."+strings.TrimSuffix(filepath.Base(trailPath), ".json")+".lock")
}

func trailLockPath(trailPath string) string {
	return filepath.Join(filepath.Dir(trailPath), "."+filepath.Base(trailPath)+".lock")
}

// LockZone takes the lock that keeps two cutover steps on one zone from
// running at once (an exclusive flock of a file beside the zone's audit
// trail, which the kernel releases when the process ends, so it is never
// left stale), waiting at most wait; me is written into it for whoever
// waits. A lock held longer is a *LockedError naming its holder. When
// the lock is busy, a line to log (nil: none) says the step waits, for
// whom and how long at most.
func LockZone(ctx context.Context, trailPath, zone string, me Holder, wait time.Duration, log io.Writer) (unlock func(), err error) {
	f, err := lockFile(ctx, lockPath(trailPath), zone, wait, log)
	if err != nil {
		return nil, err
	}
	if me.PID == 0 {
		me.PID = os.Getpid()
	}
	if me.Host == "" {
		me.Host, _ = os.Hostname()
	}
	if me.Since.IsZero() {
		me.Since = time.Now().UTC()
	}
	b, _ := json.Marshal(me)
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt(append(b, '\n'), 0)
		_ = f.Sync()
	}
	return func() {
		_ = f.Truncate(0)
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// lockFile opens path and takes an exclusive flock on it, polling until
// wait has passed; log (nil: none) is told once when it has to wait.
func lockFile(ctx context.Context, path, zone string, wait time.Duration, log io.Writer) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	f, err := openState(path, os.O_RDWR|os.O_CREATE)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	start := time.Now()
	holder := func() Holder {
		var h Holder
		if b, err := os.ReadFile(path); err == nil {
			_ = json.Unmarshal(b, &h)
		}
		return h
	}
	for said := false; ; {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if time.Since(start) >= wait || ctx.Err() != nil {
			h := holder()
			f.Close()
			return nil, &LockedError{Zone: zone, Holder: h, Waited: time.Since(start)}
		}
		if !said && log != nil {
			said = true
			fmt.Fprintf(log, "%s: another step holds the zone (%s): waiting for it to end, at most %s (cutover.lock_wait)\n", zone, holder(), wait)
		}
		select {
		case <-ctx.Done():
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// openState opens a file of cutover.state_dir (a trail, a lock) without
// following a symlink: the folder is confined to the repository
// (config.LoadIn), but what lies in it is repository content too, and a
// symlink committed in place of a lock or a trail would have a step read,
// create or truncate a file outside it.
func openState(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, flag|syscall.O_NOFOLLOW, 0o644)
	if errors.Is(err, syscall.ELOOP) {
		return nil, fmt.Errorf("%s is a symlink: the files of cutover.state_dir are never followed out of it (remove it)", path)
	}
	return f, err
}

// lock takes the zone's lock for a step (c.unlock releases it); false, with
// the report saying why, when another step holds it past c.LockWait.
func (c *Config) lock(ctx context.Context, command string, rep *Report) bool {
	unlock, err := LockZone(ctx, c.TrailPath, c.Zone.Origin, Holder{Command: command, Actor: c.Actor}, c.LockWait, c.Log)
	if err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		rep.Actions = append(rep.Actions, "nothing was checked or changed")
		rep.Result = ResultError
		return false
	}
	c.unlock = unlock
	return true
}

// release ends the step's hold on the zone's lock.
func (c *Config) release() {
	if c.unlock != nil {
		c.unlock()
		c.unlock = nil
	}
}
