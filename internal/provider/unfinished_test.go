package provider

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// TestUnfinishedNamesAll: the one rendering of what became of a failed
// push's changes names each of them in its own clause: each list's
// first five by name and the rest counted ("and N more"), each part by
// its change with its state and detail; a change perhaps applied is
// never in the not-applied clause, nor one not applied in the
// perhaps-applied clause.
func TestUnfinishedNamesAll(t *testing.T) {
	ch := func(prefix string, n int) []Change {
		var out []Change
		for i := range n {
			out = append(out, Change{Action: Replace, Name: fmt.Sprintf("%s%d.example.", prefix, i), Type: dns.TypeA})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		u     Unfinished
		parts int
	}{
		{"nothing", Unfinished{}, 0},
		{"perhaps and not", Unfinished{Perhaps: ch("p", 2), NotApplied: ch("n", 3)}, 0},
		{"over five", Unfinished{Perhaps: ch("p", 7), Unknown: ch("u", 6), NotApplied: ch("n", 9)}, 0},
		{"parts", Unfinished{Partly: []Part{
			{Change: ch("a", 1)[0], Detail: "2 of its 3 calls; re-run to finish"},
			{Change: ch("b", 1)[0], Detail: "its first call perhaps applied", OrNone: true},
		}, NotApplied: ch("n", 1)}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := tc.u.String()
			list := func(prefix string, cs []Change) {
				if len(cs) == 0 {
					if strings.Contains(text, prefix) {
						t.Errorf("a clause %q for an empty list: %s", prefix, text)
					}
					return
				}
				want := prefix + Describe(cs, 5)
				if !strings.HasPrefix(text, want+"; ") && !strings.HasSuffix(text, "; "+want) && !strings.Contains(text, "; "+want+"; ") && text != want {
					t.Errorf("no clause %q in %s", want, text)
				}
				if n := len(cs) - 5; n > 0 && !strings.Contains(want, fmt.Sprintf("and %d more", n)) {
					t.Errorf("%q does not count the %d left out", want, n)
				}
			}
			list(PerhapsState+": ", tc.u.Perhaps)
			list("perhaps applied, all or in part (re-run to finish): ", tc.u.Unknown)
			if len(tc.u.NotApplied) == 0 && len(tc.u.Perhaps)+len(tc.u.Unknown)+len(tc.u.Partly) == 0 {
				if text != "" {
					t.Errorf("nothing in any list: %q, want nothing said (no change left)", text)
				}
			} else {
				list("not applied: ", tc.u.NotApplied)
			}
			for _, p := range tc.u.Partly {
				state := "partly applied"
				if p.OrNone {
					state += " or not at all"
				}
				if want := fmt.Sprintf("%s %s (%s)", p.Change, state, p.Detail); !strings.Contains(text, want) {
					t.Errorf("no %q in %s", want, text)
				}
			}
			if got := len(tc.u.Partly); got != tc.parts {
				t.Fatalf("table: %d parts, want %d", got, tc.parts)
			}
		})
	}
}

// TestSettle: a failed push's Result accounts for every change of its
// plan: each one neither applied nor in Left (no request carried it: the
// push stopped at the zone lookup, before a request, after earlier ones
// went through) is listed not applied, and the error says what Left
// lists, and what was applied, once (not again where it says it
// already); a push that succeeded is as it was.
func TestSettle(t *testing.T) {
	cs := []Change{
		{Action: Create, Name: "a.example.", Type: dns.TypeA},
		{Action: Create, Name: "b.example.", Type: dns.TypeA},
		{Action: Create, Name: "c.example.", Type: dns.TypeA},
	}
	failed := errors.New("zone lookup failed")
	for _, tc := range []struct {
		name     string
		res      Result
		err      error
		not      int
		wantText string
	}{
		{"zone lookup failed", Result{}, failed, 3, "zone lookup failed; not applied: a.example. A, b.example. A, c.example. A"},
		{"after a request", Result{Applied: cs[:1]}, failed, 2, "zone lookup failed; applied: a.example. A; not applied: b.example. A, c.example. A"},
		{"Left listed, not said", Result{Left: Unfinished{Perhaps: cs[1:2]}}, failed, 2, "zone lookup failed; " + PerhapsState + ": b.example. A; not applied: a.example. A, c.example. A"},
		{"said already", Result{Applied: cs[:1], Left: Unfinished{NotApplied: cs[1:]}}, errors.New("x; not applied: b.example. A, c.example. A"), 2, "x; not applied: b.example. A, c.example. A"},
		{"succeeded", Result{Applied: cs}, nil, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Settle(cs, tc.res, tc.err)
			if len(res.Left.NotApplied) != tc.not {
				t.Errorf("not applied: %v, want %d", res.Left.NotApplied, tc.not)
			}
			if (err == nil) != (tc.err == nil) || err != nil && (err.Error() != tc.wantText || !errors.Is(err, tc.err)) {
				t.Errorf("error %v, want %q wrapping %v", err, tc.wantText, tc.err)
			}
		})
	}
}
