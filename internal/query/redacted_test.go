package query

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// TestRedactedEveryOrder: a secret served split across the TXT records
// of one RRset (each piece under redact.MinCut) is masked by
// Answer.Redacted whatever order the server sent the records in (every
// permutation of four pieces), as the records stand in the answer (what
// a reader of the server's answer, and a finding that quotes them as
// received, reads), as Text shows them (sorted) and as a report prints
// an RRset's records (zone.PrintOrders). The old code read them in
// Text's order only: received in the secret's own order, its head was
// left in the first records.
func TestRedactedEveryOrder(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	pieces := []string{secret[:7], secret[7:14], secret[14:21], secret[21:]}
	rrOf := func(p string) RR {
		rr := &dns.TXT{Hdr: dns.RR_Header{Name: "k1.acme.test.", Rrtype: dns.TypeTXT, Class: dns.ClassINET, Ttl: 300}, Txt: []string{p}}
		rdata, _, err := zone.PackRdata(rr, nil)
		if err != nil {
			t.Fatal(err)
		}
		return RR{Name: "k1.acme.test.", Type: dns.TypeTXT, TTL: 300, Rdata: string(rdata)}
	}
	var set redact.Secrets
	set.Add(secret)
	for _, perm := range permutations(len(pieces)) {
		a := &Answer{AA: true}
		for _, i := range perm {
			a.Answer = append(a.Answer, rrOf(pieces[i]))
		}
		r := a.Redacted(set.ReplaceStrings)
		var received []string
		for _, rr := range r.Answer {
			received = append(received, RdataText(rr))
		}
		// A reader joins the records as they stand, and as Text
		// lists them.
		joined := strings.NewReplacer(`"`, "", "\n", "", " ", "").Replace(strings.Join(received, "") + "\n" + r.Text())
		if l := redacttest.Leak(strings.ReplaceAll(joined, "k1.acme.test.300INTXT", ""), secret); l != "" {
			t.Errorf("records received in order %v: %s\n%s", perm, l, strings.Join(received, "\n"))
		}
	}
}

// permutations are every order of 0..n-1.
func permutations(n int) [][]int {
	if n == 0 {
		return [][]int{{}}
	}
	var out [][]int
	for _, p := range permutations(n - 1) {
		for at := 0; at <= len(p); at++ {
			q := append(append(append([]int{}, p[:at]...), n-1), p[at:]...)
			out = append(out, q)
		}
	}
	return out
}
