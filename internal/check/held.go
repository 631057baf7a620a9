package check

import (
	"fmt"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// heldCuts are the cuts whose delegation the cutover owns in a target's
// zone (config.CutoverCuts: the zone is the registrar's parent zone),
// with the config whose audit trails say what the parent serves.
type heldCuts struct {
	cfg  *config.Config
	cuts []string
}

// problems are the warnings for the cuts whose delegation in git's copy
// of the parent zone (z, loaded from path) is not what the child's last
// flip or rollback set (cutover.HeldInGit): a push leaves it as served,
// so the warning says what to commit, on the line of the cut's first NS
// record (else its first record, else the whole file). A trail that
// cannot be read is a warning too: the delegation was not compared.
func (h *heldCuts) problems(path string, z *zone.Zone) []zone.Problem {
	file := report.RelPath(h.cfg.Dir, path)
	var out []zone.Problem
	for _, cut := range h.cuts {
		var sets []*zone.RRSet
		for _, s := range z.Sets {
			if dns.IsSubDomain(cut, s.Name) {
				sets = append(sets, s)
			}
		}
		note, differs, err := cutover.HeldInGit(h.cfg, file, cut, sets)
		if err != nil {
			note, differs = fmt.Sprintf("delegation of %s: not compared with what the cutover set: %v", cut, err), true
		}
		if differs {
			out = append(out, zone.Problem{Pos: cutPos(path, cut, sets), Severity: zone.Warning, Message: note})
		}
	}
	return out
}

// cutPos is where git's delegation of cut begins: its first NS record,
// else the first record at or below it, else the whole file (line 0).
func cutPos(path, cut string, sets []*zone.RRSet) zone.Pos {
	first := func(s *zone.RRSet) zone.Pos {
		p := s.Records[0].Pos
		for _, r := range s.Records[1:] {
			if r.Pos.File == p.File && r.Pos.Line < p.Line {
				p = r.Pos
			}
		}
		return p
	}
	var any *zone.Pos
	for _, s := range sets {
		if len(s.Records) == 0 {
			continue
		}
		p := first(s)
		if s.Type == dns.TypeNS && zone.CanonicalName(s.Name) == zone.CanonicalName(cut) {
			return p
		}
		if any == nil || (p.File == any.File && p.Line < any.Line) {
			any = &p
		}
	}
	if any != nil {
		return *any
	}
	return zone.Pos{File: path}
}
