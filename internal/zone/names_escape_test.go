package zone

import "testing"

// TestCanonicalNameEscapesControlOctets: a name holding an octet outside
// printable ASCII (a raw ESC in a zone file, a space from an API) has one
// spelling, the one miekg/dns and named print (\DDD, "\ "), so no message
// carries a control octet to a terminal or a log.
func TestCanonicalNameEscapesControlOctets(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a\x1b[31mRed.e.test.", `a\027[31mred.e.test.`},
		{"b\x01c.e.test", `b\001c.e.test.`},
		{"a b.e.test.", `a\ b.e.test.`},
		{"caf\xc3\xa9.e.test.", `caf\195\169.e.test.`},
		{`a\098c.e.test.`, "abc.e.test."},
		{"plain.e.test.", "plain.e.test."},
	} {
		if got := CanonicalName(c.in); got != c.want {
			t.Errorf("CanonicalName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParent(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"www.example.test.", "example.test."},
		{"test.", "."},
		{".", "."},
		{`a\.b.c.`, "c."},
		{`a\\.b.`, "b."},
		{`a\\\.b.c.`, "c."},
		{`a\046b.c.`, "c."},
	} {
		if got := Parent(c.in); got != c.want {
			t.Errorf("Parent(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestCanonicalNames: an NS set in one form to compare, in place: each
// name as CanonicalName writes it ("" the root), sorted.
func TestCanonicalNames(t *testing.T) {
	in := []string{"NS2.Example.NET", `ns.a\098c.test.`, "", "ns1.caf\xc3\xa9.test"}
	got := CanonicalNames(in)
	want := []string{".", `ns.abc.test.`, `ns1.caf\195\169.test.`, "ns2.example.net."}
	if len(got) != len(want) || &got[0] != &in[0] {
		t.Fatalf("CanonicalNames = %q (in place: %v), want %q in place", got, len(got) > 0 && &got[0] == &in[0], want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("CanonicalNames = %q, want %q", got, want)
			break
		}
	}
}
