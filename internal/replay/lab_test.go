package replay_test

import (
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/replay"
)

const zoneText = `$TTL 300
@	IN SOA ns1.replay.test. hostmaster.replay.test. 1 3600 600 604800 300
@	IN NS ns1.replay.test.
ns1	IN A 192.0.2.1
`

// ask sends the questions to addr, the last with an ECS option.
func ask(t *testing.T, addr string, subnet netip.Prefix, names ...string) {
	t.Helper()
	c := &dns.Client{Timeout: 2 * time.Second}
	for i, n := range names {
		m := new(dns.Msg)
		m.SetQuestion(n, dns.TypeAAAA)
		m.SetEdns0(1232, false)
		if i == len(names)-1 {
			m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1,
				SourceNetmask: uint8(subnet.Bits()), Address: subnet.Addr().AsSlice()}}
		}
		if _, _, err := c.Exchange(m, addr); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadFromServers: the query log BIND writes (querylog yes) and the
// dnstap files BIND and Knot write, read back: names with their case,
// the client subnet of the query that had one.
func TestLoadFromServers(t *testing.T) {
	lab.Require(t, "named", "knotd")
	eu := netip.MustParsePrefix("198.51.100.0/24")
	names := []string{"a.replay.test.", "MiXeD.replay.test.", "geo.replay.test."}
	dir := t.TempDir()
	z := []lab.Zone{{Origin: "replay.test.", Text: zoneText}}
	bindTap, knotTap := filepath.Join(dir, "bind.tap"), filepath.Join(dir, "knot.tap")
	bd := lab.BIND(t, lab.Options{Zones: z, QueryLog: true, Dnstap: bindTap})
	kn := lab.Knot(t, lab.Options{Zones: z, Dnstap: knotTap})
	ask(t, bd.Addr, eu, names...)
	ask(t, kn.Addr, eu, names...)
	bd.Stop()
	kn.Stop()
	for _, path := range []string{bd.Log, bindTap, knotTap} {
		l, err := replay.Load(path, func(n string) bool { return n != "replay.test." }, 0) // the lab's SOA probes left out
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		want := []replay.Question{
			{Name: "a.replay.test.", Type: dns.TypeAAAA},
			{Name: "MiXeD.replay.test.", Type: dns.TypeAAAA},
			{Name: "geo.replay.test.", Type: dns.TypeAAAA, Subnet: eu},
		}
		// Knot's worker threads write their messages in any order.
		got := map[replay.Question]bool{}
		for _, q := range l.Questions {
			got[q] = true
		}
		for _, q := range want {
			if !got[q] {
				t.Errorf("%s: %v is not among %v", filepath.Base(path), q, l.Questions)
			}
		}
		if len(l.Questions) != len(want) {
			t.Errorf("%s: %v, want %v", filepath.Base(path), l.Questions, want)
		}
	}
}
