package redact

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestErrorBodies: an error answer's body comes up without the client's
// own secret or the context's, in whatever encoding the server wrote
// them, and cut at MaxErrorBody; a 2xx answer's body is passed through
// as the server wrote it, secret and all (the caller asked for it).
func TestErrorBodies(t *testing.T) {
	const own, run = "own-Key/0123456789abcdef", "run-Token/0123456789abcdef"
	tests := []struct {
		name, body string
		status     int
		want       string
	}{
		{"json-escaped own key", `{"error":"key own\u002dKey\/0123456789abcdef refused"}`, 401, `{"error":"key *** refused"}`},
		{"percent-encoded run secret", "bad token run%2DToken%2f0123456789abcdef", 403, "bad token ***"},
		{"server error", "internal own-Key/0123456789abcdef", 500, "internal ***"},
		{"redirect body", "moved own-Key/0123456789abcdef", 302, "moved ***"},
		{"2xx untouched", `{"token":"own-Key/0123456789abcdef"}`, 200, `{"token":"own-Key/0123456789abcdef"}`},
		{"no secret kept byte for byte", "plain \\u00zz %zz refusal", 400, "plain \\u00zz %zz refusal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer s.Close()
			var set Secrets
			set.Add(run)
			ctx := WithSecrets(context.Background(), &set)
			hc := &http.Client{Transport: ErrorBodies(nil, own),
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("body %q, want %q", b, tt.want)
			}
			if tt.status/100 != 2 && resp.ContentLength != int64(len(b)) {
				t.Errorf("ContentLength %d for a body of %d bytes", resp.ContentLength, len(b))
			}
		})
	}
	t.Run("cut at MaxErrorBody", func(t *testing.T) {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			io.WriteString(w, strings.Repeat("x", MaxErrorBody+4096))
		}))
		defer s.Close()
		resp, err := (&http.Client{Transport: ErrorBodies(nil)}).Get(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(b) != MaxErrorBody {
			t.Errorf("read %d bytes of an error body, want MaxErrorBody (%d)", len(b), MaxErrorBody)
		}
	})
}

// TestErrorBodiesURLCredentials: a URL with credentials written into it
// (https://user:password@host/) makes net/http send them as an HTTP Basic
// credential; an error answer echoing that header, or the password
// decoded, comes up without them, though the client was given no own
// secret and the context no set. A token written as the user name too.
func TestErrorBodiesURLCredentials(t *testing.T) {
	for _, tt := range []struct {
		user    *url.Userinfo
		secret  string
		basicOf string
	}{
		{url.UserPassword("admin", "Url-Pass/0123456789abcdef"), "Url-Pass/0123456789abcdef", "admin:Url-Pass/0123456789abcdef"},
		{url.User("ghp_UrlTokenAsUser0123456789"), "ghp_UrlTokenAsUser0123456789", "ghp_UrlTokenAsUser0123456789:"},
	} {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			user, pass, _ := r.BasicAuth()
			io.WriteString(w, "refused "+r.Header.Get("Authorization")+" for "+user+":"+pass)
		}))
		u, _ := url.Parse(s.URL)
		u.User = tt.user
		resp, err := (&http.Client{Transport: ErrorBodies(nil)}).Get(u.String())
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		s.Close()
		basic := base64.StdEncoding.EncodeToString([]byte(tt.basicOf))
		if !strings.Contains(string(b), "refused Basic ") {
			t.Fatalf("the test plants nothing: %s", b)
		}
		for _, f := range []string{tt.secret, basic, tt.secret[:MinCut], basic[len(basic)-16 : len(basic)-4]} {
			if strings.Contains(string(b), f) {
				t.Errorf("%s: the body holds %q: %s", tt.user, f, b)
			}
		}
	}
}

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

// TestErrorBodiesMaskURLCredentials: ErrorBodies takes out of an error
// answer what URLCredentials says a URL's userinfo sends, neither more
// nor less: the one list the Action and the command line mask too. It
// worked its list out again from url.Userinfo, which kept the user name
// beside a password ("user:password" whole, every 12-byte piece of it:
// provisioning-bot) and a user name alone of any length (admin) as
// secrets, masking them in every error a server sent.
func TestErrorBodiesMaskURLCredentials(t *testing.T) {
	for _, user := range []*url.Userinfo{
		url.UserPassword("provisioning-bot", "s3cr3t-Pass-0123"),
		url.UserPassword("provisioning-bot", "Qz7-kw"),
		url.UserPassword("dns automation", "p@ss/word"),
		url.User("admin"),
		url.User("deploy-user"),
		url.User("ghp_TokenAsUser0123"),
	} {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			u, p, _ := r.BasicAuth()
			fmt.Fprintf(w, `{"error":"user '%s' may not write acme.test.","password":%q,"authorization":%q}`, u, p, r.Header.Get("Authorization"))
		}))
		u, _ := url.Parse(s.URL)
		u.User = user
		resp, err := (&http.Client{Transport: ErrorBodies(nil)}).Get(u.String())
		if err != nil {
			s.Close()
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// The same answer, unredacted, read with URLCredentials' list.
		resp, err = http.Get(u.String())
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := ServerText(context.Background(), string(raw), URLCredentials(u.String())...)
		if string(got) != want {
			t.Errorf("%s: ErrorBodies gave\n%s\nURLCredentials' list gives\n%s", user, got, want)
		}
		if _, pass := user.Password(); (pass || !userToken(user.Username())) && !strings.Contains(string(got), "user '"+user.Username()+"'") {
			t.Errorf("%s: the user name is not shown: %s", user, got)
		}
	}
}
