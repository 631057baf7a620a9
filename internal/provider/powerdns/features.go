package powerdns

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// pdnsTypes are PowerDNS's own record types, numbered in the private-use
// range (RFC 6895): PowerDNS computes their answers (ALIAS: the target's
// addresses; LUA: a script's result), so a zone file cannot hold them,
// and an RFC 3597 record of that number sent to PowerDNS becomes one.
var pdnsTypes = map[uint16]string{65400: "ADDR", 65401: "ALIAS", 65402: "LUA"}

// pdnsType reports whether the API's type name is one of pdnsTypes.
func pdnsType(name string) bool {
	for _, n := range pdnsTypes {
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// check says why PowerDNS cannot hold the set as written.
func check(s *zone.RRSet) string {
	if n, ok := pdnsTypes[s.Type]; ok {
		return fmt.Sprintf("%s is PowerDNS's own %s type: PowerDNS would compute its answers (ALIAS: the target's addresses; LUA: a script) instead of serving the data", dns.Type(s.Type), n)
	}
	return ""
}

// Features lists PowerDNS-only records in the zone: ALIAS, LUA and ADDR
// records, which Records leaves out (a zone file cannot hold them), the
// RRsets holding a record dnsparity cannot read, and disabled records
// (Read).
func (p *Provider) Features(ctx context.Context, origin string) ([]provider.Feature, error) {
	_, fs, err := p.Read(ctx, origin)
	return fs, err
}

// features are the PowerDNS-only records of z.
func features(z apiZone) []provider.Feature {
	var out []provider.Feature
	for _, s := range z.RRsets {
		if !pdnsType(s.Type) {
			continue
		}
		for _, r := range s.Records {
			if r.Disabled {
				continue
			}
			f := provider.Feature{Name: zone.CanonicalName(s.Name), Type: strings.ToUpper(s.Type), Value: r.Content, Omitted: true,
				Feature: strings.ToLower(s.Type)}
			switch f.Type {
			case "ALIAS":
				f = provider.Alias(f, "PowerDNS", "ALIAS", r.Content)
			case "LUA":
				f.Detail = "PowerDNS computes the answer with a Lua script; a zone file cannot hold it, so it is not compared or pushed"
				f.Advice = "write the answers the script gives as records in git, or recreate the logic at the new provider"
			default:
				f.Detail = fmt.Sprintf("PowerDNS's internal %s type; a zone file cannot hold it, so it is not compared or pushed", f.Type)
				f.Advice = "leave it out, or recreate it by hand at the new provider"
			}
			out = append(out, f)
		}
	}
	return out
}

// disabledFeatures are the disabled records of z (not of PowerDNS's own
// types, which features leaves out): PowerDNS does not serve them, so
// Records leaves them out, and a zone file cannot hold one; an operator
// kept them on purpose, so a push keeps them (toRRset sends them back,
// disabled, when it replaces their RRset). Neither blocking nor counted
// as held by the cutover's completeness gates: nothing answers with them.
func disabledFeatures(z apiZone) []provider.Feature {
	var out []provider.Feature
	for _, s := range z.RRsets {
		if pdnsType(s.Type) {
			continue
		}
		for _, r := range s.Records {
			if !r.Disabled {
				continue
			}
			out = append(out, provider.Feature{Name: zone.CanonicalName(provider.FQDN(s.Name)), Type: strings.ToUpper(s.Type), Value: r.Content, Omitted: true, Unserved: true,
				Feature: "disabled",
				Detail:  "PowerDNS holds this record disabled: it does not serve it, and a zone file cannot hold it, so it is not compared; a push keeps it, disabled, beside git's records of this name and type (git's record of the same data is served instead)",
				Advice:  "it does not move to another provider: delete it at PowerDNS when it is no longer wanted, or put it in git to serve it"})
		}
	}
	return out
}

// Answers gives the types a record of PowerDNS's own (pdnsTypes) that a
// transfer holds (RFC 3597: its number, its data as bytes) answers: an
// ALIAS the target's addresses (A and AAAA), a LUA record the type its
// data begins with (PowerDNS's wire form: the type, two bytes, then the
// script). ok is false for another record, and for a LUA record too
// short to name a type (provider.OwnTransferred).
func (p *Provider) Answers(rr dns.RR) (types []uint16, ok bool) {
	u, isUnknown := rr.(*dns.RFC3597)
	if !isUnknown {
		return nil, false
	}
	switch pdnsTypes[u.Hdr.Rrtype] {
	case "ALIAS":
		return []uint16{dns.TypeA, dns.TypeAAAA}, true
	case "LUA":
		b, err := hex.DecodeString(u.Rdata)
		if err != nil || len(b) < 2 {
			return nil, false
		}
		t := binary.BigEndian.Uint16(b)
		if _, own := pdnsTypes[t]; own || t == 0 {
			return nil, false
		}
		return []uint16{t}, true
	}
	return nil, false
}
