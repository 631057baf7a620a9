package parity_test

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// childZone is lab.parity.test., the zone the fixture delegates to
// ns.lab.parity.test.
const childZone = `$ORIGIN lab.parity.test.
$TTL 300
@   IN SOA ns hostmaster 1 3600 600 1209600 300
@   IN NS  ns
ns  IN A   192.0.2.99
www IN A   192.0.2.100
`

// TestParityChildHostedLab: the new provider's servers host the child
// zone of a delegation in git too (BIND with parity.test. and
// lab.parity.test.): they answer names at and below the cut
// authoritatively instead of referring to the child's servers, so a
// resolver asking them gets their copy of the child. One referral error
// at the cut says so and how to fix it; no rcode error with "answers
// referral, new answers with records". The same for a new side whose
// copy of the zone lacks the delegation (the NS records at the cut),
// which answers below the cut from the parent's own data.
func TestParityChildHostedLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	base := fixture(t)
	z := loadText(t, base)
	old := serve(t, "knot", base)
	bind := func(o lab.Options) func(t *testing.T) string {
		return func(t *testing.T) string { return lab.BIND(t, o).Addr }
	}
	cases := []struct {
		name string
		new  func(t *testing.T) string
		want []string
	}{
		{"child hosted", bind(lab.Options{Zones: []lab.Zone{{Origin: origin, Text: base}, {Origin: "lab.parity.test.", Text: childZone}}}),
			[]string{"host the child zone lab.parity.test.", "remove the zone lab.parity.test. from new"}},
		{"delegation not served", bind(lab.Options{Zones: []lab.Zone{{Origin: origin, Text: edit(`^lab     IN  NS    ns\.lab.*$`, "")(base)}}}),
			[]string{"does not serve the delegation", "NS records at lab.parity.test."}},
		// The cut referred, the glue's name answered as data of its own
		// (a relay in front of Knot sets AA and moves the glue into the
		// answer, as a server that does not treat data below a cut as
		// occluded would).
		{"occluded data served", func(t *testing.T) string {
			return udpRelay(t, serve(t, "knot", base), func(q, r *dns.Msg, _ func(string, uint16) *dns.Msg) {
				if dns.CanonicalName(q.Question[0].Name) != "ns.lab.parity.test." {
					return
				}
				r.Authoritative, r.Ns = true, nil
				r.Answer, r.Extra = nil, r.Extra[:0]
				if q.Question[0].Qtype == dns.TypeA {
					rr, _ := dns.NewRR("ns.lab.parity.test. 300 IN A 192.0.2.99")
					r.Answer = []dns.RR{rr}
				}
			})
		}, []string{"refers lab.parity.test. to ns.lab.parity.test. but answers ns.lab.parity.test. A below the cut", "remove the records below lab.parity.test. from new"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rep := run(t, z, []string{old}, []string{c.new(t)})
			var cut []parity.Finding
			for _, f := range rep.Findings {
				if f.Severity == parity.SevError && f.Kind == "rcode" {
					t.Errorf("rcode error %s %s: %s", f.Name, f.Type, f.Detail)
				}
				if f.Kind == "referral" && f.Name == "lab.parity.test." {
					cut = append(cut, f)
				}
			}
			if len(cut) != 1 || cut[0].Severity != parity.SevError {
				dump(t, rep)
				t.Fatalf("%d referral findings at lab.parity.test., want one error", len(cut))
			}
			for _, w := range c.want {
				if !strings.Contains(cut[0].Detail, w) {
					t.Errorf("detail %q lacks %q", cut[0].Detail, w)
				}
			}
			if t.Failed() || testing.Verbose() {
				dump(t, rep)
			}
		})
	}
}

// TestParityChildHostedBothLab: one of new's two servers hosts the child
// zone (a disagree-within-provider error at the cut, once, naming it);
// both sides host it (a warning once per cut, their copies compared: no
// git-drift per question).
func TestParityChildHostedBothLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	base := fixture(t)
	z := loadText(t, base)
	both := lab.Options{Zones: []lab.Zone{{Origin: origin, Text: base}, {Origin: "lab.parity.test.", Text: childZone}}}
	t.Run("one of new's servers", func(t *testing.T) {
		t.Parallel()
		hosting := lab.BIND(t, both).Addr
		rep := run(t, z, []string{serve(t, "knot", base)}, []string{serve(t, "knot", base), hosting})
		var n int
		for _, f := range rep.Findings {
			if f.Severity == parity.SevError && f.Kind == "rcode" {
				t.Errorf("rcode error %s %s: %s", f.Name, f.Type, f.Detail)
			}
			if f.Kind == "disagree-within-provider" {
				n++
				if f.Name != "lab.parity.test." || !strings.Contains(f.Detail, "new server "+hosting+" answers for lab.parity.test. itself") {
					t.Errorf("%s %s: %s", f.Name, f.Type, f.Detail)
				}
			}
		}
		if n != 1 {
			dump(t, rep)
			t.Fatalf("%d disagree-within-provider findings, want one", n)
		}
	})
	t.Run("both sides", func(t *testing.T) {
		t.Parallel()
		rep := run(t, z, []string{lab.BIND(t, both).Addr}, []string{lab.BIND(t, both).Addr})
		var n int
		for _, f := range rep.Findings {
			if f.Severity == parity.SevError || f.Kind == "git-drift" {
				t.Errorf("%s %s %s %s: %s", f.Severity, f.Kind, f.Name, f.Type, f.Detail)
			}
			if f.Kind == "referral" {
				n++
				if f.Severity != parity.SevWarning || !strings.Contains(f.Detail, "old and new both answer below the cut") {
					t.Errorf("%s %s: %s", f.Severity, f.Kind, f.Detail)
				}
			}
		}
		if n != 1 {
			dump(t, rep)
			t.Fatalf("%d referral findings, want one warning", n)
		}
	})
}
