package delegation

import (
	"strings"
	"testing"
)

// TestNotGlobal: IANA's special-purpose registries, the globally
// reachable entries inside a larger block included (ADDRESS01).
func TestNotGlobal(t *testing.T) {
	for ip, want := range map[string]string{
		"8.8.8.8": "", "2001:4860:4860::8888": "", "192.0.0.9": "", "2001:4:112::1": "", "2001:3::1": "", "64:ff9b::808:808": "",
		"10.1.2.3": "Private-Use", "172.31.0.1": "Private-Use", "192.168.1.1": "Private-Use", "100.64.0.1": "Shared Address Space",
		"127.53.0.2": "Loopback", "169.254.1.1": "Link Local", "192.0.2.53": "Documentation (TEST-NET-1)", "198.51.100.1": "Documentation (TEST-NET-2)",
		"203.0.113.1": "Documentation (TEST-NET-3)", "0.1.2.3": "\"This network\"", "198.18.0.1": "Benchmarking", "240.0.0.1": "Reserved", "224.0.0.1": "Multicast",
		"192.0.0.8": "IETF Protocol Assignments", "::1": "Loopback Address", "fd00:53::1": "Unique-Local", "fe80::1": "Link-Local Unicast",
		"2001:db8::53": "Documentation", "3fff::1": "Documentation", "2001:2::1": "IETF Protocol Assignments", "::ffff:8.8.8.8": "IPv4-mapped Address",
		"ff02::1": "Multicast", "nonsense": "not an IP address",
	} {
		got := ""
		if b := notGlobal(ip); b != nil {
			got = b.name
		}
		if got != want {
			t.Errorf("notGlobal(%s) = %q, want %q", ip, got, want)
		}
	}
}

// TestNSAddressParentNetwork: a name's address that is not globally
// reachable fails, as an error, unless a parent server is in its block or
// every parent server is itself not globally reachable; with no parent
// server named, it fails.
func TestNSAddressParentNetwork(t *testing.T) {
	nr := nameResult{name: "ns1.example.net.", addrs: []string{"10.0.0.53", "8.8.4.4"}}
	for _, tc := range []struct {
		parents []string
		ok      bool
		detail  string
	}{
		{[]string{"198.41.0.4:53", "[2001:503:ba3e::2:30]:53"}, false, "10.0.0.53 is Private-Use (10.0.0.0/8, RFC 1918)"},
		{nil, false, "10.0.0.53 is Private-Use"},
		{[]string{"198.41.0.4:53", "172.16.0.1:53"}, false, "10.0.0.53 is Private-Use (10.0.0.0/8"}, // another block
		{[]string{"198.41.0.4:53", "10.9.9.9:53"}, true, "10.0.0.53 (Private-Use 10.0.0.0/8, as the parent's server 10.9.9.9:53)"},
		// A parent wholly in private networks (the lab, an internal tree):
		// which addresses its resolvers reach is not judged.
		{[]string{"172.16.0.1:53"}, true, "not judged: the parent's servers (172.16.0.1:53) are not globally reachable either"},
		{[]string{"127.53.0.4:53", "[::1]:53"}, true, "not judged"},
	} {
		tg := Target{Side: "new", ParentServers: tc.parents}
		c := tg.nsAddress(nr)
		if c.OK != tc.ok || !strings.Contains(c.Detail, tc.detail) || c.Name != CheckNSAddress || !c.OK && c.Fix == "" {
			t.Errorf("parents %v: ok %v (want %v): %s", tc.parents, c.OK, tc.ok, c.Detail)
		}
	}
	if levels[CheckNSAddress] != SevError {
		t.Errorf("ns-address fails as %q, want error (A01_* are ERROR)", levels[CheckNSAddress])
	}
	if c := (&Target{ParentServers: []string{"198.41.0.4:53"}}).nsAddress(nameResult{name: "a.", addrs: []string{"8.8.8.8", "2606:4700::1"}}); !c.OK {
		t.Errorf("public addresses fail: %s", c.Detail)
	}
}

// TestAddressOwners: the address checks count the names at each address
// once each: an address listed twice for one name (glue given twice) is
// not shared with another name (no-shared-ip), and that name still has
// it alone (one distinct address); two names at one address share it.
// On the code before, no-shared-ip counted the name twice and refused
// "192.0.2.1 for ns1.example. and ns1.example.".
func TestAddressOwners(t *testing.T) {
	for _, tc := range []struct {
		name                string
		addrs               map[string][]string
		shared, distinctOne bool
		count               string // nsCount's Got
	}{
		{"one name's address listed twice", map[string][]string{"ns1.example.": {"192.0.2.1", "192.0.2.1"}, "ns2.example.": {"192.0.2.2"}}, false, true, "2 names, 2 distinct addresses, 2 names with IPv4"},
		{"two names at one address", map[string][]string{"ns1.example.": {"192.0.2.1"}, "ns2.example.": {"192.0.2.1"}}, true, false, "2 names, 1 distinct addresses, 2 names with IPv4"},
		{"distinct", map[string][]string{"ns1.example.": {"192.0.2.1"}, "ns2.example.": {"192.0.2.2", "2001:db8::2"}}, false, true, "2 names, 3 distinct addresses, 2 names with IPv4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Result{Addrs: tc.addrs}
			tg := &Target{NS: []string{"ns1.example.", "ns2.example."}}
			if ok, why := noSharedIP(tg, r); ok == tc.shared {
				t.Errorf("no-shared-ip %v (%s), want %v", ok, why, !tc.shared)
			}
			if ok, why := oneDistinct(tg, r); ok != tc.distinctOne {
				t.Errorf("one distinct address %v (%s), want %v", ok, why, tc.distinctOne)
			}
			if c := tg.nsCount(r); c.Got != tc.count {
				t.Errorf("ns-count got %q, want %q", c.Got, tc.count)
			}
		})
	}
}
