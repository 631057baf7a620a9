package cutover

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
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
// parent (it lies below the cut, RFC 1034 §4.2.1) and is not seen from
// here: flip and rollback remove it through the registrar
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
