package lab

import (
	"time"

	"github.com/miekg/dns"
)

// TransferZone reads a zone from a lab server by AXFR (signed with key when
// it is not nil).
func TransferZone(addr, origin string, key *TSIGKey) ([]dns.RR, error) {
	m := new(dns.Msg)
	m.SetAxfr(dns.Fqdn(origin))
	tr := &dns.Transfer{DialTimeout: 2 * time.Second, ReadTimeout: 5 * time.Second}
	if key != nil {
		m.SetTsig(dns.Fqdn(key.Name), key.DNSAlgorithm(), 300, time.Now().Unix())
		tr.TsigSecret = map[string]string{dns.Fqdn(key.Name): key.Secret}
	}
	ch, err := tr.In(m, addr)
	if err != nil {
		return nil, err
	}
	var rrs []dns.RR
	for env := range ch {
		if env.Error != nil {
			return rrs, env.Error
		}
		rrs = append(rrs, env.RR...)
	}
	return rrs, nil
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
