package redact

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestBasicCredentialOfShortPassword: net/http sends a URL's userinfo
// as an HTTP Basic credential, base64 of "user:password" whole. Of a
// password under MinCut, the part of that base64 the password alone
// decides is too short to look for (base64Shifted), so a server echoing
// the header showed it, and the password with it, to both lines: the
// first (ErrorBodies) and the second (a set holding what
// URLCredentials gives, as the Action masks a config's URLs). The
// credential is looked for whole.
func TestBasicCredentialOfShortPassword(t *testing.T) {
	for _, user := range []*url.Userinfo{
		url.UserPassword("deploy", "s3cr"),
		url.UserPassword("deploy", "p@ss/w"),
		url.UserPassword("ci-bot", "hunter2!x"),
		url.UserPassword("a", "Zq9x-17b2"),
		url.UserPassword("ops team", "k3y with blank"),
	} {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"error":"denied","authorization":"`+r.Header.Get("Authorization")+`"}`)
		}))
		u, _ := url.Parse(s.URL)
		u.User = user
		resp, err := (&http.Client{Transport: ErrorBodies(nil)}).Get(u.String())
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		pass, _ := user.Password()
		basic := base64.StdEncoding.EncodeToString([]byte(user.Username() + ":" + pass))
		echo := `{"error":"denied","authorization":"Basic ` + basic + `"}`
		var set Secrets // the Action's: what URLCredentials gives, masked
		for _, c := range URLCredentials(u.String()) {
			set.Add(c)
		}
		for line, got := range map[string]string{"ErrorBodies": string(b), "Replace": set.Replace(echo)} {
			if !strings.Contains(got, `"error":"denied"`) || strings.Contains(got, basic[:len(basic)-4]) || strings.Contains(got, strings.TrimRight(basic, "=")) {
				t.Errorf("%s, %s: %s", user, line, got)
			}
		}
	}
}
