package dnsmadeeasy_test

import (
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider/dnsmadeeasy/dmetest"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestListedDDDReplaced: a TXT value DNS Made Easy lists with a \DDD
// escape in it is text it kept as the earlier client sent it ("café" went
// as "caf\195\169"; txtValue never sends one now). Read as the escape it
// matched git, and the record was never sent again in the form that holds
// what git means: it is read as the four characters, so plan replaces it.
// An escaped backslash before digits is a backslash the zone holds.
func TestListedDDDReplaced(t *testing.T) {
	const head = "$ORIGIN example.com.\n@ 300 SOA ns1 h 1 2 3 4 5\n@ 300 NS ns1.dnsmadeeasy.com.\n"
	for _, tc := range []struct {
		name, listed, git string
		replaced          bool
	}{
		{"escape kept as text", `"caf\195\169"`, `"café"`, true},
		{"text as sent now", `"café"`, `"café"`, false},
		{"escaped backslash before digits", `"a\\195"`, `"a\\195"`, false},
		{"escape after an escaped backslash", `"a\\\195"`, `"a\\\\195"`, false},
		{"quote escaped", `"a\"b"`, `"a\"b"`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			id := s.AddZone("example.com")
			s.Seed(id, dmetest.Record{Name: "note", Type: "TXT", Value: tc.listed, TTL: 300})
			p := newProvider(t, s, apiKey, secretKey)
			d := providertest.Desired(t, "example.com.", head+"note 300 TXT "+tc.git+"\n")
			pl := providertest.PlanOf(t, p, d)
			touched := false
			for _, c := range pl.Changes {
				if c.Name == "note.example.com." && c.Type == dns.TypeTXT {
					touched = true
				}
			}
			if touched != tc.replaced {
				t.Errorf("listed %s, git %s: TXT changed %v, want %v: %v", tc.listed, tc.git, touched, tc.replaced, pl.Changes)
			}
		})
	}
}
