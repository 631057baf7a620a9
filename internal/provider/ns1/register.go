package ns1

import (
	"math"
	"net/http"

	"gopkg.in/ns1/ns1-go.v2/rest"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

func init() {
	provider.RegisterHTTP[Settings]("ns1", New)
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
	base, u, hc, err := st.Open("ns1", DefaultURL, "API key", hc)
	if err != nil {
		return nil, err
	}
	p := &Provider{https: u.Scheme == "https", nameservers: cfg.Nameservers,
		pace: httpretry.Client{Policy: httpretry.Default, Limiter: httpretry.Account("ns1", base, st.APIKey.Value(), Limits)}}
	p.client = rest.NewClient(&doer{hc: hc, p: p},
		rest.SetAPIKey(st.APIKey.Value()),
		rest.SetEndpoint(base+"/"),
		rest.SetUserAgent("dnsparity"),
		rest.SetFollowPagination(false)) // followed here, with the context
	return p, nil
}

// PageSizes are the limit= a zone page takes: a positive number (ns1test
// answers any other 400 "Input validation failed"); NS1 documents no
// most for a zone's records (only that GET /v1/zones pages at 2,500
// zones), and no limit= at all is what the provider sends outside tests.
var PageSizes = provider.PageSizes{Least: 1, Most: math.MaxInt32, Doc: "limit= of GET /v1/zones/:zone, a positive number"}

// SetPageSize sets the records one zone page asks for (limit=): 0 leaves
// it to NS1, else one of PageSizes; any other is an error, the page size
// unchanged.
func (p *Provider) SetPageSize(n int) error {
	if n != 0 {
		if err := PageSizes.Check("ns1", n); err != nil {
			return err
		}
	}
	p.pageSize = n
	return nil
}
