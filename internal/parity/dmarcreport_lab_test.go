package parity_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// reportsZone accepts DMARC reports for parity.test. (RFC 7489 §7.1: a
// TXT record starting v=DMARC1 at parity.test._report._dmarc.reports.test);
// noauthZone takes mail but authorizes no one.
const (
	reportsZone = `$ORIGIN reports.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.53
@ IN MX 10 ns1
parity.test._report._dmarc IN TXT "v=DMARC1"
other.test._report._dmarc IN TXT "v=DMARC1"
`
	noauthZone = `$ORIGIN noauth.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.53
@ IN MX 10 ns1
parity.test._report._dmarc IN TXT "not an authorization"
`
)

// TestDMARCExternalReports: a DMARC record whose rua= or ruf= sends reports
// to another domain gets them only when that domain publishes a TXT record
// starting v=DMARC1 at <zone>._report._dmarc.<domain> (RFC 7489 §7.1): a
// company's DMARC pointing at its report vendor without the vendor's
// record receives no reports, silently. Parity asks through the resolver:
// a destination that does not authorize the zone is a dmarc-report
// warning naming the record to publish; without a resolver, an info
// finding says it was not asked; an authorized or in-zone destination is
// no finding. On the code before there was no such finding at all.
func TestDMARCExternalReports(t *testing.T) {
	lab.Require(t, "knotd", "unbound")
	vendor := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "reports.test.", Text: reportsZone}, {Origin: "noauth.test.", Text: noauthZone}}})
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {vendor.Addr}}})
	head := fmt.Sprintf("$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n@ IN MX 10 ns1\n", origin)
	cases := []struct {
		name     string
		dmarc    string
		resolver bool
		sev      string // of the dmarc-report finding; "" for none
		words    []string
	}{
		{"authorized", "v=DMARC1; p=reject; rua=mailto:d@reports.test", true, "", nil},
		{"in the zone", "v=DMARC1; p=reject; rua=mailto:d@parity.test; ruf=mailto:f@mail.parity.test", true, "", nil},
		{"not authorized", "v=DMARC1; p=quarantine; rua=mailto:d@reports.test,mailto:dmarc@noauth.test", true, "warning",
			[]string{"rua=mailto:dmarc@noauth.test", "parity.test._report._dmarc.noauth.test", "RFC 7489 §7.1", "v=DMARC1"}},
		{"no record at all", "v=DMARC1; p=none; ruf=mailto:f@nx.reports.test", true, "warning",
			[]string{"ruf=mailto:f@nx.reports.test", "parity.test._report._dmarc.nx.reports.test"}},
		{"without a resolver", "v=DMARC1; p=reject; rua=mailto:d@noauth.test", false, "info",
			[]string{"parity.test._report._dmarc.noauth.test", "--resolver"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			text := head + "_dmarc IN TXT " + txtQuote(c.dmarc) + "\n"
			z := loadText(t, text)
			srv := serve(t, "knot", text)
			opts := parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8}
			if c.resolver {
				opts.Resolver = u.Addr
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			rep, err := parity.Run(ctx, z, []parity.Target{{Addr: srv}}, []parity.Target{{Addr: srv}}, opts)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			var got []parity.Finding
			for _, f := range rep.Findings {
				if f.Kind == "dmarc-report" {
					got = append(got, f)
				}
			}
			if c.sev == "" {
				if len(got) > 0 {
					t.Errorf("findings %+v, want none", got)
				}
				return
			}
			if len(got) != 1 || got[0].Severity != c.sev || got[0].Line != 7 || got[0].Name != "_dmarc."+origin {
				dump(t, rep)
				t.Fatalf("findings %+v, want one %s at line 7", got, c.sev)
			}
			for _, w := range c.words {
				if !strings.Contains(got[0].Detail, w) {
					t.Errorf("detail lacks %q: %s", w, got[0].Detail)
				}
			}
			if n := rep.Count(parity.SevError); n != 0 {
				dump(t, rep)
				t.Errorf("%d errors: a report destination's authorization is no error of parity", n)
			}
		})
	}
}
