package dnsmadeeasy

import (
	"cmp"
	"errors"
	"math"
	"net/http"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

func init() {
	provider.RegisterHTTP[Settings]("dnsmadeeasy", New)
}

// DefaultURL is DNS Made Easy's API v2.0 endpoint.
const DefaultURL = "https://api.dnsmadeeasy.com/V2.0"

// DefaultBatch is the most records one multi-record call carries.
const DefaultBatch = 100

// Settings are dnsmadeeasy's own keys under providers.NAME: the API
// (url, api_key_env), the variable holding the secret key that signs
// requests, and, optionally, the zone's id.
type Settings struct {
	provider.APISettings `yaml:",inline"`
	SecretKeyEnv         string `yaml:"secret_key_env"`
	// ZoneID is the domain's id (default: found by name).
	ZoneID string `yaml:"zone_id"`
	// SecretKey is read by config.Resolve.
	SecretKey config.Secret `yaml:"-"`
}

// Vars are the API key's and the secret key's variables.
func (s *Settings) Vars() []config.Var {
	return append(s.APISettings.Vars(), config.SecretVar("secret_key_env", s.SecretKeyEnv, "the key", &s.SecretKey))
}

// New makes a provider; hc nil means a default HTTP client.
func New(cfg *config.Provider, hc *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	base, _, err := provider.APIBase("dnsmadeeasy", st.URL, DefaultURL)
	if err != nil {
		return nil, err
	}
	if st.APIKey.Value() == "" || st.SecretKey.Value() == "" {
		return nil, errors.New("dnsmadeeasy: no API key pair (set api_key_env and secret_key_env to the names of the variables holding them)")
	}
	hc = provider.HTTPClient(hc, st.APIKey.Value(), st.SecretKey.Value())
	p := &Provider{
		base: base, key: st.APIKey.Value(), secret: st.SecretKey.Value(),
		batch: DefaultBatch, pageSize: 1000, now: time.Now, window: window,
	}
	p.zones = provider.Zones[domain]{Type: "dnsmadeeasy", ID: st.ZoneID, Configured: cfg.Nameservers,
		ByID: p.zoneByID, ByName: p.zoneByName, Name: func(d domain) string { return d.Name }, Servers: domain.servers}
	p.client = httpretry.Client{HTTP: hc, Policy: httpretry.Default, Observe: p.observe, Throttled: rateLimited,
		Limiter: httpretry.Account("dnsmadeeasy", base, p.key, Limits)}
	h := provider.Holdings[domain, record]{What: "dnsmadeeasy", List: p.list, Held: provider.Held(omitted, toRR), Label: label, Shown: shown}
	p.HeldZone = provider.NewHeldZone(h, h.Reader(features), p.apply)
	return p, nil
}

// SetBatch sets the most records per multi-record call (n > 0).
func (p *Provider) SetBatch(n int) { p.batch = cmp.Or(max(n, 0), p.batch) }

// PageSizes are the rows of a listing page DNS Made Easy takes: a page
// holds a row at least; no most is documented ("By default we will
// return all records, but you do have the ability to paginate the
// responses as well in smaller chunks", DNS Made Easy support quoted in
// github.com/octodns/octodns pull 178, whose author listed 2,500 records
// in one page).
var PageSizes = provider.PageSizes{Least: 1, Most: math.MaxInt32, Doc: "rows of GET /dns/managed/{id}/records, a positive number"}

// SetPageSize sets the rows of a listing page: one of PageSizes, else an
// error, the page size unchanged.
func (p *Provider) SetPageSize(n int) error {
	if err := PageSizes.Check("dnsmadeeasy", n); err != nil {
		return err
	}
	p.pageSize = n
	return nil
}
