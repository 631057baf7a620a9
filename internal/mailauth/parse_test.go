package mailauth

import (
	"errors"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
)

func TestParseSPF(t *testing.T) {
	cases := []struct {
		rec string
		bad string // substring of the error; "" = valid
	}{
		{"v=spf1 -all", ""},
		{"v=spf1", ""},
		{"V=SPF1 MX A:Mail.Example.COM/24 -ALL", ""},
		{"v=spf1  ip4:192.0.2.0/24   ip6:2001:db8::/32 ~all", ""},
		{"v=spf1 a/24//64 mx//128 a:x.example.com//64 -all", ""},
		{"v=spf1 include:_spf.%{d}.example.com exists:%{ir}.%{l1r+-}._spf.%{d} -all", ""},
		{"v=spf1 redirect=_spf.example.com", ""},
		{"v=spf1 exp=explain.example.com moo=%{d} -all", ""},
		{"v=spf1 ptr ptr:example.com ?all", ""},
		{"v=spf1 include:example.com.", ""},
		{"v=spf1 foo:example.com -all", "unknown mechanism"},
		{"v=spf1 ipv4:192.0.2.1 -all", "unknown mechanism"},
		{"v=spf1 include -all", "needs a domain"},
		{"v=spf1 include:example -all", "no dot"},
		{"v=spf1 include:example.c0m1 -all", ""},
		{"v=spf1 include:example.123 -all", "top label"},
		{"v=spf1 ip4:2001:db8::1 -all", "not an IPv4"},
		{"v=spf1 ip4:192.0.2.1/33 -all", "CIDR"},
		{"v=spf1 ip6:2001:db8::/129 -all", "CIDR"},
		{"v=spf1 a/024 -all", "CIDR"},
		{"v=spf1 all:x -all", "no argument"},
		{"v=spf1 redirect=a.example.com redirect=b.example.com", "more than once"},
		{"v=spf1 exists:%{x}.example.com", "macro letter"},
		{"v=spf1 exists:%{d", "without '}'"},
		{"v=spf1 -redirect=x.example.com", "unknown mechanism"},
		// A modifier written as a mechanism: a permerror, with the modifier to write.
		{"v=spf1 mx redirect:_spf.example.com", `unknown mechanism "redirect" (RFC 7208 §12: a permerror); redirect is a modifier: write redirect=_spf.example.com`},
		{"v=spf1 -all EXP:explain.example.com", `unknown mechanism "EXP" (RFC 7208 §12: a permerror); exp is a modifier: write exp=explain.example.com`},
		{"v=spf1 redirect/24", "redirect is a modifier: write redirect=DOMAIN"},
		// a/mx lengths only at the end: ':' and '/' belong to the domain
		// (RFC 7208 §5.3, §7.1 macro-literal).
		{"v=spf1 a:foo:bar/baz.example.com mx:foo:bar/baz.example.com -all", ""},
		{"v=spf1 -mx:%%%_/.example.de/27 -all", ""},
		{"v=spf1 a:%{l/}.user.example.com -all", ""},
		{"v=spf1 a:mail.example.com/24/64 -all", "top label"},
		{"v=spf1 a/24/64 -all", "CIDR"},
		// c, r and t only in exp text (RFC 7208 §7.2).
		{"v=spf1 exists:%{c}.rbl.example.com -all", "only there"},
		{"v=spf1 -all exp=%{r}.example.com", "only there"},
		{"v=spf1 include:%{t}.example.com -all", "only there"},
		{"v=spf1 -all note=%{c}-%{r}-%{t}", ""},
		// transformers = *DIGIT [ "r" ] (§7.1); a DIGIT "MUST be nonzero" (§7.3).
		{"v=spf1 exists:%{l1r+-}.%{d2}.%{d10r}.%{d01}.example.com -all", ""},
		{"v=spf1 exists:%{d0}.example.com -all", "must be nonzero"},
		{"v=spf1 include:_spf.%{d00r} -all", "must be nonzero"},
		{"v=spf1 -all exp=%{D0}.example.com", "must be nonzero"},
		{"v=spf1 -all note=%{i0.}", "must be nonzero"},
		// domain-end: a top label or a macro-expand, not a literal after one.
		{"v=spf1 a:mail.example.com%_ -all", ""},
		{"v=spf1 a:mail.example.%%_ -all", "top label"},
		{"v=spf1 a:mail.example.com} -all", "top label"},
		{"v=spf1 ip6:fe80::1%eth0 -all", "not an IPv6"},
		{"v=spf10 -all", "not an SPF record"},
		{"spf1 -all", "not an SPF record"},
	}
	for _, c := range cases {
		_, err := ParseSPF(c.rec)
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%q: %v", c.rec, err)
		case c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)):
			t.Errorf("%q: error %v, want one with %q", c.rec, err, c.bad)
		}
	}
}

// TestSPFWarnings: records receivers evaluate, but otherwise than their
// owner surely meant, are warnings (RFC 7208 §5.1, §5.5, §6, §6.1); a
// record that does not parse has its error only.
func TestSPFWarnings(t *testing.T) {
	cases := []struct {
		rec  string
		want []string // substrings, one per warning
	}{
		{"v=spf1 mx include:_spf.example.net -all", nil},
		{"v=spf1 ?all", nil}, // weak, but legitimate
		{"v=spf1 ~all exp=explain.example.com", nil},
		{"v=spf1 -all exp=explain.example.com moo=%{d}", nil}, // modifiers after all are fine
		{"v=spf1 redirect=_spf.example.com", nil},
		{"v=spf1", nil},
		// §6: an unknown modifier named as a mechanism is ignored.
		{"v=spf1 mx include=_spf.example.net -all", []string{"include=_spf.example.net is an unknown modifier, not the include mechanism: receivers ignore it (RFC 7208 §6); write include:_spf.example.net"}},
		{"v=spf1 ip4=192.0.2.0/24 A=mail.example.com -all", []string{"write ip4:192.0.2.0/24", "A=mail.example.com is an unknown modifier, not the a mechanism: receivers ignore it (RFC 7208 §6); write a:mail.example.com"}},
		{"v=spf1 ip6=2001:db8::1 exists= -all", []string{"write ip6:2001:db8::1", "write exists:DOMAIN"}},
		// §5.5: ptr SHOULD NOT be published.
		{"v=spf1 ptr -all", []string{"ptr: the ptr mechanism SHOULD NOT be published (RFC 7208 §5.5"}},
		{"v=spf1 ?ptr:example.com ~all", []string{"?ptr:example.com: the ptr mechanism SHOULD NOT be published"}},
		// §5.1: all always matches; + (written or not) is pass.
		{"v=spf1 +all", []string{"+all passes mail from every host on the Internet (RFC 7208 §5.1"}},
		{"v=spf1 mx ALL", []string{"ALL passes mail from every host on the Internet (RFC 7208 §5.1: all always matches; the + qualifier, written or not, is pass, §4.6.2): anyone can send as this domain; end the record with -all or ~all"}},
		// §5.1: mechanisms after all are never tested.
		{"v=spf1 -all ip4:192.0.2.1", []string{"ip4:192.0.2.1 after -all: receivers never test mechanisms after all (RFC 7208 §5.1); move them before -all"}},
		{"v=spf1 mx ~all a ptr ip4:192.0.2.1 include:x.example", []string{"a ptr ip4:192.0.2.1 and 1 more after ~all"}},
		{"v=spf1 -all ~all", []string{"~all after -all"}},
		// §6.1: redirect= next to all is ignored.
		{"v=spf1 redirect=_spf.example.com ~all", []string{"redirect=_spf.example.com is ignored: the record has an all mechanism (~all), and a redirect= next to one MUST be ignored (RFC 7208 §6.1); drop ~all or redirect=_spf.example.com"}},
		{"v=spf1 ptr +all a redirect=x.example include=y.example", []string{"ptr: the ptr mechanism", "+all passes", "include=y.example is an unknown modifier", "a after +all", "redirect=x.example is ignored"}},
		// §7.2: the p macro, "do not use"; %% is an escaped %, not a macro.
		{"v=spf1 exists:%{p}.allow.example.com -all", []string{"exists:%{p}.allow.example.com uses the p macro (%{p}): RFC 7208 §7.2 says \"do not use\""}},
		{"v=spf1 mx -all exp=%{P2}._exp.example.com", []string{"exp=%{P2}._exp.example.com uses the p macro"}},
		{"v=spf1 a:%%{p}.example.com exists:%{ir}.%{d} -all note=%{p}", nil},
		// Does not parse: its error only.
		{"v=spf1 ptr redirect:x.example -all", nil},
	}
	for _, c := range cases {
		got := SPFWarnings(c.rec)
		if len(got) != len(c.want) {
			t.Errorf("%q: warnings %q, want %d", c.rec, got, len(c.want))
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(got[i], w) {
				t.Errorf("%q: warning %q, want one with %q", c.rec, got[i], w)
			}
		}
	}
}

func TestSelectSPF(t *testing.T) {
	cases := []struct {
		recs []string
		n    int
	}{
		{[]string{"hello", "v=spf1 -all"}, 1},
		{[]string{"v=spf1 -all", "V=SPF1 mx -all"}, 2},
		{[]string{"v=spf10 -all", "v=spf1x"}, 0},
		{[]string{"v=spf1"}, 1},
	}
	for _, c := range cases {
		if _, n := SelectSPF(c.recs); n != c.n {
			t.Errorf("%q: %d SPF records, want %d", c.recs, n, c.n)
		}
	}
}

// Keys for the DKIM table, made with crypto/rsa and crypto/ecdsa: a
// 1024-bit RSA key as a SubjectPublicKeyInfo (RFC 6376 §3.6.1) and the
// same key in the bare PKCS #1 form verifiers also take; a 512-bit key;
// a P-256 key (not RSA).
const (
	rsa1024  = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDVp8z4YPynGWOkjxPSBWI+fjfFkwvNCXzqRmQpuzw0D97CXKyaMetKq8NXnmY5t/ztkYP2JaHewvFQzCqpJJ9yojyG8uap6hYdGV9dOhu5LZiUhS2Fi2iXkJHU+4SfzSA1nz5xTfuLNfrDHh+u1WbqKEXchuFiIJbKrG+8zhCU+wIDAQAB"
	rsaPKCS1 = "MIGJAoGBANWnzPhg/KcZY6SPE9IFYj5+N8WTC80JfOpGZCm7PDQP3sJcrJox60qrw1eeZjm3/O2Rg/Ylod7C8VDMKqkkn3KiPIby5qnqFh0ZX106G7ktmJSFLYWLaJeQkdT7hJ/NIDWfPnFN+4s1+sMeH67VZuooRdyG4WIglsqsb7zOEJT7AgMBAAE="
	rsa512   = "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMbJ7f2/MtI5UocYBrcLJmMf6e454V0FNf7LzD3TP2g1PCkS+JhbVHqiF+Kpzail75mWzcNoRFA5dOl2JyaaQKkCAwEAAQ=="
	ecP256   = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEkK1EKeXEc7m0n9qelVdPuG/sQqflNfutE5+LAgpWbi2zk5ljkY63EB1xaXemzClwyKgam/Wz/Hn1/U09jZgIBw=="
)

func TestParseDKIM(t *testing.T) {
	cases := []struct {
		rec     string
		revoked bool
		bad     string
	}{
		{"v=DKIM1; k=rsa; p=" + rsa1024, false, ""},
		{"v=DKIM1; k=rsa; p=" + rsaPKCS1, false, ""},
		// A key cut short (a split that lost a string), a short key, not RSA.
		{"v=DKIM1; k=rsa; p=" + rsa1024[:100], false, "not an RSA public key"},
		{"v=DKIM1; k=rsa; p=QUJD", false, "not an RSA public key"},
		{"v=DKIM1; p=" + rsa512, false, "512-bit"},
		{"v=DKIM1; k=rsa; p=" + ecP256, false, "not an RSA key"},
		{"v=DKIM1; p=", true, ""},
		{"k=rsa; p=" + rsa1024[:60] + " " + rsa1024[60:], false, ""},
		// RFC 8463 Appendix A's key.
		{"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=;", false, ""},
		{"v=DKIM1; k=ed25519; p=QUJD;", false, "32-octet"},
		// The same key as a SubjectPublicKeyInfo: not what RFC 8463 §4.2 publishes.
		{"v=DKIM1; k=ed25519; p=MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", false, "32-octet"},
		{"v=DKIM1; k=dsa; p=QUJD", false, "not a key type"},
		{"v=DKIM1; k=ed25519; p=", true, ""},
		{"v=DKIM1; h=sha256; p=" + rsa1024, false, ""},
		{"v=DKIM1; h=sha1 : sha256; p=" + rsa1024, false, ""},
		{"v=DKIM1; h=sha1; p=QUJD", false, "sha256"},
		{"v=DKIM1; s=email; t=y:s; p=" + rsa1024, false, ""},
		{"v=DKIM1; s=*; p=" + rsa1024, false, ""},
		{"v=DKIM1; s=mail; p=QUJD", false, "not for email"},
		{"v=DKIM1; n=unknown tags are fine; x=1; p=" + rsa1024, false, ""},
		{"v = DKIM1 ; p = " + rsa1024, false, ""},
		{"v=DKIM1; p=QU!D", false, "base64"},
		{"v=DKIM1; k=rsa", false, "no p="},
		{"k=rsa; v=DKIM1; p=QUJD", false, "first"},
		{"v=DKIM2; p=QUJD", false, "want DKIM1"},
		{"v=DKIM1; p=QUJD; p=QUJE", false, "more than once"},
		{"v=DKIM1; k=rsa; k=rsa; p=QUJD", false, "more than once"},
		{"v=DKIM1;; p=QUJD", false, "empty tag"},
		{"v=DKIM1; 1k=rsa; p=QUJD", false, "bad tag name"},
		{"v=DKIM1; p QUJD", false, "no '='"},
	}
	for _, c := range cases {
		k, err := ParseDKIM(c.rec)
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%q: %v", c.rec, err)
		case c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)):
			t.Errorf("%q: error %v, want one with %q", c.rec, err, c.bad)
		case err == nil && k.Revoked != c.revoked:
			t.Errorf("%q: revoked %v", c.rec, k.Revoked)
		}
	}
}

func TestSelectDMARC(t *testing.T) {
	cases := []struct {
		name string
		recs []string
		bad  string // "" = a policy; "none" = ErrNoDMARC
	}{
		{"plain", []string{"v=DMARC1; p=reject"}, ""},
		{"spaces around =", []string{"v = DMARC1; p = quarantine; pct=50"}, ""},
		{"with other TXT", []string{"hello", "v=DMARC1; p=none; rua=mailto:d@example.com"}, ""},
		{"rua without p", []string{"v=DMARC1; rua=mailto:d@example.com"}, ""},
		{"DMARC10 is not DMARC1", []string{"v=DMARC10; p=reject"}, "none"},
		{"lower-case version", []string{"v=dmarc1; p=reject"}, "none"},
		{"version not first", []string{"p=reject; v=DMARC1"}, "none"},
		{"no record", nil, "none"},
		{"two records", []string{"v=DMARC1; p=reject", "v=DMARC1; p=none"}, "2 DMARC records"},
		{"bad policy", []string{"v=DMARC1; p=rejected"}, "bad p="},
		{"no p, no rua", []string{"v=DMARC1; pct=100"}, "no p="},
		{"pct out of range", []string{"v=DMARC1; p=none; pct=101"}, "bad pct="},
		{"duplicate tag", []string{"v=DMARC1; p=none; p=reject"}, "more than once"},
		{"malformed tag", []string{"v=DMARC1; p=none; adkim"}, "no '='"},
		{"bad adkim", []string{"v=DMARC1; p=none; adkim=x"}, "bad adkim="},
		{"unknown tag ignored", []string{"v=DMARC1; p=none; xyz=1"}, ""},
		{"tag names and keywords in any case", []string{"V=DMARC1; P=Reject; SP=NONE; ADKIM=S; fo=D:1"}, ""},
		{"duplicate tag in other case", []string{"v=DMARC1; p=none; P=reject"}, "more than once"},
		// pct = 1*3DIGIT (RFC 7489 §6.4).
		{"pct with a sign", []string{"v=DMARC1; p=reject; pct=+50"}, "bad pct="},
		{"pct with four digits", []string{"v=DMARC1; p=reject; pct=0100"}, "bad pct="},
		{"pct 0", []string{"v=DMARC1; p=reject; pct=0"}, ""},
		// A report URI that is not one is ignored, the policy stands
		// (RFC 7489 §6.3, §6.6.3); without p= a valid rua= is needed.
		{"rua without a scheme, p valid", []string{"v=DMARC1; p=reject; rua=dmarc@example.com"}, ""},
		{"rua with a size", []string{"v=DMARC1; rua=mailto:d@example.com!10m, mailto:e@example.net"}, ""},
		{"only a bad rua, no p", []string{"v=DMARC1; rua=dmarc@example.com"}, "no valid rua="},
		{"empty mailto, no p", []string{"v=DMARC1; rua=mailto:"}, "no valid rua="},
		{"bad size, no p", []string{"v=DMARC1; rua=mailto:d@example.com!10x"}, "no valid rua="},
		{"ruf alone is no rua", []string{"v=DMARC1; ruf=mailto:d@example.com"}, "no p="},
		// rf=: afrf is the only format (RFC 7489 §6.3, §11); for another
		// receivers may ignore the record (§6.3), go-msgauth does.
		{"rf afrf", []string{"v=DMARC1; p=reject; rf=afrf"}, ""},
		{"rf in capitals, twice", []string{"v=DMARC1; p=reject; rf=AFRF : afrf"}, ""},
		{"rf iodef", []string{"v=DMARC1; p=reject; rf=iodef"}, "rf=iodef"},
		{"rf with an unknown format", []string{"v=DMARC1; p=reject; rf=afrf:xml"}, "rf=afrf:xml"},
		{"rf empty", []string{"v=DMARC1; p=reject; rf="}, "rf="},
		// p= later than second, np= not a policy: warnings, the record
		// stands (TestDMARCWarnings).
		{"p after rua", []string{"v=DMARC1; rua=mailto:d@example.com; p=reject"}, ""},
		{"np not a policy", []string{"v=DMARC1; p=reject; np=block"}, ""},
		// An empty tag (";;"): receivers skip it (RFC 7489 §6.3; OpenDMARC,
		// go-msgauth), a warning; in a DKIM key record it is an error.
		{"empty tag", []string{"v=DMARC1;; p=reject"}, ""},
		{"empty tags and no '='", []string{"v=DMARC1; p=reject;; adkim"}, "no '='"},
	}
	for _, c := range cases {
		_, err := SelectDMARC(c.recs)
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.bad == "none" && !errors.Is(err, ErrNoDMARC):
			t.Errorf("%s: %v, want ErrNoDMARC", c.name, err)
		case c.bad != "" && c.bad != "none" && (err == nil || !strings.Contains(err.Error(), c.bad)):
			t.Errorf("%s: error %v, want one with %q", c.name, err, c.bad)
		}
	}
}

// TestDMARCBadPolicy: a p= or sp= that is not a policy drops the whole
// record's policy (RFC 7489 §6.6.3 step 6, RFC 9989 §4.10.1): with a
// valid rua= receivers act as if it were p=none (ErrAsNone, the error says
// so), without one they apply none. A bad np= is a warning: RFC 7489
// receivers do not read it; RFC 9989 ones treat it as a bad sp=.
func TestDMARCBadPolicy(t *testing.T) {
	cases := []struct {
		rec    string
		bad    []string // substrings of the error
		asNone bool
	}{
		{"v=DMARC1; p=reject; sp=block; rua=mailto:d@example.com", []string{"bad sp=block (a policy is none, quarantine or reject): receivers drop the whole record's policy, not the tag alone: with its valid rua=, receivers act as if the record were p=none, for the domain and its subdomains alike", "(RFC 7489 §6.6.3, RFC 9989 §4.10.1); OpenDMARC and go-msgauth apply no DMARC policy at all"}, true},
		{"v=DMARC1; sp=block; p=reject; rua=mailto:d@example.com", []string{"bad sp=block", "receivers act as if the record were p=none"}, true}, // rua= after the bad tag
		{"v=DMARC1; p=rejected; rua=mailto:d@example.com", []string{"bad p=rejected", "receivers act as if the record were p=none"}, true},
		{"v=DMARC1; p=reject; sp=block", []string{"bad sp=block (a policy is none, quarantine or reject), and no valid rua= (RFC 7489 §6.6.3, RFC 9989 §4.10.1)"}, false},
		{"v=DMARC1; p=reject; sp=block; rua=dmarc@example.com", []string{"bad sp=block", "and no valid rua="}, false},
	}
	for _, c := range cases {
		_, err := ParseDMARC(c.rec)
		if err == nil {
			t.Errorf("%q: parsed", c.rec)
			continue
		}
		for _, b := range c.bad {
			if !strings.Contains(err.Error(), b) {
				t.Errorf("%q: error %q, want one with %q", c.rec, err, b)
			}
		}
		if errors.Is(err, ErrAsNone) != c.asNone {
			t.Errorf("%q: ErrAsNone %v, want %v", c.rec, errors.Is(err, ErrAsNone), c.asNone)
		}
	}
	for _, c := range []struct{ rec, want string }{
		{"v=DMARC1; p=reject; np=block; rua=mailto:d@example.com", "np=block is not a policy (none, quarantine, reject): receivers of RFC 9989 then act as if the record were p=none (it has a valid rua=) (§4.10.1); those of RFC 7489, such as OpenDMARC and go-msgauth, do not read np= and apply the record"},
		{"v=DMARC1; p=reject; np=block", "receivers of RFC 9989 then apply no DMARC policy (the record has no valid rua=) (§4.10.1)"},
	} {
		d, err := ParseDMARC(c.rec)
		if err != nil {
			t.Errorf("%q: %v", c.rec, err)
		} else if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0], c.want) {
			t.Errorf("%q: warnings %q, want one with %q", c.rec, d.Warnings, c.want)
		}
	}
}

// TestDMARCCase: tag names and keyword values are case-insensitive (RFC
// 7489 §6.4's ABNF); the policy read is the folded keyword.
func TestDMARCCase(t *testing.T) {
	cases := []struct{ rec, p, sp string }{
		{"v=DMARC1; p=Reject", "reject", ""},
		{"V=DMARC1; P=QUARANTINE; Sp=None", "quarantine", "none"},
		{"v=DMARC1; RUA=mailto:d@example.com", "none", ""},
	}
	for _, c := range cases {
		d, err := ParseDMARC(c.rec)
		if err != nil {
			t.Errorf("%q: %v", c.rec, err)
			continue
		}
		if d.Policy != c.p || d.Subdomain != c.sp {
			t.Errorf("%q: p=%q sp=%q, want %q %q", c.rec, d.Policy, d.Subdomain, c.p, c.sp)
		}
	}
}

// TestDMARCWarnings: report URIs that are not URIs are warnings, not
// errors, when p= is valid (RFC 7489 §6.3: receivers ignore them).
func TestDMARCWarnings(t *testing.T) {
	cases := []struct {
		rec  string
		want []string // substrings, one per warning
	}{
		{"v=DMARC1; p=reject; rua=mailto:d@example.com; ruf=mailto:f@example.com!1k", nil},
		{"v=DMARC1; p=reject; rua=dmarc@example.com", []string{`rua= "dmarc@example.com"`}},
		{"v=DMARC1; p=quarantine; rua=mailto:d@example.com, d2@example.com; ruf=:x", []string{`rua= "d2@example.com"`, `ruf= ":x"`}},
		{"v=DMARC1; p=none; rua=mailto:d@example.com!5q", []string{"!5q"}},
		// RFC 7489 §6.3: v and p MUST come in that order (§6.4's ABNF:
		// p right after v); receivers such as OpenDMARC read p anywhere.
		{"v=DMARC1; rua=mailto:d@example.com; p=reject", []string{"p= is tag 3, not the second right after v=: RFC 7489 §6.3"}},
		{"v=DMARC1;pct=50;P=quarantine", []string{"p= is tag 3"}},
		{"v=DMARC1; rua=d@example.com, mailto:e@example.com; p=none", []string{`rua= "d@example.com"`, "p= is tag 3"}},
		// No p=, a valid rua=: receivers act as p=none (§6.6.3).
		{"v=DMARC1; rua=mailto:d@example.com", []string{"no p= tag: receivers act as if p=none"}},
		// np= (RFC 9091 §4.1): a bad value is ignored by the receivers
		// that read it.
		{"v=DMARC1; p=reject; np=block", []string{"np=block is not a policy"}},
		{"v=DMARC1; p=reject; sp=quarantine; NP=Reject", nil},
		{"v=DMARC1;; p=reject", []string{`empty tag at position 2 (";;"): receivers skip it`}},
		{"v=DMARC1; p=none;; rua=mailto:d@example.com; ;", []string{"empty tag at position 3", "empty tag at position 5"}},
		{"v=DMARC1; p=none;", nil},
	}
	for _, c := range cases {
		d, err := ParseDMARC(c.rec)
		if err != nil {
			t.Errorf("%q: %v", c.rec, err)
			continue
		}
		if len(d.Warnings) != len(c.want) {
			t.Errorf("%q: warnings %q, want %d", c.rec, d.Warnings, len(c.want))
			continue
		}
		for i, w := range c.want {
			if !strings.Contains(d.Warnings[i], w) {
				t.Errorf("%q: warning %q, want one with %q", c.rec, d.Warnings[i], w)
			}
		}
	}
}

func TestIsDKIMName(t *testing.T) {
	for _, c := range []struct {
		name string
		want bool
	}{
		{"s1._domainkey.example.test.", true},
		{"mail.2026._domainkey.example.test.", true}, // a selector of two labels (RFC 6376 §3.1)
		{"_domainkey.example.test.", false},          // the old DomainKeys policy record
		{"_adsp._domainkey.example.test.", false},    // RFC 5617 ADSP
		{"s1._domainkey.sub.example.test.", true},
		{"example.test.", false},
	} {
		if got := IsDKIMName(c.name); got != c.want {
			t.Errorf("IsDKIMName(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestErrorsQuoteRecordText: what a message quotes of a record (a zone
// file's under review, or a provider's answer) is one printable line of
// bounded length: check prints each problem as FILE:LINE: message, and a
// CR or LF in a tag value (a zone file's \013\010) would start a line of
// its own, which the Actions runner reads as a workflow command
// (::stop-commands::, ::add-mask::, ...).
func TestErrorsQuoteRecordText(t *testing.T) {
	inject := "\r\n::stop-commands::pwned\n::error::x"
	long := strings.Repeat("x", 5000)
	var msgs []string
	for _, rec := range []string{
		"v=DKIM" + inject + "; p=QUJD",
		"v=DKIM1; k=rsa" + inject + "; p=QUJD",
		"v=DKIM1; h=sha1" + inject + "; p=QUJD",
		"v=DKIM1; s=mail" + inject + "; p=QUJD",
		"v=" + long + "; p=QUJD",
		"v=DKIM1; " + long + "; p=QUJD",
		"v=DKIM1; " + long + "=1; p=QUJD",
	} {
		if _, err := ParseDKIM(rec); err != nil {
			msgs = append(msgs, err.Error())
		} else {
			t.Errorf("ParseDKIM(%.40q) parsed", rec)
		}
	}
	for _, rec := range []string{
		"v=DMARC1; p=reject" + inject,
		"v=DMARC1; p=reject; adkim=" + long,
		"v=DMARC1; p=reject; fo=1" + inject,
	} {
		if _, err := ParseDMARC(rec); err != nil {
			msgs = append(msgs, err.Error())
		} else {
			t.Errorf("ParseDMARC(%.40q) parsed", rec)
		}
	}
	if d, err := ParseDMARC("v=DMARC1; p=none; rua=" + long + ",x" + inject); err != nil {
		t.Errorf("ParseDMARC with bad report URIs: %v", err)
	} else {
		msgs = append(msgs, d.Warnings...)
	}
	for _, rec := range []string{
		"v=spf1 " + long + " -all",
		"v=spf1 include:" + long + " -all",
		"v=spf1 ip4:" + long + " -all",
		"v=spf1 a/" + long + " -all",
		"v=spf1 exists:%{" + long + "} -all",
	} {
		if _, err := ParseSPF(rec); err != nil {
			msgs = append(msgs, err.Error())
		} else {
			t.Errorf("ParseSPF(%.40q) parsed", rec)
		}
	}
	for _, m := range msgs {
		if strings.ContainsAny(m, "\r\n") || len(m) > 500 {
			t.Errorf("message of %d bytes is not one bounded line: %.300q", len(m), m)
		}
	}
}

// TestJudgeAllocs: Find reads a valid SPF record's text without
// allocating, whether or not it has warnings (their words are built only
// when SPFOwner.Warnings asks).
func TestJudgeAllocs(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n@ 300 SOA ns1 hostmaster 1 3600 600 86400 300\n@ 300 NS ns1\n"), "t.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	w := &Sets{z: z}
	targets := map[string]bool{}
	for _, rec := range []string{
		"v=spf1 ip4:192.0.2.0/24 include:_spf.example.net -all",
		"v=spf1 ptr +all ip4:192.0.2.1 redirect=x.example include=y.example",
	} {
		if n := testing.AllocsPerRun(100, func() { w.judge(rec, targets) }); n != 0 {
			t.Errorf("%q: %v allocations, want 0", rec, n)
		}
	}
}
