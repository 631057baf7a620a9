package delegation

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestKeptGlueEveryParentServerLab: dnshost.test.'s nameserver
// ns.example.test. (inside the zone being moved) keeps its address after
// the step only where the parent's referral for dnshost.test. carries it
// (sibling glue). Two parent servers, the first with that glue, the second
// without (a zone change that reached one server only): a resolver asking
// the second finds no address, so the glue does not stay. keptGlue asked
// the first server that answered and took its word for every server.
func TestKeptGlueEveryParentServerLab(t *testing.T) {
	lab.Require(t, "named")
	ip := map[string]string{"glued": lab.Addr(t), "bare": lab.Addr(t)}
	parent := func(self string, glued bool) *lab.Server {
		text := fmt.Sprintf("$ORIGIN test.\n$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A %s\nexample NS ns1.old.example\nns1.old.example A 192.0.2.1\ndnshost NS ns.example.test.\n", ip[self])
		if glued {
			text += "ns.example.test. A 192.0.2.2\n"
		}
		return lab.BIND(t, lab.Options{IP: ip[self], Zones: []lab.Zone{{Origin: "test.", Text: text}}})
	}
	glued, bare := parent("glued", true), parent("bare", false)
	// A server that answers without the referral (it refuses test.: not
	// its zone) gives resolvers that ask it no glue; one that does not
	// answer at all is no resolver's either.
	refusing := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "other.", Text: "$TTL 5\n@ SOA ns.other. h.other. 1 60 60 60 5\n@ NS ns.other.\nns A 192.0.2.9\n"}}})
	silent := lab.Addr(t) + ":53"
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		servers []string
		want    bool
	}{
		{"every server glues it", []string{glued.Addr}, true},
		{"one server glues it, the other not", []string{glued.Addr, bare.Addr}, false},
		{"the other order", []string{bare.Addr, glued.Addr}, false},
		{"no server glues it", []string{bare.Addr}, false},
		{"the other answers without the referral", []string{glued.Addr, refusing.Addr}, false},
		{"the other does not answer", []string{glued.Addr, silent}, true},
	} {
		tg := &Target{Zone: "example.test.", Side: "new", ParentZone: "test.", ParentServers: tc.servers, Timeout: 2 * time.Second}
		if got := tg.keptGlue(ctx, "dnshost.test.", "ns.example.test."); got != tc.want {
			t.Errorf("%s: keptGlue = %v, want %v", tc.name, got, tc.want)
		}
	}
}
