// Package deadline writes a time from which something may happen (a step
// "not before", an overlap that "ends at", a cache that "expires by") in
// whole seconds, rounded up, so that a deadline shown is never earlier
// than the true one. time.Format with RFC 3339 drops the fraction, which
// cuts a time to its second: right for when something happened, early by
// up to a second for a deadline.
package deadline

import "time"

// Up is t rounded up to the second (t itself when it is whole).
func Up(t time.Time) time.Time {
	if t.Nanosecond() == 0 {
		return t
	}
	return t.Truncate(time.Second).Add(time.Second)
}

// Format is t as RFC 3339 in UTC, in whole seconds rounded up (Up).
func Format(t time.Time) string {
	return Up(t).UTC().Format(time.RFC3339)
}
