package ns1_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestNAPTRSpacedFields: NS1's zone listing gives each answer as its
// rdata fields joined by single spaces (short_answers; ns1test does the
// same, and octodns-ns1 reads a NAPTR's back with answer.split(' ', 5):
// octodns_ns1/__init__.py, _data_for_NAPTR). A regexp is a
// character-string and may hold spaces (RFC 3403 §4.1); split into six
// at the first five spaces, the answer was read with its regexp cut at
// the space and the rest taken for the replacement: every plan replaced
// the record again and import wrote other data. The replacement is a
// domain name, which never holds a raw space, so the regexp is what lies
// between the service and the last space. Flags and service are
// alphanumeric in RFC 3403 (§4.1, "1*32 ALPHANUM" and the flags'
// [A-Z0-9]), but a zone file may give them spaces, which no reading of
// the joined answer can tell apart: plan refuses such a NAPTR.
func TestNAPTRSpacedFields(t *testing.T) {
	for _, tc := range []struct {
		name, naptr string
		refused     bool
	}{
		{"regexp with a space", `10 100 "u" "E2U+sip" "!^.*$!sip:a b@example.com!" .`, false},
		{"regexp with spaces and a replacement", `10 100 "u" "E2U+sip" "!^(.*) (.*)$!sip:\\1@\\2!" sip.example.net.`, false},
		{"empty regexp", `10 100 "S" "SIP+D2U" "" _sip._udp.example.com.`, false},
		{"empty flags and service", `10 100 "" "" "!^.*$!x!" .`, false},
		{"service with a space", `10 100 "u" "E2U sip" "!^.*$!x!" .`, true},
		{"flags with a space", `10 100 "a b" "E2U+sip" "!^.*$!x!" .`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ns1test.New(apiKey)
			defer s.Close()
			s.PeriodUnit = 10 * time.Millisecond
			s.AddZone("example.com")
			p := newProvider(t, s, apiKey)
			d := providertest.Desired(t, "example.com.", zoneFile+"enum NAPTR "+tc.naptr+"\n")
			cur, err := p.Records(context.Background(), d.Origin)
			if err != nil {
				t.Fatal(err)
			}
			pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
			if refused := len(pl.Unsupported) > 0; refused != tc.refused {
				t.Fatalf("refused at plan time: %v, want refused %v", pl.Unsupported, tc.refused)
			}
			if tc.refused {
				if !strings.Contains(pl.Unsupported[0].Reason, "joined by spaces") {
					t.Errorf("refusal says %q, want why (NS1 lists an answer's fields joined by spaces)", pl.Unsupported[0].Reason)
				}
				return
			}
			providertest.Push(t, p, d)
			got, err := p.Records(context.Background(), d.Origin)
			if err != nil {
				t.Fatal(err)
			}
			want := d.Get("enum.example.com.", dns.TypeNAPTR)
			if g := got.Get("enum.example.com.", dns.TypeNAPTR); g == nil || !g.SameData(want) {
				var have []string
				if g != nil {
					have = g.Strings()
				}
				t.Errorf("read back %q, git has %q", have, want.Strings())
			}
			if pl := providertest.Plan(t, p, d); !pl.Empty() {
				t.Errorf("second plan not empty (a perpetual diff): %s", provider.ChangeNames(pl.Changes))
			}
		})
	}
}
