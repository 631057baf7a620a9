package lab

import (
	"context"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/transfer"
)

// TransferZone reads a zone from a lab server by AXFR (signed with key when
// it is not nil) through the project's strict reader: complete only with
// the closing SOA, which is left out of the records returned.
func TransferZone(addr, origin string, key *TSIGKey) ([]dns.RR, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	o := transfer.Options{DialTimeout: 2 * time.Second, Timeout: 5 * time.Second}
	if key != nil {
		o.Key = &transfer.Key{Name: dns.Fqdn(key.Name), Algorithm: key.DNSAlgorithm(), Secret: key.Secret}
	}
	return transfer.AXFR(ctx, addr, origin, o)
}

// AXFR is TransferZone that fails the test on error.
func AXFR(t T, addr, origin string, key *TSIGKey) []dns.RR {
	t.Helper()
	rrs, err := TransferZone(addr, origin, key)
	if err != nil {
		t.Fatalf("lab: AXFR %s from %s: %v", origin, addr, err)
	}
	return rrs
}
