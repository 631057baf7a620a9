package provider

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/httporigin"
	"github.com/dnsparity/dnsparity/internal/httpretry"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// APIBase is an API's endpoint: the configured URL, else def. It must be
// an http(s) URL; base is it without a final slash. name prefixes the
// error, which quotes the URL without the credentials it may carry
// (redact.URL).
func APIBase(name, configured, def string) (base string, u *url.URL, err error) {
	raw := configured
	if raw == "" {
		raw = def
	}
	if u, err = parseURL(raw); err != nil {
		return "", nil, fmt.Errorf("%s: %w", name, err)
	}
	return strings.TrimRight(raw, "/"), u, nil
}

// parseURL is raw as an http(s) URL with a host; the error starts with
// the key ("url"), as config.Settings' Check errors do.
func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("url %q is not an http(s) URL", redact.URL(raw))
	}
	return u, nil
}

// Credentials are what a provider sends that a server may echo: its
// keys, and the credentials its configured url: carries
// (https://user:password@host/, which net/http sends as HTTP Basic when
// nothing else sets Authorization: redact.URLCredentials). The reader of
// a failure an API reports in a 2xx answer, which no transport redacts
// (ClouDNS's status "Failed"), takes them out (redact.ServerText). An
// error answer needs the keys alone (HTTPClient): redact.ErrorBodies
// takes the url:'s credentials from every request's URL.
func Credentials(base string, keys ...string) []string {
	return append(slices.Clone(keys), redact.URLCredentials(base)...)
}

// HTTPClient is a copy of hc, or when nil a client whose calls give up
// after two minutes, that follows no redirect to another origin (scheme,
// host and port; httporigin.Client): the answer itself comes back, an HTTP
// error to the provider. net/http would send the key header (PowerDNS's
// X-API-Key, NS1's X-NSONE-Key) or ClouDNS's form there.
//
// Every error answer's body (any status but 2xx) reaches the provider,
// or the SDK under it, with own (the provider's credentials) and the
// run's secrets taken out, whatever their encoding (redact.ErrorBodies):
// a provider quotes the server's message as it reads it. A failure an
// API reports in a 2xx answer (Cloudflare's success:false, ClouDNS's
// status "Failed") is the provider's to redact (redact.ServerText).
func HTTPClient(hc *http.Client, own ...string) *http.Client {
	if hc == nil {
		hc = &http.Client{Timeout: 120 * time.Second}
	}
	hc = httporigin.Client(hc)
	// Each answer's Date tells a step whose clock is days off
	// (httpretry.WatchDates).
	hc.Transport = httpretry.Dated(redact.ErrorBodies(hc.Transport, own...))
	return hc
}
