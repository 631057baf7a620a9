// Package rfc2136 is a provider for any primary server that takes RFC 2136
// dynamic updates and allows zone transfers (BIND, Knot, PowerDNS, ...): it
// lists a zone by AXFR and changes it by UPDATE, both TSIG-signed, over TCP.
//
// Config (dnsparity.yaml):
//
//	type: rfc2136
//	server: 127.0.0.1:53
//	tsig: {name: update-key., algorithm: hmac-sha256, secret_env: TSIG_SECRET}
//	nameservers: [ns1.example.com.]
package rfc2136

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func init() {
	provider.Register("rfc2136", func(cfg *config.Provider) (provider.Provider, error) {
		return New(cfg)
	})
}

// maxMessage is the budget for one UPDATE message (TCP allows 65535; room is
// left for the header, zone section and TSIG).
const maxMessage = 60000

// maxRRset is the largest RRset (wire octets, owner names uncompressed)
// that fits in one UPDATE message next to the delete of its old version;
// larger ones are reported by the plan before anything is sent.
const maxRRset = maxMessage - 2048

// Provider talks RFC 2136 to one primary server.
type Provider struct {
	server      string
	nameservers []string
	keyName     string
	algorithm   string
	secret      string
	timeout     time.Duration

	updates atomic.Int64 // UPDATE messages sent
	// noUnknown is set when the server is seen to be PowerDNS, which
	// refuses RFC 3597 types in UPDATE (FORMERR, "failed prescan").
	noUnknown atomic.Bool
}

// New makes a provider from its config.
func New(cfg *config.Provider) (*Provider, error) {
	if cfg.Server == "" {
		return nil, errors.New("rfc2136: server is required")
	}
	server := cfg.Server
	if _, _, err := net.SplitHostPort(server); err != nil {
		server = net.JoinHostPort(server, "53")
	}
	p := &Provider{server: server, nameservers: cfg.Nameservers, timeout: 30 * time.Second}
	if t := cfg.TSIG; t != nil {
		p.keyName = dns.Fqdn(zone.Fold(t.Name))
		p.algorithm = t.TSIGAlgorithm()
		p.secret = t.Secret.Value()
		if p.secret == "" {
			return nil, fmt.Errorf("rfc2136: TSIG secret from %s is empty", t.SecretEnv)
		}
	}
	return p, nil
}

// Updates is the number of UPDATE messages this provider has sent.
func (p *Provider) Updates() int64 { return p.updates.Load() }

// Capabilities: a primary server holds anything on the wire, except that
// PowerDNS (recognized by its version.bind answer once Records has run)
// takes no RFC 3597 type through UPDATE.
func (p *Provider) Capabilities() provider.Capabilities {
	return provider.Capabilities{LongTXT: true, UnknownTypes: !p.noUnknown.Load(), MaxRRsetSize: maxRRset}
}

// identify asks the server's version (CHAOS version.bind) to learn its
// quirks; no answer means none known.
func (p *Provider) identify(ctx context.Context) {
	m := new(dns.Msg)
	m.SetQuestion("version.bind.", dns.TypeTXT)
	m.Question[0].Qclass = dns.ClassCHAOS
	c := &dns.Client{Net: "tcp", Timeout: 2 * time.Second}
	r, _, err := c.ExchangeContext(ctx, m, p.server)
	if err != nil || r == nil {
		return
	}
	for _, rr := range r.Answer {
		if t, ok := rr.(*dns.TXT); ok && strings.HasPrefix(strings.Join(t.Txt, ""), "PowerDNS") {
			p.noUnknown.Store(true)
		}
	}
}

// Nameservers are the configured ones, else the zone's apex NS.
func (p *Provider) Nameservers(ctx context.Context, origin string) ([]string, error) {
	return provider.DefaultNameservers(ctx, p.nameservers, p, origin)
}

func (p *Provider) sign(m *dns.Msg) {
	if p.keyName != "" {
		m.SetTsig(p.keyName, p.algorithm, 300, time.Now().Unix())
	}
}

func (p *Provider) secrets() map[string]string {
	if p.keyName == "" {
		return nil
	}
	return map[string]string{p.keyName: p.secret}
}

// Records transfers the zone (AXFR over TCP).
func (p *Provider) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	origin = zone.CanonicalName(origin)
	p.identify(ctx)
	m := new(dns.Msg)
	m.SetAxfr(origin)
	p.sign(m)
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", p.server)
	if err != nil {
		return nil, fmt.Errorf("rfc2136 %s: AXFR %s: %w: %w", p.server, origin, provider.ErrUnavailable, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	tr := &dns.Transfer{Conn: &dns.Conn{Conn: conn}, TsigSecret: p.secrets(), ReadTimeout: p.timeout, WriteTimeout: p.timeout}
	env, err := tr.In(m, p.server)
	if err != nil {
		return nil, p.notServed(ctx, origin, p.wrap("AXFR "+origin, err))
	}
	var rrs []dns.RR
	for e := range env {
		if e.Error != nil {
			if err == nil {
				err = p.wrap("AXFR "+origin, e.Error)
			}
			continue
		}
		rrs = append(rrs, e.RR...)
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("rfc2136 %s: AXFR %s: %w", p.server, origin, ctx.Err())
	}
	if err != nil {
		return nil, p.notServed(ctx, origin, err)
	}
	if len(rrs) == 0 {
		return nil, fmt.Errorf("rfc2136 %s: AXFR %s: empty transfer: %w", p.server, origin, provider.ErrZoneNotFound)
	}
	z, err := zone.FromRRs(origin, rrs)
	if err != nil {
		return nil, fmt.Errorf("rfc2136 %s: AXFR %s: %w", p.server, origin, err)
	}
	return z, nil
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
	c := &dns.Client{Net: "tcp", Timeout: 5 * time.Second}
	r, _, qerr := c.ExchangeContext(ctx, m, p.server)
	if qerr != nil || r == nil {
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
	case errors.Is(err, dns.ErrSig), errors.Is(err, dns.ErrAuth), errors.Is(err, dns.ErrNoSig), errors.Is(err, dns.ErrSecret), errors.Is(err, dns.ErrKey),
		strings.Contains(msg, "NOTAUTH"), strings.Contains(msg, "BADSIG"), strings.Contains(msg, "BADKEY"):
		return fmt.Errorf("rfc2136 %s: %s: TSIG key %s refused (wrong secret or key name?): %w: %v", p.server, what, p.keyName, provider.ErrAuth, err)
	case strings.Contains(msg, "REFUSED"):
		return fmt.Errorf("rfc2136 %s: %s: refused by the server (not allowed for key %q?): %w: %v", p.server, what, p.keyName, provider.ErrAuth, err)
	case strings.Contains(msg, "NOTAUTH") || strings.Contains(msg, "NOTZONE"):
		return fmt.Errorf("rfc2136 %s: %s: %w: %v", p.server, what, provider.ErrZoneNotFound, err)
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, net.ErrClosed) || strings.Contains(msg, "connection refused") || strings.Contains(msg, "EOF") {
		return fmt.Errorf("rfc2136 %s: %s: %w: %v", p.server, what, provider.ErrUnavailable, err)
	}
	return fmt.Errorf("rfc2136 %s: %s: %w", p.server, what, err)
}

// batch is one UPDATE message's worth of changes.
type batch struct {
	msg     *dns.Msg
	changes []provider.Change
	size    int
}

// Apply sends the changes in as few UPDATE messages as fit; each RRset is
// replaced atomically (delete RRset and add its records in the same
// message). Messages go in order; the first that fails stops the push.
func (p *Provider) Apply(ctx context.Context, origin string, cs []provider.Change) (provider.Result, error) {
	origin = zone.CanonicalName(origin)
	var res provider.Result
	batches, err := p.batches(origin, cs)
	if err != nil {
		return res, err
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", p.server)
	if err != nil {
		return res, fmt.Errorf("rfc2136 %s: UPDATE %s: %w: %w", p.server, origin, provider.ErrUnavailable, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	for i, b := range batches {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		res.Requests++
		p.updates.Add(1)
		what := fmt.Sprintf("UPDATE %s (message %d of %d, %d RRsets: %s)", origin, i+1, len(batches), len(b.changes), describe(b.changes))
		// A fresh dns.Conn per message: miekg/dns would sign the next
		// message as a continuation of the last (with its request MAC).
		r, err := p.exchange(&dns.Conn{Conn: conn, TsigSecret: p.secrets()}, b.msg)
		if err != nil {
			return res, p.wrap(what, err)
		}
		if r.Rcode != dns.RcodeSuccess {
			err := fmt.Errorf("server answered %s", dns.RcodeToString[r.Rcode])
			if r.Rcode == dns.RcodeNotAuth || r.Rcode == dns.RcodeRefused {
				return res, p.wrap(what, err)
			}
			return res, fmt.Errorf("rfc2136 %s: %s: %w", p.server, what, err)
		}
		res.Applied = append(res.Applied, b.changes...)
	}
	return res, nil
}

func (p *Provider) exchange(dc *dns.Conn, m *dns.Msg) (*dns.Msg, error) {
	dc.SetWriteDeadline(time.Now().Add(p.timeout))
	if err := dc.WriteMsg(m); err != nil {
		return nil, err
	}
	dc.SetReadDeadline(time.Now().Add(p.timeout))
	r, err := dc.ReadMsg()
	if err != nil {
		// An unsigned error answer (e.g. NOTAUTH/BADSIG to a wrong key)
		// fails TSIG verification; say what the server answered.
		if r != nil && r.Rcode != dns.RcodeSuccess {
			return nil, fmt.Errorf("server answered %s: %w", dns.RcodeToString[r.Rcode], err)
		}
		return nil, err
	}
	if r.Id != m.Id {
		return nil, fmt.Errorf("answer id %d does not match %d", r.Id, m.Id)
	}
	return r, nil
}

// apexNS is the update section that changes the apex NS RRset: every new
// record added (with the new TTL, which an add applies to the RRset),
// then each old record that is not among the new ones deleted (class
// NONE). The server keeps the last NS of the apex whatever is asked.
func apexNS(c provider.Change) ([]dns.RR, int, error) {
	var out []dns.RR
	size := 0
	keep := map[string]bool{}
	if c.New != nil {
		for _, r := range c.New.Records {
			keep[r.Rdata] = true
		}
		for _, rr := range c.New.RRs() {
			rr.Header().Ttl = c.New.TTL
			out = append(out, rr)
			size += dns.Len(rr) + 2
		}
	}
	if c.Old != nil {
		for _, r := range c.Old.Records {
			if keep[r.Rdata] {
				continue
			}
			rr, err := zone.FromRdata(c.Old.Header(), r.Rdata)
			if err != nil {
				return nil, 0, fmt.Errorf("rfc2136: %s: %w", c, err)
			}
			rr.Header().Class = dns.ClassNONE
			rr.Header().Ttl = 0
			out = append(out, rr)
			size += dns.Len(rr) + 2
		}
	}
	if len(out) == 0 {
		return nil, 0, fmt.Errorf("rfc2136: %s has no records", c)
	}
	return out, size, nil
}

// describe names up to 5 RRsets.
func describe(cs []provider.Change) string {
	var parts []string
	for i, c := range cs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(cs)-5))
			break
		}
		parts = append(parts, c.Name+" "+dns.Type(c.Type).String())
	}
	return strings.Join(parts, ", ")
}

func (p *Provider) batches(origin string, cs []provider.Change) ([]*batch, error) {
	var out []*batch
	var cur *batch
	for _, c := range cs {
		var remove, insert []dns.RR
		size := 0
		if c.Name == origin && c.Type == dns.TypeNS {
			// A server ignores "delete the apex NS RRset" (RFC 2136
			// §3.4.2.4): add the new records first, then delete the old
			// ones that are not among them, record by record.
			rrs, n, err := apexNS(c)
			if err != nil {
				return nil, err
			}
			insert, size = rrs, n
		} else if c.Action == provider.Delete || c.Action == provider.Replace {
			h := &dns.ANY{Hdr: dns.RR_Header{Name: c.Name, Rrtype: c.Type, Class: dns.ClassANY}}
			remove = append(remove, h)
			size += len(c.Name) + 2 + 10
		}
		if !(c.Name == origin && c.Type == dns.TypeNS) && (c.Action == provider.Create || c.Action == provider.Replace) {
			if c.New == nil {
				return nil, fmt.Errorf("rfc2136: %s has no records", c)
			}
			for _, rr := range c.New.RRs() {
				rr.Header().Ttl = c.New.TTL
				insert = append(insert, rr)
				size += dns.Len(rr) + 2
			}
		}
		if size > maxMessage {
			return nil, fmt.Errorf("rfc2136: %s is too large for one UPDATE message (%d octets)", c, size)
		}
		if cur == nil || cur.size+size > maxMessage {
			cur = &batch{msg: new(dns.Msg)}
			cur.msg.SetUpdate(origin)
			cur.msg.Compress = true
			p.sign(cur.msg)
			out = append(out, cur)
		}
		// The update section is processed in order: remove, then insert.
		cur.msg.Ns = append(cur.msg.Ns, remove...)
		cur.msg.Ns = append(cur.msg.Ns, insert...)
		cur.size += size
		cur.changes = append(cur.changes, c)
	}
	// TSIG must stay the last record: SetTsig put it in Extra, and the
	// update section is Ns, so nothing to move.
	return out, nil
}
