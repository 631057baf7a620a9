package powerdns

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.RegisterHTTP[Settings]("powerdns", New)
}

// DefaultBatch is the most RRsets one PATCH carries. PowerDNS applies a
// PATCH in one transaction: all of it or nothing.
const DefaultBatch = 5000

// AppliesInTransactions: each PATCH is one transaction
// (provider.Transactional).
func (p *Provider) AppliesInTransactions() {}

var _ provider.Transactional = (*Provider)(nil)

// Settings are powerdns's own keys under providers.NAME: the HTTP API
// (url, api_key_env) and the server's id in it.
type Settings struct {
	provider.APISettings `yaml:",inline"`
	// ServerID is the API's server id (default localhost).
	ServerID string `yaml:"server_id"`
}

// New makes a provider; client nil means a default one.
func New(cfg *config.Provider, client *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	if st.URL == "" {
		return nil, errors.New("powerdns: url is required")
	}
	base, _, client, err := st.Open("powerdns", "", "API key", client)
	if err != nil {
		return nil, err
	}
	id := st.ServerID
	if id == "" {
		id = "localhost"
	}
	if !strings.HasSuffix(base, "/api/v1") {
		base += "/api/v1"
	}
	base += "/servers/" + url.PathEscape(id)
	return &Provider{
		base:        base,
		shown:       redact.URL(base),
		apiKey:      st.APIKey.Value(),
		nameservers: cfg.Nameservers,
		client:      client,
		batch:       DefaultBatch,
		sleep:       httpretry.Sleep,
		backoff:     500 * time.Millisecond,
		disabled:    map[string]map[zone.Key][]string{},
		secondaries: map[string]string{},
	}, nil
}

// SetBatch sets the most RRsets one PATCH carries (default DefaultBatch).
func (p *Provider) SetBatch(n int) {
	if n > 0 {
		p.batch = n
	}
}
