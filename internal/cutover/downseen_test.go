package cutover

import (
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// resolversSeeDown decides whether the resolvers' answers for a fresh
// name show the side an emergency step leaves still answering the world
// (this machine's own queries filtered, or a route only the world has):
// on the code before, old-down never asked a resolver, and a timeout from
// here passed as down.
func TestResolversSeeDown(t *testing.T) {
	const oldSOA, newSOA, survivor = "ns1.old.example.test. 7", "ns1.new.example.test. 9", "ns2.old.example.test. 7"
	timeout := errors.New("i/o timeout")
	for _, tc := range []struct {
		name       string
		ans        []freshAnswer
		survivors  []string
		configured int
		seen       bool
		warn       string
	}{
		{"no resolver configured", nil, nil, 0, false, "no resolver is configured"},
		{"NXDOMAIN with the down side's SOA", []freshAnswer{{resolver: "r1", rcode: dns.RcodeNameError, soa: oldSOA}}, nil, 1, true, ""},
		{"one of two resolvers reaches it", []freshAnswer{{resolver: "r1", rcode: dns.RcodeServerFailure}, {resolver: "r2", rcode: dns.RcodeNameError, soa: oldSOA}}, nil, 2, true, ""},
		{"an answer without the zone's SOA", []freshAnswer{{resolver: "r1", rcode: dns.RcodeSuccess}}, nil, 1, true, ""},
		{"SERVFAIL: down for the world too", []freshAnswer{{resolver: "r1", rcode: dns.RcodeServerFailure}}, nil, 1, false, ""},
		{"the up side's SOA: a resolver already sent there", []freshAnswer{{resolver: "r1", rcode: dns.RcodeNameError, soa: newSOA}}, nil, 1, false, ""},
		{"partly down: the survivor's SOA", []freshAnswer{{resolver: "r1", rcode: dns.RcodeNameError, soa: survivor}}, []string{survivor}, 1, false, ""},
		{"partly down: another server's SOA", []freshAnswer{{resolver: "r1", rcode: dns.RcodeNameError, soa: oldSOA}}, []string{survivor}, 1, true, ""},
		{"no resolver answers", []freshAnswer{{resolver: "r1", err: timeout}}, nil, 1, false, "no resolver answered"},
	} {
		seen, warn := resolversSeeDown(tc.ans, "old", tc.survivors, []string{newSOA}, tc.configured)
		if (len(seen) > 0) != tc.seen {
			t.Errorf("%s: seen %q, want seen %v", tc.name, seen, tc.seen)
		}
		if tc.seen && !strings.Contains(strings.Join(seen, " "), "r") {
			t.Errorf("%s: %q names no resolver", tc.name, seen)
		}
		if (tc.warn == "") != (warn == "") || !strings.Contains(warn, tc.warn) {
			t.Errorf("%s: warning %q, want %q", tc.name, warn, tc.warn)
		}
	}
}
