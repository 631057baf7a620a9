package config

import (
	"fmt"
	"os"
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
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
	lineOf := map[string]int{} // a canonical name → its first line
	for i, l := range strings.Split(string(b), "\n") {
		if k := strings.IndexByte(l, '#'); k >= 0 {
			l = l[:k]
		}
		if l = strings.TrimSpace(l); l == "" {
			continue
		}
		if _, ok := dns.IsDomainName(l); !ok || strings.ContainsAny(l, " \t") {
			return nil, fmt.Errorf("%s:%d: %s is not a zone name", path, i+1, redact.Quote(l))
		}
		// A name listed twice is said at its lines here, where the
		// file can be corrected (ZoneNamedTwice names no line).
		c := zone.CanonicalName(l)
		if first, ok := lineOf[c]; ok {
			return nil, fmt.Errorf("%s:%d: zone %s is listed twice (line %d too): name each zone once", path, i+1, redact.Quote(c), first)
		}
		lineOf[c] = i + 1
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s names no zone", path)
	}
	return out, nil
}

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
