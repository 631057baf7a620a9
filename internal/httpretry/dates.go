package httpretry

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Dates holds the clock of each HTTPS server that answered under a
// context WatchDates made: the Date header of its last answer (RFC 9110 §6.6.1:
// an origin server with a clock sends one) against this machine's clock
// when the answer came. A step that dates what it records by this
// machine's clock compares (Offsets): a clock days off is found from the
// HTTPS calls the step makes anyway. Safe for concurrent use.
type Dates struct {
	mu  sync.Mutex
	off map[string]time.Duration // host → its Date minus this clock
}

type datesKey struct{}

// WatchDates is ctx with a Dates that every answer under it adds to
// (ObserveDate: Client.Do and the transports Dated wraps).
func WatchDates(ctx context.Context) (context.Context, *Dates) {
	d := &Dates{off: map[string]time.Duration{}}
	return context.WithValue(ctx, datesKey{}, d), d
}

// Offset is a server's clock (Host) minus this machine's at its last
// answer, a second or so low (Date has whole seconds).
type Offset struct {
	Host string
	Off  time.Duration
}

// Offsets are the servers' offsets, by host; none when no answer carried
// a Date.
func (d *Dates) Offsets() []Offset {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]Offset, 0, len(d.off))
	for _, h := range slices.Sorted(maps.Keys(d.off)) {
		out = append(out, Offset{Host: h, Off: d.off[h]})
	}
	return out
}

// ObserveDate adds resp's Date to the Dates of req's context, if any.
// Only an HTTPS answer counts: its Date comes from the server the
// certificate names, where a plain-HTTP one is anyone's on the path (a
// Date that does not parse is no clock either).
func ObserveDate(req *http.Request, resp *http.Response) {
	d, ok := req.Context().Value(datesKey{}).(*Dates)
	if !ok || resp == nil || req.URL.Scheme != "https" || resp.TLS == nil {
		return
	}
	at, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		return
	}
	off := time.Until(at)
	d.mu.Lock()
	d.off[req.URL.Host] = off
	d.mu.Unlock()
}

// Dated is rt (nil: http.DefaultTransport) with each answer's Date added
// to the Dates of its request's context (ObserveDate): for clients whose
// requests do not go through Client.Do (an SDK's).
func Dated(rt http.RoundTripper) http.RoundTripper {
	if rt == nil {
		rt = http.DefaultTransport
	}
	return dated{rt}
}

type dated struct{ next http.RoundTripper }

func (d dated) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := d.next.RoundTrip(req)
	if err == nil {
		ObserveDate(req, resp)
	}
	return resp, err
}
