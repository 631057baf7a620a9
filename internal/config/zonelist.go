package config

import (
	"fmt"
	"os"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// ReadZoneList reads the zone names a file lists, one a line (the
// cutover commands' --zones-from); blank lines and # comments are
// skipped. A line that is not a domain name is an error naming the file
// and line.
func ReadZoneList(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []string
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
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s names no zone", path)
	}
	return out, nil
}
