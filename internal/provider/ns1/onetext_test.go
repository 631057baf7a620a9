package ns1_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/ns1/ns1test"
	"github.com/dnsparity/dnsparity/internal/providertest"
)

// TestOneTextEscapesConverge: OneText judges "split at 255" in octets,
// not in presentation characters, where an escape (\" \\ \DDD) is 2 or 4
// characters for one octet. A first string of 255 characters that is 254
// octets used to pass the check; NS1 keeps one text and serves it split
// at 255 octets, so the read-back never equalled git (the second plan was
// not empty, every push rewrote it): it is refused now. A first string of
// 255 octets written with escapes used to be refused: it is pushed now,
// and a second plan is empty.
func TestOneTextEscapesConverge(t *testing.T) {
	for _, tc := range []struct {
		name, first string
		refused     bool
	}{
		{"254 octets", strings.Repeat("a", 253) + `\"`, true},
		{"quote", strings.Repeat("a", 254) + `\"`, false},
		{"backslash", strings.Repeat("a", 254) + `\\`, false},
		{"decimal", strings.Repeat("a", 253) + `\195\169`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ns1test.New(apiKey)
			defer s.Close()
			s.PeriodUnit = 10 * time.Millisecond
			s.AddZone("example.com")
			p := newProvider(t, s, apiKey)
			text := zoneFile + "dkim TXT \"" + tc.first + "\" \"bcd\"\n"
			d := providertest.Desired(t, "example.com.", text)
			cur, err := p.Records(context.Background(), d.Origin)
			if err != nil {
				t.Fatal(err)
			}
			pl := plan.Compute(d, cur, plan.Options{Caps: p.Capabilities()})
			if (len(pl.Unsupported) > 0) != tc.refused {
				t.Fatalf("refused: %v, want refused %v", pl.Unsupported, tc.refused)
			}
			if tc.refused {
				return
			}
			providertest.Push(t, p, d)
			pl2 := providertest.Plan(t, p, d)
			if len(pl2.Changes) > 0 {
				t.Errorf("second plan after apply is not empty: %s", provider.ChangeNames(pl2.Changes))
				for _, c := range pl2.Changes {
					t.Logf("%s", c)
				}
			}
		})
	}
}
