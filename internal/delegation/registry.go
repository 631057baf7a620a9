package delegation

import (
	"fmt"
	"maps"
	"net"
	"slices"
	"sort"
	"strings"

	"github.com/miekg/dns"
)

// Profile is a registry's pre-delegation rules (policy.registry): what the
// registry checks before it accepts an NS change, so that a flip that
// passes here is not refused there.
type Profile struct {
	Name     string   // "de", "fr"
	Registry string   // who enforces it
	Sources  []string // where the rules are published
	Rules    []Rule
}

// Rule is one rule of a profile.
type Rule struct {
	ID       string // the registry's (or its checker's) identifier
	Text     string // the rule in a sentence
	Severity string // error: the registry refuses; warning: it reports
	// eval says whether the delegation keeps the rule, and what was found.
	eval func(t *Target, r *Result) (ok bool, got string)
}

// ProfileNames are the registry profiles shipped.
func ProfileNames() []string {
	var out []string
	for n := range profiles {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// LookupProfile returns the profile policy.registry names ("" is none).
func LookupProfile(name string) (*Profile, error) {
	if name == "" {
		return nil, nil
	}
	p, ok := profiles[strings.TrimPrefix(strings.ToLower(name), ".")]
	if !ok {
		return nil, fmt.Errorf("policy.registry: no profile %q (profiles: %s)", name, strings.Join(ProfileNames(), ", "))
	}
	return p, nil
}

// evaluate turns the rules into registry checks.
func (p *Profile) evaluate(t *Target, r *Result) []Check {
	var out []Check
	for _, rule := range p.Rules {
		ok, got := rule.eval(t, r)
		c := Check{Name: CheckRegistry, OK: ok, Asked: fmt.Sprintf("%s (%s): %s", rule.ID, p.Registry, rule.Text), Got: got, Ref: rule.ID + "; " + strings.Join(p.Sources, "; ")}
		if ok {
			c.Detail = fmt.Sprintf("%s: %s: kept (%s)", p.Registry, rule.Text, got)
		} else {
			c.Severity = rule.Severity
			verb := "would refuse the NS change"
			if rule.Severity == SevWarning {
				verb = "would report a warning"
			}
			c.Detail = fmt.Sprintf("%s %s: %s (%s); found %s", p.Registry, verb, rule.Text, rule.ID, got)
			c.Fix = fmt.Sprintf("meet %s's rule %s (%s) on the %s side before the step", p.Registry, rule.ID, rule.Text, t.Side)
		}
		out = append(out, c)
	}
	return out
}

var profiles = map[string]*Profile{
	"de": {
		Name:     "de",
		Registry: "DENIC (.de)",
		Sources: []string{
			"DENIC-23 Nameserver Predelegation Check, §2.1.1, §2.1.2 (docs.denic.de/en/Content/DENIC-23/Nameserver_Predelegation_Check.htm)",
			"the checks of DENIC's predelegation robot and its SOA ranges as registrars publish them (Joker.com FAQ: 'How do I configure my nameserver for a .de domain?', 'What are SOA records and what are the requirements given by DENIC?')",
		},
		Rules: []Rule{
			{ID: "DENIC-23 §2.1.1", Severity: SevError, Text: "every name server is reachable and authoritative for the zone", eval: checksPass(CheckAA)},
			{ID: "DENIC-23 §2.1.2", Severity: SevError, Text: "at least two name servers", eval: atLeastNames(2)},
			{ID: "DENIC-23 §2.1.2", Severity: SevError, Text: "at least one name server reachable over IPv4", eval: familyNames(true, 1)},
			{ID: "DENIC-23 §2.1.2", Severity: SevError, Text: "at least one name server with an address that differs from every other name server's", eval: oneDistinct},
			{ID: "DENIC robot: NS set", Severity: SevError, Text: "every server's NS set lists exactly the name servers of the request", eval: checksPass(CheckChildNS)},
			{ID: "DENIC robot: SOA", Severity: SevError, Text: "the SOA is the same on every name server", eval: sameSOA},
			{ID: "DENIC robot: networks", Severity: SevError, Text: "at least two name servers differ in the first three octets of their IPv4 address", eval: v4Networks},
			{ID: "DENIC SOA refresh", Severity: SevError, Text: "SOA refresh between 10000 and 86400 s", eval: soaRange(0, 10000, 86400)},
			{ID: "DENIC SOA retry", Severity: SevError, Text: "SOA retry between 1800 and 28800 s", eval: soaRange(1, 1800, 28800)},
			{ID: "DENIC SOA expire", Severity: SevError, Text: "SOA expire between 604800 and 3600000 s", eval: soaRange(2, 604800, 3600000)},
			{ID: "DENIC SOA minimum", Severity: SevError, Text: "SOA minimum (negative-caching TTL) between 180 and 345600 s", eval: soaRange(3, 180, 345600)},
		},
	},
	"fr": {
		Name:     "fr",
		Registry: "Afnic (.fr)",
		Sources: []string{
			"Afnic checks a delegation with Zonemaster (developed by Afnic and the Swedish Internet Foundation); a message of level ERROR or CRITICAL blocks it",
			"Zonemaster test case specifications (github.com/zonemaster/zonemaster, docs/public/specifications/tests) and the default profile's levels (github.com/zonemaster/zonemaster-engine, share/profile.yaml)",
		},
		Rules: []Rule{
			{ID: "Zonemaster DELEGATION01 NOT_ENOUGH_NS_DEL", Severity: SevError, Text: "at least two NS names", eval: atLeastNames(2)},
			{ID: "Zonemaster DELEGATION01 NOT_ENOUGH_IPV4_NS_DEL", Severity: SevError, Text: "not exactly one name with an IPv4 address", eval: familyNotOne(true)},
			{ID: "Zonemaster DELEGATION01 NOT_ENOUGH_IPV6_NS_DEL", Severity: SevError, Text: "not exactly one name with an IPv6 address", eval: familyNotOne(false)},
			{ID: "Zonemaster DELEGATION02 DEL_NS_SAME_IP", Severity: SevError, Text: "no address shared by two NS names", eval: noSharedIP},
			{ID: "Zonemaster DELEGATION04, CONSISTENCY04, EXTRA_NAME_PARENT", Severity: SevError, Text: "every server authoritative, with the delegation's NS set", eval: checksPass(CheckAA, CheckChildNS)},
			{ID: "Zonemaster NAMESERVER01 IS_A_RECURSOR", Severity: SevError, Text: "no server offers recursion", eval: checksPass(CheckRecursion)},
			{ID: "Zonemaster NAMESERVER02 (BREAKS_ON_EDNS, EDNS_RESPONSE_WITHOUT_EDNS, EDNS_VERSION_ERROR)", Severity: SevError, Text: "every server handles EDNS", eval: checksPass(CheckEDNS)},
			{ID: "Zonemaster NAMESERVER06 CAN_NOT_BE_RESOLVED", Severity: SevError, Text: "every NS name resolves", eval: checksPass(CheckNSResolves)},
			{ID: "Zonemaster NAMESERVER09 CASE_QUERIES_RESULTS_DIFFER", Severity: SevError, Text: "answers do not depend on the question's case", eval: checksPass(CheckQNameCase)},
			{ID: "Zonemaster ADDRESS01 (A01_LOCAL_USE_ADDR, A01_DOCUMENTATION_ADDR, A01_ADDR_NOT_GLOBALLY_REACHABLE)", Severity: SevError, Text: "every NS address globally reachable", eval: checksPass(CheckNSAddress)},
			{ID: "Zonemaster NAMESERVER05 (AAAA_QUERY_DROPPED, AAAA_UNEXPECTED_RCODE)", Severity: SevError, Text: "every server answers AAAA questions", eval: checksPass(CheckAAAA)},
			{ID: "Zonemaster CONSISTENCY05 IN_BAILIWICK_ADDR_MISMATCH", Severity: SevError, Text: "glue and the zone's own addresses agree", eval: checksPass(CheckGlue)},
			{ID: "Zonemaster CONSISTENCY01 MULTIPLE_SOA_SERIALS", Severity: SevWarning, Text: "one SOA serial on every server", eval: checksPass(CheckSerial)},
			{ID: "Zonemaster NAMESERVER10, NAMESERVER11, NAMESERVER12", Severity: SevWarning, Text: "every server answers an unknown EDNS version BADVERS and ignores an unknown EDNS option and flag", eval: checksPass(CheckEDNSUnknown)},
			{ID: "Zonemaster CONNECTIVITY02", Severity: SevWarning, Text: "every server answers over TCP", eval: checksPass(CheckTCP)},
			{ID: "Zonemaster NAMESERVER07 UPWARD_REFERRAL", Severity: SevWarning, Text: "no upward referral", eval: checksPass(CheckUpwardReferral)},
			{ID: "Zonemaster DELEGATION03 REFERRAL_SIZE_TOO_LARGE", Severity: SevWarning, Text: "the referral (NS set, one A and one AAAA glue) fits 512 octets without EDNS", eval: zonemasterReferral},
			{ID: "Zonemaster ZONE05 EXPIRE_MINIMUM_VALUE_LOWER", Severity: SevWarning, Text: "SOA expire at least 604800 s", eval: soaRange(2, 604800, 1<<32-1)},
			{ID: "Zonemaster ZONE05 EXPIRE_LOWER_THAN_REFRESH", Severity: SevWarning, Text: "SOA expire above refresh", eval: expireAboveRefresh},
		},
	},
}

// checksPass: the named base checks all passed where they were made (a
// server not checked from here is named, and fails nothing: the registry
// asks it from its own network).
func checksPass(names ...string) func(*Target, *Result) (bool, string) {
	return func(_ *Target, r *Result) (bool, string) {
		var bad, notChecked []string
		for _, c := range r.Checks {
			for _, n := range names {
				switch {
				case c.Name != n || c.OK:
				case c.Severity == SevNotChecked:
					notChecked = append(notChecked, c.Server)
				default:
					bad = append(bad, fmt.Sprintf("%s fails at %s", c.Name, orDelegation(c.Server)))
				}
			}
		}
		if len(bad) > 0 {
			return false, strings.Join(bad, "; ")
		}
		got := strings.Join(names, ", ") + " pass"
		if len(notChecked) > 0 {
			got += " where checked (not checked from here: " + strings.Join(uniqueSorted(notChecked), " ") + ")"
		}
		return true, got
	}
}

func orDelegation(s string) string {
	if s == "" {
		return "the delegation"
	}
	return s
}

func atLeastNames(n int) func(*Target, *Result) (bool, string) {
	return func(t *Target, _ *Result) (bool, string) {
		return len(t.NS) >= n, fmt.Sprintf("%d NS names", len(t.NS))
	}
}

// familyCount is how many names have an address of the family.
func familyCount(r *Result, v4 bool) int {
	n := 0
	for _, as := range r.Addrs {
		if hasFamily(as, v4) {
			n++
		}
	}
	return n
}

// hasFamily: one of the addresses is of the family (IPv4 when v4).
func hasFamily(addrs []string, v4 bool) bool {
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip != nil && (ip.To4() != nil) == v4 {
			return true
		}
	}
	return false
}

func familyNames(v4 bool, least int) func(*Target, *Result) (bool, string) {
	return func(_ *Target, r *Result) (bool, string) {
		n := familyCount(r, v4)
		return n >= least, fmt.Sprintf("%d names with an %s address", n, famName(v4))
	}
}

func familyNotOne(v4 bool) func(*Target, *Result) (bool, string) {
	return func(_ *Target, r *Result) (bool, string) {
		n := familyCount(r, v4)
		return n != 1, fmt.Sprintf("%d names with an %s address", n, famName(v4))
	}
}

func famName(v4 bool) string {
	if v4 {
		return "IPv4"
	}
	return "IPv6"
}

// oneDistinct: some name has an address no other name has.
func oneDistinct(_ *Target, r *Result) (bool, string) {
	owners := r.owners()
	for n, as := range r.Addrs {
		for _, a := range as {
			if len(owners[a]) == 1 && len(r.Addrs) > 1 {
				return true, fmt.Sprintf("%s has %s alone", n, a)
			}
		}
	}
	return false, fmt.Sprintf("%d addresses over %d names", len(owners), len(r.Addrs))
}

// owners are the NS names at each address of r, each name once, sorted
// (an address listed twice for one name is still that name's alone).
func (r *Result) owners() map[string][]string {
	out := map[string][]string{}
	for n, as := range r.Addrs {
		for _, a := range as {
			if !slices.Contains(out[a], n) {
				out[a] = append(out[a], n)
			}
		}
	}
	for _, ns := range out {
		sort.Strings(ns)
	}
	return out
}

func noSharedIP(_ *Target, r *Result) (bool, string) {
	owners := r.owners()
	var shared []string
	for a, ns := range owners {
		if len(ns) > 1 {
			shared = append(shared, a+" for "+strings.Join(ns, " and "))
		}
	}
	sort.Strings(shared)
	if len(shared) > 0 {
		return false, strings.Join(shared, "; ")
	}
	return true, fmt.Sprintf("%d distinct addresses", len(owners))
}

func sameSOA(_ *Target, r *Result) (bool, string) {
	seen := map[string][]string{}
	for _, s := range r.Servers {
		if s.soa == nil {
			continue
		}
		v := fmt.Sprintf("serial %d refresh %d retry %d expire %d minimum %d", s.soa.Serial, s.soa.Refresh, s.soa.Retry, s.soa.Expire, s.soa.Minttl)
		seen[v] = append(seen[v], s.Addr)
	}
	var parts []string
	for v, ss := range seen {
		parts = append(parts, strings.Join(ss, " ")+": "+v)
	}
	sort.Strings(parts)
	return len(seen) <= 1, strings.Join(parts, "; ")
}

// v4Networks: two IPv4 addresses differ in their first three octets.
func v4Networks(_ *Target, r *Result) (bool, string) {
	nets := map[string]bool{}
	for _, as := range r.Addrs {
		for _, a := range as {
			if ip := net.ParseIP(a).To4(); ip != nil {
				nets[fmt.Sprintf("%d.%d.%d.0/24", ip[0], ip[1], ip[2])] = true
			}
		}
	}
	return len(nets) >= 2, fmt.Sprintf("IPv4 networks %s", strings.Join(slices.Sorted(maps.Keys(nets)), " "))
}

// soaRange: field i of the SOA timers (refresh, retry, expire, minimum) is
// within [lo, hi] on every server.
func soaRange(i int, lo, hi uint32) func(*Target, *Result) (bool, string) {
	field := [4]string{"refresh", "retry", "expire", "minimum"}[i]
	return func(_ *Target, r *Result) (bool, string) {
		var bad, vals []string
		for _, s := range r.Servers {
			if s.Timers == nil {
				continue
			}
			v := s.Timers[i]
			vals = append(vals, fmt.Sprintf("%d", v))
			if v < lo || v > hi {
				bad = append(bad, fmt.Sprintf("%d at %s", v, s.Addr))
			}
		}
		got := fmt.Sprintf("%s %s", field, strings.Join(uniqueSorted(vals), ", "))
		if len(vals) == 0 {
			return false, "no SOA served"
		}
		if len(bad) > 0 {
			return false, got + " (out of range: " + strings.Join(bad, "; ") + ")"
		}
		return true, got
	}
}

func expireAboveRefresh(_ *Target, r *Result) (bool, string) {
	for _, s := range r.Servers {
		if s.Timers != nil && s.Timers[2] <= s.Timers[0] {
			return false, fmt.Sprintf("%s: expire %d, refresh %d", s.Addr, s.Timers[2], s.Timers[0])
		}
	}
	return true, "expire above refresh"
}

// zonemasterReferral is Zonemaster DELEGATION03's packet: a 255-octet
// question, the NS set, one A and one AAAA record when every name with
// such an address is in the parent's bailiwick, no EDNS; at most 512.
func zonemasterReferral(t *Target, r *Result) (bool, string) {
	m := new(dns.Msg)
	m.SetQuestion(longName(t.Zone), dns.TypeA)
	m.Response = true
	m.Compress = true
	for _, n := range t.NS {
		m.Ns = append(m.Ns, &dns.NS{Hdr: dns.RR_Header{Name: t.Zone, Rrtype: dns.TypeNS, Class: dns.ClassINET, Ttl: 86400}, Ns: n})
	}
	parent := t.ParentZone
	if parent == "" {
		parent = t.Zone
	}
	for _, v4 := range []bool{true, false} {
		var names []string
		for n, as := range r.Addrs {
			for _, a := range as {
				if ip := net.ParseIP(a); ip != nil && (ip.To4() != nil) == v4 {
					names = append(names, n)
					break
				}
			}
		}
		all := len(names) > 0
		for _, n := range names {
			all = all && inBailiwick(n, parent)
		}
		if !all {
			continue
		}
		sort.Strings(names)
		if v4 {
			m.Extra = append(m.Extra, &dns.A{Hdr: dns.RR_Header{Name: names[0], Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 86400}, A: net.IPv4(192, 0, 2, 1)})
		} else {
			m.Extra = append(m.Extra, &dns.AAAA{Hdr: dns.RR_Header{Name: names[0], Rrtype: dns.TypeAAAA, Class: dns.ClassINET, Ttl: 86400}, AAAA: net.ParseIP("2001:db8::1")})
		}
	}
	size := m.Len()
	return size <= 512, fmt.Sprintf("%d octets", size)
}
