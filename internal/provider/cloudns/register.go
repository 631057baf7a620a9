package cloudns

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/provider"
)

func init() {
	provider.RegisterHTTP[Settings]("cloudns", New)
}

// DefaultURL is the ClouDNS API endpoint.
const DefaultURL = "https://api.cloudns.net"

// DefaultImportBatch is the most records one records-import call adds.
const DefaultImportBatch = 1000

// Settings are cloudns's own keys under providers.NAME: the API (url,
// api_key_env: the auth-password) and its user, auth_id or sub_auth_id,
// written or (the *_env forms) from a variable, so that a read-only
// sub-user (pull requests, drift) and a write user (sync, cutover) share
// one config. Ids, not secrets.
type Settings struct {
	provider.APISettings `yaml:",inline"`
	AuthID               string `yaml:"auth_id"`
	SubAuthID            string `yaml:"sub_auth_id"`
	AuthIDEnv            string `yaml:"auth_id_env"`
	SubAuthIDEnv         string `yaml:"sub_auth_id_env"`
}

// Check: the url (APISettings), and each id written or from a variable,
// not both.
func (s *Settings) Check() error {
	errs := []error{s.APISettings.Check()}
	for _, kv := range [][3]string{{"auth_id", s.AuthID, s.AuthIDEnv}, {"sub_auth_id", s.SubAuthID, s.SubAuthIDEnv}} {
		if kv[1] != "" && kv[2] != "" {
			errs = append(errs, fmt.Errorf("%s and %s_env: give one of them", kv[0], kv[0]))
		}
	}
	return errors.Join(errs...)
}

// Vars are the auth-password's and the ids' variables.
func (s *Settings) Vars() []config.Var {
	id := func(key, env string, dst *string) config.Var {
		return config.Var{Key: key, Env: env, Holds: "the id", Set: func(v config.Secret) error { *dst = v.Value(); return nil }}
	}
	return append(s.APISettings.Vars(), id("auth_id_env", s.AuthIDEnv, &s.AuthID), id("sub_auth_id_env", s.SubAuthIDEnv, &s.SubAuthID))
}

// New makes a provider; hc nil means a default HTTP client.
func New(cfg *config.Provider, hc *http.Client) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	base, _, hc, err := st.Open("cloudns", DefaultURL, "auth-password", hc)
	if err != nil {
		return nil, err
	}
	p := &Provider{base: base, password: st.APIKey.Value(), nameservers: cfg.Nameservers, pageSize: 100, importBatch: DefaultImportBatch,
		jobWait: 5 * time.Minute, jobPoll: 2 * time.Second, ttlDone: make(chan struct{})}
	switch {
	case st.AuthID != "" && st.SubAuthID != "":
		return nil, errors.New("cloudns: set auth_id or sub_auth_id, not both")
	case st.AuthID != "":
		p.authKey, p.authID = "auth-id", st.AuthID
	case st.SubAuthID != "":
		p.authKey, p.authID = "sub-auth-id", st.SubAuthID
	default:
		return nil, errors.New("cloudns: no API user (set auth_id or sub_auth_id)")
	}
	p.zones = provider.Zones[string]{Type: "cloudns", ByName: p.zoneInfo, All: p.allZones, AllCost: p.allZonesCost}
	h := provider.Holdings[struct{}, record]{What: "cloudns", Held: provider.Held(omitted, toRR), Label: label, Shown: shown,
		List: func(ctx context.Context, origin string) (struct{}, []record, error) {
			rs, err := p.list(ctx, origin)
			return struct{}{}, rs, err
		}}
	p.HeldZone = provider.NewHeldZone(h, h.Reader(features), p.apply)
	// The 2xx readers' (client.go, ttl.go); an error answer has the
	// url:'s credentials taken out by HTTPClient's transport, from the
	// request's URL.
	p.own = provider.Credentials(base, p.password)
	p.client = httpretry.Client{HTTP: hc, Policy: httpretry.Default, Throttled: blocked,
		Limiter: httpretry.Account("cloudns", base, p.authKey+"="+p.authID, Limits)}
	return p, nil
}

// PageSizes are the rows-per-page ClouDNS takes: "Results per page. Can
// be 10, 20, 30, 50 or 100" (API help, "List records",
// www.cloudns.net/wiki/article/57/, and "List zones", article 50, where
// it is required).
var PageSizes = []int{10, 20, 30, 50, 100}

// SetPageSize sets rows-per-page of listings: one of PageSizes, else an
// error naming them, the page size unchanged (ClouDNS would refuse every
// listing).
func (p *Provider) SetPageSize(n int) error {
	if !slices.Contains(PageSizes, n) {
		return fmt.Errorf("cloudns: %d rows a page: ClouDNS takes rows-per-page of %v only", n, PageSizes)
	}
	p.pageSize = n
	return nil
}

// SetImportBatch sets the most records per records-import call (0: no
// import; every record by add-record).
func (p *Provider) SetImportBatch(n int) {
	if n >= 0 {
		p.importBatch = n
	}
}

// SetImportWait bounds the wait for an import job and sets the first
// interval between looks (tests shorten them).
func (p *Provider) SetImportWait(bound, poll time.Duration) {
	p.jobWait, p.jobPoll = bound, poll
}
