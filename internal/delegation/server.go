package delegation

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// probe is everything one server answered.
type probe struct {
	server string
	// The apex SOA over UDP (with EDNS, RD=0).
	soa    *dns.SOA
	soaMsg *dns.Msg
	soaErr string
	soaFix string // aa's fix when soaErr is not a server down
	ns     []string
	nsAA   bool
	nsErr  string
	checks []Check // aa, child-ns, tcp, edns, edns-unknown, edns-truncated, qname-case, aaaa, recursion, axfr-open, upward-referral
	// notChecked says why the server was asked nothing (fromHere).
	notChecked string
}

// serverChecks are the checks made of each server, in the order probe
// makes them (serial last, from all the probes).
var serverChecks = []string{CheckAA, CheckChildNS, CheckTCP, CheckEDNS, CheckEDNSUnknown, CheckEDNSTruncated, CheckQNameCase, CheckAAAA, CheckRecursion, CheckAXFROpen, CheckUpwardReferral, CheckSerial, CheckSOAFields}

// fromHere says why server cannot be checked from this machine, "" when
// it can: an IPv6 address while policy.delegation.ipv6 is false, or an
// address the kernel has no route to (query.Route: a runner without IPv6).
// A server that is routable but does not answer is checked, and fails.
func (t *Target) fromHere(ctx context.Context, server string) string {
	why, _ := query.NotFromHere(ctx, server, t.Policy.NoIPv6)
	return why
}

// notCheckedProbe is the probe of a server fromHere rules out: each of its
// checks not-checked, saying why and what would check it.
func (t *Target) notCheckedProbe(server, why string) *probe {
	p := &probe{server: server, notChecked: why}
	todo := "run the step from a machine that can reach it to check it"
	if isIPv6(query.Host(server)) {
		todo += ", or set policy.delegation.ipv6: false to leave IPv6 addresses out on purpose"
	}
	if t.Policy.NoIPv6 && isIPv6(query.Host(server)) {
		todo = "set policy.delegation.ipv6 back to true (on a machine with IPv6) to check it"
	}
	for _, name := range serverChecks {
		p.checks = append(p.checks, Check{Name: name, Server: server, Severity: SevNotChecked, Got: why,
			Detail: fmt.Sprintf("not checked from here: %s (%s); it refuses nothing: %s", server, why, todo),
			Ref:    "Zonemaster-Engine profile net.ipv6 (SKIP_IPV6_DISABLED)"})
	}
	return p
}

// probe asks one server every per-server question. A server that does not
// answer the first question over UDP is asked nothing else over UDP (each
// question would time out in turn); TCP is still tried once. A server
// fromHere rules out is asked nothing.
func (t *Target) probe(ctx context.Context, server string) *probe {
	if why := t.fromHere(ctx, server); why != "" {
		return t.notCheckedProbe(server, why)
	}
	p := &probe{server: server}
	opt := query.MsgOptions{Timeout: t.Timeout}
	one := query.MsgOptions{Timeout: t.Timeout, Tries: 1}
	r, err := query.Msg(ctx, server, t.Zone, dns.TypeSOA, opt)
	p.soaMsg = r
	if err != nil {
		p.soaErr = "no answer: " + err.Error()
		// Zonemaster NAMESERVER04: an answer from another address
		// (a server on a wildcard socket of a multi-homed host) is
		// dropped as no answer; asked once more, from a socket that
		// reads it, the failure says so.
		var timeout net.Error
		var other *query.OtherSourceError
		if errors.As(err, &timeout) && timeout.Timeout() {
			if _, err := query.Msg(ctx, server, t.Zone, dns.TypeSOA, query.MsgOptions{Timeout: t.Timeout, Tries: 1, AnySource: true}); errors.As(err, &other) {
				p.soaErr = other.Error() + " (Zonemaster NAMESERVER04)"
				// unbound.conf(5), interface-automatic: without it, a
				// wildcard interface may answer from another address.
				p.soaFix = fmt.Sprintf("make %s answer from the address it is asked at, not from %s: a server on a wildcard socket of a host with several addresses answers from the address the route back picks; listen on each address instead (Unbound: interface-automatic: yes, or one interface line per address; NSD: an ip-address per address), then run the step again", server, query.Host(other.From))
			}
		}
	} else {
		p.soa = soaOf(r, t.Zone)
	}
	p.checks = append(p.checks, t.aa(p))
	if p.soaMsg == nil {
		for _, name := range []string{CheckChildNS, CheckEDNS, CheckEDNSUnknown, CheckEDNSTruncated, CheckQNameCase, CheckAAAA, CheckRecursion, CheckUpwardReferral} {
			p.checks = append(p.checks, Check{Name: name, Server: server, Detail: "not asked: the server does not answer over UDP (" + p.soaErr + ")",
				Fix: t.downFix(server)})
		}
		tcp := t.tcp(ctx, server, one)
		if !tcp.OK && strings.HasPrefix(tcp.Got, "no answer") {
			// Silent over UDP and TCP: the server is down, which
			// aa's fix says; no firewall advice of its own.
			tcp.Fix = t.downFix(server)
		}
		p.checks = append(p.checks, tcp, t.axfr(ctx, server))
		return p
	}
	edns := t.edns(ctx, server, one)
	p.checks = append(p.checks, t.childNS(ctx, p, opt), t.tcp(ctx, server, one), edns, t.ednsUnknown(ctx, server, one, edns.OK), t.ednsTruncated(ctx, server, one, edns.OK),
		t.qnameCase(ctx, p, one), t.aaaa(ctx, server, one), t.recursion(ctx, server, one), t.axfr(ctx, server), t.upward(ctx, server, one))
	return p
}

// downFix is the fix of every check a server that does not answer
// fails: one plan step per server (Result.Fixes keeps each once).
func (t *Target) downFix(server string) string {
	return fmt.Sprintf("bring %s up, or take it out of providers.%s.nameservers and the delegation", server, t.Side)
}

func soaOf(r *dns.Msg, z string) *dns.SOA {
	for _, rr := range r.Answer {
		if soa, ok := rr.(*dns.SOA); ok && zone.Fold(soa.Hdr.Name) == z {
			return soa
		}
	}
	return nil
}

// authoritativeSOA says why r is not an authoritative answer with z's SOA
// ("" when it is).
func authoritativeSOA(r *dns.Msg, z string) string {
	switch {
	case r.Rcode != dns.RcodeSuccess:
		return "rcode " + dns.RcodeToString[r.Rcode]
	case !r.Authoritative:
		return "no AA bit (lame)"
	case soaOf(r, z) == nil:
		return "no SOA of " + z + " in the answer"
	}
	return ""
}

// ask sends check c's query to c.Server. When no answer comes, it says so
// in c (Got "no answer: ERR", Detail "SERVER does not answer WHAT: ERR")
// and returns the error.
func ask(ctx context.Context, c *Check, name string, qt uint16, opt query.MsgOptions, what string) (*dns.Msg, error) {
	r, err := query.Msg(ctx, c.Server, name, qt, opt)
	if err != nil {
		noAnswer(c, what, err)
	}
	return r, err
}

// noAnswer says in c that its server did not answer what.
func noAnswer(c *Check, what string, err error) {
	c.Got = "no answer: " + err.Error()
	c.Detail = fmt.Sprintf("%s does not answer %s: %v", c.Server, what, err)
}

// aa: the server answers the apex SOA authoritatively (Zonemaster
// DELEGATION04, CONNECTIVITY01; RFC 2181 §6.1).
func (t *Target) aa(p *probe) Check {
	c := Check{Name: CheckAA, Server: p.server, Asked: "SOA " + t.Zone + " over UDP, RD=0", Expected: "NOERROR, AA, the zone's SOA",
		Ref: "Zonemaster DELEGATION04, CONNECTIVITY01; RFC 2181 §6.1"}
	if p.soaMsg == nil {
		c.Got = p.soaErr
		c.Detail = fmt.Sprintf("%s does not answer: %s", p.server, p.soaErr)
		c.Fix = t.downFix(p.server)
		if p.soaFix != "" {
			c.Fix = p.soaFix
		}
		return c
	}
	if why := authoritativeSOA(p.soaMsg, t.Zone); why != "" {
		c.Got = why
		c.Detail = fmt.Sprintf("%s is not authoritative for %s: %s", p.server, t.Zone, why)
		c.Fix = fmt.Sprintf("make %s serve %s (push the zone to the %s provider, or fix the secondary's configuration)", p.server, t.Zone, t.Side)
		return c
	}
	c.OK = true
	c.Got = fmt.Sprintf("AA, SOA serial %d", p.soa.Serial)
	c.Detail = fmt.Sprintf("%s answers authoritatively (serial %d)", p.server, p.soa.Serial)
	return c
}

// childNS: the server's apex NS set is exactly the NS set the step
// installs (Zonemaster CONSISTENCY04, DELEGATION's EXTRA_NAME_PARENT /
// TOTAL_NAME_MISMATCH). A resolver prefers the child's NS set to the
// referral (RFC 2181 §5.4.1), so a child that names other servers sends
// resolvers there.
func (t *Target) childNS(ctx context.Context, p *probe, opt query.MsgOptions) Check {
	c := Check{Name: CheckChildNS, Server: p.server, Asked: "NS " + t.Zone + ", RD=0", Expected: strings.Join(t.NS, " "),
		Ref: "Zonemaster CONSISTENCY04, DELEGATION01; RFC 2181 §5.4.1"}
	var r *dns.Msg
	var err error
	if t.ApexNS != nil {
		if r, err = t.ApexNS(ctx, p.server); err != nil {
			noAnswer(&c, "the apex NS", err)
		}
	} else {
		r, err = ask(ctx, &c, t.Zone, dns.TypeNS, opt, "the apex NS")
	}
	if err != nil {
		p.nsErr = err.Error()
		return c
	}
	for _, rr := range r.Answer {
		if ns, ok := rr.(*dns.NS); ok && zone.Fold(ns.Hdr.Name) == t.Zone {
			p.ns = append(p.ns, zone.Fold(ns.Ns))
		}
	}
	sort.Strings(p.ns)
	p.nsAA = r.Authoritative
	c.Got = strings.Join(p.ns, " ")
	switch {
	case r.Rcode != dns.RcodeSuccess || !r.Authoritative:
		c.Got = fmt.Sprintf("rcode %s, AA %v", dns.RcodeToString[r.Rcode], r.Authoritative)
		c.Detail = fmt.Sprintf("%s does not answer the apex NS authoritatively (%s)", p.server, c.Got)
		c.Fix = fmt.Sprintf("make %s serve %s", p.server, t.Zone)
		return c
	case strings.Join(p.ns, " ") == strings.Join(t.NS, " "):
		c.OK = true
		c.Detail = fmt.Sprintf("%s serves the apex NS %s, the NS set the step installs", p.server, c.Got)
		return c
	}
	var others []string
	for _, n := range p.ns {
		if side := t.sideOfName(n); side != "" && side != "none" {
			others = append(others, fmt.Sprintf("%s (a server of the %s side)", n, side))
		}
	}
	c.Detail = fmt.Sprintf("%s serves the apex NS %s, not the NS set the step installs (%s): resolvers that trust the child's NS set (RFC 2181 §5.4.1; BIND and Unbound do) go to those servers instead", p.server, orNone(p.ns), c.Expected)
	if fix := t.providerNSFix(p.ns, c.Expected); fix != "" {
		c.Fix = fix
	} else if len(others) > 0 {
		c.Detail += "; it names " + strings.Join(others, ", ")
		c.Fix = fmt.Sprintf("make the %s side serve its own apex NS (%s): with providers.%s.manage_apex true, push writes git's apex NS there, so either set manage_apex false and give the zone its own NS at the provider, or change git's apex NS; then push", t.Side, c.Expected, t.Side)
	} else if t.Recorded {
		c.Fix = fmt.Sprintf("make the %s side serve the recorded NS set (%s) at its apex again, as it did before the flip (git's apex NS with providers.%s.manage_apex true, then push)", t.Side, c.Expected, t.Side)
	} else {
		c.Fix = fmt.Sprintf("make the apex NS the %s side serves and providers.%s.delegation the same set (%s or %s), then push", t.Side, t.Side, c.Expected, orNone(p.ns))
	}
	return c
}

// providerNSFix is child-ns's fix when the side's provider keeps its
// own apex NS (t.ProviderNS) and served, the apex NS its server answers,
// holds one of them the step does not install, or (t.ProviderNSOnly)
// the provider answers no other: no push removes them, nor makes the
// provider serve git's other names, so the config must name them. ""
// for any other provider, whose apex NS push writes.
func (t *Target) providerNSFix(served []string, want string) string {
	var kept []string
	for _, n := range served {
		if _, own := slices.BinarySearch(t.ProviderNS, n); own && !slices.Contains(t.NS, n) {
			kept = append(kept, n)
		}
	}
	if len(kept) == 0 && (t.ProviderNSOnly == "" || len(t.ProviderNS) == 0) {
		return ""
	}
	why := "it answers them whatever git's apex NS says, and no push removes them"
	if t.ProviderNSOnly != "" {
		why = t.ProviderNSOnly
	}
	return fmt.Sprintf("the %s side's provider keeps its own apex NS %s (%s), so a push cannot make it serve %s: make providers.%s.delegation name the provider's servers %s and providers.%s.nameservers their addresses, then run the step again",
		t.Side, strings.Join(t.ProviderNS, " "), why, want, t.Side, strings.Join(t.ProviderNS, " "), t.Side)
}

// tcp: the server answers the apex SOA over TCP (Zonemaster
// CONNECTIVITY02; RFC 7766: TCP is mandatory).
func (t *Target) tcp(ctx context.Context, server string, opt query.MsgOptions) Check {
	c := Check{Name: CheckTCP, Server: server, Asked: "SOA " + t.Zone + " over TCP", Expected: "NOERROR, AA, the zone's SOA",
		Ref: "Zonemaster CONNECTIVITY02; RFC 7766 §5"}
	opt.TCP = true
	r, err := query.Msg(ctx, server, t.Zone, dns.TypeSOA, opt)
	if err != nil {
		c.Got = "no answer: " + err.Error()
		c.Detail = fmt.Sprintf("%s does not answer over TCP (%v): truncated answers and resolvers that retry over TCP fail", server, err)
		c.Fix = fmt.Sprintf("open TCP port 53 on %s (firewall, listen address) and let the server answer over TCP", server)
		return c
	}
	if why := authoritativeSOA(r, t.Zone); why != "" {
		c.Got = why
		c.Detail = fmt.Sprintf("%s answers over TCP but not authoritatively: %s", server, why)
		c.Fix = fmt.Sprintf("make %s serve %s over TCP as over UDP", server, t.Zone)
		return c
	}
	c.OK = true
	c.Got = "AA, SOA"
	c.Detail = server + " answers over TCP"
	return c
}

// edns: the SOA is answered without EDNS (no FORMERR) and with EDNS
// version 0, with an OPT record back (Zonemaster NAMESERVER02; RFC 6891
// §6.1.1, §7).
func (t *Target) edns(ctx context.Context, server string, opt query.MsgOptions) Check {
	c := Check{Name: CheckEDNS, Server: server, Asked: "SOA " + t.Zone + " without EDNS, then with EDNS 0 (payload 512)",
		Expected: "NOERROR and the SOA both times; an OPT record (version 0) in the answer to the EDNS query", Ref: "Zonemaster NAMESERVER02; RFC 6891 §6.1.1, §7"}
	plain := opt
	plain.NoEDNS = true
	r, err := query.Msg(ctx, server, t.Zone, dns.TypeSOA, plain)
	switch {
	case err != nil:
		c.Got = "no answer without EDNS: " + err.Error()
	case r.Rcode == dns.RcodeFormatError:
		c.Got = "FORMERR without EDNS"
	case authoritativeSOA(r, t.Zone) != "":
		c.Got = "without EDNS: " + authoritativeSOA(r, t.Zone)
	case r.IsEdns0() != nil:
		c.Got = "an OPT record in the answer to a query without one"
	}
	if c.Got == "" {
		e := opt
		e.UDPSize = 512
		r, err = query.Msg(ctx, server, t.Zone, dns.TypeSOA, e)
		switch {
		case err != nil:
			c.Got = "no answer with EDNS: " + err.Error() + " (BREAKS_ON_EDNS)"
		case r.Rcode == dns.RcodeFormatError && r.IsEdns0() == nil:
			c.Got = "FORMERR with EDNS: no EDNS support (NO_EDNS_SUPPORT)"
		case r.Rcode == dns.RcodeSuccess && r.IsEdns0() == nil:
			c.Got = "NOERROR without an OPT record (EDNS_RESPONSE_WITHOUT_EDNS)"
		case r.IsEdns0() != nil && r.IsEdns0().Version() != 0:
			c.Got = fmt.Sprintf("OPT version %d (EDNS_VERSION_ERROR)", r.IsEdns0().Version())
		case authoritativeSOA(r, t.Zone) != "":
			c.Got = "with EDNS: " + authoritativeSOA(r, t.Zone)
		}
	}
	if c.Got != "" {
		c.Detail = fmt.Sprintf("%s mishandles EDNS: %s", server, c.Got)
		c.Fix = fmt.Sprintf("upgrade or fix %s (or a middlebox in front of it) so that it answers queries with and without EDNS (RFC 6891)", server)
		return c
	}
	return passedAs(c, "answers without EDNS and with EDNS 0 (OPT returned)")
}

// unknownOption is the EDNS option code ednsUnknown sends: unassigned in
// IANA's registry of EDNS option codes (Zonemaster NAMESERVER11 sends it).
// unknownFlag is an EDNS header flag bit IANA has not assigned (DO and CO,
// RFC 9824, are the two above it).
const (
	unknownOption = 137
	unknownFlag   = 0x2000
)

// ednsTruncated asks the apex DNSKEY with DO and payload 512 over UDP
// (Zonemaster NAMESERVER13), to have a signed zone's answer truncated,
// and takes the answer as it comes: a truncated answer must keep the OPT
// record of an EDNS query (RFC 6891 §7). Without it resolvers take the
// server for one without EDNS and ask it without; a signed zone's
// answers then lose their signatures there. A server that fails edns is
// not judged again (NAMESERVER02's), nor an error rcode without TC
// (Zonemaster's NS_ERROR: the DNSKEY answer is the dnssec gate's); an
// unsigned zone's answer is rarely truncated, and then only its OPT is
// judged.
func (t *Target) ednsTruncated(ctx context.Context, server string, opt query.MsgOptions, ednsOK bool) Check {
	c := Check{Name: CheckEDNSTruncated, Server: server,
		Asked:    "DNSKEY " + t.Zone + " over UDP with EDNS 0, DO, payload 512",
		Expected: "NOERROR with an OPT record of version 0, truncated (TC) or not",
		Ref:      "Zonemaster NAMESERVER13 (MISSING_OPT_IN_TRUNCATED, NS_ERROR: WARNING); RFC 6891 §7"}
	if !ednsOK {
		return notJudgedEDNS(c)
	}
	q := opt
	q.UDPSize, q.DO, q.Truncated = 512, true, true
	r, err := ask(ctx, &c, t.Zone, dns.TypeDNSKEY, q, "a DNSKEY question with DO and payload 512")
	if err != nil {
		c.Fix = fmt.Sprintf("make %s answer DNSKEY questions with DO set (a firewall or load balancer dropping them?)", server)
		return c
	}
	tc := "not truncated"
	if r.Truncated {
		tc = "truncated"
	}
	o := r.IsEdns0()
	switch {
	case r.Truncated && o == nil:
		c.Got = "truncated (TC), no OPT record"
		c.Detail = fmt.Sprintf("%s answers a DNSKEY question with EDNS (DO, payload 512) truncated without the OPT record the query had: resolvers take it for a server without EDNS and ask it without, so a signed zone's answers lose their signatures there and validating resolvers find them bogus", server)
		c.Fix = fmt.Sprintf("make %s (or the load balancer in front of it: dnsdist's setAddEDNSToSelfGeneratedResponses(true), its default) keep the OPT record in truncated answers", server)
	case r.Rcode != dns.RcodeSuccess && !r.Truncated:
		// Zonemaster's NS_ERROR; here the DNSKEY answer itself is the
		// dnssec gate's (resolvers ask it only of a zone with a DS),
		// and a minimal server of an unsigned zone is not refused.
		c.OK = true
		c.Got = fmt.Sprintf("%s, %s", dns.RcodeToString[r.Rcode], tc)
		c.Detail = fmt.Sprintf("%s answers a DNSKEY question %s: no truncated answer to judge (the dnssec gate judges DNSKEY answers)", server, c.Got)
	case r.Rcode != dns.RcodeSuccess:
		c.Got = fmt.Sprintf("%s, %s", dns.RcodeToString[r.Rcode], tc)
		c.Detail = fmt.Sprintf("%s answers a DNSKEY question with EDNS (DO, payload 512) %s", server, c.Got)
		c.Fix = fmt.Sprintf("make %s answer DNSKEY questions with DO set NOERROR", server)
	case o == nil || o.Version() != 0:
		c.Got = fmt.Sprintf("NOERROR, %s, no OPT record of version 0", tc)
		c.Detail = fmt.Sprintf("%s answers a DNSKEY question with EDNS (DO, payload 512) without an OPT record of version 0 (%s)", server, tc)
		c.Fix = fmt.Sprintf("make %s answer EDNS questions with an OPT record", server)
	default:
		c.OK = true
		c.Got = "NOERROR, OPT version 0, " + tc
		c.Detail = fmt.Sprintf("%s answers a DNSKEY question with DO and payload 512 %s with an OPT record", server, tc)
		if !r.Truncated {
			c.Detail += " (not truncated: the DNSKEY set fits, so the truncated form was not seen)"
		}
	}
	return c
}

// notJudgedEDNS is check c of a server that fails edns: passed, not
// judged (Zonemaster leaves it to NAMESERVER02).
func notJudgedEDNS(c Check) Check {
	return passedAs(c, "not judged: the server mishandles EDNS 0 (see edns)")
}

// passedAs is check c passed, got as what its server gave, its detail
// the server and got.
func passedAs(c Check, got string) Check {
	c.OK, c.Got = true, got
	c.Detail = c.Server + " " + got
	return c
}

// ednsUnknown: a server that does EDNS 0 answers a query of EDNS version
// 1 with BADVERS, an OPT of version 0 and no answer (RFC 6891 §6.1.3;
// Zonemaster NAMESERVER10), answers a query carrying an option it
// cannot know as if the option were not there, without echoing it (RFC
// 6891 §6.1.2; NAMESERVER11), and one with an unassigned EDNS flag set
// likewise, the flag clear in its OPT (§6.1.4; NAMESERVER12). Resolvers send new versions and options
// as they come: a server that drops, refuses or mis-answers them makes
// them fall back to no EDNS, and a signed zone's answers then lose their
// signatures. A server that fails edns is not judged here (Zonemaster
// leaves it to NAMESERVER02); an unknown option is judged only where
// the plain EDNS query has an authoritative SOA. Both questions are
// SOA questions of the apex, payload 512, as Zonemaster's.
func (t *Target) ednsUnknown(ctx context.Context, server string, opt query.MsgOptions, ednsOK bool) Check {
	c := Check{Name: CheckEDNSUnknown, Server: server,
		Asked:    fmt.Sprintf("SOA %s with EDNS version 1, then with EDNS 0 and option code %d, then with EDNS 0 and flag bit 0x%04x (payload 512)", t.Zone, unknownOption, unknownFlag),
		Expected: "BADVERS with an OPT of version 0 and an empty answer; then twice NOERROR, AA and the SOA, the option not echoed, no unassigned flag set",
		Ref:      "Zonemaster NAMESERVER10, NAMESERVER11, NAMESERVER12; RFC 6891 §6.1.2, §6.1.3, §6.1.4"}
	if !ednsOK {
		return notJudgedEDNS(c)
	}
	var bad []string
	// ask sends the apex SOA question at payload 512 with set's change to
	// opt, and notes what (the change, as the problems name it) that got
	// no answer (noAnswer: Zonemaster's tag) or the answer judge finds
	// wrong.
	ask := func(what, noAnswer string, set func(*query.MsgOptions), judge func(*dns.Msg) string) {
		o := opt
		o.UDPSize = 512
		set(&o)
		r, err := query.Msg(ctx, server, t.Zone, dns.TypeSOA, o)
		if err != nil {
			bad = append(bad, fmt.Sprintf("no answer to %s: %s (%s)", what, err, noAnswer))
		} else if p := judge(r); p != "" {
			bad = append(bad, what+" "+p)
		}
	}
	ask("EDNS version 1", "N10_NO_RESPONSE_EDNS1_QUERY", func(o *query.MsgOptions) { o.Version = 1 }, func(r *dns.Msg) string {
		switch {
		case r.Rcode != dns.RcodeBadVers:
			return fmt.Sprintf("answered %s, not BADVERS (N10_UNEXPECTED_RCODE)", dns.RcodeToString[r.Rcode])
		case r.IsEdns0() == nil || r.IsEdns0().Version() != 0 || len(r.Answer) > 0:
			return "answered BADVERS without an OPT of version 0, or with an answer (N10_EDNS_RESPONSE_ERROR)"
		}
		return ""
	})
	ask(fmt.Sprintf("EDNS option %d", unknownOption), "N11_NO_RESPONSE", func(o *query.MsgOptions) { o.Unknown = unknownOption }, func(r *dns.Msg) string {
		switch {
		case r.Rcode != dns.RcodeSuccess:
			return fmt.Sprintf("answered %s (N11_UNEXPECTED_RCODE)", dns.RcodeToString[r.Rcode])
		case r.IsEdns0() == nil:
			return "answered without an OPT record (N11_NO_EDNS)"
		case soaOf(r, t.Zone) == nil:
			return "answered without the SOA (N11_UNEXPECTED_ANSWER_SECTION)"
		case !r.Authoritative:
			return "answered without the AA bit (N11_UNSET_AA)"
		case echoes(r.IsEdns0(), unknownOption):
			return "echoed in the answer (N11_RETURNS_UNKNOWN_OPTION_CODE)"
		}
		return ""
	})
	ask(fmt.Sprintf("EDNS flag 0x%04x", unknownFlag), "NAMESERVER12 NO_RESPONSE", func(o *query.MsgOptions) { o.Z = unknownFlag }, func(r *dns.Msg) string {
		switch {
		case r.Rcode == dns.RcodeFormatError:
			return "answered FORMERR (NO_EDNS_SUPPORT)"
		case r.IsEdns0() != nil && r.IsEdns0().Z() != 0:
			return fmt.Sprintf("answered with unassigned flags set (0x%04x: Z_FLAGS_NOTCLEAR)", r.IsEdns0().Z())
		case r.Rcode != dns.RcodeSuccess || r.IsEdns0() == nil || r.IsEdns0().Version() != 0 || soaOf(r, t.Zone) == nil:
			return "not answered NOERROR with the SOA and an OPT of version 0 (NAMESERVER12 NS_ERROR)"
		}
		return ""
	})
	if len(bad) > 0 {
		c.Got = strings.Join(bad, "; ")
		c.Detail = fmt.Sprintf("%s mishandles EDNS versions, options or flags it does not know: %s", server, c.Got)
		c.Fix = fmt.Sprintf("upgrade or fix %s (or a middlebox in front of it) so that it answers an unknown EDNS version BADVERS and ignores unknown EDNS options and flags (RFC 6891 §6.1.2-§6.1.4; ednscomp.isc.org tests a server), or accept edns-unknown", server)
		return c
	}
	return passedAs(c, "BADVERS to EDNS version 1; an unknown option and flag ignored")
}

// echoes: the OPT record holds an option of code.
func echoes(opt *dns.OPT, code uint16) bool {
	for _, o := range opt.Option {
		if o.Option() == code {
			return true
		}
	}
	return false
}

// mixedCase spells name with alternating letter case (0x20).
func mixedCase(name string) string {
	b := []byte(name)
	up := true
	for i, ch := range b {
		if ch >= 'a' && ch <= 'z' {
			if up {
				b[i] = ch - 'a' + 'A'
			}
			up = !up
		}
	}
	return string(b)
}

// qnameCase: the server answers a mixed-case question with the question's
// case kept (resolvers using 0x20 drop answers that change it) and with
// the same answer (Zonemaster NAMESERVER08, NAMESERVER09).
func (t *Target) qnameCase(ctx context.Context, p *probe, opt query.MsgOptions) Check {
	q := mixedCase(t.Zone)
	c := Check{Name: CheckQNameCase, Server: p.server, Asked: "SOA " + q, Expected: "the question echoed as " + q + ", the same SOA",
		Ref: "Zonemaster NAMESERVER08, NAMESERVER09; draft-vixie-dnsext-dns0x20"}
	if q == t.Zone {
		c.OK = true
		c.Detail = "the zone name has no letters to mix"
		return c
	}
	r, err := query.Msg(ctx, p.server, q, dns.TypeSOA, opt)
	switch {
	case err != nil:
		c.Got = "no answer: " + err.Error()
	case r.Question[0].Name != q:
		c.Got = "question echoed as " + r.Question[0].Name
		c.Detail = fmt.Sprintf("%s changes the case of the question (%s → %s): resolvers that use 0x20 (Unbound's use-caps-for-id) take the answer as spoofed", p.server, q, r.Question[0].Name)
	case r.Rcode != p.soaMsg.Rcode || (soaOf(r, t.Zone) == nil) != (p.soa == nil):
		c.Got = fmt.Sprintf("rcode %s", dns.RcodeToString[r.Rcode])
		c.Detail = fmt.Sprintf("%s answers %s differently from %s (%s vs %s): names are case-insensitive (RFC 4343)", p.server, q, t.Zone, dns.RcodeToString[r.Rcode], dns.RcodeToString[p.soaMsg.Rcode])
	}
	if c.Got != "" {
		if c.Detail == "" {
			c.Detail = fmt.Sprintf("%s: %s", p.server, c.Got)
		}
		c.Fix = fmt.Sprintf("fix or replace the server software at %s (or the middlebox in front of it): it must keep the question's case and answer names case-insensitively", p.server)
		return c
	}
	c.OK = true
	c.Got = "case kept, same answer"
	c.Detail = p.server + " keeps the question's case"
	return c
}

// aaaa: the server answers an AAAA question as it answers an A question,
// NOERROR (with or without records) (Zonemaster NAMESERVER05, RFC 4074):
// a server, or a middlebox in front of it, that drops AAAA questions or
// answers them with an error (a failing scripted record, an old
// implementation) leaves every dual-stack client without the zone's
// names, or waiting for timeouts. The apex A question first: a server
// that answers it with an error is a warning (A_UNEXPECTED_RCODE), and its
// AAAA answer is not judged.
func (t *Target) aaaa(ctx context.Context, server string, opt query.MsgOptions) Check {
	c := Check{Name: CheckAAAA, Server: server, Asked: "A, then AAAA " + t.Zone + " over UDP", Expected: "NOERROR to both (records or none)",
		Ref: "Zonemaster NAMESERVER05; RFC 4074"}
	r, err := ask(ctx, &c, t.Zone, dns.TypeA, opt, "the apex A")
	if err != nil {
		c.Fix = fmt.Sprintf("make %s answer every question type for %s (a firewall or middlebox dropping some?)", server, t.Zone)
		return c
	}
	if r.Rcode != dns.RcodeSuccess {
		// Zonemaster's A_UNEXPECTED_RCODE is a WARNING; here a warning
		// refuses unless accepted, and this check, an error, cannot be:
		// the AAAA is not judged, and the server's other answers are
		// judged by the checks that ask them (aa, child-ns, serial).
		c.OK = true
		c.Got = "A: rcode " + dns.RcodeToString[r.Rcode] + " (A_UNEXPECTED_RCODE)"
		c.Detail = fmt.Sprintf("%s answers the apex A with %s: the AAAA answer is not judged", server, dns.RcodeToString[r.Rcode])
		return c
	}
	r, err = query.Msg(ctx, server, t.Zone, dns.TypeAAAA, opt)
	switch {
	case err != nil:
		c.Got = "AAAA: no answer: " + err.Error() + " (AAAA_QUERY_DROPPED)"
		c.Detail = fmt.Sprintf("%s answers the apex A but not the apex AAAA (%v): dual-stack clients ask both and wait for, or fail on, the AAAA", server, err)
	case r.Rcode != dns.RcodeSuccess:
		c.Got = "AAAA: rcode " + dns.RcodeToString[r.Rcode] + " (AAAA_UNEXPECTED_RCODE)"
		c.Detail = fmt.Sprintf("%s answers the apex A with NOERROR but the apex AAAA with %s: resolvers pass the failure on to every client that asks for the zone's IPv6 address (RFC 4074 §3)", server, dns.RcodeToString[r.Rcode])
	default:
		c.OK = true
		c.Got = fmt.Sprintf("NOERROR, %d AAAA", len(r.Answer))
		c.Detail = server + " answers the apex A and AAAA"
		return c
	}
	c.Fix = fmt.Sprintf("make %s answer AAAA questions for %s with NOERROR, with the records or none (a scripted or dynamic AAAA record that fails, an old server, a middlebox filtering AAAA)", server, t.Zone)
	return c
}

// recursion: the server does not offer recursion (RA) to this client
// (Zonemaster NAMESERVER01; RFC 5358).
func (t *Target) recursion(ctx context.Context, server string, opt query.MsgOptions) Check {
	c := Check{Name: CheckRecursion, Server: server, Asked: "SOA " + t.Zone + " with RD=1", Expected: "RA=0 (no recursion offered)",
		Ref: "Zonemaster NAMESERVER01; RFC 5358"}
	opt.RD = true
	r, err := ask(ctx, &c, t.Zone, dns.TypeSOA, opt, "a query with RD=1")
	if err != nil {
		return c
	}
	if r.RecursionAvailable {
		c.Got = "RA=1"
		c.Detail = fmt.Sprintf("%s offers recursion to anyone who can reach it (RA set): an open resolver beside the authoritative data (amplification, cache poisoning, answers that differ from the zone)", server)
		c.Fix = fmt.Sprintf("turn recursion off on %s (BIND: recursion no; PowerDNS: no recursor=), or restrict it to your own clients", server)
		return c
	}
	c.OK = true
	c.Got = "RA=0"
	c.Detail = server + " offers no recursion"
	return c
}

// axfr: the server does not hand the zone to anyone who asks (Zonemaster
// NAMESERVER03).
func (t *Target) axfr(ctx context.Context, server string) Check {
	c := Check{Name: CheckAXFROpen, Server: server, Asked: "AXFR " + t.Zone + " without TSIG", Expected: "refused",
		Ref: "Zonemaster NAMESERVER03; RFC 5936 §6"}
	rrs, err := transfer.AXFR(ctx, server, t.Zone, transfer.Options{Timeout: t.Timeout, DialTimeout: t.Timeout})
	if err == nil || errors.Is(err, transfer.ErrIncomplete) {
		c.Got = fmt.Sprintf("transfer started (%d records)", len(rrs))
		if err != nil {
			c.Got = "transfer started: " + err.Error()
		}
		c.Detail = fmt.Sprintf("%s transfers the whole zone to anyone who asks, without TSIG", server)
		c.Fix = fmt.Sprintf("allow AXFR at %s only with a TSIG key (BIND: allow-transfer { key NAME; }; PowerDNS: allow-axfr-ips empty + TSIG-ALLOW-AXFR; Knot: acl with key)", server)
		return c
	}
	c.OK = true
	c.Got = "refused: " + err.Error()
	c.Detail = server + " refuses an unsigned zone transfer"
	return c
}

// upward: the server does not answer a question outside its zones with a
// referral to the root (Zonemaster NAMESERVER07).
func (t *Target) upward(ctx context.Context, server string, opt query.MsgOptions) Check {
	c := Check{Name: CheckUpwardReferral, Server: server, Asked: "NS . with RD=0", Expected: "no referral (REFUSED, or an answer without authority records)",
		Ref: "Zonemaster NAMESERVER07"}
	r, err := ask(ctx, &c, ".", dns.TypeNS, opt, "a question outside its zones")
	if err != nil {
		return c
	}
	for _, rr := range r.Ns {
		if rr.Header().Rrtype == dns.TypeNS {
			c.Got = fmt.Sprintf("a referral to %s", rr.Header().Name)
			c.Detail = fmt.Sprintf("%s answers a question outside its zones with an upward referral (%s): usable for amplification", server, c.Got)
			c.Fix = fmt.Sprintf("configure %s to answer REFUSED outside its zones (BIND: no root hints for an authoritative server)", server)
			return c
		}
	}
	c.OK = true
	c.Got = dns.RcodeToString[r.Rcode] + ", no referral"
	c.Detail = server + " gives no upward referral"
	return c
}

// probeChecks are the probes' checks plus serial and soa-fields, which
// compare the probes (Zonemaster CONSISTENCY01, and CONSISTENCY02, 03 and
// 06); a server not checked from here has both not-checked too, and takes
// no part in the comparison.
func (t *Target) probeChecks(probes []*probe) []Check {
	var serials []uint32
	for _, p := range probes {
		if p.soa != nil {
			serials = append(serials, p.soa.Serial)
		}
	}
	newest := uint32(0)
	for i, s := range serials {
		if i == 0 || serialLess(newest, s) {
			newest = s
		}
	}
	distinct := map[uint32][]string{}
	asked := 0
	for _, p := range probes {
		if p.soa != nil {
			distinct[p.soa.Serial] = append(distinct[p.soa.Serial], p.server)
		}
		if p.notChecked == "" {
			asked++
		}
	}
	var out []Check
	for _, p := range probes {
		out = append(out, p.checks...)
		if p.notChecked != "" {
			continue // notCheckedProbe made serial too
		}
		c := Check{Name: CheckSerial, Server: p.server, Asked: "SOA " + t.Zone, Expected: fmt.Sprintf("serial %d, as every server of the side", newest),
			Ref: "Zonemaster CONSISTENCY01; RFC 1034 §4.3.5"}
		switch {
		case p.soa == nil:
			c.Got = "no SOA"
			c.Detail = fmt.Sprintf("%s serves no SOA to compare (see aa)", p.server)
		case p.soa.Serial == newest && len(distinct) == 1:
			c.OK = true
			c.Got = fmt.Sprintf("serial %d", p.soa.Serial)
			c.Detail = fmt.Sprintf("%s serves serial %d, as the side's other %d servers", p.server, newest, asked-1)
		case p.soa.Serial == newest:
			c.OK = true
			c.Got = fmt.Sprintf("serial %d (the newest)", p.soa.Serial)
			c.Detail = fmt.Sprintf("%s serves the newest serial %d", p.server, newest)
		default:
			c.Got = fmt.Sprintf("serial %d", p.soa.Serial)
			c.Detail = fmt.Sprintf("%s serves serial %d, older than %d at %s: a secondary that has not transferred the latest zone serves stale data", p.server, p.soa.Serial, newest, strings.Join(distinct[newest], " "))
			c.Fix = fmt.Sprintf("bring %s up to date (check its transfers from the primary: NOTIFY, allow-transfer, TSIG), then run the step again", p.server)
		}
		out = append(out, c, t.soaFields(p, probes))
	}
	return out
}

// soaFields compares the SOA p serves with the SOA of every other server
// at the same serial (Zonemaster CONSISTENCY02 RNAME, CONSISTENCY03
// timers, CONSISTENCY06 MNAME). Servers at one serial that serve
// different SOA records do not hold one copy of the zone: a secondary
// compares serials only (RFC 1034 §4.3.5), so it never transfers the
// other copy, and what one server holds beyond the other stays missing
// there; the negative-caching TTL (MINIMUM, RFC 2308 §4) and the copy's
// lifetime (EXPIRE) also differ by the server a resolver picks. A server
// at an older serial is serial's failure, not this one's.
func (t *Target) soaFields(p *probe, probes []*probe) Check {
	c := Check{Name: CheckSOAFields, Server: p.server, Asked: "SOA " + t.Zone,
		Expected: "the same MNAME, RNAME, refresh, retry, expire and minimum as every server at its serial",
		Ref:      "Zonemaster CONSISTENCY02, CONSISTENCY03, CONSISTENCY06; RFC 1034 §4.2.1, §4.3.5"}
	if p.soa == nil {
		// aa fails it (and serial); a warning here would say it again.
		c.OK = true
		c.Got = "no SOA"
		c.Detail = fmt.Sprintf("%s serves no SOA to compare: aa fails it", p.server)
		return c
	}
	mine := soaFieldsOf(p.soa)
	c.Got = strings.Join(mine, " ")
	var differ []string
	same := 0
	for _, o := range probes {
		if o == p || o.soa == nil || o.soa.Serial != p.soa.Serial {
			continue
		}
		same++
		theirs := soaFieldsOf(o.soa)
		var fields []string
		for i := range mine {
			if mine[i] != theirs[i] {
				fields = append(fields, theirs[i])
			}
		}
		if len(fields) > 0 {
			differ = append(differ, o.server+" serves "+strings.Join(fields, " "))
		}
	}
	switch {
	case same == 0:
		c.OK = true
		c.Detail = fmt.Sprintf("%s is the only server at serial %d: no other SOA to compare (serial judges the others)", p.server, p.soa.Serial)
		return c
	case len(differ) == 0:
		c.OK = true
		c.Detail = fmt.Sprintf("%s serves the SOA of serial %d as the side's other %d servers at that serial", p.server, p.soa.Serial, same)
		return c
	}
	c.Detail = fmt.Sprintf("%s serves serial %d with %s, but %s at the same serial: the servers do not hold one copy of the zone (a secondary compares serials only and never transfers the other), so names one holds may be missing at another, and negative answers and the copy's expiry differ by the server a resolver asks",
		p.server, p.soa.Serial, c.Got, strings.Join(differ, "; "))
	c.Fix = fmt.Sprintf("serve one zone from every server of providers.%s (transfer it from one primary, or set the same SOA everywhere and bump the serial), then run the step again; if the provider serves per-server SOA fields on purpose, accept %s in policy.delegation.accept", t.Side, CheckSOAFields)
	return c
}

// soaFieldsOf is every SOA field but the serial, each as "field=value",
// the names folded to lower case.
func soaFieldsOf(s *dns.SOA) []string {
	return []string{"mname=" + zone.Fold(s.Ns), "rname=" + zone.Fold(s.Mbox),
		fmt.Sprintf("refresh=%d", s.Refresh), fmt.Sprintf("retry=%d", s.Retry),
		fmt.Sprintf("expire=%d", s.Expire), fmt.Sprintf("minimum=%d", s.Minttl)}
}

// serialLess is RFC 1982 serial number arithmetic: a < b.
func serialLess(a, b uint32) bool {
	return a != b && int32(b-a) > 0
}
