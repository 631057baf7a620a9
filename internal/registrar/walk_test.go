package registrar

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// Walking from root hints down to the servers that hold a delegation.
func TestWalkLab(t *testing.T) {
	lab.Require(t, "named")
	parentIP := lab.Addr(t)
	parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{
		{Origin: "test.", Text: "$TTL 60\n@ SOA ns.test. h.test. 1 60 60 60 60\n@ NS ns.test.\nns A " + parentIP + "\nexample NS ns1.example.test.\nns1.example A 192.0.2.1\n"},
		{Origin: "example2.test.", Text: "$TTL 60\n@ SOA ns.test. h.test. 1 60 60 60 60\n@ NS ns.test.\n"},
	}})
	root := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: ".", Text: "$TTL 60\n@ SOA a.root. h.root. 1 60 60 60 60\n@ NS a.root.\na.root. A 127.0.0.1\ntest. NS ns.test.\nns.test. A " + parentIP + "\nother. NS ns.elsewhere.net.\n"}}})
	ctx := context.Background()
	tests := []struct {
		start []string
		zone  string
		want  string
		err   string
	}{
		{[]string{root.Addr}, "example.test.", parent.Addr, ""},
		{[]string{parent.IP}, "example.test.", parent.Addr, ""},
		{[]string{root.Addr}, "example2.test.", parent.Addr, ""}, // the parent serves the child itself
		{[]string{root.Addr}, "x.other.", "", "no glue"},
	}
	for _, tt := range tests {
		got, err := Walk(ctx, tt.start, tt.zone, time.Second)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Walk(%v, %s): %v %v, want error %q", tt.start, tt.zone, got, err, tt.err)
			}
			continue
		}
		if err != nil || strings.Join(got, " ") != tt.want {
			t.Errorf("Walk(%v, %s) = %v %v, want %s", tt.start, tt.zone, got, err, tt.want)
		}
	}
}

// Lookup asks the parent's servers; a server that is not the parent's
// (here the root, which only refers) is an error, not "no DS".
// TestLookupLab: a parent server's referral, read as resolvers get it:
// the NS set with its TTL, the glue with its own TTL (GlueTTL: resolvers
// keep the addresses that long, old_delegation_expires counts it), the
// DS set with its TTL.
func TestLookupLab(t *testing.T) {
	lab.Require(t, "named")
	parentIP := lab.Addr(t)
	parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.", Text: "$TTL 60\n@ SOA ns.test. h.test. 1 60 60 60 60\n@ NS ns.test.\nns A " + parentIP + "\nexample 7 NS ns1.example.test.\nexample 7 NS ns.elsewhere.net.\nns1.example 11 A 192.0.2.1\nexample 9 DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n"}}})
	root := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: ".", Text: "$TTL 60\n@ SOA a.root. h.root. 1 60 60 60 60\n@ NS a.root.\na.root. A 127.0.0.1\ntest. NS ns.test.\nns.test. A " + parentIP + "\n"}}})
	views := Lookup(context.Background(), []string{parent.Addr, root.Addr}, "example.test.", time.Second)
	d := views[0].Delegation
	if views[0].Err != "" || strings.Join(d.NS, " ") != "ns.elsewhere.net. ns1.example.test." || d.NSTTL != 7 || d.GlueTTL != 11 || len(d.DS) != 1 || d.DSTTL != 9 || d.Glue["ns1.example.test."][0] != "192.0.2.1" {
		t.Errorf("at the parent: %+v %s", d, views[0].Err)
	}
	if views[1].Err == "" {
		t.Errorf("the root is not the parent: %+v", views[1])
	}
	if _, ok := Agreed(views); ok {
		t.Error("Agreed with a server that failed")
	}
}

// TestAddressesOnly: a server given by name is an error before anything
// is asked (its address would need the system resolver, which is never
// used); an address without a port gets 53.
func TestAddressesOnly(t *testing.T) {
	ctx := context.Background()
	views := Lookup(ctx, []string{"a.nic.test", "127.0.0.1:1", "127.0.0.99"}, "example.test.", 200*time.Millisecond)
	if !strings.Contains(views[0].Err, `"a.nic.test" is not an IP address`) || views[0].Server != "a.nic.test" {
		t.Errorf("a name: %+v", views[0])
	}
	if views[1].Server != "127.0.0.1:1" || views[1].Err == "" {
		t.Errorf("an address: %+v", views[1])
	}
	if views[2].Server != "127.0.0.99:53" {
		t.Errorf("an address without a port: %+v", views[2])
	}
	if _, err := Walk(ctx, []string{"127.0.0.1:1", "a.root.example"}, "example.test.", 200*time.Millisecond); err == nil || !strings.Contains(err.Error(), `"a.root.example" is not an IP address`) {
		t.Errorf("Walk from a name: %v", err)
	}
}

// TestWalkRefusedSaidOfEveryServer: "nothing listens on that address
// and port" is said only when every server the caller named refused:
// with one that refuses and one that does not answer, the message says
// no answer, not that the caller's addresses are wrong.
func TestWalkRefusedSaidOfEveryServer(t *testing.T) {
	silent, err := net.ListenPacket("udp", lab.Addr(t)+":53") // holds the port, answers nothing
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	refused := lab.Addr(t) + ":53" // reserved, nothing listens
	for _, c := range []struct {
		name    string
		servers []string
		said    bool
	}{
		{"every server refuses", []string{refused}, true},
		{"one is silent, one refuses (asked last)", []string{silent.LocalAddr().String(), refused}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Walk(context.Background(), c.servers, "example.test.", 200*time.Millisecond)
			if err == nil || strings.Contains(err.Error(), "nothing listens") != c.said {
				t.Errorf("Walk(%v): %v; want 'nothing listens' said: %v", c.servers, err, c.said)
			}
		})
	}
}
