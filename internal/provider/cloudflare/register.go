package cloudflare

import (
	"net/http"

	cfdns "github.com/cloudflare/cloudflare-go/v6/dns"
	"github.com/cloudflare/cloudflare-go/v6/option"
	"github.com/cloudflare/cloudflare-go/v6/zones"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.RegisterHTTP[Settings]("cloudflare", New)
}

// Settings are cloudflare's own keys under providers.NAME: the API
// (url, api_key_env: the API token) and, optionally, the zone's id.
type Settings struct {
	provider.APISettings `yaml:",inline"`
	// ZoneID is the zone's id (default: found by name).
	ZoneID string `yaml:"zone_id"`
}

// New makes a provider; hc nil means a default HTTP client.
func New(cfg *config.Provider, hc *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	base, _, hc, err := st.Open("cloudflare", DefaultURL, "API token", hc)
	if err != nil {
		return nil, err
	}
	p := &Provider{
		base:     base,
		token:    st.APIKey.Value(),
		batch:    DefaultBatch,
		pageSize: recordsPerPage,
		pace:     httpretry.Client{Policy: httpretry.Default, Limiter: httpretry.Account("cloudflare", base, st.APIKey.Value(), Limits)},
		proxied:  map[zone.Key]bool{},
		held:     map[string]map[string]map[uint16]heldSet{},
		multi:    map[string]bool{},
	}
	p.zones = provider.Zones[apiZone]{Type: "cloudflare", Noun: "zone", ID: st.ZoneID, Configured: cfg.Nameservers, Delegation: cfg.Delegation,
		ByID: p.zoneByID, ByName: p.zoneByName, All: p.allZones, AllCost: p.allZonesCost,
		Name: func(z apiZone) string { return z.Name }, Servers: func(z apiZone) []string { return z.NameServers }}
	// A bare client: no CLOUDFLARE_* variables from the environment, no
	// SDK retries (ours honour Retry-After and are bounded the same way
	// for every call).
	opts := []option.RequestOption{
		option.WithBaseURL(p.base + "/"),
		option.WithAPIToken(st.APIKey.Value()),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0),
		option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
			p.requests.Add(1)
			return next(r)
		}),
	}
	p.records, p.zonesvc, p.settings = cfdns.NewRecordService(opts...), zones.NewZoneService(opts...), cfdns.NewSettingZoneService(opts...)
	h := provider.Holdings[apiZone, record]{What: "cloudflare", List: p.list, Held: held, Label: func(r record) string { return r.ID }}
	p.HeldZone = provider.NewHeldZone(h, provider.ListingReader[record]{List: h.Records, ZoneOf: p.zoneOf, FeaturesOf: features}, p.apply)
	return p, nil
}
