package parity

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/dnsparity/dnsparity/internal/replay"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// replayQuestions adds the questions of the query log Options.Queries
// that are in the zone to qs: each distinct (name as logged, type) once,
// asked with the name's case as logged; a question logged with a client
// subnet is also asked from that subnet in the ECS phase (r.logged). A
// question that is exactly one of the zone's RRsets is not asked twice.
func (r *runner) replayQuestions(qs []Question) ([]Question, *Replayed, error) {
	max := r.opts.MaxQueries
	if max <= 0 {
		max = DefaultMaxQueries
	}
	z := r.z
	l, err := replay.Load(r.opts.Queries, func(n string) bool { return z.InZone(n) }, max)
	if err != nil {
		return qs, nil, fmt.Errorf("parity: queries: %w", err)
	}
	rep := &Replayed{Questions: len(l.Questions), Logged: l.Logged, OverLimit: l.Over}
	// A logged question that is exactly one of the zone's RRsets is
	// already asked: find those questions in one pass.
	asked := map[zone.Key]int{}
	for _, lq := range l.Questions {
		if name := zone.CanonicalName(lq.Name); lq.Name == name && !zone.NotAsked(z.Origin, name, lq.Type) && z.Get(name, lq.Type) != nil {
			asked[zone.Key{Name: name, Type: lq.Type}] = -1
		}
	}
	if len(asked) > 0 {
		for i, q := range qs {
			k := zone.Key{Name: q.Name, Type: q.Type}
			if j, ok := asked[k]; ok && j < 0 {
				asked[k] = i
			}
		}
	}
	type key struct {
		name string
		t    uint16
	}
	index := map[key]int{}
	r.cased = map[int]string{}
	r.logged = map[netip.Prefix][]int{}
	for _, lq := range l.Questions {
		name := zone.CanonicalName(lq.Name)
		if zone.SignerApexType(lq.Type) && zone.SignerMade(z.Origin, name, lq.Type) && (z.Get(name, lq.Type) == nil || zone.NotAsked(z.Origin, name, lq.Type)) {
			// A parent's CDS scan: a signer's records, never git's
			// data two sides hold alike (as in a transfer); git's
			// own CDS is never pushed (zone.NotAsked). A ZONEMD
			// below the apex is data, asked.
			rep.Questions--
			continue
		}
		if !r.v.t.Exists(name) {
			rep.OutsideZone++
		}
		k := key{lq.Name, lq.Type}
		qi, ok := index[k]
		if !ok {
			if j, found := asked[zone.Key{Name: name, Type: lq.Type}]; found && lq.Name == name && j >= 0 {
				qi = j
			} else {
				qi = len(qs)
				qs = append(qs, Question{Name: name, Type: lq.Type, Probe: probeReplay})
				if lq.Name != name {
					r.cased[qi] = lq.Name
				}
			}
			index[k] = qi
		}
		if lq.Subnet.IsValid() {
			r.logged[lq.Subnet] = append(r.logged[lq.Subnet], qi)
		}
	}
	return qs, rep, nil
}

// rule is what git's answer to (name, t) rests on, in words: the RRset,
// a CNAME, NODATA at an owner or an empty non-terminal, the wildcard that
// synthesizes it, NXDOMAIN under the closest encloser, a DNAME, a
// delegation. Replayed findings are grouped by it, so that a hundred
// thousand random names under one wildcard give one finding.
func (v *view) rule(name string, t uint16) string {
	z := v.z
	c, d := v.boundary(name)
	if c != "" {
		return "the delegation of " + c
	}
	if d != nil {
		return "the DNAME at " + d.Name
	}
	if v.t.Exists(name) {
		switch sets := z.Lookup(name); {
		case z.Get(name, t) != nil:
			return fmt.Sprintf("the RRset %s %s", name, dns.Type(t))
		case z.Get(name, dns.TypeCNAME) != nil:
			return "the CNAME at " + name
		case len(sets) == 0:
			return "NODATA at the empty non-terminal " + name
		}
		return "NODATA at " + name
	}
	ce := v.t.Encloser(name)
	if w := v.t.Wildcard(name); w != "" {
		return "the wildcard " + w
	}
	if len(z.Lookup(ce)) == 0 && ce != z.Origin {
		return "NXDOMAIN under the empty non-terminal " + ce
	}
	return "NXDOMAIN under " + ce
}

// groupReplayed gives one finding per rule, kind and server group for
// the findings of replayed questions: the first, with the count and
// examples in its detail.
func groupReplayed(fs []Finding) []Finding {
	type key struct{ rule, kind, group, subnet string }
	first := map[key]int{}
	count := map[int]int{}
	var ex = map[int][]string{}
	out := fs[:0]
	for _, f := range fs {
		if f.rule == "" {
			out = append(out, f)
			continue
		}
		k := key{f.rule, f.Kind, f.group, f.Subnet}
		i, ok := first[k]
		if !ok {
			first[k] = len(out)
			count[len(out)] = 1
			ex[len(out)] = []string{f.Name + " " + f.Type}
			out = append(out, f)
			continue
		}
		count[i]++
		if len(ex[i]) < examples {
			ex[i] = append(ex[i], f.Name+" "+f.Type)
		}
		if sevRank[f.Severity] < sevRank[out[i].Severity] {
			out[i].Severity = f.Severity
		}
	}
	for i := range out {
		f := &out[i]
		if f.rule == "" {
			continue
		}
		if n := count[i]; n > 1 {
			f.Detail = fmt.Sprintf("%d replayed questions answered by %s differ (%s), e.g. %s; the first: %s",
				n, f.rule, f.Kind, strings.Join(ex[i], ", "), f.Detail)
		} else {
			f.Detail += " (a replayed question; git answers it by " + f.rule + ")"
		}
	}
	return out
}
