package query_test

import (
	"context"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/query"
)

const testZone = `$ORIGIN q.test.
$TTL 300
@   IN SOA ns1 hostmaster 1 3600 600 1209600 300
@   IN NS  ns1
ns1 IN A   192.0.2.53
www IN CNAME ns1
`

// TestClientFew: the API the cutover's status and propagation watch use
// for a handful of questions, against a real Knot: answers in order,
// classes, canonical records, the message count.
func TestClientFew(t *testing.T) {
	lab.Require(t, "knotd")
	k := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "q.test.", Text: testZone}}})
	c := &query.Client{Server: &query.Server{Label: "new", Addr: k.Addr}, Timeout: time.Second, Retries: 1}
	ctx := context.Background()
	as := c.AskEach(ctx, []query.Question{
		{Name: "q.test.", Type: dns.TypeSOA},
		{Name: "WWW.Q.test.", Type: dns.TypeA},
		{Name: "nope.q.test.", Type: dns.TypeA},
		{Name: "ns1.q.test.", Type: dns.TypeTXT},
	}, 2)
	want := []struct {
		class query.Class
		n     int
	}{{query.ClassAnswer, 1}, {query.ClassAnswer, 2}, {query.ClassNXDomain, 0}, {query.ClassNoData, 0}}
	for i, w := range want {
		if as[i].Class() != w.class || len(as[i].Answer) != w.n || !as[i].AA {
			t.Errorf("question %d: %s with %d records (AA %v), want %s with %d", i, as[i].Class(), len(as[i].Answer), as[i].AA, w.class, w.n)
		}
	}
	if as[1].Answer[0].Name != "www.q.test." {
		t.Errorf("owner not folded: %q", as[1].Answer[0].Name)
	}
	if n := c.Sent(); n != 4 {
		t.Errorf("%d messages sent, want 4", n)
	}
	a := c.Exchange(ctx, "ns1.q.test.", dns.TypeA)
	if a.Class() != query.ClassAnswer || query.RdataText(a.Answer[0]) != "192.0.2.53" {
		t.Errorf("Exchange: %s", a.Text())
	}
}

// TestClientNoServer: a server that is not there gives an answer with Err
// after exactly 1 + Retries tries; a canceled context gives ErrCanceled.
func TestClientNoServer(t *testing.T) {
	addr := lab.Addr(t) + ":53" // reserved, nothing listens
	c := &query.Client{Server: &query.Server{Addr: addr}, Timeout: 200 * time.Millisecond, Retries: 2}
	a := c.Exchange(context.Background(), "q.test.", dns.TypeSOA)
	if a.Err == "" || a.Class() != query.ClassFailure {
		t.Errorf("no error from a server that is not there: %+v", a)
	}
	if n := c.Sent(); n != 3 {
		t.Errorf("%d tries, want 3", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if a := c.Exchange(ctx, "q.test.", dns.TypeSOA); a.Err != query.ErrCanceled {
		t.Errorf("canceled: Err %q, want %q", a.Err, query.ErrCanceled)
	}
}

func TestParseAddr(t *testing.T) {
	cases := []struct{ in, want string }{
		{"192.0.2.1", "192.0.2.1:53"},
		{"192.0.2.1:5353", "192.0.2.1:5353"},
		{"2001:db8::1", "[2001:db8::1]:53"},
		{"[2001:db8::1]:53", "[2001:db8::1]:53"},
		{"[2001:db8::1]", "[2001:db8::1]:53"},
		{"none", ""},
		{"localhost:53", ""},
		{"resolver.example.", ""},
		{"192.0.2.1:99999", ""},
		{"192.0.2.1:", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, err := query.ParseAddr(c.in)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("ParseAddr(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}
