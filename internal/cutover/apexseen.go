package cutover

import (
	"context"
	"errors"
	"sync"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/fanout"
)

// apexNSAnswer is what one server answered, without recursion, to the
// zone's apex NS query.
type apexNSAnswer struct {
	// ns are the names of the apex NS set it served (folded, sorted),
	// ttl their largest TTL; nil with err.
	ns  []string
	ttl uint32
	// authoritative: a NOERROR answer with AA set (the TTLs served
	// count only such, apexServed).
	authoritative bool
	// err: errNoApexNS (wrapped) when it answered without the zone's
	// apex NS, another error when it did not answer.
	err error
	// msg and askErr are the answer itself and the query's error, for
	// the delegation gate's child-ns check (delegation.Target.ApexNS).
	msg    *dns.Msg
	askErr error
}

// apexNSSeen is the apex NS each server of the sides served in one step,
// asked once per server: every gate of the step that reads a side's own
// apex NS (the old side's observation finish and status count,
// observeOldNS; old-unreferenced's apex-ns checks; the apex NS TTL the
// TTLs observed count, apexServed; status's propagation, the watch's
// child NS TTL and the classifier's fingerprints, sideNS and
// sideFingerprint; the delegation gate's child-ns check) judges the same
// answer. Answers asked moments
// apart can differ (a push, an anycast node, a server between two
// zone versions), and gates of one step must not disagree about what a
// server served. A server is asked the first time a gate needs it (a
// server askFromServers adds to a side after begin is asked then); later
// gates read its answer. newObservation sets a new one: as a step starts
// (startStep), and in finish after its parity gate, which may run for
// minutes, so that old-unreferenced and the overlap gate judge what the
// old side serves then too.
type apexNSSeen struct {
	mu sync.Mutex
	by map[string]*apexNSCall
}

// apexNSCall is one server's ask, made once: asked again only when the
// context of the ask that failed had ended (a gate with a shorter
// context must not leave later gates a "not answered" the server never
// said).
type apexNSCall struct {
	mu   sync.Mutex
	done bool
	a    apexNSAnswer
}

// get is the server's answer, asked now unless it was before.
func (k *apexNSCall) get(ctx context.Context, c *Config, server string) apexNSAnswer {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.done {
		k.a = askNS(ctx, c, server, false)
		k.done = k.a.askErr == nil || ctx.Err() == nil
	}
	return k.a
}

func newApexNSSeen() *apexNSSeen { return &apexNSSeen{by: map[string]*apexNSCall{}} }

// apexNSOf is what each of servers served as the apex NS, in their order:
// the step's answer for those it asked already, the others asked now, at
// once. A nil s (a gate run outside a step) asks every server.
func (s *apexNSSeen) apexNSOf(ctx context.Context, c *Config, servers []string) []apexNSAnswer {
	calls := make([]*apexNSCall, len(servers))
	if s != nil {
		s.mu.Lock()
		for i, srv := range servers {
			if s.by[srv] == nil {
				s.by[srv] = &apexNSCall{}
			}
			calls[i] = s.by[srv]
		}
		s.mu.Unlock()
	}
	return fanout.All(len(servers), func(i int) apexNSAnswer {
		if calls[i] == nil {
			return askNS(ctx, c, servers[i], false)
		}
		return calls[i].get(ctx, c, servers[i])
	})
}

// askNS asks server the zone's apex NS, with the RD bit rd: without
// recursion a side's own server (apexNSSeen asks each once a step), with
// it a resolver (status's propagation, the watch's classifier when the
// sides' SOAs are the same). The one reading of such an answer for every
// gate and check: apexNSIn's names and TTL, and errNoApexNS (wrapped)
// for an answer without them.
func askNS(ctx context.Context, c *Config, server string, rd bool) apexNSAnswer {
	r, err := ask(ctx, server, c.Zone.Origin, dns.TypeNS, rd, c.Timeout)
	if err != nil {
		return apexNSAnswer{err: err, askErr: err}
	}
	ns, ttl, err := apexNSIn(r, c.Zone.Origin)
	return apexNSAnswer{ns: ns, ttl: ttl, err: err, authoritative: r.Rcode == dns.RcodeSuccess && r.Authoritative, msg: r}
}

// noApexNS reports whether a answered without the zone's apex NS (it
// does not serve the zone), as opposed to not answering at all.
func (a apexNSAnswer) noApexNS() bool { return errors.Is(a.err, errNoApexNS) }
