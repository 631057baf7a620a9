package parity

import (
	"slices"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/mailauth"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// ignored reports the TXT records each side's representative serves
// that receivers ignore, judged as check judges git's
// (mailauth.Ignorer.Judge, the one rule): an SPF record split where its
// blank after v=spf1 was is an error; a DMARC, DKIM key, MTA-STS or
// TLSRPT record at a name receivers never ask a warning, and nothing at
// a name a CNAME of git's zone leads to. Every TXT answer of the run is
// read (git's owners, the types they lack, transfers' and query logs'
// names; not the random labels, whose wildcard answers would name a new
// owner each run), records of a CNAME chain at their own owner. One
// finding per owner and record kind (kind spf, dmarc, dkim, mta-sts,
// tlsrpt: that record's other findings' kind), naming the sides that
// serve it ("DMARC on old and new: …"), on git's line of the record.
// Records served as git's are not judged again: sets (mailauth.Find)
// holds git's verdicts.
func (r *runner) ignored(sets *mailauth.Sets) []Finding {
	judge := sets.Ignorer()
	gits := map[*zone.RRSet][]mailauth.IgnoredRecord{}
	for _, ig := range sets.Ignored {
		gits[ig.Set] = append(gits[ig.Set], ig)
	}
	type key struct{ name, what string }
	type served struct {
		says  [2][]string
		qi    int    // the question it was first seen in
		rdata string // the first record, for git's line
		err   bool
	}
	found := map[key]*served{}
	var order []key
	for qi, q := range r.qs {
		if q.Type != dns.TypeTXT || q.Probe == probeRandom {
			continue
		}
		if node, ok := r.covered[q.Name]; ok && node != q.Name {
			continue // a random label below a node --axfr found (coveredQuestions)
		}
		for side, si := range r.rep {
			see := func(name, rdata string, ig mailauth.Ignore) {
				k := key{name, ig.What}
				s := found[k]
				if s == nil {
					s = &served{qi: qi, rdata: rdata, err: ig.Error}
					found[k] = s
					order = append(order, k)
				}
				if !slices.Contains(s.says[side], ig.Why) { // met again through a CNAME
					s.says[side] = append(s.says[side], ig.Why)
				}
			}
			a := r.res[si][qi]
			if a == nil {
				continue
			}
			if a != asGit {
				for _, rr := range a.Answer {
					if rr.Type != dns.TypeTXT {
						continue
					}
					if ig, ok := judge.Judge(rr.Name, rr.Rdata); ok {
						see(rr.Name, rr.Rdata, ig)
					}
				}
				continue
			}
			// Served as git answers: git's TXT records at an owner of
			// git's, not below a cut or a DNAME (a referral, the
			// DNAME's target), read without building that answer
			// (view.lookup, 12 times slower: BenchmarkIgnored). Other
			// questions' git answers hold no TXT record but through a
			// CNAME, whose target's own question reads it.
			if s := r.z.Get(q.Name, dns.TypeTXT); s != nil && q.Probe == probeRRset && len(gits[s]) > 0 {
				if cut, dname := r.v.boundary(q.Name); cut == "" && dname == nil {
					for _, ig := range gits[s] {
						see(q.Name, ig.Rdata, ig.Ignore)
					}
				}
			}
		}
	}
	out := make([]Finding, 0, len(order))
	for _, k := range order {
		s := found[k]
		f := Finding{Name: k.name, Type: "TXT", Kind: strings.ToLower(k.what), Severity: SevWarning}
		if s.err {
			f.Severity = SevError
		}
		var says [2]string
		for side := range says {
			sort.Strings(s.says[side])
			says[side] = strings.Join(s.says[side], "; ")
		}
		f.Detail = onSides(k.what, says)
		f.Old, f.New = r.text(r.ans(r.rep[0], s.qi)), r.text(r.ans(r.rep[1], s.qi))
		if p, ok := gitRecordPos(r.z.Get(k.name, dns.TypeTXT), s.rdata); ok {
			f.File, f.Line = p.File, p.Line
		}
		out = append(out, f)
	}
	return out
}

// gitRecordPos is where git writes the record rdata of the RRset s (the
// RRset's first line when git has the owner's TXT records but not that
// one); ok is false when git has no TXT records there.
func gitRecordPos(s *zone.RRSet, rdata string) (p zone.Pos, ok bool) {
	if s == nil {
		return p, false
	}
	for _, rec := range s.Records {
		if rec.Rdata == rdata {
			return rec.Pos, true
		}
	}
	return s.Pos(), true
}
