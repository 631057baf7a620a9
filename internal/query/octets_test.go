package query

import (
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestFromMsgOctetFields: a CAA value or URI target that a server sends
// holding a quote, a backslash or a non-ASCII octet has the canonical form
// of the same record read from a zone file. miekg/dns unpacks those fields
// as bare octets but packs them as presentation text, so without
// zone.Unpacked the served record compared unequal to git's (a false
// parity finding) or packed to other octets.
func TestFromMsgOctetFields(t *testing.T) {
	for _, text := range []string{
		`e.test. 300 IN CAA 0 issue "ca.example; account=\"a\\b\""`,
		`e.test. 300 IN CAA 0 iodef "mailto:s\195\169curit\195\169@e.test"`,
		`_http._tcp.e.test. 300 IN URI 10 1 "https://e.test/caf\195\169?q=\"x\""`,
		`e.test. 300 IN CAA 0 issue "plain.example"`,
	} {
		parsed, err := dns.NewRR(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		norm, err := zone.Normalize(dns.Copy(parsed))
		if err != nil {
			t.Fatal(err)
		}
		want, _, err := zone.PackRdata(norm, nil)
		if err != nil {
			t.Fatal(err)
		}
		m := new(dns.Msg)
		m.SetQuestion(parsed.Header().Name, parsed.Header().Rrtype)
		m.Response, m.Authoritative = true, true
		m.Answer = []dns.RR{parsed}
		wire, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		var got dns.Msg
		if err := got.Unpack(wire); err != nil {
			t.Fatal(err)
		}
		a, _ := FromMsg(&got, nil)
		if len(a.Answer) != 1 || a.Answer[0].Rdata != string(want) {
			t.Errorf("%s: served %+v, zone file %q", text, a.Answer, want)
		}
	}
}
