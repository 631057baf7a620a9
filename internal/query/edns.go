package query

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strings"

	"github.com/miekg/dns"
)

// EDNS options a query may carry (RFC 6891 §6.1.2), packed once per client
// and appended to every query's OPT record.
const (
	optNSID   = 3 // RFC 5001: the responding server's identifier
	optSubnet = 8 // RFC 7871: EDNS Client Subnet
)

// ParseSubnet reads a client subnet "203.0.113.0/24" or "2001:db8:1::/48"
// (an address alone is a /32 or /128). The host bits must be zero, as RFC
// 7871 §6 requires of a query's ADDRESS; a prefix longer than /24 (IPv4)
// or /56 (IPv6) is allowed but discouraged by §11.1 for privacy.
func ParseSubnet(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	p, err := netip.ParsePrefix(s)
	if err != nil {
		a, aerr := netip.ParseAddr(s)
		if aerr != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a subnet (CIDR such as 203.0.113.0/24 or 2001:db8:1::/48)", s)
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if p.Addr().Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q: a zone is not allowed in a client subnet", s)
	}
	if p.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Errorf("%q: write an IPv4 subnet as IPv4 (203.0.113.0/24)", s)
	}
	if p.Masked() != p {
		return netip.Prefix{}, fmt.Errorf("%q has host bits set (did you mean %s?)", s, p.Masked())
	}
	return p, nil
}

// appendOptions appends the EDNS options of a query to b: an empty NSID
// option when nsid (the server fills it in its response), and an ECS
// option for subnet when it is valid (family, SOURCE PREFIX-LENGTH, SCOPE
// PREFIX-LENGTH 0, and the address cut to the octets the prefix covers:
// RFC 7871 §6).
func appendOptions(b []byte, nsid bool, subnet netip.Prefix) []byte {
	if nsid {
		b = binary.BigEndian.AppendUint16(b, optNSID)
		b = binary.BigEndian.AppendUint16(b, 0)
	}
	if subnet.IsValid() {
		family := uint16(1)
		if subnet.Addr().Is6() {
			family = 2
		}
		n := (subnet.Bits() + 7) / 8
		addr := subnet.Addr().AsSlice()[:n]
		b = binary.BigEndian.AppendUint16(b, optSubnet)
		b = binary.BigEndian.AppendUint16(b, uint16(4+n))
		b = binary.BigEndian.AppendUint16(b, family)
		b = append(b, byte(subnet.Bits()), 0)
		b = append(b, addr...)
	}
	return b
}

// ednsOptions are the EDNS options as miekg/dns values (for Msg).
func ednsOptions(nsid, expire bool, subnet netip.Prefix) []dns.EDNS0 {
	var out []dns.EDNS0
	if nsid {
		out = append(out, &dns.EDNS0_NSID{Code: dns.EDNS0NSID})
	}
	if expire {
		// Sent empty (RFC 7314 §2).
		out = append(out, &dns.EDNS0_EXPIRE{Code: dns.EDNS0EXPIRE, Empty: true})
	}
	if subnet.IsValid() {
		family := uint16(1)
		if subnet.Addr().Is6() {
			family = 2
		}
		out = append(out, &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: family,
			SourceNetmask: uint8(subnet.Bits()), Address: subnet.Addr().AsSlice()})
	}
	return out
}

// readEDNS fills the answer's NSID and ECS fields from the response's OPT
// record.
func readEDNS(a *Answer, m *dns.Msg) {
	for _, rr := range m.Extra {
		opt, ok := rr.(*dns.OPT)
		if !ok {
			continue
		}
		for _, o := range opt.Option {
			switch o := o.(type) {
			case *dns.EDNS0_NSID:
				a.NSID = nsidText(o.Nsid)
			case *dns.EDNS0_SUBNET:
				a.ECS, a.Scope = true, o.SourceScope
			}
		}
		return
	}
}

// nsidText is an NSID as text: the string when it is printable ASCII (what
// operators configure: "fra1.ns.example"), else hex.
func nsidText(h string) string {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) == 0 {
		return h
	}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return h
		}
	}
	return string(b)
}

// Expire is the EDNS EXPIRE option of response m (RFC 7314): the seconds
// a secondary's copy of the zone has left, or a primary's SOA expire
// field; ok false when m carries none.
func Expire(m *dns.Msg) (secs uint32, ok bool) {
	opt := m.IsEdns0()
	if opt == nil {
		return 0, false
	}
	for _, o := range opt.Option {
		if e, isExpire := o.(*dns.EDNS0_EXPIRE); isExpire && !e.Empty {
			return e.Expire, true
		}
	}
	return 0, false
}
