package dnssec_test

import (
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// sideZone is zoneText served by one provider whose apex NS is only its
// own server (name ns, address ip), with short NS TTLs so that a resolver
// follows a change of delegation within seconds.
func sideZone(ns, ip string) string {
	s := strings.Replace(zoneText, "@\tNS ns1\n@\tNS ns2\n", "@\t5 NS "+ns+"\n", 1)
	s = strings.Replace(s, "ns1\tA 127.0.0.1\nns2\tA 127.0.0.2\n", ns+"\t5 A "+ip+"\n", 1)
	return s
}

// flipSides starts the two sides of the flip tests, each serving sideZone
// (edited by edit when it is not nil) under its own name: the old side
// (Knot at oldIP, ns1) signed by a, publishing oldKeys besides, and the
// new side (BIND at newIP, ns2) signed by b with NSEC3, publishing a's
// keys besides (RFC 8901).
func flipSides(t *testing.T, a, b *signer, oldIP, newIP string, oldKeys []string, edit func(string) string) (old, nw *lab.Server) {
	t.Helper()
	if edit == nil {
		edit = func(z string) string { return z }
	}
	old = lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: origin,
		Text: a.sign(t, edit(sideZone("ns1", oldIP)), signOpts{extraKeys: oldKeys})}}})
	nw = lab.BIND(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: origin,
		Text: b.sign(t, edit(sideZone("ns2", newIP)), signOpts{nsec3: true, extraKeys: a.keys(t)})}}})
	return old, nw
}

// validating is a validating Unbound that trusts p's DS for test. and
// asks parent, once www.example.test. A validates through it (which
// caches the side the delegation names, and its DNSKEY set).
func validating(t *testing.T, p *signer, parent *lab.Server) *lab.Server {
	t.Helper()
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{"test. IN DS " + p.ds(t, "2")}})
	if r := resolve(t, u.Addr, "www.example.test.", dns.TypeA); r.Rcode != dns.RcodeSuccess || !r.AuthenticatedData {
		t.Fatalf("before: www A %s ad=%v", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	}
	return u
}

// TestFlipValidating flips the delegation of example.test. from an old
// provider (Knot) to a new one (BIND) under a validating Unbound that
// cached the old DNSKEY set before the flip, with both DS at the parent.
// When the old DNSKEY set holds the new provider's ZSK (RFC 8901), the
// gate passes and every answer after the flip validates (AD); when it
// does not, the gate (given the old side as Other) refuses, and the
// resolver shows why.
func TestFlipValidating(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	p := newSigner(t, "test.")
	a := newSigner(t, origin)
	b := newSigner(t, origin)
	ds := []string{a.ds(t, "2"), b.ds(t, "2")}

	for _, c := range []struct {
		name    string
		oldKeys []string // the other provider's keys the old side publishes
		ok      bool
	}{
		{"old publishes the new keys", b.keys(t), true},
		{"old lacks the new keys", nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			oldIP, newIP, parentIP := lab.Addr(t), lab.Addr(t), lab.Addr(t)
			old, nw := flipSides(t, a, b, oldIP, newIP, c.oldKeys, nil)
			res := gateOther(t, []string{nw.Addr}, []string{old.Addr}, ds)
			t.Logf("gate: %v %s", res.OK, res.Detail)
			if res.OK != c.ok {
				t.Fatalf("gate ok=%v, want %v", res.OK, c.ok)
			}

			parentText := func(serial int, ns, ip string) string {
				return parentZoneSerial(t, p, parentIP, map[string]string{ns: ip}, ds, serial)
			}
			parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: parentText(1, "ns1", oldIP)}}})
			// Before the flip: the old side answers and its DNSKEY set is cached.
			u := validating(t, p, parent)
			parent.Reload(t, lab.Zone{Origin: "test.", Text: parentText(2, "ns2", newIP)})
			time.Sleep(6 * time.Second) // the delegation's NS TTL (5 s) runs out
			bad := 0
			for _, s := range samples {
				if strings.HasSuffix(s[0], ".sub.example.test.") || (s[0] == "www.example.test." && s[1] == "A") {
					continue
				}
				r := resolve(t, u.Addr, s[0], dns.StringToType[s[1]])
				t.Logf("after the flip: %s %s: %s ad=%v", s[0], s[1], dns.RcodeToString[r.Rcode], r.AuthenticatedData)
				if r.Rcode == dns.RcodeServerFailure || !r.AuthenticatedData {
					bad++
				}
			}
			// The answers came from the new side: its apex NS when they
			// validate (asked with CD=1), Unbound's validation failures
			// naming the new server's address when they do not.
			if c.ok {
				m := new(dns.Msg)
				m.SetQuestion(origin, dns.TypeNS)
				m.SetEdns0(1232, true)
				m.CheckingDisabled = true
				r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(m, u.Addr)
				if err != nil || !strings.Contains(r.String(), "\tNS\tns2.example.test.") || strings.Contains(r.String(), "\tNS\tns1.example.test.") {
					t.Fatalf("after the flip the resolver does not reach the new side: %v %v", r, err)
				}
			} else if log := u.LogTail(200); !strings.Contains(log, "signatures from unknown keys from "+newIP) {
				t.Errorf("Unbound's log does not show the new side's answers failing for an unknown key:\n%s", log)
			}
			if c.ok && bad > 0 {
				t.Errorf("the gate passed but %d answers did not validate after the flip", bad)
			}
			if !c.ok && bad == 0 {
				t.Errorf("the gate refused, yet the resolver validated every answer after the flip")
			}
		})
	}
}
