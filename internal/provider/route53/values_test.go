package route53

import (
	"testing"

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
	if got := fromAPIName(`WWW.Example.COM`); got != "www.example.com." {
		t.Errorf("case and final dot: %s", got)
	}
}
