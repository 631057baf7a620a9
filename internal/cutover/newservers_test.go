package cutover

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestNewServersAskedFromHere: the new side is read after a move at the
// addresses of the delegation the flip set that this machine asks
// (notFromHere), as askFromServers and oldServersAsked keep them: an
// IPv6 address with policy.delegation.ipv6 false (a runner without
// IPv6) is left out. Before, it was read as a server that did not
// answer: a propagation child row that never settled, and a rollback's
// new_apex_ns naming it not answered.
func TestNewServersAskedFromHere(t *testing.T) {
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 127.0.0.1\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &Config{Zone: z, New: Side{Name: "new", Servers: []string{"127.0.0.1:53"}}, Delegation: delegation.Policy{NoIPv6: true}}
	flip := &Entry{Command: "flip", Result: ResultDone, After: &registrar.Delegation{NS: []string{"ns2.example.test."},
		Glue: map[string][]string{"ns2.example.test.": {"127.0.0.2", "2001:db8::53"}}}}
	tr := &Trail{Zone: "example.test.", Entries: []Entry{*flip}}
	o := c.newServers(context.Background(), tr, flip)
	got := o.servers
	if slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, "2001:db8::53") }) || !slices.Contains(got, "127.0.0.2:53") {
		t.Errorf("new side read at %v; want 127.0.0.2:53 and not the IPv6 address this machine does not ask", got)
	}
	// Left out, and said (status warns of them).
	if len(o.notAsked) != 1 || !strings.Contains(o.notAsked[0], "2001:db8::53") {
		t.Errorf("not asked %q; want the IPv6 address named", o.notAsked)
	}
}
