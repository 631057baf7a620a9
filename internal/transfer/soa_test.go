package transfer_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// TestAXFRWhichSOACloses: a transfer ends with the zone's own SOA, the
// one it opened with (RFC 5936 §2.2). Another SOA at the end of a message
// (a newer serial: the zone changed while it was sent; another zone's
// SOA) is not the end of the zone: taken as the end, every record after
// it would be missing from a transfer that says it is complete, and
// old-complete, parity --axfr and import would see a smaller zone. A
// transfer that opens with another zone's SOA is not this zone's.
func TestAXFRWhichSOACloses(t *testing.T) {
	newer := strings.Replace(soaLine, " 7 ", " 8 ", 1)
	sub := "sub.example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 7 3600 600 1209600 300"
	other := strings.Replace(soaLine, "example.com. 300", "example.net. 300", 1)
	a := "a.example.com. 300 IN A 192.0.2.1"
	b := "b.example.com. 300 IN A 192.0.2.2"
	c := "c.example.com. 300 IN A 192.0.2.3"
	for _, tc := range []struct {
		name string
		msgs [][]string
		want string // "" for a complete transfer of every record
	}{
		{"the closing SOA in the case the server keeps", [][]string{{soaLine, a}, {b, c, strings.Replace(soaLine, "example.com.", "EXAMPLE.com.", 1)}}, ""},
		{"a newer SOA ends a message in the middle", [][]string{{soaLine, a}, {b, newer}, {c, soaLine}}, "SOA serial 8 in the middle of the transfer (it opened with serial 7)"},
		{"a newer SOA ends the last message", [][]string{{soaLine, a, b}, {c, newer}}, "SOA serial 8 in the middle of the transfer (it opened with serial 7)"},
		{"another zone's SOA ends a message", [][]string{{soaLine, a}, {b, sub}, {c, soaLine}}, "SOA of sub.example.com. in the middle of the transfer"},
		{"opens with another zone's SOA", [][]string{{other, a, b, c, other}}, "transfer does not start with the zone's SOA (first record: example.net."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := transfertest.Script(t, func(q *dns.Msg, send func(*dns.Msg)) {
				for _, m := range tc.msgs {
					send(transfertest.Answer(q, transfertest.RRs(t, m...)))
				}
			})
			got, err := transfer.AXFR(context.Background(), addr, origin, transfer.Options{Timeout: 5 * time.Second})
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %d records, %v; want an error with %q", len(got), err, tc.want)
				}
				return
			}
			if err != nil || len(got) != 4 {
				t.Fatalf("got %d records, %v; want the SOA and a, b, c", len(got), err)
			}
		})
	}
}
