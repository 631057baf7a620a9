package provider

import "testing"

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
	} {
		var got string
		switch tc.fn {
		case "fqdn":
			got = FQDN(tc.in)
		case "relative":
			got = Relative("example.", tc.in)
		case "owner":
			got = Owner("example.", tc.in)
		}
		if got != tc.want {
			t.Errorf("%s(%q) = %q, want %q", tc.fn, tc.in, got, tc.want)
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
