package github

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestClientKeepsTokenAtTheAPI: an API answer that redirects to another
// origin (here another port) is not followed. go-github's WithAuthToken
// sets Authorization in its transport, on every request the client sends,
// the redirected one too (net/http's own rule, which drops Authorization
// for another host, does not reach it), so the token would reach whatever
// the Location names. The call fails, naming the status, without the
// token. A redirect within the API's origin (a renamed repository) is
// followed.
func TestClientKeepsTokenAtTheAPI(t *testing.T) {
	f := newFake()
	defer f.Close()
	f.SetFile("main", "zones/a.zone", "a")
	var stolen atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.Header.Get("Authorization"), pat) {
			stolen.Add(1)
		}
		fmt.Fprint(w, `{"login":"mallory"}`)
	}))
	defer other.Close()
	var code atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/user":
			http.Redirect(w, r, other.URL+r.URL.Path, int(code.Load()))
		case strings.HasPrefix(r.URL.Path, "/repos/o/renamed/"):
			http.Redirect(w, r, strings.Replace(r.URL.String(), "/renamed/", "/r/", 1), http.StatusMovedPermanently)
		default:
			f.Config.Handler.ServeHTTP(w, r)
		}
	}))
	defer api.Close()
	// A new client for each call: Identity keeps the login it learnt.
	viaAPI := func() *Client {
		c, err := NewClient(nil, api.URL, pat)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, status := range []int{301, 302, 303, 307, 308} {
		code.Store(int32(status))
		if login, err := viaAPI().Identity(context.Background()); err == nil || !strings.Contains(err.Error(), fmt.Sprint(status)) || strings.Contains(err.Error(), pat) {
			t.Errorf("%d: Identity = %q, %v; want an error naming the status", status, login, err)
		}
	}
	if n := stolen.Load(); n > 0 {
		t.Errorf("the token reached another server %d times", n)
	}
	if b, err := viaAPI().File(context.Background(), "o", "renamed", "zones/a.zone", "main"); err != nil || string(b) != "a" {
		t.Errorf("a redirect within the API: %q, %v", b, err)
	}
}
