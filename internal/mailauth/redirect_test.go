package mailauth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/mailauth"
)

// notAsked is a resolver that asks nothing (no --resolver).
type notAsked struct{}

func (notAsked) Lookup(context.Context, string, uint16) (mailauth.Result, error) {
	return mailauth.Result{}, mailauth.ErrNotAsked
}

// TestRedirectVsInclude: redirect=x gives x's own result (RFC 7208
// §6.1); include:x then all gives pass when x passes and the all's
// result otherwise (§5.2). They are the same record only when every
// result x can give maps alike, read on both sides.
func TestRedirectVsInclude(t *testing.T) {
	zone := func(x string) suiteZone {
		return suiteZone{
			"x.test":    {"TXT " + x},
			"y.test":    {"TXT v=spf1 ip4:203.0.113.0/24 ?all"},
			"yf.test":   {"TXT v=spf1 ip4:203.0.113.0/24 -all"},
			"none.test": {"TXT hello"},
		}
	}
	const (
		red     = "v=spf1 ip4:192.0.2.0/24 redirect=x.test"
		incFail = "v=spf1 ip4:192.0.2.0/24 include:x.test -all"
	)
	cases := []struct {
		name          string
		a, b          string
		xa, xb        string // x.test's record on a's and b's side (xb "": xa)
		resolverB     mailauth.Resolver
		applies, same bool
		words         []string
	}{
		{name: "x gives only pass or fail: include then -all is redirect", a: red, b: incFail, xa: "v=spf1 ip4:198.51.100.0/24 -all",
			applies: true, same: true, words: []string{"gives only fail or pass", "the same result for every sender"}},
		{name: "x softfails: -all turns it into fail", a: red, b: incFail, xa: "v=spf1 ip4:198.51.100.0/24 ~all",
			applies: true, words: []string{"can give softfail", "a sender it gives softfail gets softfail from a and fail from b"}},
		{name: "~all beside an include of a record ending ~all", a: "v=spf1 ip4:192.0.2.0/24 include:x.test ~all", b: red, xa: "v=spf1 ip4:198.51.100.0/24 ~all",
			applies: true, same: true, words: []string{"b has redirect=x.test", "a has include:x.test then ~all"}},
		{name: "no all after the include: neutral, as x's ?all", a: "v=spf1 ip4:192.0.2.0/24 include:x.test", b: red, xa: "v=spf1 ip4:198.51.100.0/24 ?all",
			applies: true, same: true, words: []string{"no all mechanism (neutral"}},
		{name: "x's redirect= leads to a ?all", a: red, b: incFail, xa: "v=spf1 ip4:198.51.100.0/24 redirect=y.test",
			applies: true, words: []string{"can give neutral", "y.test: v=spf1 ip4:203.0.113.0/24 ?all"}},
		{name: "x's redirect= leads to a -all", a: red, b: incFail, xa: "v=spf1 ip4:198.51.100.0/24 redirect=yf.test",
			applies: true, same: true},
		{name: "x without a mechanism: neutral", a: red, b: incFail, xa: "v=spf1",
			applies: true, words: []string{"can give neutral"}},
		{name: "x has no SPF record: permerror both ways", a: "v=spf1 ip4:192.0.2.0/24 redirect=none.test", b: "v=spf1 ip4:192.0.2.0/24 include:none.test -all",
			applies: true, same: true, words: []string{"no SPF record receivers can evaluate"}},
		{name: "redirect beside an all is ignored", a: "v=spf1 ip4:192.0.2.0/24 -all redirect=x.test", b: incFail, xa: "v=spf1 -all",
			applies: true, words: []string{"a's redirect=x.test is ignored", "RFC 7208 §6.1"}},
		{name: "a fail-qualified include: x's pass is fail", a: red, b: "v=spf1 ip4:192.0.2.0/24 -include:x.test -all", xa: "v=spf1 ip4:198.51.100.0/24 -all",
			applies: true, words: []string{"a sender it gives pass gets pass from a and fail from b"}},
		{name: "x differs between the sides", a: red, b: incFail, xa: "v=spf1 ip4:198.51.100.0/24 -all", xb: "v=spf1 ip4:198.51.100.0/25 -all",
			applies: true, words: []string{"not judged", "differs between the sides (a: x.test: v=spf1 ip4:198.51.100.0/24 -all; b: x.test: v=spf1 ip4:198.51.100.0/25 -all)", "reported at x.test itself"}},
		// x written otherwise, read the same (SameMeaning): judged.
		{name: "x written otherwise on each side", a: red, b: incFail, xa: "v=spf1 ip4:198.51.100.0/24 -all", xb: "v=spf1 ip4:198.51.100.7/24 -ALL",
			applies: true, same: true, words: []string{"the same result for every sender"}},
		{name: "x not asked on one side", a: red, b: incFail, xa: "v=spf1 -all", resolverB: notAsked{},
			applies: true, words: []string{"not judged: on b x.test could not be asked"}},
		{name: "other mechanisms differ", a: red, b: "v=spf1 ip4:192.0.2.0/25 include:x.test -all", xa: "v=spf1 -all"},
		{name: "the include is not the last mechanism", a: "v=spf1 ip4:192.0.2.0/24 a redirect=x.test", b: "v=spf1 ip4:192.0.2.0/24 include:x.test a -all", xa: "v=spf1 -all"},
		{name: "another exp=", a: red + " exp=e.test", b: incFail, xa: "v=spf1 -all"},
		{name: "another target", a: red, b: "v=spf1 ip4:192.0.2.0/24 include:y.test -all", xa: "v=spf1 -all"},
		{name: "redirect on both sides", a: red, b: red + " ", xa: "v=spf1 -all"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.xb == "" {
				c.xb = c.xa
			}
			var rb mailauth.Resolver = zone(c.xb)
			if c.resolverB != nil {
				rb = c.resolverB
			}
			applies, same, why := mailauth.RedirectVsInclude(context.Background(), c.a, c.b, "a", "b", zone(c.xa), rb)
			if applies != c.applies || same != c.same {
				t.Errorf("applies %v, same %v (%s); want %v, %v", applies, same, why, c.applies, c.same)
			}
			for _, w := range c.words {
				if !strings.Contains(why, w) {
					t.Errorf("why %q lacks %q", why, w)
				}
			}
		})
	}
}
