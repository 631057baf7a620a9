package cutover

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// fromCache tells an NXDOMAIN a resolver synthesised from NSEC records it
// cached (RFC 8198: aged TTLs that count down) from one a server gave now,
// which still counts as the down side answering the world. The zone's
// negative TTL is 30 (git's SOA TTL 40, the answer's MINIMUM 30). Before,
// every answer with an SOA neither side serves counted.
func TestFromCache(t *testing.T) {
	const oldSOA = "ns1.old.example.test. 1"
	t0 := time.Now()
	nx := func(soaTTL, nsecTTL uint32, at time.Duration) freshAnswer {
		return freshAnswer{resolver: "r1", rcode: dns.RcodeNameError, soa: oldSOA, soaTTL: soaTTL, minimum: 30, at: t0.Add(at),
			denial: []denialTTL{{name: "example.test. NSEC", ttl: nsecTTL, original: 30}}}
	}
	with := func(a, b freshAnswer) freshAnswer { a.again = &b; return a }
	noNSEC := nx(20, 20, 2*time.Second)
	noNSEC.denial = nil
	unsigned := nx(20, 20, 0)
	unsigned.denial = []denialTTL{{name: "example.test. NSEC", ttl: 20}}
	otherSOA := nx(18, 18, 2*time.Second)
	otherSOA.soa = "ns1.old.example.test. 2"
	for _, tc := range []struct {
		name   string
		a      freshAnswer
		gitTTL uint32
		cached bool
		why    string
	}{
		{"aged, counting down", with(nx(20, 20, 0), nx(18, 18, 2*time.Second)), 40, true, "SOA TTL 20 then 18 2.0 s later"},
		{"aged, 3 s later", with(nx(20, 20, 0), nx(17, 17, 3*time.Second)), 40, true, "synthesised from cached NSEC records"},
		{"the whole negative TTL: a server's answer now", with(nx(30, 30, 0), nx(28, 28, 2*time.Second)), 40, false, "the zone's whole negative TTL (30)"},
		{"git's SOA TTL lower than MINIMUM", with(nx(20, 20, 0), nx(18, 18, 2*time.Second)), 20, false, "whole negative TTL (20)"},
		{"SOA cut by the resolver's cap, NSEC whole", with(nx(5, 30, 0), nx(5, 30, 2*time.Second)), 40, false, "NSEC TTL 30, its RRSIG's original TTL 30"},
		{"the same TTLs again: not counting down", with(nx(20, 20, 0), nx(20, 20, 2*time.Second)), 40, false, "not one cached copy counting down"},
		{"a drop far from the time between", with(nx(20, 20, 0), nx(10, 10, 2*time.Second)), 40, false, "not one cached copy counting down"},
		{"TTL up again: another cache or a server", with(nx(20, 20, 0), nx(30, 30, 2*time.Second)), 40, false, "the zone's whole negative TTL"},
		{"no NSEC records", with(noNSEC, noNSEC), 40, false, "no NSEC records"},
		{"NSEC without RRSIG", with(unsigned, nx(18, 18, 2*time.Second)), 40, false, "original TTL 0"},
		{"asked again, no answer", with(nx(20, 20, 0), freshAnswer{resolver: "r1", err: errors.New("i/o timeout"), at: t0.Add(2 * time.Second)}), 40, false, "i/o timeout"},
		{"asked again, another SOA", with(nx(20, 20, 0), otherSOA), 40, false, "ns1.old.example.test. 2"},
		{"not asked again", nx(20, 20, 0), 40, false, "not asked again"},
		{"git's SOA TTL unknown", with(nx(20, 20, 0), nx(18, 18, 2*time.Second)), 0, false, "not known"},
		{"SERVFAIL", freshAnswer{resolver: "r1", rcode: dns.RcodeServerFailure}, 40, false, "no NXDOMAIN"},
	} {
		cached, why := tc.a.fromCache(tc.gitTTL)
		if cached != tc.cached || !strings.Contains(why, tc.why) {
			t.Errorf("%s: from cache %v (%s), want %v (%q)", tc.name, cached, why, tc.cached, tc.why)
		}
	}
}

// An answer judged from the cache is not counted as the down side
// answering the world: with every other resolver silent the gate is
// left to this machine's view, the warning naming the cached answer; an
// answer not judged so still counts, with what was seen.
func TestResolversSeeDownCached(t *testing.T) {
	const oldSOA, newSOA = "ns1.old.example.test. 1", "ns1.new.example.test. 9"
	cached := freshAnswer{resolver: "r1", rcode: dns.RcodeNameError, soa: oldSOA, cached: true, cacheHow: "SOA TTL 20 then 18 2.0 s later"}
	now := freshAnswer{resolver: "r2", rcode: dns.RcodeNameError, soa: oldSOA, cacheHow: "SOA TTL 30, the zone's whole negative TTL (30): as a server gives it now"}
	silent := freshAnswer{resolver: "r3", err: errors.New("i/o timeout")}
	seen, warn := resolversSeeDown([]freshAnswer{cached}, "old", nil, []string{newSOA}, 1)
	if len(seen) > 0 || !strings.Contains(warn, "r1 answered a fresh name with NXDOMAIN and the SOA "+oldSOA+" from its cache (SOA TTL 20 then 18") {
		t.Errorf("a cached answer: seen %q, warning %q", seen, warn)
	}
	seen, warn = resolversSeeDown([]freshAnswer{cached, silent}, "old", nil, []string{newSOA}, 2)
	if len(seen) > 0 || !strings.Contains(warn, "from its cache") || !strings.Contains(warn, "no resolver answered") {
		t.Errorf("a cached answer and a silent resolver: seen %q, warning %q", seen, warn)
	}
	seen, _ = resolversSeeDown([]freshAnswer{cached, now}, "old", nil, []string{newSOA}, 2)
	if len(seen) != 1 || !strings.Contains(seen[0], "r2") || !strings.Contains(seen[0], "whole negative TTL") {
		t.Errorf("a cached answer and one a server gave now: seen %q, want r2's counted with what was seen", seen)
	}
}
