package httporigin

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestClient: a redirect to another origin comes back as the answer, even
// when the caller's CheckRedirect would follow it; within the origin the
// caller's CheckRedirect decides.
func TestClient(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("another origin was asked for %s", r.URL.Path)
	}))
	defer other.Close()
	var api *httptest.Server
	api = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/steal", http.StatusFound)
		case "/same":
			http.Redirect(w, r, api.URL+"/ok", http.StatusFound)
		case "/loop": // a Location that echoes a key, again and again
			http.Redirect(w, r, "/loop?key=pdns-Key%2F7Hq2mZ9", http.StatusTemporaryRedirect)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	}))
	defer api.Close()
	stop := errors.New("the caller's rule")
	for _, tt := range []struct {
		check      func(*http.Request, []*http.Request) error
		path       string
		wantStatus int
		wantErr    error
	}{
		{nil, "/away", http.StatusFound, nil},
		{nil, "/same", http.StatusNoContent, nil},
		{func(*http.Request, []*http.Request) error { return nil }, "/away", http.StatusFound, nil},
		{func(*http.Request, []*http.Request) error { return stop }, "/same", 0, stop},
		// At net/http's bound the last answer comes back, not an error
		// quoting its Location; also under a rule with no bound of its
		// own (the AWS SDK's follows every 307).
		{nil, "/loop", http.StatusTemporaryRedirect, nil},
		{func(*http.Request, []*http.Request) error { return nil }, "/loop", http.StatusTemporaryRedirect, nil},
	} {
		hc := &http.Client{CheckRedirect: tt.check}
		resp, err := Client(hc).Get(api.URL + tt.path)
		if tt.wantErr != nil {
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s: %v, want %v", tt.path, err, tt.wantErr)
			}
			continue
		}
		if err != nil || resp.StatusCode != tt.wantStatus {
			t.Errorf("%s: %v %v, want status %d", tt.path, resp, err, tt.wantStatus)
			continue
		}
		resp.Body.Close()
		if (hc.CheckRedirect == nil) != (tt.check == nil) {
			t.Errorf("the caller's client was changed")
		}
	}
	if resp, err := Client(nil).Get(api.URL + "/away"); err != nil || resp.StatusCode != http.StatusFound {
		t.Errorf("nil client: %v %v", resp, err)
	}
}
