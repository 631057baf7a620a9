package parity_test

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/miekg/dns"
)

// TestParityENTDeniedLab: a side that answers NXDOMAIN at a name git has
// with names below it (an empty non-terminal a PowerDNS zone that was
// not rectified denies; a relay in front of Knot rewrites that name's
// answers to NXDOMAIN here) hides everything below it from resolvers
// that read NXDOMAIN as nothing below existing (RFC 8020, qname
// minimisation): the error says so, and names the mail records hidden
// (DKIM selectors under _domainkey, an MX, an SPF record), a mail
// outage. Before, the finding said only "old answers NODATA, new answers
// NXDOMAIN".
func TestParityENTDeniedLab(t *testing.T) {
	text := verdictBase + "s1._domainkey.mail IN TXT \"v=DKIM1; p=\"\nsub.mail IN MX 10 www\nx.y.plain IN A 192.0.2.1\n"
	// Mail records by CNAME (a DKIM selector delegated to an ESP), BIMI
	// and an MX host's DANE TLSA records are mail records too.
	corp := verdictBase + "s2._domainkey.corp IN CNAME s2.esp.test.\ndefault._bimi.corp IN TXT \"v=BIMI1; l=\"\n_25._tcp.mx.corp IN TLSA 3 1 1 " + strings.Repeat("ab", 32) + "\n"
	cases := []struct {
		name    string
		denied  string // the name new answers NXDOMAIN at
		words   []string
		noWords []string
		text    string // the zone ("": text)
	}{
		{"the _domainkey ENT above a DKIM selector", "_domainkey.mail.parity.test.",
			[]string{"new answers NXDOMAIN", "names below it", "RFC 8020", "s1._domainkey.mail.parity.test. (DKIM key)", "mail records"}, nil, ""},
		{"an ENT above an MX owner and a DKIM selector", "mail.parity.test.",
			[]string{"RFC 8020", "s1._domainkey.mail.parity.test. (DKIM key)", "sub.mail.parity.test. (MX)"}, nil, ""},
		{"an ENT above no mail record", "y.plain.parity.test.",
			[]string{"RFC 8020", "x.y.plain.parity.test."}, []string{"mail record"}, ""},
		{"an ENT above a delegated DKIM selector, BIMI and DANE", "corp.parity.test.",
			[]string{"RFC 8020", "s2._domainkey.corp.parity.test. (DKIM key by CNAME)", "default._bimi.corp.parity.test. (BIMI)", "_25._tcp.mx.corp.parity.test. (SMTP TLSA, DANE)", "a mail outage"}, nil, corp},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := text
			if c.text != "" {
				text = c.text
			}
			z := loadText(t, text)
			srv := serve(t, "knot", text)
			relay := newRelay(t, srv, nil, func(resp []byte) {
				m := new(dns.Msg)
				if m.Unpack(resp) != nil || len(m.Question) != 1 || !strings.EqualFold(m.Question[0].Name, c.denied) {
					return
				}
				resp[3] = resp[3]&^0x0f | dns.RcodeNameError
				resp[6], resp[7] = 0, 0 // no answer records
			})
			rep := run(t, z, []string{srv}, []string{relay.Addr})
			found := false
			for _, f := range rep.Findings {
				if f.Name != c.denied || f.Kind != "missing" || f.Severity != "error" {
					continue
				}
				ok := true
				for _, w := range c.words {
					ok = ok && strings.Contains(f.Detail, w)
				}
				for _, w := range c.noWords {
					ok = ok && !strings.Contains(f.Detail, w)
				}
				found = found || ok
			}
			if !found {
				t.Errorf("no missing error at %s with %q and without %q", c.denied, c.words, c.noWords)
				dump(t, rep)
			}
		})
	}
}

// TestParityENTUnrectifiedPowerDNSLab: the same class on a real server: a
// PowerDNS whose zone was loaded and never rectified answers NXDOMAIN at
// the empty non-terminals _domainkey.mail and mail above a DKIM selector
// (Knot, old, answers NODATA): a missing error at each, naming the
// selector hidden below and the mail outage.
func TestParityENTUnrectifiedPowerDNSLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	text := verdictBase + "s1._domainkey.mail IN TXT \"v=DKIM1; p=\"\n"
	z := loadText(t, text)
	pdns := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, NoRectify: true}).Addr
	rep := run(t, z, []string{serve(t, "knot", text)}, []string{pdns})
	var want []finding
	for _, ent := range []string{"_domainkey.mail." + origin, "mail." + origin} {
		want = append(want, finding{ent, "", "missing", parity.SevError, []string{"new answers NXDOMAIN", "RFC 8020", "s1._domainkey.mail.parity.test. (DKIM key)", "a mail outage"}})
	}
	if !hasFindings(t, rep, want) {
		dump(t, rep)
	}
}
