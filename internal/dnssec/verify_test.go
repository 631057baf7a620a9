package dnssec

import (
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestCanonicalOrder: zone.CompareNames keeps the order of RFC 4034 section 6.1, whose example list
// is sorted.
func TestCanonicalOrder(t *testing.T) {
	sorted := []string{
		"example.", "a.example.", "yljkjljk.a.example.", "Z.a.example.",
		`zABC.a.EXAMPLE.`, "z.example.", `\001.z.example.`, "*.z.example.", `\200.z.example.`,
	}
	for i := range sorted {
		for j := range sorted {
			if got, want := zone.CompareNames(sorted[i], sorted[j]) < 0, i < j; got != want {
				t.Errorf("CompareNames(%q, %q) = %v, want %v", sorted[i], sorted[j], got, want)
			}
		}
	}
}

// TestNSECCovering: which names an NSEC covers (the name strictly
// between its owner and next name; the last NSEC wraps to the apex), and
// that an NSEC of an ancestor delegation or DNAME covers nothing below it.
func TestNSECCovering(t *testing.T) {
	const z = "example.test."
	for _, c := range []struct {
		name, nsec, qname string
		want              bool
	}{
		{"covered", "b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC", "c.example.test.", true},
		{"owner itself", "b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC", "b.example.test.", false},
		{"next itself", "b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC", "d.example.test.", false},
		{"after next", "b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC", "e.example.test.", false},
		{"last NSEC wraps to the apex", "www.example.test. 60 IN NSEC example.test. A RRSIG NSEC", "zzz.example.test.", true},
		{"upper case qname", "b.example.test. 60 IN NSEC d.example.test. A RRSIG NSEC", "C.EXAMPLE.TEST.", true},
		{"below a delegation's NSEC", "sub.example.test. 60 IN NSEC t.example.test. NS RRSIG NSEC", "x.sub.example.test.", false},
		{"below a DNAME's NSEC", "dn.example.test. 60 IN NSEC e.example.test. DNAME RRSIG NSEC", "x.dn.example.test.", false},
		{"after a delegation's NSEC, not below it", "sub.example.test. 60 IN NSEC t.example.test. NS RRSIG NSEC", "suc.example.test.", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rr, err := dns.NewRR(c.nsec)
			if err != nil {
				t.Fatal(err)
			}
			d := denialRecords([]dns.RR{rr}, z)
			if got := d.nsecCovering(dns.CanonicalName(c.qname)) != nil; got != c.want {
				t.Errorf("%s covers %s: %v, want %v", c.nsec, c.qname, got, c.want)
			}
		})
	}
}
