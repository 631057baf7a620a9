package ns1

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// TestNextLink: the next page of a Link header, an absolute URI or path
// as ns1-go reads it, a relative reference resolved against the page's
// URL (RFC 3986, section 5), rel="next" among other links and relation
// types; no rel="next" is the last page.
func TestNextLink(t *testing.T) {
	p, err := New(&config.Provider{Type: "ns1", Settings: &Settings{APISettings: provider.APISettings{APIKey: "k"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ link, path, want string }{
		{`<https://api.nsone.net/v1/zones/example.com?after=b&limit=5>; rel="next"`, "zones/example.com?limit=5", "https://api.nsone.net/v1/zones/example.com?after=b&limit=5"},
		{`<http://api.nsone.net/v1/zones?after=z>; rel="next"`, "zones", "https://api.nsone.net/v1/zones?after=z"},
		{`<example.com?after=b&limit=5>; rel="next"`, "zones/example.com?limit=5", "https://api.nsone.net/v1/zones/example.com?after=b&limit=5"},
		{`<?after=b>; rel=next`, "zones/example.com", "https://api.nsone.net/v1/zones/example.com?after=b"},
		{`<zones?after=a>; rel="prev", <zones?after=z>; rel="last next"`, "zones", "https://api.nsone.net/v1/zones?after=z"},
		{`<zones?after=a>; rel="prev"`, "zones", ""},
		{``, "zones", ""},
	} {
		if got, err := p.next(c.link, c.path); err != nil || got != c.want {
			t.Errorf("next of %q from %s = %q, %v; want %q", c.link, c.path, got, err, c.want)
		}
	}
}
