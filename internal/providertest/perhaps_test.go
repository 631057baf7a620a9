package providertest

import (
	"errors"
	"slices"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// TestSaidPerhaps: a change counts as said perhaps applied only where a
// clause that says so names it, in the wordings the providers write; a
// name in a "not applied" list beside another change's "perhaps
// applied" does not.
func TestSaidPerhaps(t *testing.T) {
	a := provider.Change{Action: provider.Replace, Name: "a.example.", Type: dns.TypeA}
	for _, tc := range []struct {
		name, err string
		want      bool
	}{
		{"dnsmadeeasy list", "dnsmadeeasy: zone example.: batch 1 of 1, call createMulti failed: perhaps applied (the answer was lost, or an earlier try's server error was applied; a re-run converges): b.example. TXT, a.example. A; not applied: c.example. A: lost", true},
		{"dnsmadeeasy not applied beside another's perhaps", "dnsmadeeasy: zone example.: batch 1 of 1, call updateMulti failed; ~ b.example. A partly applied or not at all (its updateMulti call perhaps applied, its later calls not sent; re-run to finish); not applied: a.example. A: lost", false},
		{"cloudns partly applied, the next perhaps too", "cloudns: zone example.: call 3 of 9 (add-record.json) failed: ~ a.example. A partly applied (2 of its 3 calls, the next perhaps applied too; re-run to finish); not applied: none: lost", true},
		{"cloudns not applied beside another's perhaps", "cloudns: zone example.: call 3 of 9 (add-record.json) failed: ~ b.example. A perhaps applied (the answer was lost, or an earlier try's server error was applied; a re-run converges); not applied: a.example. A: lost", false},
		{"cloudflare batch", "cloudflare: zone example.: batch 1 of 2 (changes 1-2 of 4: b.example. TXT, a.example. A) failed, perhaps applied, all of it or nothing (a re-run converges): 502", true},
		{"ns1 not sent", "ns1: zone example.: change 1 of 3 (~ b.example. A) failed, perhaps applied (the answer was lost; a re-run converges); not sent: a.example. A: lost", false},
		{"a longer name", "perhaps applied (lost): ba.example. A", false},
		{"a longer type", "perhaps applied (lost): a.example. AAAA", false},
		{"no perhaps", "not applied: a.example. A", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := saidPerhaps(errors.New(tc.err), a); got != tc.want {
				t.Errorf("saidPerhaps = %v, want %v: %s", got, tc.want, tc.err)
			}
		})
	}
}

// TestCutOff: only a perhaps-applied list's "and N more" may leave a
// change done unnamed, not a list of changes not applied; each list's N
// holds N changes, and none another clause names.
func TestCutOff(t *testing.T) {
	for _, tc := range []struct {
		err  string
		want []int
	}{
		{"perhaps applied (lost): a A, b A, c A, d A, e A, and 2 more; not applied: f A, g A, h A, i A, j A, and 4 more: lost", []int{2}},
		{"~ x A partly applied or not at all (its delete call perhaps applied); not applied: f A, g A, h A, i A, j A, and 4 more: lost", nil},
		{"batch 1 of 2 (changes 1-8 of 9: a A, b A, c A, d A, e A, and 3 more) failed, perhaps applied, all of it or nothing: 502", []int{3}},
		{"perhaps applied (lost): a A, b A, c A, d A, e A, and 1 more; perhaps applied (lost): f A, g A, h A, i A, j A, and 2 more: lost", []int{1, 2}},
	} {
		if got := cutOff(errors.New(tc.err)); !slices.Equal(got, tc.want) {
			t.Errorf("cutOff = %v, want %v: %s", got, tc.want, tc.err)
		}
	}
}

// TestUnaccounted: a change done but not reported applied is accounted
// for where a perhaps-applied clause names it, or by the "and N more" of
// a perhaps-applied list, each list holding its own N and none a change
// another clause names.
func TestUnaccounted(t *testing.T) {
	ch := func(name string) provider.Change {
		return provider.Change{Action: provider.Replace, Name: name + ".example.", Type: dns.TypeA}
	}
	five := "a.example. A, b.example. A, c.example. A, d.example. A, e.example. A"
	for _, tc := range []struct {
		name  string
		err   string
		maybe []string
		want  []string // unaccounted, as Change.String writes them
	}{
		{"named perhaps", "perhaps applied (lost): x.example. A: lost", []string{"x"}, nil},
		{"one left out of one more", "perhaps applied (lost): " + five + ", and 1 more: lost", []string{"x"}, nil},
		{"two left out of one more", "perhaps applied (lost): " + five + ", and 1 more: lost", []string{"x", "y"}, []string{"~ y.example. A"}},
		{"a not-applied list's more", "perhaps applied (lost): a.example. A; not applied: " + five + ", and 3 more: lost", []string{"x"}, []string{"~ x.example. A"}},
		// The perhaps list's allowance does not hold a change the
		// not-applied list names: that list holds it, and says it was
		// not applied.
		{"named not applied beside a perhaps list's more", "perhaps applied (lost): " + five + ", and 1 more; not applied: x.example. A: lost", []string{"x"}, []string{"~ x.example. A"}},
		{"named not sent beside a perhaps list's more", "change 1 of 9 (~ f.example. A) failed, perhaps applied (lost); batch 2 (" + five + ", and 2 more) failed, perhaps applied; not sent: x.example. A, y.example. A: lost", []string{"x", "y"}, []string{"~ x.example. A", "~ y.example. A"}},
		{"each list its own more", "perhaps applied (lost): " + five + ", and 1 more; perhaps applied (lost): " + five + ", and 2 more: lost", []string{"x", "y", "z"}, nil},
		{"more than the lists hold together", "perhaps applied (lost): " + five + ", and 1 more; perhaps applied (lost): " + five + ", and 1 more: lost", []string{"x", "y", "z"}, []string{"~ z.example. A"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var maybe []provider.Change
			for _, n := range tc.maybe {
				maybe = append(maybe, ch(n))
			}
			if got := unaccounted(errors.New(tc.err), maybe); !slices.Equal(got, tc.want) {
				t.Errorf("unaccounted = %q, want %q: %s", got, tc.want, tc.err)
			}
		})
	}
}
