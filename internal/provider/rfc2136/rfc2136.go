// Package rfc2136 is a provider for any primary server that takes RFC 2136
// dynamic updates and allows zone transfers (BIND, Knot, PowerDNS, NSD
// behind a signer, ...): it lists a zone by AXFR and changes it by UPDATE,
// both TSIG-signed, over TCP. Every UPDATE carries prerequisites (RFC 2136
// §2.4) stating what the plan was made against, so a change another
// writer made in between is refused, never overwritten.
//
// Config (dnsparity.yaml):
//
//	type: rfc2136
//	server: 127.0.0.1:53
//	flavor: bind              # bind | knot | powerdns | nsd | generic (default)
//	tsig: {name: update-key., algorithm: hmac-sha256, secret_env: TSIG_SECRET}
//	# or the key's name from the environment, so that a transfer-only key
//	# (pull requests, drift) and an update key (sync, cutover) share it:
//	# tsig: {name_env: TSIG_NAME, secret_env: TSIG_SECRET}
//	nameservers: [ns1.example.com.]
package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.Register[Settings]("rfc2136", New)
}

// defaultMaxMessage is the budget for one UPDATE message (TCP allows
// 65535; room is left for the header, zone section and TSIG).
const defaultMaxMessage = 60000

// maxRRset is the largest RRset (wire octets, owner names uncompressed)
// a replace can carry: its old version as prerequisite and its new
// version as update in one message. Larger ones are reported by the plan
// before anything is sent.
const maxRRset = (defaultMaxMessage - 2048) / 2

// defaultFudge is the TSIG fudge (seconds of clock difference the server
// accepts).
const defaultFudge = 300

// flavorNames are the server implementations whose quirks are known; the
// flavor is declared in the config, never sniffed, so that capabilities
// do not depend on what was called before.
var flavorNames = []string{"bind", "generic", "knot", "nsd", "powerdns"}

type flavor struct {
	// unknownTypes: the server stores RFC 3597 types sent by UPDATE.
	unknownTypes bool
	// noValuePrereq are types whose value-dependent prerequisite the
	// server never matches; for them the RRset's existence is required
	// instead (RFC 2136 §2.4.1), a weaker check.
	noValuePrereq map[uint16]bool
	// noUpdate: the server takes no RFC 2136 UPDATE at all (NSD): its
	// zone can be read and compared, not pushed.
	noUpdate bool
	// checkNames: the server refuses, in an UPDATE, an address record
	// whose owner is not a host name and an MX or SRV whose target is not
	// one (BIND's check-names, "primary fail" by default).
	checkNames bool
}

// lookupFlavor gives a flavor's quirks.
func lookupFlavor(name string) (flavor, bool) {
	switch name {
	case "generic", "knot":
		return flavor{unknownTypes: true}, true
	case "bind":
		return flavor{unknownTypes: true, checkNames: true}, true
	case "nsd":
		return flavor{unknownTypes: true, noUpdate: true}, true
	case "powerdns":
		// 4.7: FORMERR "failed prescan" on RFC 3597 types; NXRRSET for
		// any value-dependent prerequisite on SVCB or HTTPS, and on a
		// NAPTR whose replacement is a name when the zone was loaded
		// from a file (TestNAPTRFromFile; the same record added by
		// UPDATE matches).
		return flavor{unknownTypes: false, noValuePrereq: map[uint16]bool{dns.TypeSVCB: true, dns.TypeHTTPS: true, dns.TypeNAPTR: true}}, true
	}
	return flavor{}, false
}

// Provider talks RFC 2136 to one primary server.
type Provider struct {
	server      string
	nameservers []string
	keyName     string
	algorithm   string
	secret      string
	timeout     time.Duration
	fudge       uint16
	maxMessage  int
	flavor      string
	caps        flavor

	updates atomic.Int64 // UPDATE messages sent

	// asRead keeps, per zone, the RRsets whose RDATA the last transfer
	// gave with upper-case names, as the server spelled them: servers
	// compare value-dependent prerequisites case-sensitively, and the
	// canonical form is lower case.
	mu     sync.Mutex
	asRead map[string]map[zone.Key][]dns.RR
	// soa is, per zone, the SOA of the last transfer, until an UPDATE
	// changes it: the first UPDATE after a transfer requires it unchanged,
	// which also catches what RRset prerequisites cannot (a TTL changed).
	soa map[string]dns.RR
}

// New makes a provider from its config.
func New(cfg *config.Provider) (*Provider, error) {
	st := provider.SettingsOf[Settings](cfg)
	if st.Server == "" {
		return nil, errors.New("rfc2136: server is required")
	}
	// An address, never a name: dialing a name would ask the system
	// resolver.
	server, err := query.ParseAddr(st.Server)
	if err != nil {
		return nil, fmt.Errorf("rfc2136: server: %w", err)
	}
	fl := st.Flavor
	if fl == "" {
		fl = "generic"
	}
	caps, ok := lookupFlavor(fl)
	if !ok {
		return nil, fmt.Errorf("rfc2136: flavor %q is not one of %s", st.Flavor, strings.Join(flavorNames, ", "))
	}
	p := &Provider{server: server, nameservers: cfg.Nameservers, timeout: 30 * time.Second,
		fudge: defaultFudge, maxMessage: defaultMaxMessage, flavor: fl, caps: caps}
	if t := cfg.TSIG; t != nil {
		if t.Name == "" {
			return nil, errors.New("rfc2136: the TSIG key has no name (tsig.name, or tsig.name_env read by Resolve)")
		}
		p.keyName = dns.Fqdn(zone.Fold(t.Name))
		p.algorithm = t.TSIGAlgorithm()
		p.secret = t.Secret.Value()
		if p.secret == "" {
			return nil, errors.New("rfc2136: the TSIG secret (tsig.secret_env) is empty")
		}
	}
	return p, nil
}

// Updates is the number of UPDATE messages this provider has sent.
func (p *Provider) Updates() int64 { return p.updates.Load() }

// Capabilities: a primary server holds anything on the wire, except what
// its declared flavor says it refuses (PowerDNS takes no RFC 3597 type
// through UPDATE). They never change after New.
func (p *Provider) Capabilities() provider.Capabilities {
	c := provider.Capabilities{LongTXT: true, UnknownTypes: p.caps.unknownTypes, MaxRRsetSize: maxRRset}
	if p.caps.checkNames {
		c.Check = provider.EachRR(checkNames)
	}
	if p.caps.noUpdate {
		c.ReadOnly = "NSD takes no dynamic updates (flavor: nsd); change its zone file and reload it"
	}
	if p.flavor == "powerdns" {
		// PowerDNS's UPDATE takes a new SOA's content but keeps its TTL.
		c.NoApexSOA = "PowerDNS keeps the SOA's TTL on a DNS UPDATE: set it through its API (provider type powerdns does it on push) or with `pdnsutil edit-zone ZONE`"
	}
	return c
}

// Nameservers are the configured ones, else the zone's apex NS.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.DefaultNameservers(ctx, p.nameservers, p, origin)
}

// Transfer reads the zone's records by AXFR as the server sends them
// (spelling kept, the closing SOA left out), complete or an error: for
// callers that compare wire data (parity) rather than plan.
func (p *Provider) Transfer(ctx context.Context, origin string) ([]dns.RR, error) {
	origin = zone.CanonicalName(origin)
	rrs, err := p.axfr(ctx, origin)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("rfc2136 %s: AXFR %s: %w", p.server, origin, err)
		}
		return nil, p.notServed(ctx, origin, p.wrap("AXFR "+origin, err))
	}
	return rrs, nil
}

// Records transfers the zone (AXFR over TCP).
func (p *Provider) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	origin = zone.CanonicalName(origin)
	rrs, err := p.Transfer(ctx, origin)
	if err != nil {
		return nil, err
	}
	z, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("rfc2136 %s: AXFR %s: %w", p.server, origin, err)
	}
	p.keepSpelling(origin, rrs)
	return z, nil
}

// keepSpelling remembers the RRsets of the transfer whose RDATA is not in
// canonical (lower) case.
func (p *Provider) keepSpelling(origin string, rrs []dns.RR) {
	mixed := map[zone.Key]bool{}
	var buf []byte
	for _, rr := range rrs {
		raw, rdata, err := rawRdata(rr, buf)
		buf = raw
		if err != nil {
			continue
		}
		if !hasUpper(rdata) {
			continue // lower-casing its names cannot change it
		}
		canon, err := zone.CanonicalRdata(rr)
		if err == nil && string(rdata) != canon {
			mixed[zone.Key{Name: zone.CanonicalName(rr.Header().Name), Type: rr.Header().Rrtype}] = true
		}
	}
	sets := map[zone.Key][]dns.RR{}
	if len(mixed) > 0 {
		for _, rr := range rrs {
			k := zone.Key{Name: zone.CanonicalName(rr.Header().Name), Type: rr.Header().Rrtype}
			if mixed[k] {
				sets[k] = append(sets[k], rr)
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.asRead == nil {
		p.asRead = map[string]map[zone.Key][]dns.RR{}
		p.soa = map[string]dns.RR{}
	}
	p.asRead[origin] = sets
	if len(rrs) > 0 && rrs[0].Header().Rrtype == dns.TypeSOA {
		p.soa[origin] = rrs[0]
	}
}

// takeSOA returns the SOA the last transfer saw (nil when an UPDATE has
// changed it since) and forgets it.
func (p *Provider) takeSOA(origin string) dns.RR {
	p.mu.Lock()
	defer p.mu.Unlock()
	soa := p.soa[origin]
	delete(p.soa, origin)
	return soa
}

// hasUpper reports whether b holds an ASCII upper-case letter.
func hasUpper(b []byte) bool {
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			return true
		}
	}
	return false
}

// rawRdata is rr's RDATA on the wire as it is spelled (uncompressed).
func rawRdata(rr dns.RR, buf []byte) (scratch, rdata []byte, err error) {
	n := dns.Len(rr) + 16
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	off, err := dns.PackRR(rr, buf, 0, nil, false)
	if err != nil {
		return buf, nil, err
	}
	l := int(rr.Header().Rdlength)
	return buf, buf[off-l : off], nil
}

// spelled is the old RRset as the last transfer spelled it, when that is
// still the set the change was planned against.
func (p *Provider) spelled(origin string, c provider.Change) []dns.RR {
	if c.Old == nil {
		return nil
	}
	p.mu.Lock()
	rrs := p.asRead[origin][c.Key()]
	p.mu.Unlock()
	if len(rrs) == 0 {
		return nil
	}
	s, err := zone.NewRRSet(rrs)
	if err != nil || !s.SameData(c.Old) {
		return nil
	}
	return rrs
}

// notServed tells a zone the server does not serve from refused
// credentials: servers answer both unsigned (NOTAUTH, REFUSED), so an
// auth error is checked with a plain SOA query for the zone. When the
// server is not authoritative for it, the error wraps ErrZoneNotFound
// instead of ErrAuth.
func (p *Provider) notServed(ctx context.Context, origin string, err error) error {
	if !errors.Is(err, provider.ErrAuth) {
		return err
	}
	m := new(dns.Msg)
	m.SetQuestion(origin, dns.TypeSOA)
	m.RecursionDesired = false
	r, qerr := p.query(ctx, m)
	if qerr != nil {
		return err
	}
	if r.Rcode == dns.RcodeSuccess && r.Authoritative {
		for _, rr := range r.Answer {
			if rr.Header().Rrtype == dns.TypeSOA && zone.Fold(rr.Header().Name) == zone.Fold(origin) {
				return err // the zone is there: the key was refused
			}
		}
	}
	return fmt.Errorf("rfc2136 %s: AXFR %s: the server does not serve the zone (SOA query: %s, AA=%v): %w",
		p.server, origin, dns.RcodeToString[r.Rcode], r.Authoritative, provider.ErrZoneNotFound)
}

// wrap classifies an exchange error.
func (p *Provider) wrap(what string, err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("rfc2136 %s: %s: stopped: %w", p.server, what, err)
	case errors.Is(err, transfer.ErrIncomplete):
		return fmt.Errorf("rfc2136 %s: %s: %w", p.server, what, err)
	case strings.Contains(msg, "BADTIME"):
		return fmt.Errorf("rfc2136 %s: %s: TSIG time refused: this machine's clock and the server's differ by more than the %d s fudge: %w: %v", p.server, what, p.fudge, provider.ErrAuth, err)
	case errors.Is(err, dns.ErrSig), errors.Is(err, dns.ErrAuth), errors.Is(err, dns.ErrNoSig), errors.Is(err, dns.ErrSecret), errors.Is(err, dns.ErrKey),
		strings.Contains(msg, "NOTAUTH"), strings.Contains(msg, "BADSIG"), strings.Contains(msg, "BADKEY"):
		return fmt.Errorf("rfc2136 %s: %s: TSIG key %s refused (wrong secret or key name?): %w: %v", p.server, what, p.keyName, provider.ErrAuth, err)
	case strings.Contains(msg, "REFUSED"):
		return fmt.Errorf("rfc2136 %s: %s: refused by the server (not allowed for key %q, or its checks refused the data: see its log): %w: %v", p.server, what, p.keyName, provider.ErrAuth, err)
	case strings.Contains(msg, "NOTAUTH") || strings.Contains(msg, "NOTZONE"):
		return fmt.Errorf("rfc2136 %s: %s: %w: %v", p.server, what, provider.ErrZoneNotFound, err)
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || strings.Contains(msg, "connection refused") || strings.Contains(msg, "EOF") {
		return fmt.Errorf("rfc2136 %s: %s: %w: %v", p.server, what, provider.ErrUnavailable, err)
	}
	return fmt.Errorf("rfc2136 %s: %s: %w", p.server, what, err)
}

// query sends m unsigned over a new connection and returns the answer.
func (p *Provider) query(ctx context.Context, m *dns.Msg) (*dns.Msg, error) {
	c, err := transfer.Dial(ctx, p.server, p.options(false))
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.Exchange(ctx, m)
}

// checkNames is BIND's check-names on an UPDATE (named refuses the whole
// message, REFUSED): A and AAAA owners (a leading "*" allowed), MX and SRV
// targets must be host names (RFC 952/1123).
func checkNames(rr dns.RR) string {
	const why = "BIND's check-names (primary fail, the default) refuses it in an update: set check-names primary ignore on the server, or rename it"
	h := rr.Header()
	target := ""
	switch v := rr.(type) {
	case *dns.A, *dns.AAAA:
		if !zone.IsHostname(h.Name, true) {
			return fmt.Sprintf("owner %s is not a host name: %s", h.Name, why)
		}
	case *dns.MX:
		target = v.Mx
	case *dns.SRV:
		target = v.Target
	}
	if target != "" && !zone.IsHostname(target, false) {
		return fmt.Sprintf("target %s is not a host name: %s", target, why)
	}
	return ""
}
