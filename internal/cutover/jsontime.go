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
	p := plain(n)
	p.Earliest = deadline.Up(p.Earliest)
	return json.Marshal(p)
}

// MarshalJSON writes At in whole seconds.
func (c Change) MarshalJSON() ([]byte, error) {
	type plain Change
	p := plain(c)
	p.At = toSecond(p.At)
	return json.Marshal(p)
}

// MarshalJSON writes StageSince in whole seconds.
func (r Report) MarshalJSON() ([]byte, error) {
	type plain Report
	p := plain(r)
	p.StageSince = toSecondPtr(p.StageSince)
	return json.Marshal(p)
}

// MarshalJSON writes Start and OldDelegationExpires in whole seconds (the
// durations keep their fractions).
func (w WatchResult) MarshalJSON() ([]byte, error) {
	type plain WatchResult
	p := plain(w)
	p.Start, p.OldDelegationExpires = toSecond(p.Start), deadline.Up(p.OldDelegationExpires)
	return json.Marshal(p)
}

// MarshalJSON writes Time and ChangedAt in whole seconds.
func (e Entry) MarshalJSON() ([]byte, error) {
	type plain Entry
	p := plain(e)
	p.Time, p.ChangedAt = toSecond(p.Time), toSecondPtr(p.ChangedAt)
	return json.Marshal(p)
}

// MarshalJSON writes Since in whole seconds and SettledAt rounded up.
func (p Propagation) MarshalJSON() ([]byte, error) {
	type plain Propagation
	q := plain(p)
	q.Since, q.SettledAt = toSecond(q.Since), deadline.Up(q.SettledAt)
	return json.Marshal(q)
}

// MarshalJSON writes At in whole seconds (cut: a copy's expiry is never
// late) and NeededUntil rounded up.
func (c CopyExpiry) MarshalJSON() ([]byte, error) {
	type plain CopyExpiry
	p := plain(c)
	p.At, p.NeededUntil = toSecond(p.At), deadline.Up(p.NeededUntil)
	return json.Marshal(p)
}

// MarshalJSON writes Expires in whole seconds (cut, as CopyExpiry.At).
func (s ServerCopy) MarshalJSON() ([]byte, error) {
	type plain ServerCopy
	p := plain(s)
	p.Expires = toSecond(p.Expires)
	return json.Marshal(p)
}
