package provider

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/dnsparity/dnsparity/internal/config"
)

// APISettings are the keys most HTTP API providers share (a provider's
// Settings embeds them with `yaml:",inline"`): the API's endpoint and
// the variable holding its key.
type APISettings struct {
	// URL is the API's endpoint (default: the vendor's).
	URL string `yaml:"url"`
	// APIKeyEnv names the variable holding the API key (token, password).
	APIKeyEnv string `yaml:"api_key_env"`
	// APIKey is read by config.Resolve.
	APIKey config.Secret `yaml:"-"`
}

// Check checks the url when given (the default is the vendor's), so
// that the config's loading names its line.
func (a *APISettings) Check() error {
	if a.URL == "" {
		return nil
	}
	_, err := parseURL(a.URL)
	return err
}

// Endpoint is the API's base for provider what: url, else def (APIBase),
// once the key is set. A key not set is an error naming what the vendor
// calls it (noun: "API token") and the setting that names its variable.
func (a *APISettings) Endpoint(what, def, noun string) (base string, u *url.URL, err error) {
	if base, u, err = APIBase(what, a.URL, def); err != nil {
		return "", nil, err
	}
	if a.APIKey.Value() == "" {
		return "", nil, fmt.Errorf("%s: no %s (set api_key_env to the name of the variable holding it)", what, noun)
	}
	return base, u, nil
}

// Open is Endpoint and the HTTP client its requests go through
// (HTTPClient: hc, nil for a default one, with the key taken out of every
// error answer): where a provider of an HTTP API starts.
func (a *APISettings) Open(what, def, noun string, hc *http.Client) (base string, u *url.URL, client *http.Client, err error) {
	if base, u, err = a.Endpoint(what, def, noun); err != nil {
		return "", nil, nil, err
	}
	return base, u, HTTPClient(hc, a.APIKey.Value()), nil
}

// Vars is the API key's variable.
func (a *APISettings) Vars() []config.Var {
	return []config.Var{config.SecretVar("api_key_env", a.APIKeyEnv, "the key", &a.APIKey)}
}

// SettingsOf is cfg's block of a type's own keys (an empty one when cfg
// has none, e.g. a config.Provider made in code).
func SettingsOf[T any](cfg *config.Provider) *T {
	if s, ok := any(cfg.Settings).(*T); ok {
		return s
	}
	return new(T)
}
