package query

import (
	"bytes"
	"testing"

	"github.com/miekg/dns"
)

// TestAppendQuery: the hand-packed query is byte for byte what miekg/dns
// packs for the same question (RD=0, EDNS0 1232, ID 0).
func TestAppendQuery(t *testing.T) {
	buf := make([]byte, 0, 16) // too small: appendQuery grows it
	for _, c := range []struct {
		name string
		t    uint16
	}{
		{"parity.test.", dns.TypeSOA},
		{"www.parity.test.", dns.TypeA},
		{"_dmarc.parity.test.", dns.TypeTXT},
		{"a\\.b.parity.test.", dns.TypeAAAA},
		{"sp\\032ace.parity.test.", dns.TypeNULL},
		{"UPPER.Parity.Test.", dns.TypeDS},
		{".", dns.TypeNS},
		{"x.test", dns.TypeMX}, // not fully qualified
	} {
		m := new(dns.Msg)
		m.SetQuestion(dns.Fqdn(c.name), c.t)
		m.RecursionDesired = false
		m.SetEdns0(1232, false)
		m.Id = 0
		want, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		got, err := AppendQuery(buf, c.name, c.t)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s %s:\n got %x\nwant %x", c.name, dns.Type(c.t), got, want)
		}
		buf = got
	}
	if _, err := AppendQuery(nil, "bad..name.", dns.TypeA); err == nil {
		t.Errorf("no error for an empty label")
	}
}

// TestSameAnswer: only an answer that every comparison and report would
// treat as git's is stored as the marker.
func TestSameAnswer(t *testing.T) {
	rr := func(name string, typ uint16, ttl uint32, rd string) RR {
		return RR{Name: name, Type: typ, TTL: ttl, Rdata: rd}
	}
	a1 := rr("a.", dns.TypeA, 300, "\x01\x02\x03\x04")
	a2 := rr("a.", dns.TypeA, 300, "\x01\x02\x03\x05")
	c1 := rr("w.", dns.TypeCNAME, 300, "\x01a\x00")
	base := &Answer{AA: true, Answer: []RR{c1, a1, a2}}
	for _, c := range []struct {
		name string
		b    *Answer
		same bool
	}{
		{"identical", &Answer{AA: true, Answer: []RR{c1, a1, a2}}, true},
		{"records of a set reordered", &Answer{AA: true, Answer: []RR{c1, a2, a1}}, true},
		{"sets reordered", &Answer{AA: true, Answer: []RR{a1, a2, c1}}, false},
		{"no AA", &Answer{Answer: []RR{c1, a1, a2}}, false},
		{"rcode", &Answer{AA: true, Rcode: dns.RcodeServerFailure, Answer: []RR{c1, a1, a2}}, false},
		{"error", &Answer{AA: true, Err: "timeout", Answer: []RR{c1, a1, a2}}, false},
		{"TTL", &Answer{AA: true, Answer: []RR{c1, a1, rr("a.", dns.TypeA, 60, "\x01\x02\x03\x05")}}, false},
		{"duplicate instead of a record", &Answer{AA: true, Answer: []RR{c1, a1, a1}}, false},
		{"a record less", &Answer{AA: true, Answer: []RR{c1, a1}}, false},
		{"extra NS", &Answer{AA: true, Answer: []RR{c1, a1, a2}, NS: []RR{rr("a.", dns.TypeNS, 300, "\x00")}}, false},
		{"extra glue", &Answer{AA: true, Answer: []RR{c1, a1, a2}, Glue: []RR{a1}}, false},
	} {
		if got := Same(base, c.b); got != c.same {
			t.Errorf("%s: Same = %v, want %v", c.name, got, c.same)
		}
	}
}
