package provider

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	for _, tc := range []struct{ fn, in, want string }{
		{"fqdn", "", "."},
		{"fqdn", ".", "."},
		{"fqdn", "Mail.Example.COM", "mail.example.com."},
		{"fqdn", "a.example.", "a.example."},
		{"relative", "example.", ""},
		{"relative", "www.example.", "www"},
		{"relative", "a.b.example.", "a.b"},
		{"owner", "", "example."},
		{"owner", "@", "example."},
		{"owner", "WWW", "www.example."},
		// A JSON API (and PowerDNS's) writes a name's '@', '(', ')', ';',
		// '"' and '\'' raw: each is one octet of its label, the name the
		// zone file writes escaped.
		{"fqdn", "at@sign.example.", `at\@sign.example.`},
		{"fqdn", "paren(.example", `paren\(.example.`},
		{"fqdn", "semi;colon.example.", `semi\;colon.example.`},
		{"fqdn", `quote".example.`, `quote\".example.`},
		{"fqdn", "it's.example.", `it\'s.example.`},
		{"fqdn", "a b.example.", `a\ b.example.`},
		{"fqdn", "a.*.example.", "a.*.example."},
		{"owner", "at@sign", `at\@sign.example.`},
		{"owner", "Semi;Colon", `semi\;colon.example.`},
		// Cloudflare's and NS1's whole names: no final dot but the root's.
		{"api", ".", "."},
		{"api", "www.example.", "www.example"},
		{"api", "*.example.", "*.example"},
	} {
		var got string
		switch tc.fn {
		case "fqdn":
			got = FQDN(tc.in)
		case "relative":
			got = Relative("example.", tc.in)
		case "owner":
			got = Owner("example.", tc.in)
		case "api":
			got = APIName(tc.in)
		}
		if got != tc.want {
			t.Errorf("%s(%q) = %q, want %q", tc.fn, tc.in, got, tc.want)
		}
	}
}

// TestReadRROddOwners: a record an API lists at a name holding a
// character a zone file gives a meaning reads back at that name, the one
// git's zone file spells with an escape: never a parse error, never a
// shorter name (';' a comment, '(' a group).
func TestReadRROddOwners(t *testing.T) {
	for api, git := range map[string]string{
		"at@sign":    `at\@sign.example.`,
		"paren(":     `paren\(.example.`,
		"paren)":     `paren\).example.`,
		"semi;colon": `semi\;colon.example.`,
		`quote"`:     `quote\".example.`,
		"it's":       `it\'s.example.`,
		"a b":        `a\ b.example.`,
	} {
		rr, err := ReadRR(api, "TXT", Owner("example.", api), "300", `"x"`, nil)
		if err != nil {
			t.Errorf("%q: %v", api, err)
			continue
		}
		if rr.Header().Name != git {
			t.Errorf("%q read at %q, want %q", api, rr.Header().Name, git)
		}
	}
}

// TestReadRRBackslash: a JSON API's name with a backslash is read as no
// name at all (it may be an escape or an octet: two different names),
// never moved silently to one of them.
func TestReadRRBackslash(t *testing.T) {
	for _, api := range []string{`x\.y`, `x\046y`, `back\\slash`, `a\ b`} {
		rr, err := ReadRR(api, "TXT", Owner("example.", api), "300", `"x"`, nil)
		if err == nil || !strings.Contains(err.Error(), "backslash") {
			t.Errorf("%q read as %v (err %v), want it refused", api, rr, err)
		}
	}
}

func TestAPIBase(t *testing.T) {
	for _, tc := range []struct {
		configured, def, want, err string
	}{
		{"", "https://api.example/v1/", "https://api.example/v1", ""},
		{"http://127.0.0.1:8080/", "https://api.example", "http://127.0.0.1:8080", ""},
		{"ftp://x", "https://api.example", "", `p: url "ftp://x" is not an http(s) URL`},
		{"", "", "", `p: url "" is not an http(s) URL`},
	} {
		got, _, err := APIBase("p", tc.configured, tc.def)
		if got != tc.want || (err == nil) != (tc.err == "") || (err != nil && err.Error() != tc.err) {
			t.Errorf("APIBase(%q, %q) = %q, %v; want %q, %q", tc.configured, tc.def, got, err, tc.want, tc.err)
		}
	}
	if HTTPClient(nil).Timeout == 0 {
		t.Error("the default client has no timeout")
	}
}
