package mailauth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/mailauth"
)

// TestEvaluateLoops: a name met again on the evaluation's path is named
// by the terms that lead back to it: an include loop, a redirect loop
// (RFC 7208 §6.1: each redirect= is a new check_host(); a chain that
// comes back ends only at the lookup limit, §4.6.4), or a loop of both.
// The same include twice in a row is no loop, nor is an include=
// modifier an include.
func TestEvaluateLoops(t *testing.T) {
	z := suiteZone{
		"self.test":   {"SPF v=spf1 include:self.test -all"},
		"i1.test":     {"SPF v=spf1 include:i2.test -all"},
		"i2.test":     {"SPF v=spf1 include:i1.test -all"},
		"r.test":      {"SPF v=spf1 ip4:192.0.2.1 redirect=r.test"},
		"r1.test":     {"SPF v=spf1 redirect=r2.test"},
		"r2.test":     {"SPF v=spf1 redirect=R1.test."},
		"m1.test":     {"SPF v=spf1 include:m2.test -all"},
		"m2.test":     {"SPF v=spf1 redirect=m1.test"},
		"top.test":    {"SPF v=spf1 include:r1.test -all"},
		"twice.test":  {"SPF v=spf1 include:leaf.test include:leaf.test -all"},
		"leaf.test":   {"SPF v=spf1 -all"},
		"modinc.test": {"SPF v=spf1 ip4:192.0.2.1 include=nospf.test"},
		"nospf.test":  {"TXT not spf"},
	}
	cases := []struct {
		name, want string // want: the one problem, "" for none
	}{
		{"self.test", "include loop at self.test (it includes itself, directly or through others)"},
		{"i1.test", "include loop at i1.test"},
		{"r.test", "redirect loop at r.test (its redirect= leads back to itself, directly or through others)"},
		{"r1.test", "redirect loop at r1.test"},
		{"m1.test", "include and redirect loop at m1.test"},
		{"m2.test", "include and redirect loop at m2.test"},
		// The loop below an include is the redirects' own.
		{"top.test", "redirect loop at r1.test"},
		{"twice.test", ""},
		// include= is an unknown modifier (RFC 7208 §6: ignored), not an
		// include: its target is not read.
		{"modinc.test", ""},
	}
	for _, c := range cases {
		n := mailauth.Evaluate(context.Background(), z, c.name)
		switch {
		case c.want == "" && len(n.Problems) != 0:
			t.Errorf("%s: problems %q, want none", c.name, n.Problems)
		case c.want != "" && (len(n.Problems) != 1 || !strings.HasPrefix(n.Problems[0], c.want)):
			t.Errorf("%s: problems %q, want one starting %q", c.name, n.Problems, c.want)
		}
	}
}
