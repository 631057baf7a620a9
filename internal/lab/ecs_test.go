package lab

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// geoZone is the default geo answers of www (everyone outside the regions)
// and a plain record.
const geoZone = `$TTL 300
@	IN SOA ns1.geo.test. hostmaster.geo.test. 1 3600 600 604800 300
@	IN NS ns1.geo.test.
ns1	IN A 192.0.2.1
plain	IN A 192.0.2.99
`

// askECS asks name A with an ECS option for subnet (and NSID) and returns
// the response.
func askECS(t *testing.T, addr, name, subnet string) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	m.RecursionDesired = false
	m.SetEdns0(1232, false)
	opt := m.IsEdns0()
	opt.Option = append(opt.Option, &dns.EDNS0_NSID{Code: dns.EDNS0NSID})
	if subnet != "" {
		ip, n, err := net.ParseCIDR(subnet)
		if err != nil {
			t.Fatal(err)
		}
		ones, _ := n.Mask.Size()
		opt.Option = append(opt.Option, &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1, SourceNetmask: uint8(ones), Address: ip.To4()})
	}
	c := &dns.Client{Timeout: 2 * time.Second}
	r, _, err := c.Exchange(m, addr)
	if err != nil {
		t.Fatalf("%s A (ECS %s) @%s: %v", name, subnet, addr, err)
	}
	return r
}

func ecsOf(r *dns.Msg) (nsid string, scope int, addrs []string) {
	scope = -1
	if opt := r.IsEdns0(); opt != nil {
		for _, o := range opt.Option {
			switch o := o.(type) {
			case *dns.EDNS0_NSID:
				b, _ := hexDecode(o.Nsid)
				nsid = string(b)
			case *dns.EDNS0_SUBNET:
				scope = int(o.SourceScope)
			}
		}
	}
	for _, rr := range r.Answer {
		if a, ok := rr.(*dns.A); ok {
			addrs = append(addrs, a.A.String())
		}
	}
	return
}

func hexDecode(s string) ([]byte, error) {
	b := make([]byte, len(s)/2)
	for i := range b {
		var v byte
		for _, c := range s[2*i : 2*i+2] {
			v <<= 4
			switch {
			case c >= '0' && c <= '9':
				v |= byte(c - '0')
			case c >= 'a' && c <= 'f':
				v |= byte(c - 'a' + 10)
			}
		}
		b[i] = v
	}
	return b, nil
}

// TestECSGeo: PowerDNS LUA records (view() by the ECS subnet) and Knot's
// mod-geoip in subnet mode serve the same geo policy; both return their
// NSID; BIND returns its NSID and ignores ECS.
func TestECSGeo(t *testing.T) {
	pd := PDNS(t, Options{LUA: true, NSID: "pdns-lab", Zones: []Zone{{Origin: "geo.test.", Text: geoZone +
		`www	IN LUA A "view({{{'198.51.100.0/24'}, {'192.0.2.10'}}, {{'203.0.113.0/24'}, {'192.0.2.20'}}, {{'0.0.0.0/0', '::/0'}, {'192.0.2.30'}}})"` + "\n"}}})
	kn := Knot(t, Options{NSID: "knot-lab", Zones: []Zone{{Origin: "geo.test.", Text: geoZone + "www	IN A 192.0.2.30\n"}},
		GeoIP: "www.geo.test:\n  - net: 198.51.100.0/24\n    A: 192.0.2.10\n  - net: 203.0.113.0/24\n    A: 192.0.2.20\n"})
	tap := filepath.Join(t.TempDir(), "bind.tap")
	bd := BIND(t, Options{NSID: "bind-lab", Dnstap: tap, Zones: []Zone{{Origin: "geo.test.", Text: geoZone + "www	IN A 192.0.2.30\n"}}})
	for _, c := range []struct {
		srv          *Server
		nsid, subnet string
		want         string
		scope        int // -1: no ECS option in the response
	}{
		// PowerDNS returns the source prefix as the scope of every LUA
		// answer; Knot the matched region's prefix, 0 when none matched;
		// BIND echoes the option with scope 0 (it ignores ECS).
		{pd.Server, "pdns-lab", "198.51.100.0/24", "192.0.2.10", 24},
		{pd.Server, "pdns-lab", "203.0.113.0/24", "192.0.2.20", 24},
		{pd.Server, "pdns-lab", "192.0.2.0/24", "192.0.2.30", 24},
		{pd.Server, "pdns-lab", "", "192.0.2.30", -1},
		{kn, "knot-lab", "198.51.100.0/24", "192.0.2.10", 24},
		{kn, "knot-lab", "203.0.113.0/24", "192.0.2.20", 24},
		{kn, "knot-lab", "192.0.2.0/24", "192.0.2.30", 0},
		{kn, "knot-lab", "", "192.0.2.30", -1},
		{bd, "bind-lab", "198.51.100.0/24", "192.0.2.30", 0},
	} {
		r := askECS(t, c.srv.Addr, "www.geo.test.", c.subnet)
		nsid, scope, addrs := ecsOf(r)
		if nsid != c.nsid || len(addrs) != 1 || addrs[0] != c.want || scope != c.scope {
			t.Errorf("%s ECS %q: %v scope %d nsid %q, want %s scope %d nsid %s", c.srv.Kind, c.subnet, addrs, scope, nsid, c.want, c.scope, c.nsid)
		}
		// A record that is not geo: scope 0 (no option without ECS).
		want := 0
		if c.subnet == "" {
			want = -1
		}
		if _, scope, _ := ecsOf(askECS(t, c.srv.Addr, "plain.geo.test.", c.subnet)); scope != want {
			t.Errorf("%s plain.geo.test. ECS %q: scope %d, want %d", c.srv.Kind, c.subnet, scope, want)
		}
	}
	bd.Stop()
	st, err := os.Stat(tap)
	if err != nil || st.Size() == 0 {
		t.Errorf("BIND wrote no dnstap file: %v", err)
	}
}
