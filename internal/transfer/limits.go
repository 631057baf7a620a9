package transfer

import (
	"errors"
	"fmt"
	"time"
)

// Default bounds of a zone transfer, sized from the largest zones real
// providers serve (a few million records): twice that many records, each
// taking about 120 octets in memory once parsed (measured with miekg/dns),
// a gibibyte of messages (100 octets a record on average: compressed
// records take 20 to 60) and a quarter of an hour (a gibibyte at 10
// Mbit/s). A server that sends records forever, or trickles them, is
// stopped at the first bound reached.
const (
	DefaultMaxRecords = 10_000_000
	DefaultMaxBytes   = 1 << 30
	DefaultMaxTime    = 15 * time.Minute
)

// Names of a transfer's bounds, as LimitError.Limit says them.
const (
	LimitRecords = "records"
	LimitBytes   = "bytes"
	LimitTime    = "time"
)

// ErrLimit is wrapped by every LimitError.
var ErrLimit = errors.New("zone transfer limit")

// LimitError is a transfer stopped by one of its bounds before its closing
// SOA: a zone larger than the bound, or a server that does not stop.
type LimitError struct {
	Limit   string // LimitRecords, LimitBytes or LimitTime
	Max     int64  // the bound (records, octets, or nanoseconds)
	Records int    // read before it stopped
}

func (e *LimitError) Error() string {
	var what string
	switch e.Limit {
	case LimitRecords:
		what = fmt.Sprintf("more than %d records", e.Max)
	case LimitBytes:
		what = fmt.Sprintf("more than %d octets", e.Max)
	default:
		what = "longer than " + time.Duration(e.Max).String()
	}
	return fmt.Sprintf("zone transfer stopped at its %s limit: %s without the closing SOA (%d records read)", e.Limit, what, e.Records)
}

func (e *LimitError) Unwrap() error { return ErrLimit }

// Limits are the bounds of one transfer.
type Limits struct {
	MaxRecords int
	MaxBytes   int64
	MaxTime    time.Duration
}

// Limits are o's bounds, the defaults where o leaves them 0 (or negative).
func (o Options) Limits() Limits {
	l := Limits{MaxRecords: o.MaxRecords, MaxBytes: o.MaxBytes, MaxTime: o.MaxTime}
	if l.MaxRecords <= 0 {
		l.MaxRecords = DefaultMaxRecords
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxTime <= 0 {
		l.MaxTime = DefaultMaxTime
	}
	return l
}

// errTimeLimit is the cause of a transfer's context when MaxTime ends it.
var errTimeLimit = errors.New("transfer time limit")
