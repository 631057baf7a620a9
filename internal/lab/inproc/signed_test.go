package inproc

import (
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestSignedOtherZone: a signed AXFR or UPDATE whose question is not the
// origin of a zone served is refused, AXFR with NOTAUTH and UPDATE with
// NOTZONE (RFC 2136 §3.1.1), for a name outside every zone and for a
// name inside one alike.
func TestSignedOtherZone(t *testing.T) {
	l, err := Start(Options{Parent: "test.", Zone: "example.test.", NSTTL: 2, Resolvers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c := &dns.Client{Net: "tcp", TsigSecret: map[string]string{l.Key.Name: l.Key.Secret}}
	for _, name := range []string{"other.test.", "www.example.test."} {
		for _, tc := range []struct {
			op    string
			msg   func(*dns.Msg) *dns.Msg
			rcode int
		}{
			{"AXFR", func(m *dns.Msg) *dns.Msg { return m.SetAxfr(name) }, dns.RcodeNotAuth},
			{"UPDATE", func(m *dns.Msg) *dns.Msg { return m.SetUpdate(name) }, dns.RcodeNotZone},
		} {
			m := tc.msg(new(dns.Msg))
			m.SetTsig(l.Key.Name, dns.HmacSHA256, 300, time.Now().Unix())
			// The refusal's rcode is checked, not its TSIG: Exchange
			// does not verify the one an AXFR refusal carries ("bad
			// authentication", as before this test).
			r, _, err := c.Exchange(m, l.Old.Addrs[0])
			if r == nil {
				t.Fatalf("%s %s: %v", tc.op, name, err)
			}
			if r.Rcode != tc.rcode {
				t.Errorf("%s %s: rcode %s, want %s", tc.op, name, dns.RcodeToString[r.Rcode], dns.RcodeToString[tc.rcode])
			}
		}
	}
}
