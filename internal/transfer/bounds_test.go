package transfer_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// endless is a server that answers an AXFR with the zone's SOA and then
// records forever (every pause between messages), never the closing SOA:
// what drove an unbounded reader to 778 MB in 40 s.
func endless(t *testing.T, perMessage int, pause time.Duration) string {
	return transfertest.ServeQuery(t, nil, func(q *dns.Msg, c net.Conn) {
		dc := &dns.Conn{Conn: c}
		if err := dc.WriteMsg(transfertest.Answer(q, transfertest.RRs(t, soaLine))); err != nil {
			return
		}
		for i := 0; ; i++ {
			rrs := make([]dns.RR, perMessage)
			for j := range rrs {
				rrs[j] = &dns.A{Hdr: dns.RR_Header{Name: fmt.Sprintf("h%d-%d.%s", i, j, origin), Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 300}, A: net.IPv4(192, 0, 2, byte(j))}
			}
			if err := dc.WriteMsg(transfertest.Answer(q, rrs)); err != nil {
				return // the reader hung up
			}
			time.Sleep(pause)
		}
	})
}

// TestAXFRBounds: a transfer that never ends is stopped by the first of its
// bounds (records, octets read, time), with an error that names the limit.
func TestAXFRBounds(t *testing.T) {
	for _, tc := range []struct {
		name       string
		perMessage int
		pause      time.Duration
		o          transfer.Options
		limit      string
		words      string
	}{
		{"records", 200, 0, transfer.Options{MaxRecords: 5000}, transfer.LimitRecords, "more than 5000 records"},
		{"bytes", 200, 0, transfer.Options{MaxBytes: 300_000}, transfer.LimitBytes, "more than 300000 octets"},
		{"time", 1, 20 * time.Millisecond, transfer.Options{MaxTime: 700 * time.Millisecond}, transfer.LimitTime, "longer than 700ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := endless(t, tc.perMessage, tc.pause)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			start := time.Now()
			rrs, err := transfer.AXFR(ctx, addr, origin, tc.o)
			var le *transfer.LimitError
			if !errors.As(err, &le) || le.Limit != tc.limit || !strings.Contains(err.Error(), tc.words) || !errors.Is(err, transfer.ErrLimit) {
				t.Fatalf("after %s: %d records, error %v; want the %s limit (%q)", time.Since(start).Round(time.Millisecond), len(rrs), err, tc.limit, tc.words)
			}
			if rrs != nil {
				t.Errorf("a transfer stopped at its limit returned %d records", len(rrs))
			}
			if ctx.Err() != nil {
				t.Errorf("stopped by the test's context, not by the limit")
			}
			t.Logf("%s: %v after %s", tc.name, err, time.Since(start).Round(time.Millisecond))
		})
	}
}

// TestAXFRBoundDefaults: a zero bound is the default, sized from the
// largest real zones (a few million records), never "no bound".
func TestAXFRBoundDefaults(t *testing.T) {
	l := transfer.Options{}.Limits()
	if l.MaxRecords < 5_000_000 || l.MaxRecords > 50_000_000 || l.MaxBytes < 500<<20 || l.MaxBytes > 4<<30 || l.MaxTime < 5*time.Minute || l.MaxTime > time.Hour {
		t.Errorf("default bounds %+v: want room for a few million records, and a bound", l)
	}
	set := transfer.Options{MaxRecords: 7, MaxBytes: 8, MaxTime: time.Second}.Limits()
	if set.MaxRecords != 7 || set.MaxBytes != 8 || set.MaxTime != time.Second {
		t.Errorf("explicit bounds not kept: %+v", set)
	}
}
