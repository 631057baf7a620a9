package route53_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestUpsertOverBatchRefusedByPlan: every create or replace is an UPSERT,
// whose ResourceRecord elements and Value characters Route 53 counts
// twice against one change batch's 1,000 and 32,000 ("Quotas", Maximums
// on API requests: "When the value of the Action element is UPSERT, each
// ResourceRecord element is counted twice", "each character in a Value
// element is counted twice"; r53test refuses such a batch), and a record
// set holds at most 400 records ("Quotas", Quotas on records; r53test
// refuses more). An RRset of 401 records, or of values over 16,000
// characters, can never be pushed: plan refuses it, naming the limit, and
// sends nothing of it; one of 400 records, or of 16,000 characters, is
// pushed and reads back with nothing left to do.
func TestUpsertOverBatchRefusedByPlan(t *testing.T) {
	const head = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n@ NS ns-1.awsdns-01.org.\n"
	many := func(n int) string { // n A records at one name
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "many A 10.0.%d.%d\n", i/256, i%256)
		}
		return b.String()
	}
	long := func(chars int) string { // TXT values of 4,000 characters, chars in all (a multiple of 4,000)
		var b strings.Builder
		for i := range chars / 4000 {
			// Each value is 16 quoted strings: 15 of 248 octets and one
			// of 6+..., 4,000 characters with quotes and spaces.
			var parts []string
			for j := range 15 {
				parts = append(parts, `"`+strings.Repeat(string(rune('a'+j)), 248)+`"`)
			}
			last := 4000 - (15*250 + 15) - 2
			parts = append(parts, `"`+fmt.Sprintf("%04d", i)+strings.Repeat("z", last-4)+`"`)
			fmt.Fprintf(&b, "long TXT %s\n", strings.Join(parts, " "))
		}
		return b.String()
	}
	for _, tc := range []struct {
		name      string
		over, at  string
		key       string
		typ       uint16
		wantWords string
	}{
		// Route 53 holds at most 400 records in a record set ("Quotas",
		// Quotas on records): that limit comes first.
		{"records-in-set", many(401), many(400), "many.example.com.", dns.TypeA, "400"},
		{"characters", long(20000), long(16000), "long.example.com.", dns.TypeTXT, "32000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			s.AddZone("example.com", false)
			p := newProvider(t, s, keyID, secret)
			providertest.Refuses(t, p, desired(t, head+tc.over), tc.key, tc.typ, tc.wantWords)
			at := desired(t, head+tc.at)
			providertest.Push(t, p, at)
			if again := providertest.Plan(t, p, at); !again.Empty() {
				t.Errorf("not converged: %v", again.Changes)
			}
		})
	}
}
