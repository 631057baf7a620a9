package transfer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/transfer"
)

// TestAXFRRealServers: a TSIG-signed transfer of a zone that takes many
// messages, from BIND, Knot and PowerDNS as they sign them (RFC 8945
// §5.3.1), is read completely: every record, the closing SOA left out;
// with a wrong secret it is an error, never a zone.
func TestAXFRRealServers(t *testing.T) {
	const n = 6000 // records beyond SOA and NS: several 64 KiB messages
	var b strings.Builder
	b.WriteString("$ORIGIN big.test.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "h%d IN TXT \"record %d of the big zone, long enough to fill messages quickly\"\n", i, i)
	}
	zone := lab.Zone{Origin: "big.test.", Text: b.String()}
	lkey := &lab.TSIGKey{Name: "transfer-key.", Secret: key.Secret}
	tkey := &transfer.Key{Name: lkey.Name, Algorithm: lkey.DNSAlgorithm(), Secret: lkey.Secret}
	bad := &transfer.Key{Name: lkey.Name, Algorithm: lkey.DNSAlgorithm(), Secret: "d3Jvbmctc2VjcmV0LWZvci1kbnNwYXJpdHktdGVzdHMtMTIzNA=="}
	for _, s := range []struct {
		kind  string
		start func(lab.T, lab.Options) *lab.Server
	}{
		{"bind", lab.BIND},
		{"knot", lab.Knot},
		{"powerdns", func(t lab.T, o lab.Options) *lab.Server { return lab.PDNS(t, o).Server }},
	} {
		t.Run(s.kind, func(t *testing.T) {
			srv := s.start(t, lab.Options{Zones: []lab.Zone{zone}, TSIG: lkey})
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			rrs, err := transfer.AXFR(ctx, srv.Addr, "big.test.", transfer.Options{Key: tkey, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatalf("signed AXFR: %v", err)
			}
			if want := n + 3; len(rrs) != want {
				t.Errorf("%d records, want %d", len(rrs), want)
			}
			if rrs[0].Header().Rrtype != dns.TypeSOA || rrs[len(rrs)-1].Header().Rrtype == dns.TypeSOA {
				t.Errorf("first %s, last %s: want the opening SOA first and no closing SOA", rrs[0].Header(), rrs[len(rrs)-1].Header())
			}
			if m := messages(t, srv.Addr, lkey); m < 3 {
				t.Errorf("the transfer took %d messages; the test wants several", m)
			}
			if rrs, err := transfer.AXFR(ctx, srv.Addr, "big.test.", transfer.Options{Key: bad, Timeout: 10 * time.Second}); err == nil {
				t.Errorf("AXFR with a wrong secret: %d records, no error", len(rrs))
			}
		})
	}
}

// messages counts the messages of a signed transfer, read with miekg/dns's
// own reader.
func messages(t *testing.T, addr string, k *lab.TSIGKey) int {
	t.Helper()
	m := new(dns.Msg)
	m.SetAxfr("big.test.")
	m.SetTsig(k.Name, k.DNSAlgorithm(), 300, time.Now().Unix())
	ch, err := (&dns.Transfer{TsigSecret: map[string]string{k.Name: k.Secret}}).In(m, addr)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for env := range ch {
		if env.Error != nil {
			t.Fatal(env.Error)
		}
		n++
	}
	return n
}
