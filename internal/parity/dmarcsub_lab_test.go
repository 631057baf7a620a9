package parity_test

import (
	"strings"
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
	resolver := stubResolver(t, lab.Zone{Origin: "reports.test.", Text: reportsZone}, lab.Zone{Origin: "noauth.test.", Text: noauthZone})
	cases := []struct {
		name, lines string
		kind, sev   string
		words       []string
	}{
		{"two DMARC records at a subdomain on both sides", "_dmarc.sub IN TXT \"v=DMARC1; p=reject\"\n_dmarc.sub IN TXT \"v=DMARC1; p=none\"", "dmarc", "error", []string{"DMARC on old and new: 2 DMARC records"}},
		{"a subdomain's DMARC record that does not parse on both sides", "_dmarc.sub IN TXT \"v=DMARC1; p=rejectt\"", "dmarc", "error", []string{"DMARC on old and new", "rejectt"}},
		{"a subdomain's reports to a vendor that authorizes the zone only", "_dmarc.sub IN TXT \"v=DMARC1; p=reject; rua=mailto:d@reports.test\"", "dmarc-report", "warning", []string{"sub.parity.test._report._dmarc.reports.test"}},
		// Git's record sends no reports out of the zone; new's does, to a
		// vendor that has not authorized the zone.
		{"new's record alone sends reports to an unauthorized vendor", "_dmarc.sub IN TXT \"v=DMARC1; p=reject; rua=mailto:d@parity.test\"", "dmarc-report", "warning", []string{"noauth.test. does not accept reports for sub.parity.test.", "the record new serves sends reports there; git's does not"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := verdictBase + "sub IN A 192.0.2.1\n" + c.lines + "\n"
			z := loadAny(t, text)
			srv := serve(t, "knot", text)
			nu := srv
			if strings.Contains(c.name, "new's record") {
				nu = serve(t, "knot", strings.Replace(text, "rua=mailto:d@parity.test", "rua=mailto:d@parity.test,mailto:v@noauth.test", 1))
			}
			rep := runWith(t, z, []string{srv}, []string{nu}, func(o *parity.Options) { o.Resolver = resolver })
			if !hasFindings(t, rep, []finding{{"_dmarc.sub." + origin, "TXT", c.kind, c.sev, c.words}}) {
				dump(t, rep)
			}
		})
	}
}
