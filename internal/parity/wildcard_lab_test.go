package parity_test

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityWildcardSemanticsLab: the new side synthesizes from git's
// wildcard *.apps as servers that get RFC 4592 wrong do, in front of a
// real Knot serving git's zone (a relay rewrites its answers):
//   - one label only (hickory-dns): a name two labels below apps is
//     NXDOMAIN there, synthesized on old;
//   - walking up past an existing name (a glob match, as dnslib's
//     matchGlob or CoreDNS's file plugin after its #5076 do): a name
//     below api.apps, which exists, is synthesized from *.apps there,
//     NXDOMAIN on old.
//
// Either way names resolve on one side only after the flip, and only
// the random label one below apps was asked: parity held. Each is now a
// wildcard error saying which.
func TestParityWildcardSemanticsLab(t *testing.T) {
	text := fixture(t) + "api.apps IN A 192.0.2.91\n"
	z := loadText(t, text)
	below := func(name string) int { // labels below apps.parity.test.
		if !strings.HasSuffix(name, ".apps.parity.test.") {
			return 0
		}
		return dns.CountLabel(name) - dns.CountLabel("apps.parity.test.")
	}
	cases := []struct {
		name   string
		change func(q, r *dns.Msg, ask func(string, uint16) *dns.Msg)
		at     func(name string) bool
		detail string
	}{
		{"one label only", func(q, r *dns.Msg, _ func(string, uint16) *dns.Msg) {
			if n := below(dns.CanonicalName(q.Question[0].Name)); n >= 2 && r.Rcode == dns.RcodeSuccess && len(r.Answer) > 0 {
				r.Rcode, r.Answer = dns.RcodeNameError, nil
			}
		}, func(name string) bool { return below(name) == 2 && !strings.HasPrefix(name, "api.") },
			"for a name more than one label below apps.parity.test."},
		{"walks up past a name", func(q, r *dns.Msg, ask func(string, uint16) *dns.Msg) {
			name := dns.CanonicalName(q.Question[0].Name)
			if r.Rcode != dns.RcodeNameError || below(name) < 2 {
				return
			}
			w := ask("*.apps.parity.test.", q.Question[0].Qtype)
			if w == nil {
				return
			}
			r.Rcode, r.Answer = w.Rcode, nil
			for _, rr := range w.Answer {
				rr.Header().Name = q.Question[0].Name
				r.Answer = append(r.Answer, rr)
			}
		}, func(name string) bool { return strings.HasSuffix(name, ".api.apps.parity.test.") },
			"api.apps.parity.test. exists, so a name below it is not synthesized"},
	}
	old := serve(t, "bind", text)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rep := run(t, z, []string{old}, []string{udpRelay(t, serve(t, "knot", text), c.change)})
			var found bool
			for _, f := range rep.Findings {
				if f.Severity != parity.SevError {
					continue
				}
				if f.Kind == "wildcard" && c.at(f.Name) && strings.Contains(f.Detail, c.detail) {
					found = true
					continue
				}
				t.Errorf("unexpected %s %s %s: %s", f.Kind, f.Name, f.Type, f.Detail)
			}
			if !found || testing.Verbose() {
				dump(t, rep)
			}
			if !found {
				t.Fatalf("no wildcard error with %q", c.detail)
			}
		})
	}
}
