package providertest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TransitionSteps is how many zones Transitions pushes one after another.
const TransitionSteps = 8

// Transitions pushes a sequence of generated zones to one provider, each
// over the last, at a few names that change what they hold from one zone
// to the next: an A set becoming a CNAME and back, TXT to MX, records
// added to and taken from a set, TTLs changed, a name emptied, a TXT over
// 255 octets. After each push the provider holds exactly that zone
// (every RRset read back with its TTL, none left over) and plans empty.
// The order a provider sends a change in is what this tests: a CNAME
// created before the A it replaces is deleted is refused by every API
// (RFC 1034 §3.6.2), an RRset deleted and re-created in two batches is
// gone in between. DNSPARITY_TRANSITIONS_SEED=N runs other sequences.
func Transitions(t *testing.T, h Harness) {
	seed := lab.Seed(t, "DNSPARITY_TRANSITIONS_SEED")
	r := rand.New(rand.NewPCG(seed, 0))
	p := h.New(t, h.Secret)
	head := Head(h.ZoneFile)
	for step := 1; step <= TransitionSteps; step++ {
		text := head + transitionZone(r)
		ok := t.Run(fmt.Sprintf("seed %d step %d", seed, step), func(t *testing.T) {
			d := Desired(t, h.Origin, text)
			Push(t, p, d)
			ReadBack(t, p, d)
			got, err := p.Records(context.Background(), d.Origin)
			if err != nil {
				t.Fatal(err)
			}
			notInGit(t, got, d)
			var writes int
			if h.Writes != nil {
				writes = h.Writes()
			}
			converged(t, p, d, "pushed")
			if h.Writes != nil && h.Writes() != writes {
				t.Errorf("planning wrote")
			}
		})
		if !ok {
			t.Fatalf("seed %d step %d: the zone pushed:\n%s", seed, step, text)
		}
	}
}

// notInGit says, as a test error, each RRset the provider holds (got)
// that d lacks, the apex SOA and NS aside (the provider's own).
func notInGit(t testing.TB, got, d *zone.Zone) {
	t.Helper()
	for _, g := range got.Sets {
		if d.Get(g.Name, g.Type) == nil && !(g.Name == d.Origin && (g.Type == dns.TypeSOA || g.Type == dns.TypeNS)) {
			t.Errorf("at the provider but not in git: %s %s %q", g.Name, dns.Type(g.Type), g.Strings())
		}
	}
}

// transitionZone is the records below the apex of one zone of the
// sequence: each of a few names holds one of a few shapes, chosen anew.
func transitionZone(r *rand.Rand) string {
	var b strings.Builder
	ttl := func() int { return []int{300, 3600}[r.IntN(2)] } // TTLs every provider takes (ClouDNS: a list)
	for _, name := range []string{"www", "api", "mail", "x", "deep.er"} {
		switch r.IntN(8) {
		case 0: // nothing at the name
		case 1:
			t := ttl()
			for i := 0; i <= r.IntN(3); i++ {
				fmt.Fprintf(&b, "%s %d A 192.0.2.%d\n", name, t, 10+i+r.IntN(3)*10)
			}
		case 2:
			fmt.Fprintf(&b, "%s %d CNAME %s\n", name, ttl(), []string{"target.example.net.", "other.example.net."}[r.IntN(2)])
		case 3:
			t := ttl()
			fmt.Fprintf(&b, "%s %d TXT \"v=spf1 -all\"\n", name, t)
			if r.IntN(2) == 0 {
				fmt.Fprintf(&b, "%s %d TXT \"%s\" \"%s\"\n", name, t, strings.Repeat("k", 255), strings.Repeat("m", 1+r.IntN(40)))
			}
		case 4:
			t := ttl()
			fmt.Fprintf(&b, "%s %d MX 10 mx1.example.net.\n", name, t)
			if r.IntN(2) == 0 {
				fmt.Fprintf(&b, "%s %d MX 20 mx2.example.net.\n", name, t)
			}
		case 5:
			fmt.Fprintf(&b, "%s %d A 192.0.2.%d\n%s %d TXT \"t%d\"\n", name, ttl(), 50+r.IntN(5), name, ttl(), r.IntN(3))
		case 6:
			fmt.Fprintf(&b, "%s %d AAAA 2001:db8::%x\n", name, ttl(), 1+r.IntN(3))
		default:
			fmt.Fprintf(&b, "%s %d CAA 0 issue \"%s\"\n", name, ttl(), []string{"ca.example", "other-ca.example"}[r.IntN(2)])
		}
	}
	return b.String()
}
