package registrar

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/query"
	dnszone "github.com/dnsparity/dnsparity/internal/zone"
)

// AtServer is the delegation one of the parent's authoritative servers
// serves, or why it could not be read.
type AtServer struct {
	Server     string     `json:"server"`
	Delegation Delegation `json:"delegation"`
	// Sibling are the addresses the referral carries for names outside
	// the zone (sibling glue: a name in another zone the parent holds or
	// delegates), by name: not part of the delegation, but a resolver
	// may use them.
	Sibling map[string][]string `json:"-"`
	Err     string              `json:"error,omitempty"`
	// Silent: Err is no answer at all (a timeout, a refused
	// connection), not an answer without the delegation (NXDOMAIN,
	// REFUSED, no NS, a DS answer without authority), which is the
	// server's word resolvers get too.
	Silent bool `json:"-"`
}

// Lookup asks each of the parent's authoritative servers (host:port)
// directly, without recursion, for zone's NS set (the referral, with its
// glue, and the sibling glue it carries) and DS set. It never asks a
// resolver.
func Lookup(ctx context.Context, servers []string, zone string, timeout time.Duration) []AtServer {
	zone = dns.Fqdn(foldName(zone))
	out := make([]AtServer, len(servers))
	done := make(chan struct{}, len(servers))
	for i, s := range servers {
		go func() {
			defer func() { done <- struct{}{} }()
			addr, err := query.ParseAddr(s)
			if err != nil {
				out[i] = AtServer{Server: s, Err: err.Error()}
				return
			}
			d, sibling, silent, err := lookupOne(ctx, addr, zone, timeout)
			out[i] = AtServer{Server: addr, Delegation: d, Sibling: sibling, Silent: silent}
			if err != nil {
				out[i].Err = err.Error()
			}
		}()
	}
	for range servers {
		<-done
	}
	return out
}

// Agreement is how the answers of a zone's parent servers stand: the
// one judgement of whether they agree (Agree).
type Agreement struct {
	// Answered are the servers that answered, in the order asked.
	Answered []AtServer
	// All: every server answered.
	All bool
	// First is the first answer's delegation (zero when none answered):
	// the one they serve when they agree.
	First Delegation
	// NS, DS: every answer serves First's NS set; First's DS set.
	NS, DS bool
	// Silent are the servers that did not answer at all (AtServer.Silent:
	// a timeout, a refused connection; down, or out of reach from here),
	// in the order asked: no word on the delegation. A server that
	// answered without it (REFUSED, NXDOMAIN) is neither here nor in
	// Answered: resolvers get that answer.
	Silent []string
	// said counts the servers that were not silent.
	said int
}

// Agree judges the answers of a zone's parent servers (Lookup).
func Agree(views []AtServer) Agreement {
	a := Agreement{All: true, NS: true, DS: true}
	for _, v := range views {
		if v.Silent {
			a.Silent = append(a.Silent, v.Server)
		} else {
			a.said++
		}
		if v.Err != "" {
			a.All = false
			continue
		}
		if len(a.Answered) == 0 {
			a.First = v.Delegation
		}
		a.Answered = append(a.Answered, v)
		a.NS = a.NS && SameNS(v.Delegation.NS, a.First.NS)
		a.DS = a.DS && SameNS(v.Delegation.DS, a.First.DS)
	}
	return a
}

// One reports whether the servers that answered (one at least) serve one
// delegation: one NS set and one DS set.
func (a Agreement) One() bool { return len(a.Answered) > 0 && a.NS && a.DS }

// Agreed reports whether every server answered, all with one delegation
// (One).
func (a Agreement) Agreed() bool { return a.All && a.One() }

// AgreedButSilent is Agreed with the Silent servers left out: every
// server that was not silent answered (one at least), all with one
// delegation.
func (a Agreement) AgreedButSilent() bool { return len(a.Answered) == a.said && a.One() }

// Agreed returns the delegation every server serves, and false when one
// did not answer, they disagree or none answered (Agree; the delegation
// is then the first answer's, or zero).
func Agreed(views []AtServer) (Delegation, bool) {
	a := Agree(views)
	return a.First, a.Agreed()
}

// SameNS reports whether two sorted name lists are equal.
func SameNS(a, b []string) bool { return slices.Equal(a, b) }

func lookupOne(ctx context.Context, server, zone string, timeout time.Duration) (d Delegation, sibling map[string][]string, silent bool, err error) {
	r, err := exchange(ctx, server, zone, dns.TypeNS, false, timeout)
	if err != nil {
		return d, nil, true, fmt.Errorf("NS %s at %s: %w", zone, server, err)
	}
	if r.Rcode != dns.RcodeSuccess {
		return d, nil, false, fmt.Errorf("NS %s at %s: %s", zone, server, dns.RcodeToString[r.Rcode])
	}
	for _, rr := range append(append([]dns.RR{}, r.Answer...), r.Ns...) {
		if ns, ok := rr.(*dns.NS); ok && strings.EqualFold(ns.Hdr.Name, zone) {
			d.NS = append(d.NS, foldName(ns.Ns))
			d.NSTTL = ns.Hdr.Ttl
		}
	}
	if len(d.NS) == 0 {
		return d, nil, false, fmt.Errorf("NS %s at %s: no delegation (rcode %s, aa=%v, %d answers, %d authority)", zone, server, dns.RcodeToString[r.Rcode], r.Authoritative, len(r.Answer), len(r.Ns))
	}
	for _, rr := range r.Extra {
		h := rr.Header()
		name := foldName(h.Name)
		addr, ok := dnszone.AddrOf(rr)
		if !ok {
			continue
		}
		glue := &d.Glue
		if !InBailiwick(name, zone) {
			glue = &sibling
		} else {
			d.GlueTTL = max(d.GlueTTL, h.Ttl)
		}
		if *glue == nil {
			*glue = map[string][]string{}
		}
		(*glue)[name] = append((*glue)[name], addr)
	}
	for _, as := range d.Glue {
		sort.Strings(as)
	}
	for _, as := range sibling {
		sort.Strings(as)
	}
	// With the DO bit: a signed parent's DS answer carries its RRSIGs
	// or its proof of no DS, checked against its DNSKEY set.
	r, err = query.Msg(ctx, server, zone, dns.TypeDS, query.MsgOptions{Timeout: timeout, DO: true})
	if err != nil {
		return d, nil, true, fmt.Errorf("DS %s at %s: %w", zone, server, err)
	}
	if r.Rcode != dns.RcodeSuccess || !r.Authoritative {
		// The parent answers DS authoritatively, with records or NODATA;
		// anything else is not the parent's word on it.
		return d, nil, false, fmt.Errorf("DS %s at %s: %s, aa=%v: not authoritative for the parent zone", zone, server, dns.RcodeToString[r.Rcode], r.Authoritative)
	}
	if err := dnssec.VerifyParentDS(ctx, server, zone, r, timeout); err != nil {
		return d, nil, false, fmt.Errorf("DS %s at %s: %w", zone, server, err)
	}
	for _, rr := range r.Answer {
		if ds, ok := rr.(*dns.DS); ok && strings.EqualFold(ds.Hdr.Name, zone) {
			d.DS = append(d.DS, strings.ToUpper(strings.TrimPrefix(ds.String(), ds.Hdr.String())))
			d.DSTTL = ds.Hdr.Ttl
		}
	}
	d.Normalize()
	return d, sibling, false, nil
}

// InBailiwick reports whether name is zone or below it.
func InBailiwick(name, zone string) bool {
	return dns.IsSubDomain(dns.Fqdn(zone), dns.Fqdn(name))
}

// exchange sends one query to server (IP:port) through the project's query
// engine: UDP, TCP when truncated, one retry, bounded by ctx.
func exchange(ctx context.Context, server, name string, qtype uint16, rd bool, timeout time.Duration) (*dns.Msg, error) {
	return query.Msg(ctx, server, name, qtype, query.MsgOptions{Timeout: timeout, RD: rd})
}
