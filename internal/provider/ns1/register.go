package ns1

import (
	"net/http"

	"gopkg.in/ns1/ns1-go.v2/rest"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

func init() {
	provider.Register[Settings]("ns1", func(cfg *config.Provider) (*Provider, error) { return New(cfg, nil) })
}

// DefaultURL is NS1's API endpoint.
const DefaultURL = "https://api.nsone.net/v1"

// Settings are ns1's own keys under providers.NAME: the API (url,
// api_key_env).
type Settings struct {
	provider.APISettings `yaml:",inline"`
}

// New makes a provider; hc nil means a default HTTP client.
func New(cfg *config.Provider, hc *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	base, u, err := st.Endpoint("ns1", DefaultURL, "API key")
	if err != nil {
		return nil, err
	}
	hc = provider.HTTPClient(hc, st.APIKey.Value())
	p := &Provider{https: u.Scheme == "https", nameservers: cfg.Nameservers,
		pace: httpretry.Client{Policy: httpretry.Default, Limiter: httpretry.Account("ns1", base, st.APIKey.Value(), Limits)}}
	p.client = rest.NewClient(&doer{hc: hc, p: p},
		rest.SetAPIKey(st.APIKey.Value()),
		rest.SetEndpoint(base+"/"),
		rest.SetUserAgent("dnsparity"),
		rest.SetFollowPagination(false)) // followed here, with the context
	return p, nil
}

// SetPageSize sets the records one zone page asks for (limit=); 0 leaves
// it to NS1.
func (p *Provider) SetPageSize(n int) { p.pageSize = max(n, 0) }
