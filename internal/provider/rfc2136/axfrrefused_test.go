package rfc2136_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// refusingServer answers every AXFR REFUSED, signed with the key when
// signed (else unsigned), and the zone's SOA with AA when serves, else
// REFUSED.
func refusingServer(t *testing.T, signed, serves bool) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &dns.Server{Listener: l, TsigSecret: map[string]string{key.Name: key.Secret}, Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		switch {
		case r.Question[0].Qtype == dns.TypeSOA && serves:
			m.Authoritative = true
			soa, _ := dns.NewRR(origin + " 300 IN SOA ns1.example.com. h.example.com. 1 3600 600 1209600 300")
			m.Answer = append(m.Answer, soa)
		default:
			m.Rcode = dns.RcodeRefused
		}
		if r.IsTsig() != nil && signed && w.TsigStatus() == nil {
			m.SetTsig(key.Name, dns.HmacSHA256, 300, time.Now().Unix())
		}
		w.WriteMsg(m)
	})}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return l.Addr().String()
}

// TestAXFRRefused: a REFUSED answer to AXFR signed with the key (the key
// verified) is the server refusing the transfer, not credentials refused
// (provider.ErrAuth), and still a zone not served when the server does
// not answer for the zone; an unsigned REFUSED to a signed AXFR is the
// key refused (ErrAuth), as before.
func TestAXFRRefused(t *testing.T) {
	ctx := context.Background()
	_, err := newProvider(t, refusingServer(t, true, true), key.Secret).Records(ctx, origin)
	if err == nil || errors.Is(err, provider.ErrAuth) || errors.Is(err, provider.ErrZoneNotFound) || !strings.Contains(err.Error(), "refused the transfer") {
		t.Errorf("signed REFUSED, zone served: %v; want the transfer refused, not ErrAuth", err)
	}
	_, err = newProvider(t, refusingServer(t, true, false), key.Secret).Records(ctx, origin)
	if !errors.Is(err, provider.ErrZoneNotFound) || errors.Is(err, provider.ErrAuth) {
		t.Errorf("signed REFUSED, zone not served: %v; want ErrZoneNotFound", err)
	}
	_, err = newProvider(t, refusingServer(t, false, true), key.Secret).Records(ctx, origin)
	if !errors.Is(err, provider.ErrAuth) {
		t.Errorf("unsigned REFUSED to a signed AXFR, zone served: %v; want ErrAuth", err)
	}
}
