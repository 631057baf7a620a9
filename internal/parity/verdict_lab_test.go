package parity_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// verdictBase is a small zone the verdict cases add lines to.
const verdictBase = `$ORIGIN parity.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.53
www IN A 192.0.2.80
`

// loadAny loads a zone as git holds it, whatever check says about it (a
// CNAME loop is a check error; parity.Run is still asked to compare).
func loadAny(t testing.TB, text string) *zone.Zone {
	t.Helper()
	p := filepath.Join(t.TempDir(), "parity.test.zone")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	z, err := zone.Load(p, zone.Options{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// finding is what a verdict case expects: a finding at name/type (type ""
// = any) of kind and severity whose detail holds every word.
type finding struct {
	name, typ, kind, sev string
	words                []string
}

func (w finding) match(f parity.Finding) bool {
	if f.Name != w.name || (w.typ != "" && f.Type != w.typ) || f.Kind != w.kind || f.Severity != w.sev {
		return false
	}
	for _, word := range w.words {
		if !strings.Contains(f.Detail, word) {
			return false
		}
	}
	return true
}

// TestParityVerdicts: classes of verdicts that used to be wrong, each on
// real servers. The servers of a case serve oldText and newText (git holds
// gitText, default oldText).
func TestParityVerdicts(t *testing.T) {
	dnssdOld := verdictBase + "printer._ipp._tcp IN TXT \"txtvers=1\" \"rp=queue\"\n"
	dnssdNew := verdictBase + "printer._ipp._tcp IN TXT \"txtvers=1rp=queue\"\n"
	multiOld := verdictBase + "multi IN TXT \"ab\" \"cd\"\nmulti IN TXT \"ef\" \"gh\"\n"
	cases := []struct {
		name             string
		old, new         string // server kinds
		oldText, newText string
		gitText          string
		want             []finding
		// forbid: no finding of these kinds (any name); noErr: no error
		// or warning at all; noDrift: no "deviates from git".
		forbid  []string
		noErr   bool
		noDrift bool
		// line: the zone-file line of the finding of a "name kind";
		// noWords: in no finding's detail.
		line    map[string]int
		noWords []string
	}{
		{name: "extra in-zone chain on a qtype=CNAME answer is not missing",
			old: "knot", new: "pdns",
			oldText: verdictBase + "*.wc IN CNAME lb\nlb IN CNAME www\n",
			want:    []finding{{"", "CNAME", "extra", "info", []string{"lb.parity.test. CNAME only on new", "beyond what the question asked"}}},
			forbid:  []string{"missing", "git-drift", "rdata"}, noErr: true, noDrift: true},
		{name: "identical SERVFAIL on a CNAME loop is a warning pointing at check",
			old: "bind", new: "bind",
			oldText: verdictBase + "self IN CNAME self\n",
			want:    []finding{{"self.parity.test.", "A", "failure", "warning", []string{"SERVFAIL", "dnsparity check"}}},
			forbid:  []string{"rcode"}},
		{name: "DNAME below the apex modelled: two servers that process it agree with git",
			old: "knot", new: "bind",
			oldText: verdictBase + "sub IN DNAME www.parity.test.\n",
			noErr:   true, noDrift: true},
		{name: "DNAME below the apex probed: a server that does not process it is named",
			old: "knot", new: "pdns",
			oldText: verdictBase + "sub IN DNAME target.parity.test.\ntarget IN A 192.0.2.9\n*.target IN A 192.0.2.99\n",
			want:    []finding{{"", "A", "dname", "error", []string{"git has a DNAME at sub.parity.test.", "new deviates from git"}}}},
		{name: "a DNS-SD instance TXT split differently is an error without SRV",
			old: "knot", new: "bind", oldText: dnssdOld, newText: dnssdNew,
			want: []finding{{"printer._ipp._tcp.parity.test.", "TXT", "txt-split", "error", []string{"DNS-SD"}}}},
		{name: "a TXT RRset of several records split at other points is info",
			old: "knot", new: "bind", oldText: multiOld,
			newText: verdictBase + "multi IN TXT \"a\" \"bcd\"\nmulti IN TXT \"efgh\"\n",
			want:    []finding{{"multi.parity.test.", "TXT", "txt-split", "info", nil}},
			noErr:   true},
		{name: "text moved between the records of a TXT RRset is an rdata error",
			old: "knot", new: "bind", oldText: multiOld,
			newText: verdictBase + "multi IN TXT \"ab\"\nmulti IN TXT \"cdef\" \"gh\"\n",
			want:    []finding{{"multi.parity.test.", "TXT", "rdata", "error", nil}}},
		{name: "a malformed DMARC record on both sides is an error",
			old: "knot", new: "bind",
			oldText: verdictBase + "_dmarc IN TXT \"v=DMARC1; p=none; adkim\"\n",
			want:    []finding{{"_dmarc.parity.test.", "TXT", "dmarc", "error", []string{"old and new", "no '='"}}}},
		{name: "v=DMARC10 is not a DMARC record",
			old: "knot", new: "bind",
			oldText: verdictBase + "_dmarc IN TXT \"v=DMARC10; p=reject\"\n",
			want:    []finding{{"_dmarc.parity.test.", "TXT", "dmarc", "error", []string{"no DMARC record"}}}},
		{name: "v = DMARC1 with spaces is a DMARC record",
			old: "knot", new: "bind",
			oldText: verdictBase + "_dmarc IN TXT \"v = DMARC1; p = reject\"\n",
			forbid:  []string{"dmarc"}, noErr: true},
		{name: "several DMARC records are invalid",
			old: "knot", new: "bind",
			oldText: verdictBase + "_dmarc IN TXT \"v=DMARC1; p=reject\"\n_dmarc IN TXT \"v=DMARC1; p=none\"\n",
			want:    []finding{{"_dmarc.parity.test.", "TXT", "dmarc", "error", []string{"2 DMARC records"}}}},
		// RFC 7489 §6.6.3, RFC 9989 §4.10.1: with a valid rua= receivers
		// act as if p=none; "apply no DMARC policy" would be wrong.
		{name: "a bad DMARC sp= with a valid rua=: receivers act as p=none",
			old: "knot", new: "knot",
			oldText: verdictBase + "_dmarc IN TXT \"v=DMARC1; p=reject; sp=block; rua=mailto:d@parity.test\"\n",
			newText: verdictBase + "_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:d@parity.test\"\n",
			want:    []finding{{"_dmarc.parity.test.", "TXT", "dmarc", "error", []string{"DMARC on old: bad sp=block", "with its valid rua=, receivers act as if the record were p=none"}}},
			noWords: []string{"apply no DMARC policy;", "receivers asking old apply no DMARC policy"}},
		{name: "a DMARC report URI that is not one is a warning, the policy stands",
			old: "knot", new: "bind",
			oldText: verdictBase + "_dmarc IN TXT \"v=DMARC1; p=reject; rua=dmarc@parity.test\"\n",
			want:    []finding{{"_dmarc.parity.test.", "TXT", "dmarc", "warning", []string{"old and new", "not a report URI"}}}},
		// RFC 7208 §5.5, §6: what receivers evaluate otherwise than meant.
		{name: "an SPF record receivers evaluate otherwise than meant is a warning, on its line",
			old: "knot", new: "bind",
			oldText: verdictBase + "www IN TXT \"google-site-verification=abc\"\nwww IN TXT \"v=spf1 a ptr include=_spf.example.net -all\"\n",
			want: []finding{{"www.parity.test.", "TXT", "spf", "warning", []string{"SPF on old and new: ptr: the ptr mechanism SHOULD NOT be published (RFC 7208 §5.5",
				"; include=_spf.example.net is an unknown modifier, not the include mechanism: receivers ignore it (RFC 7208 §6); write include:_spf.example.net"}}},
			line: map[string]int{"www.parity.test. spf": 8}},
		{name: "an SPF warning on one side only names that side",
			old: "knot", new: "knot",
			oldText: verdictBase + "@ IN TXT \"v=spf1 a -all\"\n",
			newText: verdictBase + "@ IN TXT \"v=spf1 a +all\"\n",
			want:    []finding{{"parity.test.", "TXT", "spf", "warning", []string{"SPF on new: +all passes mail from every host on the Internet (RFC 7208 §5.1"}}}},
		// RFC 7208 §4.5: two SPF records at a name are a permerror; the
		// finding names the side that serves them.
		{name: "two SPF records at one name on new only: a permerror naming new",
			old: "knot", new: "knot",
			oldText: verdictBase + "@ IN TXT \"v=spf1 a -all\"\n",
			newText: verdictBase + "@ IN TXT \"v=spf1 a -all\"\n@ IN TXT \"v=spf1 mx -all\"\n",
			want:    []finding{{"parity.test.", "TXT", "spf-permerror", "error", []string{"SPF evaluation fails (permerror) on new: 2 SPF records at parity.test"}}},
			noWords: []string{"on old and new"}},
		{name: "more than 2 void lookups on new only: spf-void naming new",
			old: "knot", new: "knot",
			oldText: verdictBase + "@ IN TXT \"v=spf1 include:_s.parity.test -all\"\n_s IN TXT \"v=spf1 a -all\"\n",
			newText: verdictBase + "@ IN TXT \"v=spf1 include:_s.parity.test -all\"\n_s IN TXT \"v=spf1 a:n1.parity.test a:n2.parity.test a:n3.parity.test -all\"\n",
			want:    []finding{{"parity.test.", "TXT", "spf-void", "error", []string{"SPF on new: 3 void lookups (n1.parity.test A"}}}},
		{name: "a clean SPF record gives no spf finding",
			old: "knot", new: "bind",
			oldText: verdictBase + "@ IN TXT \"v=spf1 a mx ?all\"\n",
			forbid:  []string{"spf"}, noErr: true},
		{name: "a DKIM key record of an unknown key type is invalid",
			old: "knot", new: "bind",
			oldText: verdictBase + "s1._domainkey IN TXT \"v=DKIM1; k=dsa; p=QUJD\"\n",
			want:    []finding{{"s1._domainkey.parity.test.", "TXT", "dkim", "error", []string{"not a key type"}}}},
		// (BIND's check-names refuses an MX at 0/26: Knot on both sides.)
		{name: "an mx whose domain holds a slash parses, RFC 7208 7.1",
			old: "knot", new: "knot",
			oldText: verdictBase + "@ IN TXT \"v=spf1 mx:0/26.parity.test/24 -all\"\n0/26 IN MX 10 www\n",
			forbid:  []string{"spf-permerror"}},
		{name: "a DKIM key record with a tag twice is invalid",
			old: "knot", new: "bind",
			oldText: verdictBase + "s1._domainkey IN TXT \"v=DKIM1; p=QUJD; p=QUJE\"\n",
			want:    []finding{{"s1._domainkey.parity.test.", "TXT", "dkim", "error", []string{"more than once"}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.newText == "" {
				c.newText = c.oldText
			}
			rep := verdictRun(t, c.old, c.new, c.oldText, c.newText, c.gitText)
			ok := hasFindings(t, rep, c.want)
			for _, f := range rep.Findings {
				for _, w := range c.noWords {
					if strings.Contains(f.Detail, w) {
						t.Errorf("%s %s finding has %q: %s", f.Name, f.Kind, w, f.Detail)
						ok = false
					}
				}
				if l, has := c.line[f.Name+" "+f.Kind]; has && f.Line != l {
					t.Errorf("%s %s finding at line %d, want %d", f.Name, f.Kind, f.Line, l)
					ok = false
				}
				for _, k := range c.forbid {
					if f.Kind == k {
						t.Errorf("unexpected %s finding at %s %s: %s", k, f.Name, f.Type, f.Detail)
						ok = false
					}
				}
				if c.noErr && f.Severity != parity.SevInfo {
					t.Errorf("unexpected %s at %s %s: %s", f.Severity, f.Name, f.Type, f.Detail)
					ok = false
				}
				if c.noDrift && strings.Contains(f.Detail, "deviate") {
					t.Errorf("unexpected git deviation at %s %s: %s", f.Name, f.Type, f.Detail)
					ok = false
				}
			}
			if !ok || testing.Verbose() {
				dump(t, rep)
			}
		})
	}
}

// TestParitySingleAnswerWithoutAA: one answer without the AA bit, among
// answers that have it, is a lame finding for that question (not
// aggregated, not a data difference).
func TestParitySingleAnswerWithoutAA(t *testing.T) {
	text := verdictBase + "mail IN A 192.0.2.25\n"
	z := loadText(t, text)
	srv := serve(t, "knot", text)
	relay := newRelay(t, srv, nil, func(resp []byte) {
		m := new(dns.Msg)
		if m.Unpack(resp) != nil || len(m.Question) != 1 {
			return
		}
		if q := m.Question[0]; strings.EqualFold(q.Name, "mail.parity.test.") && q.Qtype == dns.TypeA {
			resp[2] &^= 0x04 // AA
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := parity.Run(ctx, z, []parity.Target{{Addr: srv}}, []parity.Target{{Addr: relay.Addr}}, parity.Options{Timeout: time.Second, Retries: 1, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	var lame []parity.Finding
	for _, f := range rep.Findings {
		if f.Severity != parity.SevInfo {
			lame = append(lame, f)
		}
	}
	if len(lame) != 1 || lame[0].Kind != "lame" || lame[0].Name != "mail.parity.test." || lame[0].Type != "A" || lame[0].Severity != parity.SevError ||
		!strings.Contains(lame[0].Detail, "without the AA bit") {
		t.Errorf("want exactly one lame error at mail.parity.test. A, got:")
		dump(t, rep)
	}
}

// verdictRun serves oldText on a server of kind old and newText on one
// of kind new (one server when kind and text are the same) and runs
// parity against git's text (gitText, default oldText).
func verdictRun(t *testing.T, old, new, oldText, newText, gitText string) *parity.Report {
	t.Helper()
	if gitText == "" {
		gitText = oldText
	}
	z := loadAny(t, gitText)
	o := serve(t, old, oldText)
	n := o
	if old != new || oldText != newText {
		n = serve(t, new, newText)
	}
	return run(t, z, []string{o}, []string{n})
}

// hasFindings says, as a test error, each finding of want that rep lacks
// (a want without a name matches any name); false when one is missing.
func hasFindings(t *testing.T, rep *parity.Report, want []finding) bool {
	t.Helper()
	ok := true
	for _, w := range want {
		found := false
		for _, f := range rep.Findings {
			w := w
			if w.name == "" {
				w.name = f.Name // any name
			}
			found = found || w.match(f)
		}
		if !found {
			t.Errorf("no %s %s finding at %q %s with %q", w.sev, w.kind, w.name, w.typ, w.words)
			ok = false
		}
	}
	return ok
}
