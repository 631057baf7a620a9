package cutover

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
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

// TestNewServersOnceAStepLab: the new side's servers after a move are
// found once a step for each move (newServers), as the old side's are
// (oldServers): a status while rolled back reads them for new_apex_ns,
// its warnings, the DNSSEC check of the side left and the propagation's
// two sides, and before, each read looked up every NS name of the
// delegations that sent resolvers to the new side again (up to four
// lookups of each name a status). A lookup after the first is seen here
// by stopping the server that answers it: the step's second read still
// has the address it found. A change to the sides' servers
// (sidesChanged) reads again.
func TestNewServersOnceAStepLab(t *testing.T) {
	lab.Require(t, "knotd")
	ns := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: "elsewhere.test.", Text: "$ORIGIN elsewhere.test.\n$TTL 60\n@ SOA ns h 1 60 60 1209600 60\n@ NS ns\nns A 127.0.0.1\nns2 A 127.0.0.2\n"}}})
	z, err := zone.Parse(strings.NewReader("$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 127.0.0.1\n"), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	c := &Config{Zone: z, New: Side{Name: "new", Servers: []string{"127.0.0.1:53"}}, Resolvers: []string{ns.Addr}, Timeout: time.Second}
	flip := Entry{Command: "flip", Result: ResultDone, After: &registrar.Delegation{NS: []string{"ns2.elsewhere.test."}}}
	rollback := Entry{Command: "rollback", Result: ResultDone, Before: flip.After}
	tr := &Trail{Zone: "example.test.", Entries: []Entry{flip, rollback}}
	e := &tr.Entries[1]
	ctx := context.Background()
	want := "127.0.0.2:53"
	if got := c.newServers(ctx, tr, e).servers; !slices.Contains(got, want) {
		t.Fatalf("new side read at %v; want %s, where ns2.elsewhere.test. leads", got, want)
	}
	ns.Stop()
	for read := 2; read <= 4; read++ {
		if o := c.newServers(ctx, tr, e); !slices.Contains(o.servers, want) || len(o.unresolved) > 0 {
			t.Errorf("read %d of the step: servers %v, unresolved %+v; want %s as found once the step, no lookup again", read, o.servers, o.unresolved, want)
		}
	}
	c.sidesChanged()
	if o := c.newServers(ctx, tr, e); slices.Contains(o.servers, want) || len(o.unresolved) != 1 {
		t.Errorf("after the sides changed: servers %v, unresolved %+v; want the name looked up again (its server stopped: unresolved)", o.servers, o.unresolved)
	}
}
