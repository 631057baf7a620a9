package provider

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// APIBase is an API's endpoint: the configured URL, else def. It must be
// an http(s) URL; base is it without a final slash. name prefixes the
// error.
func APIBase(name, configured, def string) (base string, u *url.URL, err error) {
	raw := configured
	if raw == "" {
		raw = def
	}
	u, err = url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", nil, fmt.Errorf("%s: url %q is not an http(s) URL", name, raw)
	}
	return strings.TrimRight(raw, "/"), u, nil
}

// HTTPClient is hc, or when nil a client whose calls give up after two
// minutes.
func HTTPClient(hc *http.Client) *http.Client {
	if hc == nil {
		return &http.Client{Timeout: 120 * time.Second}
	}
	return hc
}
