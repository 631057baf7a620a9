package demo

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab/inproc"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// clients is the client loop of the demo: while the delegation moves, it
// asks every resolver every question of the zone, over and over, and counts
// answers that differ from the zone file or between resolvers asked in the
// same round ("mixed" answers: what users would see if the providers
// differed). It also notes when each resolver starts using the new
// provider, from the resolver's own delegation cache.
type clients struct {
	lab       *inproc.Lab
	questions []dns.Question
	expect    *inproc.Expect

	mu       sync.Mutex
	rounds   int
	answers  int
	wrong    int // differs from the zone file
	mixed    int // resolvers disagree within a round
	failures int // no answer
	examples []string
	side     map[string]string    // resolver → side it uses now
	moved    map[string]time.Time // resolver → when it changed side
}

// newClients asks every (owner, type) of the zone but the apex SOA and NS,
// which legitimately differ between providers; a wildcard is asked under a
// made-up label.
func newClients(l *inproc.Lab, z *zone.Zone) *clients {
	c := &clients{lab: l, side: map[string]string{}, moved: map[string]time.Time{}}
	var rrs []dns.RR
	for _, s := range z.Sets {
		rrs = append(rrs, s.RRs()...)
		if s.Name == z.Origin && (s.Type == dns.TypeSOA || s.Type == dns.TypeNS) {
			continue
		}
		name := s.Name
		if strings.HasPrefix(name, "*.") {
			name = "client-probe" + name[1:]
		}
		c.questions = append(c.questions, dns.Question{Name: name, Qtype: s.Type, Qclass: dns.ClassINET})
	}
	c.expect = inproc.NewExpect(z.Origin, rrs)
	return c
}

// run loops until ctx ends, a round every interval.
func (c *clients) run(ctx context.Context, interval time.Duration) {
	cl := &dns.Client{Timeout: 2 * time.Second}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		c.round(ctx, cl)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (c *clients) round(ctx context.Context, cl *dns.Client) {
	now := time.Now()
	for _, r := range c.lab.Resolvers {
		servers, _ := r.Delegation(exampleZone)
		side := ""
		if len(servers) > 0 {
			side = c.lab.SideOf(servers[0])
		}
		c.mu.Lock()
		if side != "" && c.side[r.Name] != side {
			if c.side[r.Name] != "" {
				c.moved[r.Name] = now
			}
			c.side[r.Name] = side
		}
		c.mu.Unlock()
	}
	for _, q := range c.questions {
		rcode, want := c.expect.Answer(q.Name, q.Qtype)
		wantKey := answerKey(rcode, want)
		var first string
		answered := false // first holds the round's first answer
		for _, r := range c.lab.Resolvers {
			m := new(dns.Msg)
			m.SetQuestion(q.Name, q.Qtype)
			m.SetEdns0(1232, false)
			resp, _, err := cl.ExchangeContext(ctx, m, r.Addr())
			if ctx.Err() != nil {
				return
			}
			c.mu.Lock()
			c.answers++
			switch {
			case err != nil || resp.Rcode == dns.RcodeServerFailure:
				c.failures++
				c.note(fmt.Sprintf("%s %s via %s: %s", q.Name, dns.TypeToString[q.Qtype], r.Name, failure(resp, err)))
			default:
				got := answerKey(resp.Rcode, resp.Answer)
				if got != wantKey {
					c.wrong++
					c.note(fmt.Sprintf("%s %s via %s: %s, zone file: %s", q.Name, dns.TypeToString[q.Qtype], r.Name, got, wantKey))
				}
				if !answered {
					first, answered = got, true
				} else if got != first {
					c.mixed++
				}
			}
			c.mu.Unlock()
		}
	}
	c.mu.Lock()
	c.rounds++
	c.mu.Unlock()
}

func (c *clients) note(s string) {
	if len(c.examples) < 5 {
		c.examples = append(c.examples, s)
	}
}

// answerKey is an answer without TTLs, in a stable order.
// failure says why a client got no usable answer: the exchange's error, or
// the resolver's SERVFAIL (there is no error then to print).
func failure(resp *dns.Msg, err error) string {
	if err != nil {
		return fmt.Sprintf("no answer (%v)", err)
	}
	return dns.RcodeToString[resp.Rcode] + " from the resolver"
}

func answerKey(rcode int, rrs []dns.RR) string {
	parts := make([]string, 0, len(rrs))
	for _, rr := range rrs {
		c := dns.Copy(rr)
		c.Header().Ttl = 0
		c.Header().Name = strings.ToLower(c.Header().Name)
		parts = append(parts, c.String())
	}
	sort.Strings(parts)
	return dns.RcodeToString[rcode] + " [" + strings.Join(parts, " | ") + "]"
}

// snapshot is the loop's counts so far.
type clientCounts struct {
	Rounds   int                  `json:"rounds"`
	Answers  int                  `json:"answers"`
	Wrong    int                  `json:"wrong"`
	Mixed    int                  `json:"mixed"`
	Failures int                  `json:"failures"`
	Sides    map[string]string    `json:"sides"`
	Moved    map[string]time.Time `json:"moved"`
	Examples []string             `json:"examples,omitempty"`
}

func (c *clients) counts() clientCounts {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := clientCounts{Rounds: c.rounds, Answers: c.answers, Wrong: c.wrong, Mixed: c.mixed, Failures: c.failures,
		Sides: map[string]string{}, Moved: map[string]time.Time{}, Examples: append([]string(nil), c.examples...)}
	for k, v := range c.side {
		out.Sides[k] = v
	}
	for k, v := range c.moved {
		out.Moved[k] = v
	}
	return out
}
