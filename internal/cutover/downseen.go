package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/fanout"
)

// askResolversFresh asks every configured resolver (cutover.resolvers)
// the SOA of a fresh random name under the zone (askFresh, the watch's
// question), all at once.
func askResolversFresh(ctx context.Context, c *Config) []freshAnswer {
	return fanout.All(len(c.Resolvers), func(i int) freshAnswer { return askFresh(ctx, c, c.Resolvers[i]) })
}

// soasServed are the zone's SOAs ("mname serial", as soaOf) that servers
// serve in the step (apexSOASeen), each once; a server that does not
// answer adds none.
func soasServed(ctx context.Context, c *Config, servers []string) []string {
	var out []string
	for _, a := range c.soaSeen.apexSOAOf(ctx, c, servers) {
		if s := a.soa(c.Zone.Origin); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// resolversSeeDown judges what the resolvers answered for a fresh name
// under the zone (ans) while every server of side down that this machine
// asked fails, or, partly down, the ones that answer (survivors: their
// SOAs) serve git. An answer carrying an SOA that neither a survivor nor
// the up side serves (upSOAs), or an answer (NOERROR, NXDOMAIN) without
// the zone's SOA, came from a server of down that this machine does not
// see answering (its queries filtered, a route only the world has): the
// side is up for the world, and each such answer is in seen ("RESOLVER:
// what it got"). No answer (a timeout, SERVFAIL, REFUSED) is what a
// resolver gets from a side that is down. An answer with the up side's
// SOA is not counted: a resolver already sent there (a parent server
// in motion) or a down side serving that very SOA (the same primary)
// cannot be told apart, and the latter serves what the up side serves.
// warn says what could not be checked: no resolver configured
// (configured 0), or none answered.
func resolversSeeDown(ans []freshAnswer, down string, survivors, upSOAs []string, configured int) (seen []string, warn string) {
	if configured == 0 {
		return nil, fmt.Sprintf("no resolver is configured (cutover.resolvers): whether the %s side still answers resolvers that this machine's queries do not reach (its queries filtered) could not be checked", down)
	}
	var silent []string
	for _, a := range ans {
		switch {
		case a.err != nil:
			silent = append(silent, fmt.Sprintf("%s: %v", a.resolver, a.err))
		case a.soa != "" && (slices.Contains(survivors, a.soa) || slices.Contains(upSOAs, a.soa)):
		case a.soa != "":
			seen = append(seen, fmt.Sprintf("%s answered a fresh name with %s and the SOA %s, which no %s server answering here and no server of the side moved to serves", a.resolver, dns.RcodeToString[a.rcode], a.soa, down))
		case a.rcode == dns.RcodeSuccess || a.rcode == dns.RcodeNameError:
			seen = append(seen, fmt.Sprintf("%s answered a fresh name with %s without the zone's SOA", a.resolver, dns.RcodeToString[a.rcode]))
		}
	}
	if len(seen) == 0 && len(silent) == len(ans) && len(ans) > 0 {
		warn = fmt.Sprintf("no resolver answered a fresh name under the zone (%s): consistent with the %s side down, not a confirmation of it", strings.Join(silent, "; "), down)
	}
	return seen, warn
}
