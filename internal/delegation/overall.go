package delegation

import (
	"context"
	"fmt"
	"net"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// MaxReferral is the largest referral that fits the EDNS payload size of
// the DNS Flag Day 2020 (1232 octets): resolvers then never need TCP for
// it nor get it truncated.
const MaxReferral = 1232

// nsCount: at least MinNS names and as many distinct addresses, and,
// when any name has an IPv4 address, at least MinNS names with one
// (Zonemaster DELEGATION01, DELEGATION02; RFC 1034 §4.1, RFC 2182 §5).
func (t *Target) nsCount(r *Result) Check {
	min := t.Policy.minNS()
	c := Check{Name: CheckNSCount, Asked: "the NS set the step installs and its addresses",
		Expected: fmt.Sprintf("at least %d names with %d distinct addresses, and %d with IPv4 when any has IPv4", min, min, min), Ref: "Zonemaster DELEGATION01 (NOT_ENOUGH_NS_DEL, NOT_ENOUGH_IPV4_NS_DEL), DELEGATION02; RFC 1034 §4.1, RFC 2182 §5"}
	distinct := r.owners()
	var v4, noV4 []string
	for _, n := range t.NS {
		if hasFamily(r.Addrs[n], true) {
			v4 = append(v4, n)
		} else if len(r.Addrs[n]) > 0 {
			noV4 = append(noV4, n)
		}
	}
	c.Got = fmt.Sprintf("%d names, %d distinct addresses, %d names with IPv4", len(t.NS), len(distinct), len(v4))
	conf := ""
	if t.Policy.MinNS > 0 {
		conf = fmt.Sprintf(" (policy.delegation.min_ns %d)", t.Policy.MinNS)
	}
	switch {
	case len(t.NS) < min:
		c.Detail = fmt.Sprintf("the delegation has %s (%s); at least %d are required%s so that one server failing does not take the zone down", plural.N(len(t.NS), "NS name", "NS names"), strings.Join(t.NS, " "), min, conf)
		c.Fix = fmt.Sprintf("add a second nameserver of the %s provider to providers.%s.delegation (and its address to nameservers), or set policy.delegation.min_ns: 1 if a single server is really meant", t.Side, t.Side)
	case len(r.Addrs) > 0 && len(distinct) < min:
		var shared []string
		for a, ns := range distinct {
			if len(ns) > 1 { // each list sorted (Result.owners)
				shared = append(shared, fmt.Sprintf("%s is %s", a, strings.Join(ns, " and ")))
			}
		}
		sort.Strings(shared)
		c.Detail = fmt.Sprintf("%d names but only %d distinct address(es)%s: %s (DEL_NS_SAME_IP)", len(t.NS), len(distinct), conf, strings.Join(shared, "; "))
		c.Fix = fmt.Sprintf("give each name of providers.%s.delegation its own server address", t.Side)
	case len(v4) > 0 && len(v4) < min && len(noV4) > 0:
		// Zonemaster DELEGATION01 NOT_ENOUGH_IPV4_NS_DEL (ERROR):
		// IPv4-only resolvers have fewer servers than
		// the minimum; none at all is ns-ipv4's warning. Its IPv6
		// twin is left to the fr profile: a dual-stack resolver falls
		// back to IPv4, and IPv6-only ones (behind NAT64) are few.
		c.Detail = fmt.Sprintf("IPv4 for %d of the %d NS names only (%s; IPv6 only: %s): IPv4-only resolvers reach the zone through fewer than the %d names required%s, and one server failing strands them (NOT_ENOUGH_IPV4_NS_DEL)",
			len(v4), len(t.NS), strings.Join(v4, " "), strings.Join(noV4, " "), min, conf)
		c.Fix = fmt.Sprintf("give %s an IPv4 address too (glue, or its A record), or delegate to another name of the %s provider with one", strings.Join(noV4, " and "), t.Side)
	default:
		c.OK = true
		c.Detail = fmt.Sprintf("%d NS names, %d distinct addresses, %d with IPv4", len(t.NS), len(distinct), len(v4))
	}
	return c
}

// nsDiversity: the addresses are not all in one IPv4 /24 or one IPv6 /48
// (RFC 2182 §3.1; Zonemaster CONNECTIVITY04, which asks a routing database
// for the announced prefix where this uses the /24 and /48 registries
// commonly count as one network).
func (t *Target) nsDiversity(r *Result) Check {
	c := Check{Name: CheckNSDiversity, Asked: "the addresses of the NS set", Expected: "more than one IPv4 /24 and more than one IPv6 /48",
		Ref: "RFC 2182 §3.1; Zonemaster CONNECTIVITY04"}
	var v4, v6 []string
	for _, as := range r.Addrs {
		for _, a := range as {
			ip := net.ParseIP(a)
			if ip == nil {
				continue
			}
			if ip.To4() != nil {
				v4 = append(v4, a)
			} else {
				v6 = append(v6, a)
			}
		}
	}
	var single []string
	for _, fam := range []struct {
		addrs []string
		bits  int
		name  string
	}{{v4, 24, "IPv4 /24"}, {v6, 48, "IPv6 /48"}} {
		if len(fam.addrs) == 0 {
			continue
		}
		nets := map[string]bool{}
		for _, a := range fam.addrs {
			ip := net.ParseIP(a)
			l := 32
			if ip.To4() == nil {
				l = 128
			}
			nets[ip.Mask(net.CIDRMask(fam.bits, l)).String()] = true
		}
		if len(nets) < 2 {
			for n := range nets {
				single = append(single, fmt.Sprintf("every %s address is in %s/%d", strings.SplitN(fam.name, " ", 2)[0], n, fam.bits))
			}
		}
	}
	c.Got = strings.Join(append(uniqueSorted(v4), uniqueSorted(v6)...), " ")
	switch {
	case len(v4)+len(v6) == 0:
		c.Detail = "no address to compare (see ns-resolves)"
	case len(single) > 0:
		c.Detail = strings.Join(single, "; ") + ": one network failing (a route, a data centre) takes every server of the side away"
		c.Fix = fmt.Sprintf("put the %s side's servers in at least two networks (another /24 for IPv4, /48 for IPv6), or accept it with policy.delegation.accept: [ns-diversity]", t.Side)
	default:
		c.OK = true
		c.Detail = "the addresses are spread over more than one network per address family"
	}
	return c
}

// nsIPv4: at least one name of the delegation has an IPv4 address
// (Zonemaster DELEGATION01 NO_IPV4_NS_DEL, a WARNING; RFC 3901 §3: every
// zone should be served by at least one IPv4-reachable authoritative
// server): IPv4-only resolvers, still most of them, cannot reach an
// IPv6-only delegation at all. A warning: an IPv6-only zone on purpose is
// accepted with policy.delegation.accept.
func (t *Target) nsIPv4(r *Result) Check {
	c := Check{Name: CheckNSIPv4, Asked: "the addresses of the NS set", Expected: "at least one name with an IPv4 address",
		Ref: "Zonemaster DELEGATION01 NO_IPV4_NS_DEL; RFC 3901 §3"}
	n := familyCount(r, true)
	c.Got = fmt.Sprintf("%d of %d names with an IPv4 address", n, len(t.NS))
	switch {
	case len(r.Addrs) == 0:
		c.OK = true
		c.Detail = "no address to judge (see ns-resolves)"
	case n == 0:
		c.Detail = fmt.Sprintf("no name of the delegation (%s) has an IPv4 address: IPv4-only resolvers cannot reach the zone at all after the step", strings.Join(t.NS, " "))
		c.Fix = fmt.Sprintf("give the %s side's names IPv4 addresses (glue, A records, providers.%s.nameservers), or accept an IPv6-only zone with policy.delegation.accept: [ns-ipv4]", t.Side, t.Side)
	default:
		c.OK = true
		c.Detail = c.Got
	}
	return c
}

func uniqueSorted(xs []string) []string {
	m := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !m[x] {
			m[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// referralSize builds, with miekg/dns, the referral the parent will send
// for the worst question a resolver can ask (a name of 255 octets under
// the apex, as Zonemaster DELEGATION03 does, with EDNS and DO as
// resolvers send): the NS set in the authority section with the DS set
// and the signatures and denial the parent serves for it now, and in the
// additional section every address of the names in the parent's
// bailiwick (the glue the parent must, or may, add). It must fit 1232
// octets.
func (t *Target) referralSize(ctx context.Context, r *Result) (int, Check) {
	c := Check{Name: CheckReferralSize, Expected: fmt.Sprintf("at most %d octets", MaxReferral), Ref: "DNS Flag Day 2020 (1232); Zonemaster DELEGATION03; RFC 9471"}
	m, parts := t.referral(ctx, r, true)
	size := m.Len()
	c.Asked = "the parent's referral for a 255-octet name under " + t.Zone + " with " + parts
	c.Got = fmt.Sprintf("%d octets", size)
	if size > MaxReferral {
		c.Detail = fmt.Sprintf("the parent's referral would be %d octets (%s), over %d: resolvers get it truncated and must retry over TCP, or lose glue", size, parts, MaxReferral)
		c.Fix = fmt.Sprintf("shorten the delegation: fewer or shorter NS names in providers.%s.delegation, or names outside the parent zone (no glue)", t.Side)
		return size, c
	}
	c.OK = true
	c.Detail = fmt.Sprintf("the parent's referral is %d octets (%s)", size, parts)
	return size, c
}

// referral is the referral message: the NS set, the DS set (and, with
// withDNSSEC, the records the parent signs it with), and glue for every
// name in the parent's bailiwick.
func (t *Target) referral(ctx context.Context, r *Result, withDNSSEC bool) (*dns.Msg, string) {
	m := new(dns.Msg)
	m.SetQuestion(longName(t.Zone), dns.TypeA)
	m.Response = true
	m.Compress = true
	ttl := uint32(86400)
	for _, n := range t.NS {
		m.Ns = append(m.Ns, &dns.NS{Hdr: dns.RR_Header{Name: t.Zone, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: ttl}, Ns: n})
	}
	ds := 0
	for _, d := range t.DS {
		if rr, err := dns.NewRR(t.Zone + " 86400 IN DS " + d); err == nil {
			m.Ns = append(m.Ns, rr)
			ds++
		}
	}
	sigs := 0
	if withDNSSEC {
		for _, rr := range t.parentDNSSEC(ctx) {
			m.Ns = append(m.Ns, rr)
			sigs++
		}
	}
	glue := 0
	bailiwick := t.ParentZone
	if bailiwick == "" {
		bailiwick = t.Zone
	}
	for _, n := range t.NS {
		if !inBailiwick(n, bailiwick) {
			continue
		}
		for _, a := range r.Addrs[n] {
			ip := net.ParseIP(a)
			switch {
			case ip == nil:
			case ip.To4() != nil:
				m.Extra = append(m.Extra, &dns.A{Hdr: dns.RR_Header{Name: n, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: ttl}, A: ip})
				glue++
			default:
				m.Extra = append(m.Extra, &dns.AAAA{Hdr: dns.RR_Header{Name: n, Rrtype: dns.TypeAAAA, Class: dns.ClassINET, Ttl: ttl}, AAAA: ip})
				glue++
			}
		}
	}
	m.SetEdns0(MaxReferral, true)
	parts := fmt.Sprintf("%d NS, %d DS, %d DNSSEC records of the parent, %d glue addresses, OPT", len(t.NS), ds, sigs, glue)
	return m, parts
}

// parentDNSSEC is what a signed parent adds to the referral now: the
// RRSIGs over the DS set, or the NSEC/NSEC3 proof of no DS with their
// RRSIGs, asked of the first parent server that answers (DO=1).
func (t *Target) parentDNSSEC(ctx context.Context) []dns.RR {
	for _, s := range t.ParentServers {
		r, err := query.Msg(ctx, s, t.Zone, dns.TypeDS, query.MsgOptions{Timeout: t.Timeout, Tries: 1, DO: true})
		if err != nil || !r.Authoritative {
			continue
		}
		var out []dns.RR
		for _, rr := range append(append([]dns.RR{}, r.Answer...), r.Ns...) {
			switch rr.Header().Rrtype {
			case dns.TypeRRSIG, dns.TypeNSEC, dns.TypeNSEC3:
				out = append(out, rr)
			}
		}
		return out
	}
	return nil
}

// longName is a name of 255 octets (wire form) under z: labels of up to
// 63 octets before it.
func longName(z string) string {
	z = zone.Fold(dns.Fqdn(z))
	room := 255 - wireLen(z)
	var labels []string
	for room > 1 {
		n := min(63, room-1)
		labels = append(labels, strings.Repeat("a", n))
		room -= n + 1
	}
	if len(labels) == 0 {
		return z
	}
	return strings.Join(labels, ".") + "." + z
}

func wireLen(name string) int {
	if name == "." {
		return 1
	}
	return len(name) + 1
}
