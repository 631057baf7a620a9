package parity

import (
	"fmt"
	"strings"
	"sync"

	"github.com/miekg/dns"
)

// oversized notes, per server, the questions answered over UDP with a
// datagram larger than the 1232 octets the query's EDNS payload size
// allowed (query.Answer.Oversize): a count and a few examples.
type oversized struct {
	mu  sync.Mutex
	n   map[int]int
	ex  map[int][][2]int // question index, octets
	who []int            // the servers, in the order first seen
}

func (o *oversized) note(si, qi, size int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.n == nil {
		o.n, o.ex = map[int]int{}, map[int][][2]int{}
	}
	if o.n[si] == 0 {
		o.who = append(o.who, si)
	}
	o.n[si]++
	if len(o.ex[si]) < examples {
		o.ex[si] = append(o.ex[si], [2]int{qi, size})
	}
}

// renumber keeps the examples of the questions an interrupted run keeps
// (keepAnswered), under their new indexes (to[qi], -1: left out): they
// were noted as answered, by the questions' indexes then. A server left
// with no example is dropped: none of its oversized answers is in the
// report.
func (o *oversized) renumber(to []int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	who := o.who[:0]
	for _, si := range o.who {
		ex := o.ex[si][:0]
		for _, e := range o.ex[si] {
			if to[e[0]] >= 0 {
				ex = append(ex, [2]int{to[e[0]], e[1]})
			}
		}
		if len(ex) == 0 {
			delete(o.n, si)
			delete(o.ex, si)
			continue
		}
		o.ex[si] = ex
		who = append(who, si)
	}
	o.who = who
}

// oversizeFindings is one udp-size warning per server that sent UDP
// answers over the size asked, at its first such question: the answers
// are what a resolver reads on a path that delivers them, so nothing is
// different, but resolvers behind a path that drops IP fragments or a
// firewall that enforces the advertised size (DNS flag day 2020) never
// get them, and retry over TCP or fail.
func (r *runner) oversizeFindings() []Finding {
	o := &r.over
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []Finding
	for _, si := range o.who {
		ex := o.ex[si]
		var es []string
		for _, e := range ex {
			q := r.qs[e[0]]
			name, _ := r.question(e[0])
			es = append(es, fmt.Sprintf("%s %s (%d octets)", name, dns.Type(q.Type), e[1]))
		}
		f := r.base(ex[0][0])
		f.Kind, f.Severity = "udp-size", SevWarning
		what := "1 question"
		if n := o.n[si]; n > 1 {
			what = fmt.Sprintf("%d questions", n)
		}
		f.Detail = fmt.Sprintf("%s answered %s over UDP with more than the 1232 octets the query's EDNS payload size allowed (RFC 6891 §6.2.3: the largest the requestor can reassemble), e.g. %s: resolvers behind a path that drops IP fragments or a firewall that enforces the advertised size (DNS flag day 2020) never get those answers, and retry over TCP or fail; a server must truncate (TC) instead: set its maximum UDP response size to 1232 (BIND max-udp-size, Knot udp-max-payload, PowerDNS udp-truncation-threshold) or ask the provider to honour the size asked",
			r.servers[si], what, strings.Join(es, ", "))
		text := r.text(r.ans(si, ex[0][0]))
		if si < r.nOld {
			f.Old, f.NSIDOld = text, r.node(si, nil)
		} else {
			f.New, f.NSIDNew = text, r.node(si, nil)
		}
		f.group = "server " + r.servers[si].Addr
		out = append(out, f)
	}
	return out
}
