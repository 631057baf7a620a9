package cutover

import (
	"encoding/json"
	"time"

	"github.com/dnsparity/dnsparity/internal/deadline"
)

// Times in the JSON report and the audit trail are whole seconds (RFC 3339
// without a fraction, as the text report prints them): when something
// happened is cut to its second, a deadline ("not before", "expires by") is
// rounded up to the next, so that it is never early.

// toSecond is t cut to its second.
func toSecond(t time.Time) time.Time { return t.Truncate(time.Second) }

// inSeconds is v's JSON (v a type's plain copy, without its MarshalJSON)
// once round has written its times in whole seconds.
func inSeconds[P any](v P, round func(*P)) ([]byte, error) {
	round(&v)
	return json.Marshal(v)
}

func toSecondPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	w := toSecond(*t)
	return &w
}

// MarshalJSON writes Earliest in whole seconds.
func (n Next) MarshalJSON() ([]byte, error) {
	type plain Next
	return inSeconds(plain(n), func(q *plain) { q.Earliest = deadline.Up(q.Earliest) })
}

// MarshalJSON writes At in whole seconds.
func (c Change) MarshalJSON() ([]byte, error) {
	type plain Change
	return inSeconds(plain(c), func(q *plain) { q.At = toSecond(q.At) })
}

// MarshalJSON writes StageSince in whole seconds.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	return inSeconds(plain(r), func(q *plain) { q.StageSince = toSecondPtr(q.StageSince) })
}

// MarshalJSON writes Start and OldDelegationExpires in whole seconds (the
// durations keep their fractions).
func (w WatchResult) MarshalJSON() ([]byte, error) {
	type plain WatchResult
	return inSeconds(plain(w), func(q *plain) {
		q.Start, q.OldDelegationExpires = toSecond(q.Start), deadline.Up(q.OldDelegationExpires)
	})
}

// MarshalJSON writes Time and ChangedAt in whole seconds.
func (e Entry) MarshalJSON() ([]byte, error) {
	type plain Entry
	return inSeconds(plain(e), func(q *plain) { q.Time, q.ChangedAt = toSecond(q.Time), toSecondPtr(q.ChangedAt) })
}

// MarshalJSON writes Since in whole seconds and SettledAt rounded up.
func (p Propagation) MarshalJSON() ([]byte, error) {
	type plain Propagation
	return inSeconds(plain(p), func(q *plain) { q.Since, q.SettledAt = toSecond(q.Since), deadline.Up(q.SettledAt) })
}

// MarshalJSON writes At in whole seconds (cut: a copy's expiry is never
// late) and NeededUntil rounded up.
func (c CopyExpiry) MarshalJSON() ([]byte, error) {
	type plain CopyExpiry
	return inSeconds(plain(c), func(q *plain) { q.At, q.NeededUntil = toSecond(q.At), deadline.Up(q.NeededUntil) })
}

// MarshalJSON writes Expires in whole seconds (cut, as CopyExpiry.At).
func (s ServerCopy) MarshalJSON() ([]byte, error) {
	type plain ServerCopy
	return inSeconds(plain(s), func(q *plain) { q.Expires = toSecond(q.Expires) })
}
