package rfc2136

import (
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

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
