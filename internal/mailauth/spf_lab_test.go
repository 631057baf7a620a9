package mailauth_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/query"
)

// server is a mailauth.Resolver asking one authoritative server.
type server struct{ c *query.Client }

func (s server) Lookup(ctx context.Context, name string, qt uint16) (mailauth.Result, error) {
	return mailauth.FromAnswer(s.c.Exchange(ctx, name, qt), qt), nil
}

// spfTestZone: SPF records whose evaluation the cases below check, served
// by a real Knot.
func spfTestZone() string {
	var b strings.Builder
	b.WriteString(`$ORIGIN m.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.53
self IN TXT "v=spf1 include:self.m.test -all"
loop-a IN TXT "v=spf1 include:loop-b.m.test -all"
loop-b IN TXT "v=spf1 include:loop-a.m.test -all"
bad IN TXT "v=spf1 mx foo:bar.m.test -all"
mx10 IN TXT "v=spf1 mx:ten.m.test -all"
mx11 IN TXT "v=spf1 mx:eleven.m.test -all"
mxvoid IN TXT "v=spf1 mx:noaddr.m.test -all"
mxok IN TXT "v=spf1 mx:withaddr.m.test a:ns1.m.test -all"
noaddr IN MX 10 gone1.m.test.
noaddr IN MX 20 gone2.m.test.
noaddr IN MX 30 gone3.m.test.
withaddr IN MX 10 ns1.m.test.
withaddr IN MX 20 gone1.m.test.
`)
	for i := range 11 {
		if i < 10 {
			fmt.Fprintf(&b, "ten IN MX %d ns1.m.test.\n", i)
		}
		fmt.Fprintf(&b, "eleven IN MX %d ns1.m.test.\n", i)
	}
	return b.String()
}

// TestEvaluate: RFC 7208 §4.6.4 counting against a real server: loops and
// self-includes, the 10-MX boundary, the void lookups of MX exchanges, and
// a record that does not parse.
func TestEvaluate(t *testing.T) {
	lab.Require(t, "knotd")
	k := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "m.test.", Text: spfTestZone()}}})
	res := server{&query.Client{Server: &query.Server{Addr: k.Addr}, Timeout: time.Second, Retries: 1}}
	cases := []struct {
		name     string
		total    int
		voids    int
		problems []string // substrings, each in one problem; none when empty
	}{
		{"self.m.test.", 1, 0, []string{"include loop at self.m.test"}},
		{"loop-a.m.test.", 2, 0, []string{"include loop at loop-a.m.test"}},
		{"bad.m.test.", 0, 0, []string{`unknown mechanism "foo"`}},
		{"mx10.m.test.", 1, 0, nil},
		{"mx11.m.test.", 1, 0, []string{"11 MX records"}},
		{"mxvoid.m.test.", 1, 3, nil},
		{"mxok.m.test.", 2, 1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			n := mailauth.Evaluate(ctx, res, c.name)
			if n.Total != c.total || n.Voids != c.voids {
				t.Errorf("%s: %d lookups, %d voids (%s), want %d and %d", c.name, n.Total, n.Voids, n.VoidText(), c.total, c.voids)
			}
			if len(n.Problems) != len(c.problems) {
				t.Errorf("%s: problems %q, want %q", c.name, n.Problems, c.problems)
				return
			}
			for i, p := range c.problems {
				if !strings.Contains(n.Problems[i], p) {
					t.Errorf("%s: problem %q, want one with %q", c.name, n.Problems[i], p)
				}
			}
		})
	}
}
