package parity_test

import (
	"testing"
)

// mailBase is a small zone with an MX host the transport cases add lines
// to.
const mailBase = verdictBase + `@ IN MX 10 mx1
mx1 IN A 192.0.2.25
mta-sts IN A 192.0.2.80
`

// tlsaSHA256 is RFC 6698 §2.3's SHA-256 digest, as a TLSA 3 1 1 record's
// data.
const tlsaSHA256 = "d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971"

// TestParityMailTransportLab: MTA-STS (RFC 8461), TLSRPT (RFC 8460) and
// DANE for SMTP (RFC 7672) records on real servers whose sides differ:
// each finding of kind mta-sts, tlsrpt or dane, with the severity and
// the words of what senders do.
func TestParityMailTransportLab(t *testing.T) {
	sts := mailBase + "_mta-sts IN TXT \"v=STSv1; id=20160831085700Z;\"\n"
	cases := []struct {
		name             string
		old, new         string
		oldText, newText string
		gitText          string
		want             []finding
		forbid           []string // no such kind at the first want's name
		// signed: old and new serve their text signed (dnssec-signzone,
		// each with keys of its own), git holds old's signed text.
		signed bool
	}{
		{name: "an MTA-STS record old serves and new lacks is an error",
			old: "knot", new: "bind", oldText: sts, newText: mailBase,
			want: []finding{
				{"_mta-sts.parity.test.", "TXT", "mta-sts", "error", []string{"MTA-STS on new: no MTA-STS record (v=STSv1)", "keep enforcing it until its max_age"}},
				{"_mta-sts.parity.test.", "TXT", "mta-sts", "error", []string{"RFC 8461"}},
			},
			forbid: []string{"missing"}},
		{name: "an MTA-STS id that differs is a warning; the data difference stays an error",
			old: "knot", new: "knot", oldText: sts,
			newText: mailBase + "_mta-sts IN TXT \"v=STSv1; id=20260101T000000;\"\n",
			want: []finding{
				{"_mta-sts.parity.test.", "TXT", "mta-sts", "warning", []string{"MTA-STS id=20160831085700Z on old, id=20260101T000000 on new", "RFC 8461 §3.3"}},
				{"_mta-sts.parity.test.", "TXT", "mta-sts", "error", []string{"new deviates from git"}},
			},
			forbid: []string{"rdata"}},
		{name: "a TLSRPT record without a usable rua on both sides is an error",
			old: "knot", new: "bind",
			oldText: mailBase + "_smtp._tls IN TXT \"v=TLSRPTv1; rua=reports@parity.test\"\n",
			want:    []finding{{"_smtp._tls.parity.test.", "TXT", "tlsrpt", "error", []string{"TLSRPT on old and new:", "holds no mailto: or https: URI (RFC 8460 §3)"}}}},
		{name: "an SMTP TLSA record that differs is a dane error",
			old: "knot", new: "bind",
			oldText: mailBase + "_25._tcp.mx1 IN TLSA 3 1 1 " + tlsaSHA256 + "\n",
			newText: mailBase + "_25._tcp.mx1 IN TLSA 3 1 1 " + tlsaSHA256[:62] + "00\n",
			want:    []finding{{"_25._tcp.mx1.parity.test.", "TLSA", "dane", "error", []string{"RFC 7672 §2.2", "the zone is not signed"}}},
			forbid:  []string{"rdata"}},
		{name: "an SMTP TLSA record new lacks is a dane error",
			old: "knot", new: "knot",
			oldText: mailBase + "_25._tcp.mx1 IN TLSA 3 1 1 " + tlsaSHA256 + "\n",
			newText: mailBase,
			want:    []finding{{"_25._tcp.mx1.parity.test.", "TLSA", "dane", "error", []string{"RFC 7672 §2.2"}}},
			forbid:  []string{"missing"}},
		{name: "an SMTP TLSA record new lacks in a signed zone: DANE is lost silently",
			old: "knot", new: "bind", signed: true,
			oldText: mailBase + "_25._tcp.mx1 IN TLSA 3 1 1 " + tlsaSHA256 + "\n",
			newText: mailBase,
			want:    []finding{{"_25._tcp.mx1.parity.test.", "TLSA", "dane", "error", []string{"the zone is signed, so a validating sender asking the side without these TLSA records finds them securely absent"}}},
			forbid:  []string{"missing"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.newText == "" {
				c.newText = c.oldText
			}
			if c.signed {
				c.oldText, c.newText = sign(t, c.oldText, false), sign(t, c.newText, false)
			}
			rep := verdictRun(t, c.old, c.new, c.oldText, c.newText, c.gitText)
			ok := hasFindings(t, rep, c.want)
			for _, f := range rep.Findings {
				for _, k := range c.forbid {
					if f.Kind == k && f.Name == c.want[0].name {
						t.Errorf("unexpected %s finding at %s %s: %s", k, f.Name, f.Type, f.Detail)
						ok = false
					}
				}
			}
			if !ok || testing.Verbose() {
				dump(t, rep)
			}
		})
	}
}
