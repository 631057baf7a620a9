package route53_test

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestLongValueRefusedByPlan: Route 53 takes no record value over 4,000
// characters, of any type (ResourceRecord: "Maximum length of 4000";
// r53test refuses the request): a TLSA holding a whole certificate
// (usage 3, selector 0, matching type 0) of 4,001 characters is refused
// by plan, naming the limit, and nothing is sent; one of exactly 4,000
// is pushed and read back with nothing left to do.
func TestLongValueRefusedByPlan(t *testing.T) {
	const head = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 300\n@ NS ns-1.awsdns-01.org.\n"
	tlsa := func(chars int) string { // the value "3 0 0 <hex>", chars long
		return "_443._tcp TLSA 3 0 0 " + strings.Repeat("ab", (chars-6)/2) + "\n"
	}
	s := newServer(t)
	defer s.Close()
	s.AddZone("example.com", false)
	p := newProvider(t, s, keyID, secret)

	over := desired(t, head+tlsa(4002))
	if v := len(strings.TrimPrefix(over.Get("_443._tcp.example.com.", dns.TypeTLSA).RRs()[0].String(), "_443._tcp.example.com.\t300\tIN\tTLSA\t")); v <= 4000 {
		t.Fatalf("the long value is %d characters", v)
	}
	providertest.Refuses(t, p, over, "", dns.TypeTLSA, "4000")

	at := desired(t, head+tlsa(4000))
	providertest.Push(t, p, at)
	if again := providertest.Plan(t, p, at); !again.Empty() {
		t.Errorf("not converged: %v", again.Changes)
	}
}
