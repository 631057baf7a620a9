package lab

import (
	"net"

	"github.com/miekg/dns"
)

// refusingRoot starts, in this process, the lab's root server: the one
// address a resolving BIND or Unbound has in its root hints. It answers
// every query REFUSED (UDP and TCP) and is shut down in Cleanup.
//
// A resolver must never leave the lab, so names outside its stubs have
// to fail. They used to fail by silence (hints at an address nothing
// listens on): Unbound then keeps retrying for more than ten seconds
// before it gives up, and so every question a test asks of a name
// outside the stubs (the zone above a parent, for one) cost the asker
// its whole timeout. A root that refuses fails the same names at once
// with SERVFAIL (measured: 20-60 ms against more than 10 s).
func refusingRoot(t T) string {
	t.Helper()
	ip := Addr(t)
	refuse := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetRcode(r, dns.RcodeRefused)
		_ = w.WriteMsg(m)
	})
	addr := net.JoinHostPort(ip, "53")
	for _, network := range []string{"udp", "tcp"} {
		started := make(chan struct{})
		srv := &dns.Server{Addr: addr, Net: network, Handler: refuse, NotifyStartedFunc: func() { close(started) }}
		failed := make(chan error, 1)
		go func() { failed <- srv.ListenAndServe() }()
		select {
		case <-started:
		case err := <-failed:
			t.Fatalf("lab: the refusing root at %s (%s): %v", addr, network, err)
		}
		t.Cleanup(func() { _ = srv.Shutdown() })
	}
	return ip
}
