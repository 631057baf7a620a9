package zone

import "testing"

// Fold lower-cases A-Z only and keeps every byte where it stood: names
// compare so (RFC 4343), and report searches the folded text and cuts the
// original at the same indexes.
func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"example.test.", "example.test."},
		{"Mail.Example.TEST.", "mail.example.test."},
		{`\077ail.EXAMPLE.`, `\077ail.example.`},
		{"HTTPS://WWW.Example/Ä", "https://www.example/Ä"}, // UTF-8 left as it is
		{"ÉCOLE", "École"},                                 // É stays two bytes
		{"A\xffB\x00Z[@`{", "a\xffb\x00z[@`{"},             // invalid UTF-8, and the bytes around A-Z and a-z
	} {
		got := Fold(c.in)
		if got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
		if len(got) != len(c.in) {
			t.Errorf("Fold(%q) is %d bytes, want %d", c.in, len(got), len(c.in))
		}
	}
}
