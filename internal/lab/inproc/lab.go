package inproc

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strconv"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab/addrlock"
	"github.com/dnsparity/dnsparity/internal/query"
)

// Options shape the lab.
type Options struct {
	Parent    string // the parent zone ("test.")
	Zone      string // the zone that moves ("example.test.")
	NSTTL     uint32 // TTL of the delegation NS (and glue) at the parent
	Resolvers int    // how many caching resolvers (default 3)
	// SOATTL is the TTL and negative-caching TTL the providers' own SOA
	// and apex NS start with (push lowers them with the zone; default 60).
	SOATTL uint32
	// Port for every server; 0: 53 when this process may bind it, else a
	// free high port (the resolvers then ask delegated servers on it).
	Port int
}

// Side is one DNS provider of the lab: its server, the nameserver names it
// gives the zone and their addresses.
type Side struct {
	Name  string
	Auth  *Auth
	NS    []string // nameserver names ("ns1.oldprovider.test.")
	Addrs []string // IP:PORT, one per name
}

// Lab is the whole embedded lab: the parent zone's server, the old and the
// new provider (two nameservers each), and caching resolvers.
type Lab struct {
	Port      int
	Key       TSIGKey
	Opt       Options
	Parent    *Side
	Old, New  *Side
	Resolvers []*Resolver
	res       reservation
}

// Start brings the lab up: the parent serves Opt.Parent with the zone
// delegated to the old provider; each provider serves Opt.Zone with only its
// own SOA and NS (as a provider's fresh zone does) until something pushes.
func Start(opt Options) (*Lab, error) {
	if opt.Resolvers == 0 {
		opt.Resolvers = 3
	}
	if opt.SOATTL == 0 {
		opt.SOATTL = 60
	}
	if opt.NSTTL == 0 {
		opt.NSTTL = 3
	}
	opt.Parent, opt.Zone = lower(opt.Parent), lower(opt.Zone)
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("lab: TSIG secret: %w", err)
	}
	l := &Lab{Opt: opt, Key: TSIGKey{Name: "demo-key.", Secret: base64.StdEncoding.EncodeToString(secret)}}
	ok := false
	defer func() {
		if !ok {
			l.Close()
		}
	}()
	port := opt.Port
	if port == 0 {
		var err error
		if port, err = choosePort(pool.Addr(0)); err != nil {
			return nil, fmt.Errorf("lab: %w", err)
		}
	}
	l.Port = port
	addrs, err := l.res.take(3+opt.Resolvers, port)
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	// Each provider's second nameserver in another /24 (RFC 2182 §3.1:
	// the delegation gate's ns-diversity).
	second, err := l.res.takeFrom(2, port, addrlock.PoolSize/2)
	if err != nil {
		return nil, fmt.Errorf("lab: %w", err)
	}
	addrs = append([]string{addrs[0], addrs[1], second[0], addrs[2], second[1]}, addrs[3:]...)
	mk := func(name, label string, addrs []string) *Side {
		s := &Side{Name: name, Auth: NewAuth(name, l.Key), Addrs: addrs}
		for i := range addrs {
			s.NS = append(s.NS, fmt.Sprintf("ns%d.%s.%s", i+1, label, opt.Parent))
		}
		return s
	}
	l.Parent = mk("parent", "registry", addrs[0:1])
	l.Old = mk("old provider", "oldprovider", addrs[1:3])
	l.New = mk("new provider", "newprovider", addrs[3:5])

	l.Parent.Auth.AddZone(opt.Parent, l.parentZone())
	for _, s := range []*Side{l.Old, l.New} {
		s.Auth.AddZone(opt.Zone, providerZone(opt.Zone, s, opt.SOATTL))
	}
	for _, s := range []*Side{l.Parent, l.Old, l.New} {
		for _, a := range s.Addrs {
			if err := s.Auth.Listen(a); err != nil {
				return nil, fmt.Errorf("lab: %w", err)
			}
		}
	}
	for i, a := range addrs[5:] {
		r := NewResolver(fmt.Sprintf("resolver-%d", i+1), opt.Parent, l.Parent.Addrs, port)
		if err := r.Listen(a); err != nil {
			return nil, fmt.Errorf("lab: %w", err)
		}
		l.Resolvers = append(l.Resolvers, r)
	}
	ok = true
	return l, nil
}

// parentZone is the parent zone: its SOA and NS, the providers' nameserver
// addresses, and the zone delegated to the old provider.
func (l *Lab) parentZone() []dns.RR {
	p, z := l.Opt.Parent, l.Opt.Zone
	rrs := []dns.RR{
		mustRR(fmt.Sprintf("%s 3600 IN SOA %s hostmaster.registry.%s 1 3600 600 86400 %d", p, l.Parent.NS[0], p, l.Opt.NSTTL)),
		mustRR(fmt.Sprintf("%s 3600 IN NS %s", p, l.Parent.NS[0])),
	}
	for _, s := range []*Side{l.Parent, l.Old, l.New} {
		for i, n := range s.NS {
			rrs = append(rrs, mustRR(fmt.Sprintf("%s 3600 IN A %s", n, query.Host(s.Addrs[i]))))
		}
	}
	for _, n := range l.Old.NS {
		rrs = append(rrs, mustRR(fmt.Sprintf("%s %d IN NS %s", z, l.Opt.NSTTL, n)))
	}
	return rrs
}

// providerZone is a provider's fresh zone: its own SOA and NS.
func providerZone(origin string, s *Side, ttl uint32) []dns.RR {
	rrs := []dns.RR{mustRR(fmt.Sprintf("%s %d IN SOA %s hostmaster.%s 1 3600 600 86400 %d", origin, ttl, s.NS[0], dns.Fqdn(s.NS[0][len("ns1."):]), ttl))}
	for _, n := range s.NS {
		rrs = append(rrs, mustRR(fmt.Sprintf("%s %d IN NS %s", origin, ttl, n)))
	}
	return rrs
}

func mustRR(s string) dns.RR {
	rr, err := dns.NewRR(s)
	if err != nil {
		panic(fmt.Sprintf("inproc: %q: %v", s, err))
	}
	return rr
}

// SideOf names the side ("old", "new", "parent") serving addr, "" if none.
func (l *Lab) SideOf(addr string) string {
	for name, s := range map[string]*Side{"old": l.Old, "new": l.New, "parent": l.Parent} {
		for _, a := range s.Addrs {
			if a == addr {
				return name
			}
		}
	}
	return ""
}

// ResolverAddrs are the resolvers' addresses.
func (l *Lab) ResolverAddrs() []string {
	var out []string
	for _, r := range l.Resolvers {
		out = append(out, r.Addr())
	}
	return out
}

// Close stops every server and releases the addresses.
func (l *Lab) Close() {
	for _, r := range l.Resolvers {
		r.Close()
	}
	for _, s := range []*Side{l.Parent, l.Old, l.New} {
		if s != nil {
			s.Auth.Stop()
		}
	}
	l.res.release()
}

// Down stops a side's servers (a provider outage).
func (s *Side) Down() { s.Auth.Stop() }

// Up brings a side's servers back on their addresses, with their data.
func (s *Side) Up() error {
	for _, a := range s.Addrs {
		if err := s.Auth.Listen(a); err != nil {
			return err
		}
	}
	return nil
}

// Update sends a TSIG-signed RFC 2136 UPDATE to a side's first server, as
// anyone with the key can (a hand edit at the provider): each set in del
// (owner and type) is deleted, then the records of add are added.
func (l *Lab) Update(ctx context.Context, s *Side, origin string, del []dns.RR, add []dns.RR) error {
	m := new(dns.Msg)
	m.SetUpdate(dns.Fqdn(origin))
	m.RemoveRRset(del)
	m.Insert(add)
	m.SetTsig(l.Key.Name, dns.HmacSHA256, 300, time.Now().Unix())
	c := &dns.Client{Net: "tcp", Timeout: 2 * time.Second, TsigSecret: map[string]string{l.Key.Name: l.Key.Secret}}
	r, _, err := c.ExchangeContext(ctx, m, s.Addrs[0])
	if err != nil {
		return fmt.Errorf("update %s at %s: %w", origin, s.Name, err)
	}
	if r.Rcode != dns.RcodeSuccess {
		return fmt.Errorf("update %s at %s: %s", origin, s.Name, dns.RcodeToString[r.Rcode])
	}
	return nil
}

// PortString is the lab's port as text.
func (l *Lab) PortString() string { return strconv.Itoa(l.Port) }
