package delegation_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// faultServer serves example.test. (apex SOA and NS ns1.example.test.,
// ns1's A) over UDP and TCP on ip:53, refusing what lies outside the zone
// and zone transfers, with fault applied to each answer it sends (nil: a
// clean server). fault returns false to send nothing.
func faultServer(t *testing.T, ip string, fault func(q, m *dns.Msg) bool) string {
	t.Helper()
	addr := net.JoinHostPort(ip, "53")
	rr := func(s string) dns.RR {
		r, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	soa := rr("example.test. 60 IN SOA ns1.example.test. hostmaster.example.test. 7 3600 600 604800 60")
	h := dns.HandlerFunc(func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		name, qt := strings.ToLower(q.Question[0].Name), q.Question[0].Qtype
		switch {
		case !dns.IsSubDomain("example.test.", name) || qt == dns.TypeAXFR || qt == dns.TypeIXFR:
			m.Rcode = dns.RcodeRefused
		case name == "example.test." && qt == dns.TypeSOA:
			m.Authoritative = true
			m.Answer = []dns.RR{dns.Copy(soa)}
		case name == "example.test." && qt == dns.TypeNS:
			m.Authoritative = true
			m.Answer = []dns.RR{rr("example.test. 60 IN NS ns1.example.test.")}
		case name == "ns1.example.test." && qt == dns.TypeA:
			m.Authoritative = true
			m.Answer = []dns.RR{rr("ns1.example.test. 60 IN A " + ip)}
		case name == "example.test." || name == "ns1.example.test.":
			m.Authoritative = true
			m.Ns = []dns.RR{dns.Copy(soa)}
		default:
			m.Authoritative = true
			m.Rcode = dns.RcodeNameError
			m.Ns = []dns.RR{dns.Copy(soa)}
		}
		if e := q.IsEdns0(); e != nil {
			m.SetEdns0(1232, false)
			if e.Version() != 0 {
				// RFC 6891 §6.1.3: a version it does not do is
				// BADVERS, an OPT of its own version, no answer.
				m.Rcode, m.Answer, m.Ns, m.Authoritative = dns.RcodeBadVers, nil, nil, false
			}
		}
		if fault != nil && !fault(q, m) {
			return
		}
		w.WriteMsg(m)
	})
	for _, net := range []string{"udp", "tcp"} {
		srv := &dns.Server{Addr: addr, Net: net, Handler: h}
		started := make(chan error, 1)
		srv.NotifyStartedFunc = func() { started <- nil }
		go func() { started <- srv.ListenAndServe() }()
		if err := <-started; err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { srv.Shutdown() })
	}
	return addr
}

// TestServerFaults plants, one at a time, faults of the kinds a lame or
// broken server shows (issue 16: "other faults of these kinds") on a
// server that otherwise serves the zone exactly, and checks that each is
// refused by the check that names it, and only by the checks it touches
// (a server that answers nothing fails every check that asks it), while
// spellings that are not faults (the apex NS in upper case) pass.
func TestServerFaults(t *testing.T) {
	lab.Require(t)
	ctx := context.Background()
	rcode := func(rc int) func(q, m *dns.Msg) bool {
		return func(q, m *dns.Msg) bool {
			m.Rcode, m.Authoritative, m.Answer, m.Ns = rc, false, nil, nil
			return true
		}
	}
	for _, tc := range []struct {
		name  string
		fault func(q, m *dns.Msg) bool
		fail  []string // the checks that must fail; every other one passes
	}{
		{"clean", nil, nil},
		{"REFUSED to everything", rcode(dns.RcodeRefused),
			[]string{delegation.CheckAA, delegation.CheckChildNS, delegation.CheckTCP, delegation.CheckEDNS, delegation.CheckGlue, delegation.CheckSerial}},
		{"SERVFAIL to everything", rcode(dns.RcodeServerFailure),
			[]string{delegation.CheckAA, delegation.CheckChildNS, delegation.CheckTCP, delegation.CheckEDNS, delegation.CheckGlue, delegation.CheckSerial}},
		{"no answer at all", func(q, m *dns.Msg) bool { return false },
			[]string{delegation.CheckAA, delegation.CheckChildNS, delegation.CheckTCP, delegation.CheckEDNS, delegation.CheckEDNSUnknown, delegation.CheckEDNSTruncated, delegation.CheckQNameCase, delegation.CheckAAAA, delegation.CheckRecursion, delegation.CheckUpwardReferral, delegation.CheckSerial}},
		// RFC 4074's misbehaviours (Zonemaster NAMESERVER05): a
		// middlebox dropping AAAA questions, a server answering them
		// NOTIMP.
		{"AAAA questions dropped", func(q, m *dns.Msg) bool { return q.Question[0].Qtype != dns.TypeAAAA }, []string{delegation.CheckAAAA}},
		{"AAAA answered NOTIMP", func(q, m *dns.Msg) bool {
			if q.Question[0].Qtype == dns.TypeAAAA {
				m.Rcode, m.Answer, m.Ns = dns.RcodeNotImplemented, nil, nil
			}
			return true
		}, []string{delegation.CheckAAAA}},
		// A minimal server: the apex SOA and NS answered, every other
		// apex question NOTIMP. Zonemaster warns (A_UNEXPECTED_RCODE);
		// here a warning refuses unless accepted, and aaaa, an error,
		// cannot be: the AAAA is not judged.
		{"every apex type but SOA and NS answered NOTIMP", func(q, m *dns.Msg) bool {
			if qt := q.Question[0].Qtype; qt != dns.TypeSOA && qt != dns.TypeNS && strings.EqualFold(q.Question[0].Name, "example.test.") {
				m.Rcode, m.Answer, m.Ns = dns.RcodeNotImplemented, nil, nil
			}
			return true
		}, nil},
		{"AA=0 on every answer (lame)", func(q, m *dns.Msg) bool { m.Authoritative = false; return true },
			[]string{delegation.CheckAA, delegation.CheckChildNS, delegation.CheckTCP, delegation.CheckEDNS}},
		{"AA=0 on the apex NS only", func(q, m *dns.Msg) bool {
			if q.Question[0].Qtype == dns.TypeNS {
				m.Authoritative = false
			}
			return true
		}, []string{delegation.CheckChildNS}},
		{"the question's case dropped (no 0x20)", func(q, m *dns.Msg) bool {
			m.Question[0].Name = strings.ToLower(m.Question[0].Name)
			return true
		}, []string{delegation.CheckQNameCase}},
		{"FORMERR to EDNS", func(q, m *dns.Msg) bool {
			if q.IsEdns0() != nil && q.Question[0].Qtype == dns.TypeSOA && q.IsEdns0().UDPSize() == 512 {
				*m = dns.Msg{}
				m.SetRcode(q, dns.RcodeFormatError)
			}
			return true
		}, []string{delegation.CheckEDNS}},
		// Zonemaster NAMESERVER10 (RFC 6891 §6.1.3): EDNS version 1
		// must be answered BADVERS, with an OPT of version 0 and no
		// answer; NAMESERVER11 (§6.1.2): an unknown option is ignored,
		// not echoed, not refused.
		{"EDNS version 1 answered NOERROR", func(q, m *dns.Msg) bool {
			if e := q.IsEdns0(); e != nil && e.Version() == 1 {
				m.Rcode = dns.RcodeSuccess
			}
			return true
		}, []string{delegation.CheckEDNSUnknown}},
		{"EDNS version 1 dropped", func(q, m *dns.Msg) bool {
			e := q.IsEdns0()
			return e == nil || e.Version() != 1
		}, []string{delegation.CheckEDNSUnknown}},
		{"EDNS version 1 answered FORMERR without an OPT", func(q, m *dns.Msg) bool {
			if e := q.IsEdns0(); e != nil && e.Version() == 1 {
				*m = dns.Msg{}
				m.SetRcode(q, dns.RcodeFormatError)
			}
			return true
		}, []string{delegation.CheckEDNSUnknown}},
		{"BADVERS with an answer", func(q, m *dns.Msg) bool {
			if e := q.IsEdns0(); e != nil && e.Version() == 1 {
				r, _ := dns.NewRR("example.test. 60 IN TXT stray")
				m.Answer = append(m.Answer, r)
			}
			return true
		}, []string{delegation.CheckEDNSUnknown}},
		{"an unknown EDNS option echoed", func(q, m *dns.Msg) bool {
			if hasOption(q, 137) {
				m.IsEdns0().Option = append(m.IsEdns0().Option, &dns.EDNS0_LOCAL{Code: 137})
			}
			return true
		}, []string{delegation.CheckEDNSUnknown}},
		{"an unknown EDNS option dropped", func(q, m *dns.Msg) bool { return !hasOption(q, 137) }, []string{delegation.CheckEDNSUnknown}},
		{"an unknown EDNS option answered FORMERR", func(q, m *dns.Msg) bool {
			if hasOption(q, 137) {
				*m = dns.Msg{}
				m.SetRcode(q, dns.RcodeFormatError)
				m.SetEdns0(1232, false)
			}
			return true
		}, []string{delegation.CheckEDNSUnknown}},
		{"an unknown EDNS option answered without AA", func(q, m *dns.Msg) bool {
			if hasOption(q, 137) {
				m.Authoritative = false
			}
			return true
		}, []string{delegation.CheckEDNSUnknown}},
		// NAMESERVER12 (§6.1.4): an unassigned EDNS flag is ignored, and
		// clear in the answer's OPT.
		{"an unknown EDNS flag echoed", func(q, m *dns.Msg) bool {
			if e := q.IsEdns0(); e != nil && e.Z() != 0 {
				m.IsEdns0().SetZ(e.Z())
			}
			return true
		}, []string{delegation.CheckEDNSUnknown}},
		{"an unknown EDNS flag answered FORMERR", func(q, m *dns.Msg) bool {
			if e := q.IsEdns0(); e != nil && e.Z() != 0 {
				*m = dns.Msg{}
				m.SetRcode(q, dns.RcodeFormatError)
			}
			return true
		}, []string{delegation.CheckEDNSUnknown}},
		{"another zone's SOA, authoritatively", func(q, m *dns.Msg) bool {
			for i, rr := range m.Answer {
				if soa, ok := rr.(*dns.SOA); ok {
					c := dns.Copy(soa).(*dns.SOA)
					c.Hdr.Name = "test."
					m.Answer[i] = c
				}
			}
			return true
		}, []string{delegation.CheckAA, delegation.CheckTCP, delegation.CheckEDNS, delegation.CheckSerial}},
		{"the SOA in the authority section only", func(q, m *dns.Msg) bool {
			if q.Question[0].Qtype == dns.TypeSOA {
				m.Ns, m.Answer = m.Answer, nil
			}
			return true
		}, []string{delegation.CheckAA, delegation.CheckTCP, delegation.CheckEDNS, delegation.CheckSerial}},
		{"recursion offered", func(q, m *dns.Msg) bool { m.RecursionAvailable = true; return true }, []string{delegation.CheckRecursion}},
		{"an upward referral", func(q, m *dns.Msg) bool {
			if q.Question[0].Name == "." {
				m.Rcode, m.Authoritative = dns.RcodeSuccess, false
				r, _ := dns.NewRR(". 518400 IN NS a.root-servers.net.")
				m.Ns = []dns.RR{r}
			}
			return true
		}, []string{delegation.CheckUpwardReferral}},
		{"the apex NS in upper case", func(q, m *dns.Msg) bool {
			for _, rr := range m.Answer {
				if ns, ok := rr.(*dns.NS); ok {
					ns.Ns, ns.Hdr.Name = "NS1.EXAMPLE.TEST.", "EXAMPLE.test."
				}
			}
			return true
		}, nil},
		{"the glue's name answered with another address", func(q, m *dns.Msg) bool {
			for _, rr := range m.Answer {
				if a, ok := rr.(*dns.A); ok {
					a.A = net.ParseIP("192.0.2.66")
				}
			}
			return true
		}, []string{delegation.CheckGlue}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ip := lab.Addr(t)
			srv := faultServer(t, ip, tc.fault)
			r := delegation.Run(ctx, delegation.Target{Zone: "example.test.", Side: "new", NS: []string{"ns1.example.test."},
				Glue: map[string][]string{"ns1.example.test.": {ip}}, Servers: []string{srv}, Timeout: 300 * time.Millisecond, ParentServers: quietParent(t),
				Policy: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity}}})
			want := map[string]bool{}
			for _, c := range tc.fail {
				want[c] = true
			}
			got := map[string]bool{}
			for _, c := range r.Failed() {
				got[c.Name] = true
				if !want[c.Name] {
					t.Errorf("%s fails: %s", c.Name, c.Detail)
				}
				if c.Detail == "" || c.Server == "" && c.Name != delegation.CheckNSCount {
					t.Errorf("%s fails without naming where: %+v", c.Name, c)
				}
			}
			for c := range want {
				if !got[c] {
					t.Errorf("%s passes: %s", c, r.Summary())
				}
			}
			if r.OK() != (len(tc.fail) == 0) {
				t.Errorf("OK() = %v with %d failed checks", r.OK(), len(r.Failed()))
			}
		})
	}
}

// hasOption: the query's OPT record holds an option of code.
func hasOption(q *dns.Msg, code uint16) bool {
	if e := q.IsEdns0(); e != nil {
		for _, o := range e.Option {
			if o.Option() == code {
				return true
			}
		}
	}
	return false
}
