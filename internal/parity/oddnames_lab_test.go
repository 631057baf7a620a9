package parity_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

// TestOddOwnersParityLab: BIND and Knot serving git's zone of odd owner
// names (zonetest.OddOwners: a dot, a space, '@', '(', ';', '"', octets
// outside ASCII inside a label, a label of 63 octets, names of 255
// octets, one below a 253-octet empty non-terminal, mixed case, a '*'
// that is not a wildcard, ...) are at parity, both ways round: every
// question about them is asked and answered alike. A name a side holds
// that git lacks, spelled with an escape or differing from git's only
// where a label's dot is escaped, is found (with AXFR) under its own
// name, and git's is missing there.
func TestOddOwnersParityLab(t *testing.T) {
	git := zonetest.OddZone(origin)
	z := loadText(t, git)
	cases := []struct {
		name     string
		old, new string
		want     []string // error findings: "name TYPE"
	}{
		{"bind-knot", "bind", "knot", nil},
		{"knot-bind", "knot", "bind", nil},
		{"escaped dot by hand on old", "bind", "knot", []string{`x\.y.parity.test. TXT`}},
		{"the dot of a\\.b unescaped on new", "knot", "bind", []string{`a\.b.parity.test. TXT`, "a.b.parity.test. TXT"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			oldText, newText := git, git
			switch c.name {
			case "escaped dot by hand on old":
				oldText = zonetest.OddZone(origin, `x\.y IN TXT "by hand"`)
			case "the dot of a\\.b unescaped on new":
				newText = strings.Replace(git, `a\.b IN TXT`, `a.b IN TXT`, 1)
			}
			old, nw := serve(t, c.old, oldText), serve(t, c.new, newText)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			rep, err := parity.Run(ctx, z, []parity.Target{{Addr: old}}, []parity.Target{{Addr: nw}},
				parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8, AXFR: true})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			got := map[string]bool{}
			for _, f := range rep.Findings {
				switch f.Severity {
				case parity.SevError:
					got[zone.CanonicalName(f.Name)+" "+f.Type] = true
				case parity.SevWarning:
					t.Errorf("warning: %s %s %s: %s", f.Kind, f.Name, f.Type, f.Detail)
				}
			}
			for _, w := range c.want {
				if !got[w] {
					t.Errorf("no error finding at %s", w)
				}
				delete(got, w)
			}
			for g := range got {
				t.Errorf("error finding at %s", g)
			}
			if t.Failed() {
				dump(t, rep)
			}
		})
	}
}
