// Package httporigin keeps an API client's credentials at the API: a
// client follows no redirect to another origin (scheme, host and port).
//
// net/http copies every header but Authorization and cookies to a
// redirect's new location (PowerDNS's X-API-Key, NS1's X-NSONE-Key), sends
// a POST form again on 307 and 308 (ClouDNS's auth-password), and keeps
// Authorization when only the scheme or the port changes (to plain HTTP).
// A transport that sets the credential itself sets it on the redirected
// request too, whatever the host (go-github's WithAuthToken). The rule is
// the client's, so it holds for every way a request is authenticated.
package httporigin

import "net/http"

// Client is a copy of hc (nil: a zero http.Client) whose CheckRedirect
// stops at a redirect to another origin than the first request's: the
// 3xx answer itself comes back, for the caller to treat as an HTTP error.
// A redirect within the origin is followed as hc would (its own
// CheckRedirect), up to net/http's bound of 10, where the 3xx answer
// comes back too: net/http's error at its bound (or at a CheckRedirect
// error) quotes the server's Location as it sent it, which may echo the
// key the request carried (?key=...), and no redaction of error answers
// sees it. hc is not changed.
func Client(hc *http.Client) *http.Client {
	var c http.Client
	if hc != nil {
		c = *hc
	}
	check := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if from := via[0].URL; req.URL.Scheme != from.Scheme || req.URL.Host != from.Host {
			return http.ErrUseLastResponse
		}
		if len(via) >= maxRedirects {
			return http.ErrUseLastResponse
		}
		if check != nil {
			return check(req, via)
		}
		return nil
	}
	return &c
}

// maxRedirects is net/http's own bound.
const maxRedirects = 10
