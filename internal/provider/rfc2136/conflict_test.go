package rfc2136_test

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// otherWriter changes the zone on the server behind dnsparity's back.
func otherWriter(t *testing.T, addr string, del []string, add []string) {
	t.Helper()
	m := new(dns.Msg)
	m.SetUpdate(origin)
	for _, s := range del {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		m.RemoveRRset([]dns.RR{rr})
	}
	for _, s := range add {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		m.Insert([]dns.RR{rr})
	}
	m.SetTsig(key.Name, dns.HmacSHA256, 300, time.Now().Unix())
	c := &dns.Client{Net: "tcp", TsigSecret: map[string]string{key.Name: key.Secret}}
	r, _, err := c.Exchange(m, addr)
	if err != nil || r.Rcode != dns.RcodeSuccess {
		t.Fatalf("other writer's update: %v %v", r, err)
	}
}

func parseZone(t *testing.T, text string) *zone.Zone {
	t.Helper()
	z, err := zone.Parse(strings.NewReader(text), "git.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

const conflictZone = "$ORIGIN example.com.\n$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\n@ NS ns2\nns1 A 192.0.2.53\nns2 A 198.51.100.53\n"

// TestConflictRefused: a change another writer makes between plan and push
// is refused by the server (the UPDATE's prerequisites say what the plan
// saw), not overwritten, and the zone stays as the other writer left it.
func TestConflictRefused(t *testing.T) {
	cases := []struct {
		name   string
		before string   // pushed first (the state the plan sees)
		git    string   // the zone file
		del    []string // the other writer's change
		add    []string
		want   string // in the error
	}{
		{"replace of an RRset changed meanwhile", "www A 192.0.2.1\n", "www A 192.0.2.2\n",
			[]string{"www.example.com. 300 IN A 0.0.0.0"}, []string{"www.example.com. 300 IN A 192.0.2.99"}, "www.example.com. A changed"},
		{"replace of an RRset grown meanwhile", "www A 192.0.2.1\n", "www A 192.0.2.2\n",
			nil, []string{"www.example.com. 300 IN A 192.0.2.99"}, "www.example.com. A changed"},
		{"create of an RRset made meanwhile", "", "new A 192.0.2.2\n",
			nil, []string{"new.example.com. 300 IN A 192.0.2.99"}, "new.example.com. A was to be created"},
		{"delete of an RRset changed meanwhile", "old A 192.0.2.1\n", "",
			[]string{"old.example.com. 300 IN A 0.0.0.0"}, []string{"old.example.com. 300 IN A 192.0.2.99"}, "old.example.com. A changed"},
		{"replace of an RRset whose TTL changed meanwhile", "www A 192.0.2.1\n", "www A 192.0.2.2\n",
			[]string{"www.example.com. 300 IN A 0.0.0.0"}, []string{"www.example.com. 900 IN A 192.0.2.1"}, "SOA serial moved from"},
		{"another RRset changed meanwhile", "www A 192.0.2.1\n", "www A 192.0.2.2\n",
			nil, []string{"unrelated.example.com. 300 IN TXT \"other writer\""}, "SOA serial moved from"},
		{"delete of an RRset removed meanwhile", "old A 192.0.2.1\nkeep A 192.0.2.7\n", "keep A 192.0.2.7\n",
			[]string{"old.example.com. 300 IN A 0.0.0.0"}, nil, "old.example.com. A was planned against 1 records but the server no longer has it"},
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					// Start from the case's state: push it.
					base := parseZone(t, conflictZone+tc.before)
					cur, err := p.Records(ctx, origin)
					if err != nil {
						t.Fatal(err)
					}
					if pl := plan.Compute(base, cur, plan.Options{Caps: p.Capabilities()}); len(pl.Changes) > 0 {
						if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
							t.Fatalf("setting up: %v", err)
						}
					}
					cur, err = p.Records(ctx, origin)
					if err != nil {
						t.Fatal(err)
					}
					// Plan, then another writer, then push.
					pl := plan.Compute(parseZone(t, conflictZone+tc.git), cur, plan.Options{Caps: p.Capabilities()})
					if len(pl.Changes) == 0 {
						t.Fatal("empty plan")
					}
					otherWriter(t, srv.Addr, tc.del, tc.add)
					// Read with another provider: p stays as it was at
					// the plan.
					left, err := newFlavor(t, srv.Addr, key.Secret, s.name).Records(ctx, origin)
					if err != nil {
						t.Fatal(err)
					}
					res, err := p.Apply(ctx, origin, pl.Changes, nil)
					if !errors.Is(err, provider.ErrConflict) {
						t.Fatalf("push after another writer: %v, want ErrConflict", err)
					}
					if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "nothing of this message was applied") {
						t.Errorf("error does not say what changed: %v", err)
					}
					if len(res.Applied) != 0 {
						t.Errorf("%d changes reported applied", len(res.Applied))
					}
					after, err := p.Records(ctx, origin)
					if err != nil {
						t.Fatal(err)
					}
					sameExceptSOA(t, left, after)
					// Clean up: back to the base zone, planned afresh.
					cleanup := plan.Compute(parseZone(t, conflictZone), after, plan.Options{Caps: p.Capabilities()})
					if _, err := p.Apply(ctx, origin, cleanup.Changes, nil); err != nil {
						t.Fatalf("cleanup: %v", err)
					}
				})
			}
		})
	}
}

// TestOneNameOneMessage: all changes of a name travel in one UPDATE message
// however small the messages, so an A replaced by a CNAME is never
// deleted in one message and added in a later one.
func TestOneNameOneMessage(t *testing.T) {
	p := newProvider(t, "127.0.0.1:53", key.Secret)
	rfc2136.SetLimits(p, 300, 300)
	var text strings.Builder
	text.WriteString(conflictZone)
	var cur strings.Builder
	cur.WriteString(conflictZone)
	for i := range 20 {
		n := "h" + strconv.Itoa(i)
		cur.WriteString(n + " A 192.0.2." + strconv.Itoa(i+1) + "\n")
		text.WriteString(n + " CNAME target" + strconv.Itoa(i) + ".example.net.\n")
	}
	pl := plan.Compute(parseZone(t, text.String()), parseZone(t, cur.String()), plan.Options{})
	if len(pl.Changes) != 40 {
		t.Fatalf("%d changes, want 20 deletes and 20 creates", len(pl.Changes))
	}
	bs, err := rfc2136.Batches(p, origin, pl.Changes)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) < 5 {
		t.Fatalf("%d messages, want many small ones", len(bs))
	}
	in := map[string]int{}
	for i, b := range bs {
		for j, c := range b {
			if k, ok := in[c.Name]; ok && k != i {
				t.Errorf("%s in messages %d and %d", c.Name, k+1, i+1)
			}
			in[c.Name] = i
			if c.Action == provider.Create && (j == 0 || b[j-1].Name != c.Name || b[j-1].Action != provider.Delete) {
				t.Errorf("message %d: %s not right after its delete", i+1, c)
			}
		}
	}
}

// TestOneNameOneMessageServer pushes A → CNAME at many names in small
// messages to each server, the last message failing: every name is
// either still its A or already its CNAME, never empty.
func TestOneNameOneMessageServer(t *testing.T) {
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			p := newFlavor(t, srv.Addr, key.Secret, s.name)
			ctx := context.Background()
			var before, after strings.Builder
			before.WriteString(conflictZone)
			after.WriteString(conflictZone)
			for i := range 20 {
				n := "h" + strconv.Itoa(i)
				before.WriteString(n + " A 192.0.2." + strconv.Itoa(i+1) + "\n")
				after.WriteString(n + " CNAME target" + strconv.Itoa(i) + ".example.net.\n")
			}
			cur, _ := p.Records(ctx, origin)
			pl := plan.Compute(parseZone(t, before.String()), cur, plan.Options{Caps: p.Capabilities()})
			if _, err := p.Apply(ctx, origin, pl.Changes, nil); err != nil {
				t.Fatal(err)
			}
			cur, _ = p.Records(ctx, origin)
			pl = plan.Compute(parseZone(t, after.String()), cur, plan.Options{Caps: p.Capabilities()})
			rr, _ := dns.NewRR("outside.example.net. 300 IN A 192.0.2.1")
			bad := mustSet(t, []dns.RR{rr})
			cs := append(pl.Changes, provider.Change{Action: provider.Create, Name: bad.Name, Type: bad.Type, New: bad})
			rfc2136.SetLimits(p, 400, 300)
			res, err := p.Apply(ctx, origin, cs, nil)
			if err == nil || res.Requests < 3 {
				t.Fatalf("apply: %v in %d messages, want a failure after several", err, res.Requests)
			}
			got, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 20 {
				n := "h" + strconv.Itoa(i) + "." + origin
				a, c := got.Get(n, dns.TypeA) != nil, got.Get(n, dns.TypeCNAME) != nil
				if a == c {
					t.Errorf("%s: A %v, CNAME %v: want exactly one", n, a, c)
				}
			}
		})
	}
}

// TestCapabilitiesDeclared: what the provider can hold comes from the
// declared flavor, the same before and after any call.
func TestCapabilitiesDeclared(t *testing.T) {
	for _, tc := range []struct {
		flavor  string
		unknown bool
	}{{"", true}, {"bind", true}, {"knot", true}, {"nsd", true}, {"powerdns", false}} {
		p := newFlavor(t, "127.0.0.1:53", key.Secret, tc.flavor)
		if got := p.Capabilities().UnknownTypes; got != tc.unknown {
			t.Errorf("flavor %q: UnknownTypes %v before any call, want %v", tc.flavor, got, tc.unknown)
		}
	}
	if _, err := rfc2136.New(&config.Provider{Type: "rfc2136", Settings: &rfc2136.Settings{Server: "127.0.0.1", Flavor: "bindd"}}); err == nil || !strings.Contains(err.Error(), `flavor "bindd"`) {
		t.Errorf("unknown flavor: %v", err)
	}
	// NSD serves transfers but takes no UPDATE: nothing is sent.
	nsd := newFlavor(t, "127.0.0.1:1", key.Secret, "nsd")
	rr, _ := dns.NewRR("www.example.com. 300 IN A 192.0.2.1")
	set := mustSet(t, []dns.RR{rr})
	res, err := nsd.Apply(context.Background(), origin, []provider.Change{{Action: provider.Create, Name: set.Name, Type: set.Type, New: set}}, nil)
	if err == nil || !strings.Contains(err.Error(), "NSD takes no dynamic updates") || res.Requests != 0 || nsd.Updates() != 0 {
		t.Errorf("push to NSD: %v, %d requests", err, res.Requests)
	}
}

// TestCapabilitiesAfterRecords: reading a PowerDNS zone does not change
// what a generic provider says it holds (it used to sniff version.bind).
func TestCapabilitiesAfterRecords(t *testing.T) {
	s := servers[2]
	srv := start(t, s)
	p := newFlavor(t, srv.Addr, key.Secret, "")
	before := p.Capabilities().UnknownTypes
	if _, err := p.Records(context.Background(), origin); err != nil {
		t.Fatal(err)
	}
	if after := p.Capabilities().UnknownTypes; after != before {
		t.Errorf("UnknownTypes %v before Records, %v after", before, after)
	}
}

// slowProxy forwards DNS over TCP to addr, holding each answer back for
// delay: a slow link or a slow server.
func slowProxy(t *testing.T, addr string, delay time.Duration) string {
	t.Helper()
	return transfertest.Serve(t, func(c net.Conn) {
		s, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		done := make(chan struct{})
		go func() { io.Copy(s, c); s.Close(); close(done) }()
		defer func() { s.Close(); c.Close(); <-done }()
		for {
			var l [2]byte
			if _, err := io.ReadFull(s, l[:]); err != nil {
				return
			}
			b := make([]byte, binary.BigEndian.Uint16(l[:]))
			if _, err := io.ReadFull(s, b); err != nil {
				return
			}
			time.Sleep(delay)
			if _, err := c.Write(append(l[:], b...)); err != nil {
				return
			}
		}
	})
}

// TestSlowPushTSIG: each message is signed when it is sent, so a push that
// takes longer than the TSIG fudge is not refused (BADTIME) half-way.
func TestSlowPushTSIG(t *testing.T) {
	for _, s := range servers[:2] {
		t.Run(s.name, func(t *testing.T) {
			srv := start(t, s)
			// Answers come 0.8 s late, well inside the 2 s fudge; the
			// push takes longer than the fudge.
			p := newFlavor(t, slowProxy(t, srv.Addr, 800*time.Millisecond), key.Secret, s.name)
			rfc2136.SetLimits(p, 1200, 2)
			var b strings.Builder
			b.WriteString(conflictZone)
			for i := range 80 {
				b.WriteString("host" + strconv.Itoa(i) + " TXT \"some text to make the record longer " + strconv.Itoa(i) + "\"\n")
			}
			desired := parseZone(t, b.String())
			cur, err := p.Records(context.Background(), origin)
			if err != nil {
				t.Fatal(err)
			}
			pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
			res, err := p.Apply(context.Background(), origin, pl.Changes, nil)
			if err != nil {
				t.Fatalf("slow push: %v after %d messages", err, res.Requests)
			}
			if res.Requests < 4 {
				t.Fatalf("%d messages, want at least 4 (longer than the 2 s fudge)", res.Requests)
			}
			got, err := p.Records(context.Background(), origin)
			if err != nil {
				t.Fatal(err)
			}
			sameExceptSOA(t, desired, got)
		})
	}
}

// TestServerAddress: server is an IP address with an optional port (53 by
// default); a host name is refused, since dialing it would ask the system
// resolver, which dnsparity never uses.
func TestServerAddress(t *testing.T) {
	for _, tc := range []struct{ server, err string }{
		{"127.0.0.1", ""}, {"127.0.0.1:5300", ""}, {"::1", ""}, {"[::1]:5300", ""},
		{"primary.example.net:53", `"primary.example.net:53" is not an IP address`},
		{"localhost", `"localhost" is not an IP address`},
		{"127.0.0.1:99999", `bad port`},
	} {
		_, err := rfc2136.New(&config.Provider{Type: "rfc2136", Settings: &rfc2136.Settings{Server: tc.server}})
		if (tc.err == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("server %q: %v; want %q", tc.server, err, tc.err)
		}
	}
}
