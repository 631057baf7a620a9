package delegation_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestServersDownLab: every server of the side is down (nothing listens
// at its address: each question is refused by the kernel). The plan has
// one step per server, and the summary names each identical failure once
// with how many checks it failed, instead of repeating the same
// connection refusal for every check of every server (walk7: two steps
// per server saying the same thing, the refusal 18 times).
func TestServersDownLab(t *testing.T) {
	lab.Require(t, "ip")
	a, b := net.JoinHostPort(lab.Addr(t), "53"), net.JoinHostPort(lab.Addr(t), "53")
	parent := quietParent(t)
	target := delegation.Target{Zone: "example.test.", Side: "old", NS: []string{"ns1.example.test.", "ns2.example.test."},
		Glue:    map[string][]string{"ns1.example.test.": {strings.TrimSuffix(a, ":53")}, "ns2.example.test.": {strings.TrimSuffix(b, ":53")}},
		Servers: []string{a, b}, Timeout: 300 * time.Millisecond, ParentServers: parent,
		Policy: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity}}}
	res := delegation.Run(context.Background(), target)
	sum, fixes := res.Summary(), res.Fixes()
	t.Logf("summary: %s", sum)
	t.Logf("fixes: %q", fixes)
	if res.OK() {
		t.Fatalf("two servers down pass: %s", sum)
	}
	for _, s := range []string{a, b} {
		n := 0
		for _, f := range fixes {
			if strings.Contains(f, s) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d plan steps name %s, want one: %q", n, s, fixes)
		}
	}
	if n := strings.Count(sum, "connection refused"); n > 2 {
		t.Errorf("the summary repeats the connection refusal %d times: %s", n, sum)
	}
}
