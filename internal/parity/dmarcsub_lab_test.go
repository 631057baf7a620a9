package parity_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityDMARCSubdomainLab: a subdomain's own DMARC record
// (_dmarc.sub.<zone>, which receivers ask before the organizational
// domain's, RFC 7489 §6.6.3) is checked as the apex's is: two records
// or one that does not parse, served alike by both sides (no data
// difference), are a dmarc error; a report address outside the zone must
// be authorized for the subdomain, the domain the policy is retrieved
// from (§7.1: sub.parity.test._report._dmarc.<dest>). Before, only
// _dmarc.<zone> was checked: these rows gave no finding at all.
func TestParityDMARCSubdomainLab(t *testing.T) {
	resolver := stubResolver(t, lab.Zone{Origin: "reports.test.", Text: reportsZone})
	cases := []struct {
		name, lines string
		kind, sev   string
		words       []string
	}{
		{"two DMARC records at a subdomain on both sides",
			"_dmarc.sub IN TXT \"v=DMARC1; p=reject\"\n_dmarc.sub IN TXT \"v=DMARC1; p=none\"",
			"dmarc", "error", []string{"DMARC on old and new: 2 DMARC records"}},
		{"a subdomain's DMARC record that does not parse on both sides",
			"_dmarc.sub IN TXT \"v=DMARC1; p=rejectt\"",
			"dmarc", "error", []string{"DMARC on old and new", "rejectt"}},
		{"a subdomain's reports to a vendor that authorizes the zone only",
			"_dmarc.sub IN TXT \"v=DMARC1; p=reject; rua=mailto:d@reports.test\"",
			"dmarc-report", "warning", []string{"sub.parity.test._report._dmarc.reports.test"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := verdictBase + "sub IN A 192.0.2.1\n" + c.lines + "\n"
			z := loadAny(t, text)
			srv := serve(t, "knot", text)
			rep := runWith(t, z, []string{srv}, []string{srv}, func(o *parity.Options) { o.Resolver = resolver })
			if !hasFindings(t, rep, []finding{{"_dmarc.sub." + origin, "TXT", c.kind, c.sev, c.words}}) {
				dump(t, rep)
			}
		})
	}
}
