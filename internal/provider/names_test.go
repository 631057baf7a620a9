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
