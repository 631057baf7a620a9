package check

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/export"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/suggest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// nameTypos warns about each zones entry by name whose name is one typo
// (suggest.OneEdit: a letter added, dropped, changed, or two swapped)
// from the name its file is named by (zones/example.net.zone:
// example.net.) when the file names no origin itself ($ORIGIN, an
// absolute SOA owner: config.Config.OriginMismatch judges that one), and
// no zones entry is named for the file (a zone sharing it on purpose). Such
// a file is loaded at the entry's name, so every record of it lands in
// the typo'd zone, which plan, push, parity and the cutover then read and
// write at each provider; nothing else says so. At the entry's line.
func nameTypos(cfg *config.Config) []zone.Problem {
	var ps []zone.Problem
	// A zone the file is named for, listed too, shares its file on
	// purpose (a defensive typo domain: mybrands.com beside mybrand.com).
	named := map[string]bool{}
	for _, z := range cfg.Zones {
		named[zone.CanonicalName(z.Name)] = true
	}
	for _, z := range cfg.Zones {
		if z.Pattern != "" || z.File == "" {
			continue // a glob's zone is named by its file
		}
		path := cfg.ZoneFile(z)
		base := filepath.Base(path)
		for _, ext := range []string{".zone", ".db"} {
			if strings.HasSuffix(strings.ToLower(base), ext) {
				base = base[:len(base)-len(ext)]
				break
			}
		}
		if _, ok := dns.IsDomainName(base); !ok || base == "" {
			continue
		}
		fromFile := zone.CanonicalName(base)
		// the name import gives the zone's file (- for / in RFC 2317 names)
		if !oneTypo(fromFile, z.Name) || strings.EqualFold(filepath.Base(path), export.FileName(z.Name)) || named[fromFile] {
			continue
		}
		if origin, _, err := zone.PeekOrigin(path, cfg.Dir); err != nil || origin != "" {
			continue // the file names its zone, or cannot be read: its own error
		}
		ps = append(ps, zone.Problem{Pos: zone.Pos{File: cfg.Path, Line: z.Line}, Severity: zone.Warning,
			Message: fmt.Sprintf("the zones entry of %s names the zone %s, one typo from the file's name %s (%s), and the file names no zone itself ($ORIGIN, an absolute SOA owner): every record of it goes to %s at each provider; if %s was meant, write name: %s here",
				redact.Name(path), z.Name, fromFile, filepath.Base(path), z.Name, fromFile, fromFile)})
	}
	return ps
}

// oneTypo reports whether names a and b differ by one edit inside one
// label of three characters or more (suggest.OneEdit): a.test. and
// b.test. are two names, exmaple.net. a typo of example.net.
func oneTypo(a, b string) bool {
	la, lb := dns.SplitDomainName(a), dns.SplitDomainName(b)
	if len(la) != len(lb) || !suggest.OneEdit(a, b) {
		return false
	}
	for i := range la {
		if la[i] != lb[i] {
			return min(len(la[i]), len(lb[i])) >= 3
		}
	}
	return false
}
