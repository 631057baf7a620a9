package route53

import (
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

func TestNames(t *testing.T) {
	for _, tc := range []struct{ zone, api string }{
		{"example.com.", "example.com."},
		{"*.wild.example.com.", "*.wild.example.com."},
		{"_dmarc.example.com.", "_dmarc.example.com."},
		{`a\032b.example.com.`, `a\040b.example.com.`}, // a space: decimal 32, octal 40
		{`a\.b.example.com.`, `a\056b.example.com.`},   // a dot inside a label
		{`x\042.example.com.`, `x\052.example.com.`},   // a '*' inside a label
		// Developer Guide, "DNS domain name format": characters other
		// than a-z, 0-9, '-' and '_' as \three-digit octal code, 000 to
		// 040 and 177 to 377 required; Route 53 lists all of them so.
		{`at\@sign.example.com.`, `at\100sign.example.com.`},
		{`paren\(.example.com.`, `paren\050.example.com.`},
		{`semi\;colon.example.com.`, `semi\073colon.example.com.`},
		{`quote\".example.com.`, `quote\042.example.com.`},
		{`back\\slash.example.com.`, `back\134slash.example.com.`},
		{`hi\128\255.example.com.`, `hi\200\377.example.com.`}, // octets 128 and 255: octal 200 and 377
		{"a.*.example.com.", "a.*.example.com."},               // a literal '*' label, not the leftmost
		{"a.b.example.com.", "a.b.example.com."},               // two labels: not a\.b
	} {
		if got := apiName(tc.zone); got != tc.api {
			t.Errorf("apiName(%s) = %s, want %s", tc.zone, got, tc.api)
		}
		want := zone.CanonicalName(tc.zone) // the zone package's form of the name
		if got := fromAPIName(tc.api); got != want {
			t.Errorf("fromAPIName(%s) = %s, want %s", tc.api, got, want)
		}
	}
	// Route 53 lists a wildcard as \052.
	if got := fromAPIName(`\052.wild.example.com.`); got != "*.wild.example.com." {
		t.Errorf("wildcard: %s", got)
	}
	// Listed: '*' further right as \052 too, one label, not a wildcard.
	if got := fromAPIName(`a.\052.example.com.`); got != "a.*.example.com." {
		t.Errorf("literal star: %s", got)
	}
	if got := fromAPIName(`WWW.Example.COM`); got != "www.example.com." {
		t.Errorf("case and final dot: %s", got)
	}
}

// TestValueEscapes: a zone file's decimal \DDD in quoted strings of TXT,
// SPF and NAPTR values goes to Route 53 as octal \ooo (Developer Guide,
// "Supported DNS record types": "exämple.com" is "ex\344mple.com") and
// comes back decimal; other types' values pass as they are.
func TestValueEscapes(t *testing.T) {
	for _, tc := range []struct {
		t         uint16
		zone, api string
	}{
		{dns.TypeTXT, `"ex\228mple.com"`, `"ex\344mple.com"`},
		{dns.TypeTXT, `"caf\195\169" "two words"`, `"caf\303\251" "two words"`},
		{dns.TypeTXT, `"tab\009nul\000del\127 \"q\" \\"`, `"tab\011nul\000del\177 \"q\" \\"`},
		{dns.TypeSPF, `"v=spf1 \255"`, `"v=spf1 \377"`},
		{dns.TypeNAPTR, `100 10 "u" "E2U+sip" "!^\\+?(.*)$!sip:\\1@caf\195\169!" .`, `100 10 "u" "E2U+sip" "!^\\+?(.*)$!sip:\\1@caf\303\251!" .`},
		{dns.TypeCAA, `0 issue "ca.example.net; account=\"a\\b\""`, `0 issue "ca.example.net; account=\"a\\b\""`},
	} {
		if got := toAPIValue(tc.t, tc.zone); got != tc.api {
			t.Errorf("toAPIValue(%s) = %s, want %s", tc.zone, got, tc.api)
		}
		if got := fromAPIValue(tc.t, tc.api); got != tc.zone {
			t.Errorf("fromAPIValue(%s) = %s, want %s", tc.api, got, tc.zone)
		}
	}
	// Route 53 lists what it was given raw in its escaped form; a raw
	// octet read back still becomes a zone file's escape.
	if got := fromAPIValue(dns.TypeTXT, "\"raw \xe9\""); got != `"raw \233"` {
		t.Errorf("raw octet: %s", got)
	}
}
