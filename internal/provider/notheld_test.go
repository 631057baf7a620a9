package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// lister is a provider that holds no zone asked of it and lists names.
type lister struct {
	Provider
	names []string
	err   error
}

func (l lister) ZoneNames(context.Context) ([]string, error) { return l.names, l.err }

// notLister is a provider that cannot list its zones (rfc2136).
type notLister struct{ Provider }

// TestNotHeld: a zone the provider lacks is said so, naming the zone and
// the provider; where the provider lists its zones, with the zone one
// edit away ("did you mean"), else the zones it holds; the provider's own
// error follows, still wrapped. On the code before, import printed only
// the provider's error ("provider old: ns1: zone exmaple.com. (page 1):
// GET zones/exmaple.com: zone not found at the provider (HTTP 404: ...)").
func TestNotHeld(t *testing.T) {
	raw := fmt.Errorf("cloudflare: zone exmaple.com.: %w (no zone of that name for this token)", ErrZoneNotFound)
	many := []string{"a.example.", "b.example.", "c.example.", "d.example.", "e.example.", "f.example.", "bad name.example.", "\x1b[31m.example."}
	for _, tc := range []struct {
		name string
		p    Provider
		err  error
		want string
	}{
		{"did you mean", lister{names: []string{"example.org.", "example.com."}}, raw,
			"zone exmaple.com. is not at provider old (cloudflare): did you mean example.com.? (cloudflare: zone exmaple.com.: zone not found at the provider (no zone of that name for this token))"},
		{"the zones it holds", lister{names: []string{"example.org."}}, raw,
			"zone exmaple.com. is not at provider old (cloudflare), which holds 1 zone: example.org. (cloudflare: zone exmaple.com.:"},
		{"many, odd names not shown", lister{names: many}, raw,
			"zone exmaple.com. is not at provider old (cloudflare), which holds 6 zones: a.example. b.example. c.example. d.example. e.example., and 1 more ("},
		{"none", lister{}, raw, "zone exmaple.com. is not at provider old (cloudflare), which holds no zone for these credentials ("},
		{"listing failed", lister{err: errors.New("HTTP 500")}, raw, "zone exmaple.com. is not at provider old (cloudflare): cloudflare: zone exmaple.com.: zone not found"},
		{"cannot list", notLister{}, raw, "zone exmaple.com. is not at provider old (cloudflare): cloudflare: zone exmaple.com.: zone not found"},
		{"another error", lister{names: []string{"example.com."}}, fmt.Errorf("cloudflare: %w", ErrAuth), "provider old: cloudflare: credentials refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := NotHeld(context.Background(), tc.p, "old", "cloudflare", "EXMAPLE.com", tc.err)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("got  %v\nwant %s...", err, tc.want)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("%v does not wrap the provider's error", err)
			}
		})
	}
}
