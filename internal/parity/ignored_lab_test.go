package parity_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// ignoredCase is a TXT record at owner in git and on both sides (new
// serves newRdata when set) and the one finding parity gives its name.
type ignoredCase struct {
	owner, rdata, newRdata string
	name                   string // the finding's name; "" for no finding
	kind, sev              string
	words                  []string // in its detail
}

// TestParityIgnoredMailLab: a mail record both providers serve that
// receivers ignore is reported as check reports it in the zone file
// (mailauth.Ignore): an SPF record written unquoted, so that its words are
// strings joined without blanks (RFC 7208 §3.3), is an error; a DMARC,
// DKIM key, MTA-STS or TLSRPT record at a name receivers never ask is a
// warning, and nothing at a name a CNAME of the zone leads to. Each once
// per name (old BIND and Knot, new Knot: one finding naming the
// sides that serve it), errors first. Git serves as the providers do, so no comparison finds anything:
// on the code before, parity said nothing of any of them.
func TestParityIgnoredMailLab(t *testing.T) {
	cases := []ignoredCase{
		{"@", `v=spf1 mx -all`, "", "parity.test.", "spf", "error",
			[]string{"SPF on old and new:", `"v=spf1" "mx" "-all" is read as v=spf1mx-all`, `"v=spf1 mx -all"`}},
		{"split", `"v=spf1" "include:_spf.parity.test" "-all"`, "", "split.parity.test.", "spf", "error",
			[]string{"v=spf1include:_spf.parity.test-all"}},
		{"quoted", `"v=spf1 mx -all"`, "", "", "", "", nil},
		// Git and old quoted, new split (a provider's API taking the
		// words apart): only new's named.
		{"onlynew", `"v=spf1 a -all"`, `v=spf1 a -all`, "onlynew.parity.test.", "spf", "error",
			[]string{`SPF on new: "v=spf1" "a" "-all" is read as v=spf1a-all`}},
		{"dmarc", `"v=DMARC1; p=reject"`, "", "dmarc.parity.test.", "dmarc", "warning",
			[]string{"DMARC on old and new:", "move it to _dmarc.parity.test."}},
		{"mail2026", `"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="`, "", "mail2026.parity.test.", "dkim", "warning",
			[]string{"mail2026._domainkey.parity.test."}},
		{"mtasts", `"v=STSv1; id=20261207"`, "", "mtasts.parity.test.", "mta-sts", "warning",
			[]string{"move it to _mta-sts.parity.test."}},
		{"_tls", `"v=TLSRPTv1; rua=mailto:tls@parity.test"`, "", "_tls.parity.test.", "tlsrpt", "warning",
			[]string{"_smtp._tls.parity.test."}},
		// Below a delegation: both sides refer, nobody serves it.
		{"x.below", `v=spf1 -all`, "", "", "", "", nil},
		// A DMARC service's record, where the zone's own _dmarc leads.
		{"policy.dmarc", `"v=DMARC1; p=reject"`, "", "", "", "", nil},
	}
	var git, nw strings.Builder
	for _, b := range []*strings.Builder{&git, &nw} {
		fmt.Fprintf(b, "$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n@ IN MX 10 ns1\n", origin)
		b.WriteString("_spf IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n_dmarc IN CNAME policy.dmarc\nbelow IN NS ns1.below\nns1.below IN A 192.0.2.54\n")
	}
	for _, c := range cases {
		fmt.Fprintf(&git, "%s IN TXT %s\n", c.owner, c.rdata)
		if c.newRdata == "" {
			c.newRdata = c.rdata
		}
		fmt.Fprintf(&nw, "%s IN TXT %s\n", c.owner, c.newRdata)
	}
	z := loadText(t, git.String())
	// Two old servers: still one finding per name. (PowerDNS 4.7 loads
	// no unquoted TXT: "Data field in DNS should start with quote".)
	rep := run(t, z, []string{serve(t, "bind", git.String()), serve(t, "knot", git.String())}, []string{serve(t, "knot", nw.String())})
	defer func() {
		if t.Failed() || testing.Verbose() {
			dump(t, rep)
		}
	}()
	for _, c := range cases {
		name := c.name
		if name == "" {
			name = strings.TrimSuffix(c.owner, "@") + "." + origin
		}
		var got []parity.Finding
		for _, f := range rep.Findings {
			// At onlynew the comparison has its own finding too.
			if f.Name == name && f.Severity != "info" && (c.kind == "" || f.Kind == c.kind) {
				got = append(got, f)
			}
		}
		if c.name == "" {
			if len(got) > 0 {
				t.Errorf("%s: %d findings, want none", name, len(got))
			}
			continue
		}
		if len(got) != 1 {
			t.Errorf("%s: %d findings, want 1 (%s %s)", name, len(got), c.sev, c.kind)
			continue
		}
		f := got[0]
		if f.Kind != c.kind || f.Severity != c.sev || f.Type != "TXT" {
			t.Errorf("%s: %s %s %s, want %s %s TXT", name, f.Severity, f.Kind, f.Type, c.sev, c.kind)
		}
		if f.File == "" || f.Line == 0 || f.Old == "" || f.New == "" {
			t.Errorf("%s: finding without file:line or answers: %+v", name, f)
		}
		for _, w := range c.words {
			if !strings.Contains(f.Detail, w) {
				t.Errorf("%s: detail lacks %q: %s", name, w, f.Detail)
			}
		}
	}
	// A side that serves no SPF record counts no lookups: on the code
	// before, onlynew also had "SPF needs 1 DNS lookups on old and 0 on
	// new" (spf-lookups), as though new's record were cheaper.
	for _, f := range rep.Findings {
		if f.Kind == "spf-lookups" && (strings.Contains(f.Detail, " and 0 on ") || strings.Contains(f.Detail, "needs 0 ")) {
			t.Errorf("%s: %s counts the lookups of a side with no SPF record: %s", f.Name, f.Kind, f.Detail)
		}
	}
	for i := 1; i < len(rep.Findings); i++ {
		if rep.Findings[i-1].Severity != "error" && rep.Findings[i].Severity == "error" {
			t.Errorf("an error after a %s: findings not errors first", rep.Findings[i-1].Severity)
		}
	}
}
