package parity

import (
	"slices"
	"testing"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/miekg/dns"
)

// TestTTLDiffs: the one TTL warning that compareSet and spfRedirect give
// beside a finding: the lowest TTL of each grouped set (groupSets, which
// both read), none when they agree.
func TestTTLDiffs(t *testing.T) {
	txt := func(ttls ...uint32) *set {
		var rrs []query.RR
		for i, ttl := range ttls {
			rrs = append(rrs, query.RR{Name: "a.test.", Type: dns.TypeTXT, TTL: ttl, Rdata: string(rune('a' + i))})
		}
		rrs = append(rrs, query.RR{Name: "a.test.", Type: dns.TypeA, TTL: 1, Rdata: "\x01\x02\x03\x04"})
		return findSet(groupSets(rrs), "a.test.", dns.TypeTXT)
	}
	for _, c := range []struct {
		name string
		x, y *set
		want []diff
	}{
		{"alike", txt(300), txt(300), nil},
		{"one side lower", txt(300), txt(60), []diff{{kind: "ttl", sev: SevWarning, detail: "TTL old 300, new 60"}}},
		{"the lowest of a set", txt(300, 60), txt(60), nil},
		{"the lowest of each", txt(600, 300), txt(300, 900), nil},
		{"differ at the lowest", txt(600, 120), txt(300, 900), []diff{{kind: "ttl", sev: SevWarning, detail: "TTL old 120, new 300"}}},
	} {
		if got := ttlDiffs(c.x, c.y, "old", "new"); !slices.Equal(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
