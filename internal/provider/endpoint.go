package provider

import (
	"errors"
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

// HTTPClient is a copy of hc, or when nil a client whose calls give up
// after two minutes, that follows no redirect to another origin (scheme,
// host and port): the answer itself comes back, an HTTP error to the
// provider. net/http would send every header but Authorization and cookies
// to the new location (PowerDNS's X-API-Key, NS1's X-NSONE-Key) and a POST
// form again on 307 and 308 (ClouDNS's auth-password), and Authorization
// too when only the scheme changes (to plain HTTP).
func HTTPClient(hc *http.Client) *http.Client {
	c := http.Client{Timeout: 120 * time.Second}
	if hc != nil {
		c = *hc
	}
	check := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if from := via[0].URL; req.URL.Scheme != from.Scheme || req.URL.Host != from.Host {
			return http.ErrUseLastResponse
		}
		if check != nil {
			return check(req, via)
		}
		if len(via) >= 10 { // net/http's own bound
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &c
}
