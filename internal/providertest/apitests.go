package providertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// The tests below are shared by several provider packages, each calling
// one with its own provider and fake (set up as its vendor's API needs)
// and what differs between the vendors: the counts a fake keeps, the
// words of an error, a check of its own.

// PushInOneRequest: the first push of d into an empty zone takes one
// request of the provider (unit names it in the message, "batch
// calls"), every RRset reads back byte for byte with its TTL, and a
// second push has nothing to do and writes nothing (writes counts the
// fake's write requests).
func PushInOneRequest(t *testing.T, p provider.Provider, d *zone.Zone, writes func() int, unit string) {
	t.Helper()
	res := Push(t, p, d)
	if res.Requests != 1 {
		t.Errorf("first push took %d %s, want 1", res.Requests, unit)
	}
	ReadBack(t, p, d)
	Noop(t, p, d, writes)
}

// SplitZone is head (the $ORIGIN example.com. line and the apex SOA and
// NS lines) followed by ten one-record A RRsets h0 to h9 and one A RRset
// of three records, multi: a batch split must not part multi's records.
func SplitZone(head string) string {
	var b strings.Builder
	b.WriteString(head)
	for i := range 10 {
		fmt.Fprintf(&b, "h%d 300 A 192.0.2.%d\n", i, i)
	}
	b.WriteString("multi 300 A 192.0.2.101\nmulti 300 A 192.0.2.102\nmulti 300 A 192.0.2.103\n")
	return b.String()
}

// PagesRead: p, at its page size, reads origin's sets RRsets (seeded in
// the fake) in exactly pages listing requests (lists counts them) and no
// more.
func PagesRead(t *testing.T, p provider.Provider, origin string, sets int, lists func() int, pages int) {
	t.Helper()
	before := lists()
	z, err := p.Records(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	if z.Len() != sets {
		t.Errorf("read %d RRsets over pages, want %d", z.Len(), sets)
	}
	if n := lists() - before; n != pages {
		t.Errorf("%d list requests for %d RRsets, want %d", n, sets, pages)
	}
}

// ReadsPaced: reads reads of origin take at least min: the provider
// waits as its fake's rate-limit headers ask (the fake set up with few
// requests left).
func ReadsPaced(t *testing.T, p provider.Provider, origin string, reads int, min time.Duration) {
	t.Helper()
	start := time.Now()
	for range reads {
		if _, err := p.Records(context.Background(), origin); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < min {
		t.Errorf("%d reads with few requests left took %v, want %v at least: not paced", reads, d, min)
	}
}

// ShiftedListing: p reads origin while its fake deletes a record of the
// first page and adds one at the end between two pages (fakeapi.Between),
// and either says the listing changed while it was read, or gives a zone
// holding an A RRset at every name held gives (the A records the API
// holds after the read, fully qualified) and none at deleted. A listing paged by
// number otherwise reads one record of the next page never.
func ShiftedListing(t *testing.T, p provider.Provider, origin string, held func() []string, deleted string) {
	t.Helper()
	z, err := p.Records(context.Background(), origin)
	if err != nil {
		if want := "changed while"; !strings.Contains(err.Error(), want) {
			t.Fatalf("a listing that shifted: %v, want an error saying %q", err, want)
		}
		return
	}
	var missing []string
	for _, name := range held() {
		if z.Get(name, dns.TypeA) == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 || z.Get(deleted, dns.TypeA) != nil {
		t.Errorf("a listing that shifted between its pages read as a zone without %v the API holds (%s, deleted, read: %v)", missing, deleted, z.Get(deleted, dns.TypeA) != nil)
	}
}
