package cutover

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/transfer"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// servedStaleGlue is the glue the parent's servers serve now (rep.Parent)
// for the zone's in-bailiwick NS names that the zone itself contradicts:
// addresses other than the ones the side that server's NS set points to
// serves for the name (Zonemaster CONSISTENCY05, IN_BAILIWICK_ADDR_MISMATCH;
// resolvers use the glue to reach the zone, then may replace it with the
// child's answer, RFC 2181 §5.4.1), or an address of the other side's
// servers (glue an earlier delegation left, or another writer set: the
// NS names moved, their glue did not, and resolvers still go there).
// The side is asked at its configured servers only, not at addresses
// the delegation itself sends resolvers to (which may be the stale
// glue). Glue for names the NS set no longer lists is not served by a
// parent (it lies below the cut, RFC 1034 §4.2.1) and no question shows
// it: unreferencedGlue reads it from a transfer of the parent zone where
// one is given; flip and rollback remove it through the registrar
// (removeStaleGlue), which status does not use.
func servedStaleGlue(ctx context.Context, c *Config, rep *Report) []StaleGlue {
	type childView struct {
		addrs  []string
		server string
		ok     bool
	}
	seen := map[string]childView{}
	var out []StaleGlue
	for _, v := range rep.Parent {
		if v.Err != "" || len(v.Delegation.Glue) == 0 {
			continue
		}
		var side, other *Side
		switch PointsTo(v.Delegation.NS, c.oldNames(), c.New.Delegation) {
		case "old":
			side, other = &c.Old, &c.New
		case "new":
			side, other = &c.New, &c.Old
		default:
			continue
		}
		servers := configuredServers(side)
		names := make([]string, 0, len(v.Delegation.Glue))
		for n := range v.Delegation.Glue {
			if registrar.InBailiwick(n, c.Zone.Origin) {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			key := side.Name + " " + n
			cv, done := seen[key]
			if !done && len(servers) > 0 {
				via := delegation.Via{ParentZone: c.Zone.Origin, ParentServers: servers, Timeout: c.Timeout}
				addrs, _, failed := via.Lookup(ctx, n)
				cv = childView{addrs: addrs, server: servers[0], ok: !failed}
				seen[key] = cv
			}
			if !cv.ok {
				continue // the side does not answer: its gates say so
			}
			glue := append([]string(nil), v.Delegation.Glue[n]...)
			sort.Strings(glue)
			otherSide := ""
			for _, a := range glue {
				if slices.ContainsFunc(configuredServers(other), func(s string) bool { return query.Host(s) == a }) {
					otherSide = other.Name
				}
			}
			same := registrar.SameGlue(map[string][]string{n: glue}, map[string][]string{n: cv.addrs})
			if otherSide == "" && same {
				continue
			}
			g := StaleGlue{Name: n, Server: v.Server, Glue: glue, Child: cv.addrs, ChildServer: cv.server, Side: otherSide}
			g.Detail = fmt.Sprintf("%s serves glue %s for %s, but the %s side's zone serves %s for it (%s)", v.Server, strings.Join(glue, " "), n, side.Name, orNone(cv.addrs), cv.server)
			if same {
				g.Detail = fmt.Sprintf("%s serves glue %s for %s, as the %s side's zone does (%s)", v.Server, strings.Join(glue, " "), n, side.Name, cv.server)
			}
			if otherSide != "" {
				g.Detail += fmt.Sprintf("; the glue is a server of the %s side, where resolvers following the referral keep going", otherSide)
			}
			out = append(out, g)
		}
	}
	return out
}

// configuredServers are s's servers as configured, without those a step
// added because the parent's delegation sends resolvers to them.
func configuredServers(s *Side) []string {
	var out []string
	for _, a := range s.Servers {
		if !slices.Contains(s.fromDelegation, a) {
			out = append(out, a)
		}
	}
	return out
}

// parentTransferLimits bound status's transfer of the parent zone: a
// parent that gives one to anyone may be large (a TLD), and status reads
// it only for the glue below one zone's cut.
var parentTransferLimits = transfer.Limits{MaxRecords: 200000, MaxBytes: 64 << 20, MaxTime: time.Minute}

// unreferencedGlue is the glue the parent zone holds that no NS set of it
// names, at or below the zone's cut or at a name the zone's delegations
// named (both sides' NS names, the one recorded before the flip): the
// glue of names the delegation left (an old side's in-bailiwick or
// sibling names), which a registrar change cut short, another writer or
// a sibling of a wave left. The parent serves it in no referral, so no
// question shows it (servedStaleGlue cannot); left there, it points at an
// address the zone moved away from, which whoever holds it next answers
// for once an NS set names the host again. Status holds no registrar
// credentials: it reads the parent zone by a transfer without a key from
// the first of its servers that answers (parent.StaleGlue, as flip and
// rollback find what they remove); a refusal, or none answering, and
// nothing is said.
func unreferencedGlue(ctx context.Context, c *Config, rep *Report) []StaleGlue {
	if c.ParentZone == "" || !dns.IsSubDomain(c.ParentZone, c.Zone.Origin) || c.ParentZone == c.Zone.Origin {
		return nil
	}
	var pz *zone.Zone
	server := ""
	for _, s := range c.ParentServers {
		rrs, err := parity.AXFRRecords(ctx, s, c.ParentZone, nil, c.Timeout, parentTransferLimits)
		var refused *transfer.RcodeError
		if errors.As(err, &refused) {
			// The operator's answer (REFUSED, NOTAUTH): its other
			// servers give the same; a TLD is not asked 13 times a
			// zone.
			return nil
		}
		if errors.Is(err, transfer.ErrLimit) {
			return nil // a parent over the limits is over them at every server
		}
		if err != nil {
			continue // no answer from this one: the next may give it
		}
		if pz, err = zone.FromRRs(c.ParentZone, rrs); err != nil {
			return nil // the same zone at the next: not read either
		}
		server = s
		break
	}
	if pz == nil {
		return nil
	}
	was := slices.Concat(c.Old.Delegation, c.New.Delegation)
	if c.restore != nil {
		was = append(was, c.restore.NS...)
	}
	var out []StaleGlue
	seen := map[string]bool{}
	for _, ch := range parent.StaleGlue(pz, c.Zone.Origin, was) {
		if ch.Old == nil || seen[ch.Name] {
			continue
		}
		seen[ch.Name] = true
		var glue []string
		for _, t := range []uint16{dns.TypeA, dns.TypeAAAA} {
			if s := pz.Get(ch.Name, t); s != nil {
				for _, rr := range s.RRs() {
					switch v := rr.(type) {
					case *dns.A:
						glue = append(glue, v.A.String())
					case *dns.AAAA:
						glue = append(glue, v.AAAA.String())
					}
				}
			}
		}
		sort.Strings(glue)
		g := StaleGlue{Name: ch.Name, Server: server, Glue: glue, Unreferenced: true}
		for _, side := range []*Side{&c.Old, &c.New} {
			for _, a := range glue {
				if slices.ContainsFunc(configuredServers(side), func(s string) bool { return query.Host(s) == a }) {
					g.Side = side.Name
				}
			}
		}
		g.Detail = fmt.Sprintf("the parent zone %s (transferred from %s) holds glue %s for %s, which no NS set of it names (the delegation to %s serves it in no referral): an address the zone's delegation left, which whoever holds it next answers for once an NS set names %s again; %s or %s with the parent registrar removes it (it finds the delegation in place), or remove it at the registrar by hand",
			c.ParentZone, server, strings.Join(glue, " "), ch.Name, strings.Join(rep.Delegation.NS, " "), ch.Name, zoneCmd(c.Zone.Origin, "flip"), zoneCmd(c.Zone.Origin, "rollback"))
		if g.Side != "" {
			g.Detail += fmt.Sprintf("; the address is a server of the %s side", g.Side)
		}
		out = append(out, g)
	}
	return out
}
