package config

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// ReadZoneList reads the zone names a file lists, one a line (the
// cutover commands' --zones-from); blank lines and # comments are
// skipped. A line that is not a domain name, or a zone listed again (in
// another case, without its final dot), is an error naming the file and
// line.
func ReadZoneList(path string) ([]string, error) {
	out, _, err := readZoneList(path)
	return out, err
}

// readZoneList is ReadZoneList, with the line each name is on.
func readZoneList(path string) (out []string, lines []int, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	lineOf := map[string]int{} // a canonical name → its first line
	for i, l := range strings.Split(string(b), "\n") {
		if k := strings.IndexByte(l, '#'); k >= 0 {
			l = l[:k]
		}
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if _, ok := dns.IsDomainName(l); !ok || strings.ContainsAny(l, " \t") {
			return nil, nil, fmt.Errorf("%s:%d: %s is not a zone name", path, i+1, redact.Quote(l))
		}
		// A name listed twice is said at its lines here, where the
		// file can be corrected (ZoneNamedTwice names no line).
		c := zone.CanonicalName(l)
		if first, ok := lineOf[c]; ok {
			return nil, nil, fmt.Errorf("%s:%d: zone %s is listed twice (line %d too): name each zone once", path, i+1, redact.Quote(c), first)
		}
		lineOf[c] = i + 1
		out, lines = append(out, l), append(lines, i+1)
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("%s names no zone", path)
	}
	return out, lines, nil
}

// ZoneArgs are the zones a cutover command names: --zone's, then the
// --zones-from file's, each in one form (zone.CanonicalName), the form
// every report and summary line shows, with the line of the file each
// listed one is on (Config.NamedIn).
type ZoneArgs struct {
	Names []string
	at    map[string]string // a listed zone → "FILE:LINE: "
}

// ReadZoneArgs reads the zones named by flags (--zone) and by the file
// at from (--zones-from; "" none). A zone named twice, in whatever case
// and with or without its final dot, is an error (ZoneNamedTwice).
func ReadZoneArgs(flags []string, from string) (ZoneArgs, error) {
	raw := slices.Clone(flags)
	var a ZoneArgs
	if from != "" {
		names, lines, err := readZoneList(from)
		if err != nil {
			return a, fmt.Errorf("--zones-from: %w", err)
		}
		a.at = make(map[string]string, len(names))
		for i, n := range names {
			a.at[zone.CanonicalName(n)] = fmt.Sprintf("%s:%d: ", from, lines[i])
		}
		raw = append(raw, names...)
	}
	if err := ZoneNamedTwice(raw); err != nil {
		return a, err
	}
	for _, n := range raw {
		a.Names = append(a.Names, zone.CanonicalName(n))
	}
	return a, nil
}

// At is "FILE:LINE: " of zone name (canonical) when the --zones-from
// file listed it, else "".
func (a ZoneArgs) At(name string) string { return a.at[name] }

// NamedIn tells the config where the zones of a were listed: a zone
// that is not under zones: is then said at its line of the list file
// (Zone), where the typo is, not at the config's zones: key.
func (c *Config) NamedIn(a ZoneArgs) { c.listedAt = a.at }

// ZoneNamedTwice is the error of a zone named twice among names (the
// command line's --zone and --zones-from), in whatever case and with or
// without its final dot, as import refuses it: a cutover step's wave
// would run it twice, push push it twice at once, a matrix give it two
// shards (two jobs pushing one zone). nil: each zone once.
func ZoneNamedTwice(names []string) error {
	first := make(map[string]string, len(names))
	for _, n := range names {
		c := zone.CanonicalName(n)
		if f, ok := first[c]; ok {
			return fmt.Errorf("zone %s is given twice (%s and %s): name each zone once", c, redact.Quote(f), redact.Quote(n))
		}
		first[c] = n
	}
	return nil
}
