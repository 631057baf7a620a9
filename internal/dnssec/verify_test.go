package dnssec

import (
	"testing"

	"github.com/miekg/dns"
)

// TestCanonicalLess: the order of RFC 4034 section 6.1, whose example list
// is sorted.
func TestCanonicalLess(t *testing.T) {
	sorted := []string{
		"example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.",
		`zABC.a.EXAMPLE.`, "z.example.", `\001.z.example.`, "*.z.example.", `\200.z.example.`,
	}
	for i := range sorted {
		for j := range sorted {
			if got, want := canonicalLess(sorted[i], sorted[j]), i < j; got != want {
				t.Errorf("canonicalLess(%q, %q) = %v, want %v", sorted[i], sorted[j], got, want)
			}
		}
	}
}

func TestProvesNXDOMAIN(t *testing.T) {
	msg := func(rrs ...string) *dns.Msg {
		m := new(dns.Msg)
		for _, s := range rrs {
			rr, err := dns.NewRR(s)
			if err != nil {
				t.Fatal(err)
			}
			m.Ns = append(m.Ns, rr)
		}
		return m
	}
	const z = "example.test."
	for _, c := range []struct {
		name  string
		m     *dns.Msg
		qname string
		want  bool
	}{
		{"covered", msg("b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC"), "c.example.test.", true},
		{"owner itself", msg("b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC"), "b.example.test.", false},
		{"after next", msg("b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC"), "e.example.test.", false},
		{"last NSEC wraps to the apex", msg("www.example.test. 60 IN NSEC example.test. A RRSIG NSEC"), "zzz.example.test.", true},
		{"upper case qname", msg("b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC"), "C.EXAMPLE.TEST.", true},
		{"no denial records", msg("example.test. 60 IN SOA ns1.example.test. h.example.test. 1 2 3 4 5"), "c.example.test.", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := provesNXDOMAIN(c.m, z, c.qname); got != c.want {
				t.Errorf("provesNXDOMAIN(%s) = %v, want %v", c.qname, got, c.want)
			}
		})
	}
}
