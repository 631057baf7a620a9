package parity_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// anycast is one address in front of several nodes: each UDP query goes
// to the next node in turn, as anycast routing spreads resolvers over a
// provider's sites.
func anycast(t *testing.T, nodes ...string) string {
	t.Helper()
	return relay(t, nil, nodes...)
}

// relay is anycast, handing each query to seen first (nil: none).
func relay(t *testing.T, seen func(q []byte), nodes ...string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	var n atomic.Int64
	go func() {
		buf := make([]byte, 65535)
		for {
			k, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := append([]byte(nil), buf[:k]...)
			if seen != nil {
				seen(q)
			}
			node := nodes[int(n.Add(1))%len(nodes)]
			go func() {
				c, err := net.Dial("udp", node)
				if err != nil {
					return
				}
				defer c.Close()
				if _, err := c.Write(q); err != nil {
					return
				}
				_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
				rb := make([]byte, 65535)
				m, err := c.Read(rb)
				if err != nil {
					return
				}
				_, _ = pc.WriteTo(rb[:m], from)
			}()
		}
	}()
	return pc.LocalAddr().String()
}

// TestParityNSIDStaleNode: the new provider is anycast over two nodes, one
// of which serves a stale copy of the zone. Every difference names the
// stale node by its NSID (Knot nsid), the old answer its node (PowerDNS
// server-id); the up-to-date node (BIND server-id) is never blamed.
func TestParityNSIDStaleNode(t *testing.T) {
	lab.Require(t, "pdns_server", "knotd", "named")
	var cur, stale strings.Builder
	cur.WriteString(geoGit)
	stale.WriteString(strings.Replace(geoGit, " 1 3600", " 0 3600", 1))
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&cur, "n%02d IN A 192.0.2.%d\n", i, 100+i)
		fmt.Fprintf(&stale, "n%02d IN A 192.0.2.%d\n", i, 200+i)
	}
	z := loadText(t, cur.String())
	old := lab.PDNS(t, lab.Options{NSID: "pdns-1", Zones: []lab.Zone{{Origin: origin, Text: cur.String()}}})
	fra := lab.BIND(t, lab.Options{NSID: "fra1", Zones: []lab.Zone{{Origin: origin, Text: cur.String()}}})
	ams := lab.Knot(t, lab.Options{NSID: "ams1", Zones: []lab.Zone{{Origin: origin, Text: stale.String()}}})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := parity.Run(ctx, z, []parity.Target{{Addr: old.Addr}}, []parity.Target{{Addr: anycast(t, fra.Addr, ams.Addr)}},
		parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 4})
	if err != nil {
		t.Fatal(err)
	}
	dump(t, rep)
	n := 0
	for _, f := range rep.Findings {
		if f.Kind != "rdata" {
			continue
		}
		n++
		if f.NSIDNew != "ams1" || f.NSIDOld != "pdns-1" {
			t.Errorf("%s %s: nsid_old %q nsid_new %q, want pdns-1 and ams1 (the stale node)", f.Name, f.Type, f.NSIDOld, f.NSIDNew)
		}
	}
	if n == 0 {
		t.Errorf("no rdata finding: the stale node's answers were not seen")
	}
}
