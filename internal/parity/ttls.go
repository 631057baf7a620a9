package parity

import (
	"cmp"
	"slices"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// MaxTTLsAbove bounds TTLsAbove.Worst.
const MaxTTLsAbove = 20

// ServedTTL is an RRset one server served with a TTL above
// Options.TTLAbove: a resolver that asked it may keep that answer so long.
type ServedTTL struct {
	Name   string
	Type   uint16
	TTL    uint32
	Server string // IP:port
	Side   string // old, new
	si     int    // the server's index in the run
	seq    int    // the order it was first seen in (ties keep it)
}

// TTLsAbove is what a run's answers held above Options.TTLAbove, from
// every answer of every server to every question of the run (the zone's,
// its transfers', the replayed ones; not the client subnets' questions).
// The questions are not asked again for it: the answers parity compares
// are read once more.
type TTLsAbove struct {
	Above uint32
	// Worst are the RRsets served above it, by server, longest TTL
	// first (equal TTLs in the order of the questions, old side first),
	// at most MaxTTLsAbove.
	Worst []ServedTTL
	// RRsets counts the questions whose own RRset (owner and type of the
	// question, a referral's NS set, a glue record) some server served
	// above it; Served counts them per server.
	RRsets, Served int
	// Max is per side ("old", "new") the longest TTL served above it;
	// a side with none is absent.
	Max map[string]uint32
}

// ttlsAbove reads every stored answer for the RRsets served with a TTL
// above above. An answer stored as git's (asGit) carries git's TTLs: it
// is looked at only when git has a TTL above the bound, once per
// question.
func (r *runner) ttlsAbove(above uint32) *TTLsAbove {
	out := &TTLsAbove{Above: above, Max: map[string]uint32{}}
	gitAbove := false
	for _, s := range r.z.Sets {
		if s.TTL > above && !skipTTL(r.z.Origin, s.Name, s.Type) {
			gitAbove = true
			break
		}
	}
	type key struct {
		si   int
		name string
		typ  uint16
	}
	at := map[key]int{} // index in out.Worst
	least := -1         // index of the entry to give up first when full
	seq := 0
	add := func(si int, rr query.RR) {
		k := key{si, rr.Name, rr.Type}
		if i, ok := at[k]; ok {
			if rr.TTL > out.Worst[i].TTL {
				out.Worst[i].TTL = rr.TTL
				least = leastOf(out.Worst)
			}
			return
		}
		e := ServedTTL{Name: rr.Name, Type: rr.Type, TTL: rr.TTL, Server: r.servers[si].Addr, Side: r.side(si), si: si, seq: seq}
		seq++
		switch {
		case len(out.Worst) < MaxTTLsAbove:
			out.Worst = append(out.Worst, e)
			at[k] = len(out.Worst) - 1
		case rr.TTL > out.Worst[least].TTL:
			g := out.Worst[least]
			delete(at, key{g.si, g.Name, g.Type})
			out.Worst[least] = e
			at[k] = least
		default:
			return
		}
		least = leastOf(out.Worst)
	}
	for qi, q := range r.qs {
		var git *query.Answer // git's answer to q, looked up once
		any := false
		for si := range r.servers {
			a := r.res[si][qi]
			if a == asGit {
				if !gitAbove {
					continue
				}
				if git == nil {
					git, _ = r.v.lookup(q.Name, q.Type)
				}
				a = git
			}
			if a == nil {
				continue
			}
			own := false
			for _, rrs := range [][]query.RR{a.Answer, a.NS, a.Glue} {
				for _, rr := range rrs {
					if rr.TTL <= above || skipTTL(r.z.Origin, rr.Name, rr.Type) {
						continue
					}
					add(si, rr)
					side := r.side(si)
					out.Max[side] = max(out.Max[side], rr.TTL)
					own = own || (rr.Name == q.Name && rr.Type == q.Type)
				}
			}
			if own {
				out.Served++
				any = true
			}
		}
		if any {
			out.RRsets++
		}
	}
	slices.SortFunc(out.Worst, func(a, b ServedTTL) int {
		return cmp.Or(cmp.Compare(b.TTL, a.TTL), cmp.Compare(a.seq, b.seq))
	})
	return out
}

// leastOf is the index of the entry of ws that ranks last: the shortest
// TTL, the latest seen among equals.
func leastOf(ws []ServedTTL) int {
	m := 0
	for i, w := range ws {
		if w.TTL < ws[m].TTL || (w.TTL == ws[m].TTL && w.seq > ws[m].seq) {
			m = i
		}
	}
	return m
}

// skipTTL: the records a signing provider makes itself have their own TTL
// rules (the dnssec gate weighs them); OPT is no record (zone.WireOnly).
func skipTTL(origin, name string, t uint16) bool {
	return zone.Generated(origin, name, t) || zone.WireOnly(t)
}
