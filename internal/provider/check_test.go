package provider

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

func rrset(t *testing.T, lines ...string) *zone.RRSet {
	t.Helper()
	var rrs []dns.RR
	for _, l := range lines {
		rr, err := dns.NewRR(l)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		rrs = append(rrs, rr)
	}
	s, err := zone.NewRRSet(rrs)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCAAEmpty: an empty CAA value is refused with what to write
// instead: ";" (flag kept) for the issue tags only, where it says the
// same; for another tag (an iodef with no URL) no such advice.
func TestCAAEmpty(t *testing.T) {
	check := EachRR(CAAEmpty("Vendor", "why"))
	for _, c := range []struct{ rr, want, not string }{
		{`x. 300 IN CAA 0 issue ""`, `write 0 issue ";", which says the same`, ""},
		{`x. 300 IN CAA 128 issuewild ""`, `write 128 issuewild ";"`, ""},
		{`x. 300 IN CAA 0 issuemail ""`, `write 0 issuemail ";"`, ""},
		{`x. 300 IN CAA 0 iodef ""`, "remove the record or give it its value", `";"`},
		{`x. 300 IN CAA 0 tbs ""`, "remove the record or give it its value", `";"`},
		{`x. 300 IN CAA 0 issue ";"`, "", ""},
	} {
		got := check(rrset(t, c.rr))
		if (got == "") != (c.want == "") || !strings.Contains(got, c.want) || c.not != "" && strings.Contains(got, c.not) {
			t.Errorf("%s: %q, want %q", c.rr, got, c.want)
		}
	}
}

// TestChecks: each shared check refuses what it is about, with the
// vendor's name and values in the reason, and lets the rest pass.
func TestChecks(t *testing.T) {
	check := EachRR(
		CAATags("Vendor", "issue", "iodef"),
		SVCBKeys("Vendor", "alpn", "port"),
		TXTLength("Vendor", 20),
		OneText("Vendor"),
		RootTarget("Vendor", "its API says so"),
	)
	long := strings.Repeat("a", 255)
	for _, c := range []struct {
		rrs  []string
		want string // a part of the reason; "" holds
	}{
		{[]string{`x. 300 IN CAA 0 issue "ca.example"`, `x. 300 IN CAA 128 ISSUE "ca.example"`}, ""},
		{[]string{`x. 300 IN CAA 0 issuewild "ca.example"`}, `CAA tag "issuewild" is not one Vendor accepts (issue, iodef)`},
		{[]string{`x. 300 IN CAA 0 issue "a"`, `x. 300 IN CAA 1 issue "b"`}, "CAA flags 1: Vendor keeps only 0 or 128"},
		{[]string{`x. 300 IN HTTPS 1 . alpn="h2" port="443"`}, ""},
		{[]string{`x. 300 IN SVCB 1 . ipv4hint="192.0.2.1"`}, "SVCB parameter ipv4hint is not one Vendor accepts"},
		{[]string{`x. 300 IN TXT "short"`}, ""},
		{[]string{`x. 300 IN SPF "twenty-one characters"`}, "a TXT value of 23 characters; Vendor takes at most 20"},
		{[]string{`x. 300 IN TXT "a" "b"`}, "Vendor keeps a TXT record as one text"},
		{[]string{`x. 300 IN A 192.0.2.1`}, ""},
		{[]string{`x. 300 IN MX 0 .`}, `MX with the root "." as its target: Vendor does not take one (its API says so)`},
		{[]string{`x. 300 IN SRV 0 0 0 .`}, `SRV with the root "."`},
		{[]string{`x. 300 IN CNAME .`}, `CNAME with the root "."`},
		{[]string{`x. 300 IN NS .`}, `NS with the root "."`},
		{[]string{`x. 300 IN PTR .`}, `PTR with the root "."`},
		{[]string{`x. 300 IN MX 10 mail.example.`, `x. 300 IN MX 20 .`}, `MX with the root "."`},
		{[]string{`x. 300 IN MX 10 mail.example.`}, ""},
		{[]string{`x. 300 IN SRV 0 0 443 svc.example.`}, ""},
		{[]string{`x. 300 IN TXT "."`}, ""},
	} {
		s := rrset(t, c.rrs...)
		got := check(s)
		if (got == "") != (c.want == "") || !strings.Contains(got, c.want) {
			t.Errorf("%v: %q, want %q", c.rrs, got, c.want)
		}
	}
	// Strings split at 255 are what a one-text API serves: they pass
	// (the length check aside).
	if got := EachRR(OneText("Vendor"))(rrset(t, `x. 300 IN TXT "`+long+`" "b"`)); got != "" {
		t.Errorf("a split at 255 refused: %s", got)
	}
	names := PlainNames("Vendor", "/")
	for name, ok := range map[string]bool{"www.example.com.": true, `a\032b.example.com.`: false, "a/b.example.com.": false} {
		if got := names(name); (got == "") != ok {
			t.Errorf("%s: %q", name, got)
		}
	}
	if got := PlainNames("Vendor", "")("a/b.example.com."); got != "" {
		t.Errorf("'/' refused without being named: %s", got)
	}
}

// TestUTF8TextForms: what UTF8Text refuses follows how the API takes a
// TXT's strings: each as text (each must be UTF-8; a text split inside
// a character is named so), as one text (the text must be), or as RFC
// 1035 presentation with \DDD escapes (any octets); a CAA value, which
// goes as a JSON string whatever the form, must be UTF-8.
func TestUTF8TextForms(t *testing.T) {
	split := `x. 300 IN TXT "` + strings.Repeat("u", 254) + `\195" "\169t"`
	for _, tc := range []struct {
		rr   string
		form TextForm
		want string // "" accepted, else part of the reason
	}{
		{split, TXTStrings, "split inside a UTF-8 character"},
		{split, TXTOneText, ""},
		{split, TXTEscaped, ""},
		{`x. 300 IN TXT "\255\254"`, TXTStrings, "not UTF-8"},
		{`x. 300 IN TXT "\255\254"`, TXTOneText, "not UTF-8"},
		{`x. 300 IN TXT "\255\254"`, TXTEscaped, ""},
		{`x. 300 IN TXT "caf\195\169"`, TXTStrings, ""},
		{`x. 300 IN CAA 0 issue "\255"`, TXTEscaped, "not UTF-8"},
	} {
		rr, err := dns.NewRR(tc.rr)
		if err != nil {
			t.Fatal(err)
		}
		got := UTF8Text("Vendor", "why", tc.form)(rr)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%.40s… form %d: %q, want %q", tc.rr, tc.form, got, tc.want)
		}
	}
}
