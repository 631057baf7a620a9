package cutover

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/query"
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
// TTLs observed count, apexServed, and status's propagation, the watch's
// child NS TTL and the dnssec gate's OtherNSTTL as it does, servedNSTTL;
// the classifier's fingerprints, sideNS and sideFingerprint; the delegation gate's child-ns check) judges the same
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

// apexNSCall is one server's apex NS ask in a step.
type apexNSCall = askedOnce[apexNSAnswer]

func newApexNSSeen() *apexNSSeen { return &apexNSSeen{by: map[string]*apexNSCall{}} }

// apexNSOf is what each of servers served as the apex NS, in their order:
// the step's answer for those it asked already, the others asked now, at
// once. A nil s (a gate run outside a step) asks every server.
func (s *apexNSSeen) apexNSOf(ctx context.Context, c *Config, servers []string) []apexNSAnswer {
	ask := func(server string) (apexNSAnswer, error) {
		a := askNS(ctx, c, server, false)
		return a, a.askErr
	}
	if s == nil {
		return eachOnce(ctx, nil, nil, servers, ask)
	}
	return eachOnce(ctx, &s.mu, s.by, servers, ask)
}

// askedOnce is one server's ask in a step (apexNSSeen, apexSOASeen),
// made once: asked again only when the context of the ask that failed
// had ended (a gate with a shorter context must not leave later gates a
// "not answered" the server never said).
type askedOnce[T any] struct {
	mu   sync.Mutex
	done bool
	a    T
}

// get is the server's answer, asked now (ask: the answer, and the
// query's error) unless it was before.
func (k *askedOnce[T]) get(ctx context.Context, ask func() (T, error)) T {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.done {
		var err error
		k.a, err = ask()
		k.done = err == nil || ctx.Err() == nil
	}
	return k.a
}

// eachOnce is each of servers' answer, in their order, all asked at
// once: a server's ask in by (made now unless it was before; mu guards
// by), and with a nil by (a gate run outside a step) ask's answer now.
func eachOnce[T any](ctx context.Context, mu *sync.Mutex, by map[string]*askedOnce[T], servers []string, ask func(server string) (T, error)) []T {
	calls := make([]*askedOnce[T], len(servers))
	if by != nil {
		mu.Lock()
		for i, srv := range servers {
			if by[srv] == nil {
				by[srv] = &askedOnce[T]{}
			}
			calls[i] = by[srv]
		}
		mu.Unlock()
	}
	return fanout.All(len(servers), func(i int) T {
		if calls[i] == nil {
			a, _ := ask(servers[i])
			return a
		}
		return calls[i].get(ctx, func() (T, error) { return ask(servers[i]) })
	})
}

// apexSOAAnswer is what one server answered, without recursion, to the
// zone's apex SOA query: msg, or the query's error err. Each gate reads
// it its own way (serial, authoritative, soa; apexServed its TTL).
type apexSOAAnswer struct {
	msg *dns.Msg
	err error
	// at is when it was asked (Config.Now): an EDNS EXPIRE it carries
	// (copyExpiry) counts from then. got is when the answer came, by
	// this machine's clock (again waits a second from then).
	at, got time.Time
}

// apexSOASeen is the apex SOA each server served in one step, asked once
// per server, as apexNSSeen is the apex NS: every gate of the step that
// reads a server's SOA (the serials the registrar change is checked
// against, serials; the emergency's down gate and the authoritative
// gates, authoritative; the SOAs of the side an emergency moves to,
// soasServed; the apex SOA TTL the TTLs observed count, apexServed)
// judges the same answer, and a side an emergency moves to is asked
// once, not once a gate. A parity gate, which may run for minutes, is
// followed by a new one (soaAfresh). Three readers ask afresh on purpose
// (askSOA, askSOAs), their point being what a server serves at one
// moment: the re-check of the serials just before the registrar change
// (changedSince), the fingerprints the watch and status's propagation
// tell the providers apart by (fingerprints), and status's
// hidden-master check (the primary, then its servers). newObservation
// sets a new one with apexSeen.
type apexSOASeen struct {
	mu sync.Mutex
	by map[string]*askedOnce[apexSOAAnswer]
	// later is each server's apex SOA asked again a second after its
	// answer in by (again).
	later map[string]*askedOnce[apexSOAAnswer]
}

func newApexSOASeen() *apexSOASeen {
	return &apexSOASeen{by: map[string]*askedOnce[apexSOAAnswer]{}, later: map[string]*askedOnce[apexSOAAnswer]{}}
}

// expireTick is how long after an answer again asks again: more than the
// second an EDNS EXPIRE (RFC 7314) is counted in, by the server's clock.
const expireTick = 1050 * time.Millisecond

// again is what each of servers answered for the apex SOA when asked
// again at least expireTick after first (their answers, in their order)
// came (once a step: the answers are kept as apexSOAOf keeps its own; a
// nil s asks them all), in their order, all at once. A server whose EDNS
// EXPIRE equalled its SOA's expire field is a primary or a secondary
// refreshed in that very second; a second later only the secondary's
// copy has counted down (copyExpiry).
func (s *apexSOASeen) again(ctx context.Context, c *Config, servers []string, first []apexSOAAnswer) []apexSOAAnswer {
	ask := func(server string) (apexSOAAnswer, error) {
		var got time.Time
		if i := slices.Index(servers, server); i >= 0 {
			got = first[i].got
		}
		t := time.NewTimer(time.Until(got.Add(expireTick)))
		defer t.Stop()
		select {
		case <-ctx.Done():
			return apexSOAAnswer{err: ctx.Err(), at: c.now()}, ctx.Err()
		case <-t.C:
		}
		a := askSOA(ctx, c, server)
		return a, a.err
	}
	if s == nil {
		return eachOnce(ctx, nil, nil, servers, ask)
	}
	return eachOnce(ctx, &s.mu, s.later, servers, ask)
}

// apexSOAOf is what each of servers answered for the apex SOA, in their
// order: the step's answer for those it asked already, the others asked
// now, at once. A nil s (a gate run outside a step) asks every server.
func (s *apexSOASeen) apexSOAOf(ctx context.Context, c *Config, servers []string) []apexSOAAnswer {
	if s == nil {
		return askSOAs(ctx, c, servers)
	}
	return eachOnce(ctx, &s.mu, s.by, servers, func(server string) (apexSOAAnswer, error) {
		a := askSOA(ctx, c, server)
		return a, a.err
	})
}

// askSOA asks server the zone's apex SOA without recursion, now: the
// step's ask (apexSOASeen), and the readers that must not read it
// (hiddenMaster; askSOAs: changedSince, fingerprints).
func askSOA(ctx context.Context, c *Config, server string) apexSOAAnswer {
	at := c.now()
	// With the EDNS EXPIRE option (RFC 7314): a secondary says how long
	// its copy has left (copyExpiry); others ignore it.
	r, err := query.Msg(ctx, server, c.Zone.Origin, dns.TypeSOA, query.MsgOptions{Timeout: c.Timeout, Expire: true})
	return apexSOAAnswer{msg: r, err: err, at: at, got: time.Now()}
}

// askSOAs is each server's apex SOA asked now (askSOA), all at once, in
// the servers' order: a server that does not answer costs its timeout
// once, not once per server one after the other.
func askSOAs(ctx context.Context, c *Config, servers []string) []apexSOAAnswer {
	return fanout.All(len(servers), func(i int) apexSOAAnswer { return askSOA(ctx, c, servers[i]) })
}

// serial is the SOA serial of the answer (its first SOA record), or why
// there is none.
func (a apexSOAAnswer) serial() (uint32, error) {
	if a.err != nil {
		return 0, a.err
	}
	for _, rr := range a.msg.Answer {
		if soa, ok := rr.(*dns.SOA); ok {
			return soa.Serial, nil
		}
	}
	return 0, fmt.Errorf("no SOA (rcode %s)", dns.RcodeToString[a.msg.Rcode])
}

// authoritative judges the answer: one with AA from the zone's own SOA
// (why "", and soa the SOA it served, "mname serial" as soaOf), or why
// not.
func (a apexSOAAnswer) authoritative(origin string) (why, soa string) {
	r := a.msg
	if a.err != nil {
		return "no answer: " + a.err.Error(), ""
	}
	if r.Rcode != dns.RcodeSuccess {
		return "answers " + dns.RcodeToString[r.Rcode], ""
	}
	if !r.Authoritative {
		return "answers without the AA bit (lame)", ""
	}
	if soa := soaOf(r.Answer, origin); soa != "" {
		return "", soa
	}
	return "answers without the zone's SOA (lame)", ""
}

// soa is the zone's SOA the answer carries ("mname serial", soaOf), ""
// when none or no answer.
func (a apexSOAAnswer) soa(origin string) string {
	if a.err != nil {
		return ""
	}
	return soaOf(a.msg.Answer, origin)
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

// serialsOff asks each of servers its SOA afresh (askSOAs) and says, one
// piece a server, those that do not serve serial want: "SERVER serves
// serial N", or "SERVER: ERROR" for one that gave none (no answer, or no
// authoritative SOA: it does not serve the zone), counted in noSOA.
// Empty when every one serves want (primaryServed, delegationServed).
func serialsOff(ctx context.Context, c *Config, servers []string, want uint32) (off []string, noSOA int) {
	for i, a := range askSOAs(ctx, c, servers) {
		got, err := a.serial()
		switch {
		case err != nil:
			off = append(off, fmt.Sprintf("%s: %v", servers[i], err))
			noSOA++
		case got != want:
			off = append(off, fmt.Sprintf("%s serves serial %d", servers[i], got))
		}
	}
	return off, noSOA
}
