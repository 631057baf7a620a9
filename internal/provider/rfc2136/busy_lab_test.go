package rfc2136_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/transfer"
)

// TestTransfersOutQuotaLab: BIND answers SERVFAIL to a transfer over its
// transfers-out quota (here 1); the provider reads every zone of a burst
// of concurrent reads all the same, asking again after a SERVFAIL
// (transfer.BusyRetries), where one try each loses some of them.
func TestTransfersOutQuotaLab(t *testing.T) {
	lab.Require(t, "named")
	const zones, hosts = 6, 3000
	var zs []lab.Zone
	for i := range zones {
		o := fmt.Sprintf("q%d.example.", i)
		var b strings.Builder
		fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n", o)
		for h := range hosts {
			fmt.Fprintf(&b, "h%d A 192.0.2.%d\n", h, h%250+1)
		}
		zs = append(zs, lab.Zone{Origin: o, Text: b.String()})
	}
	srv := lab.BIND(t, lab.Options{Zones: zs, TSIG: key, TransfersOut: 1})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	burst := func(read func(origin string) error) []error {
		errs := make([]error, zones)
		var wg sync.WaitGroup
		for i := range zones {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = read(zs[i].Origin)
			}()
		}
		wg.Wait()
		return errs
	}

	// One try each: the quota turns some away with SERVFAIL. On a
	// loaded machine the goroutines of one burst may happen to run one
	// after the other, so a burst that met no SERVFAIL is sent again (up
	// to five bursts) before the test says the quota is not proved.
	tk := &transfer.Key{Name: key.Name, Algorithm: dns.Fqdn(key.Algorithm), Secret: key.Secret}
	servfail := 0
	for try := 0; try < 5 && servfail == 0; try++ {
		for _, err := range burst(func(o string) error {
			_, err := transfer.AXFR(ctx, srv.Addr, o, transfer.Options{Key: tk, Timeout: 10 * time.Second})
			return err
		}) {
			var re *transfer.RcodeError
			if errors.As(err, &re) && re.Rcode == dns.RcodeServerFailure {
				servfail++
			} else if err != nil {
				t.Errorf("one try: %v, want success or SERVFAIL", err)
			}
		}
	}
	if servfail == 0 {
		t.Fatalf("no transfer of %d at once, in five bursts, was turned away by transfers-out 1: the quota is not what this test proves", zones)
	}
	t.Logf("one try each: %d of %d transfers answered SERVFAIL", servfail, zones)

	p := newProvider(t, srv.Addr, key.Secret)
	for i, err := range burst(func(o string) error {
		z, err := p.Records(ctx, o)
		if err == nil && z.Len() < hosts {
			err = fmt.Errorf("%d RRsets, want at least %d", z.Len(), hosts)
		}
		return err
	}) {
		if err != nil {
			t.Errorf("Records %s: %v", zs[i].Origin, err)
		}
	}
}
