package provider

import (
	"fmt"
	"strings"
)

// Unfinished says what became of the changes of a failed push that
// Result.Applied does not list, each in one list: the error of the push
// says it in the words of String, which is the one place those words are
// written.
type Unfinished struct {
	// Perhaps are the changes perhaps applied whole, or not at all: the
	// call that carried them failed in a way that may have been applied
	// all the same (PerhapsApplied: its answer was lost, or an earlier
	// try's server error was applied).
	Perhaps []Change
	// Partly are the changes made in several calls, some of which went
	// through (or may have: Part.OrNone).
	Partly []Part
	// Unknown are the changes whose calls were sent but what became of
	// them could not be read (ClouDNS's import, the zone not read back):
	// perhaps applied, all, in part or not at all.
	Unknown []Change
	// NotApplied are the changes nothing of which was applied: refused,
	// or never sent.
	NotApplied []Change
}

// Part is a change of a failed push made in several calls and cut
// between them.
type Part struct {
	Change Change
	// Detail says how far it went and what to do ("2 of its 3 calls;
	// re-run to finish").
	Detail string
	// Perhaps: the call whose answer was lost carried the rest of it, so
	// it may be whole.
	Perhaps bool
	// OrNone: its first call is the one whose answer was lost, so it may
	// be partly applied or not at all (never whole: its later calls
	// were not sent).
	OrNone bool
}

// PerhapsState is the state of a change whose write failed in a way
// that may have been applied all the same (PerhapsApplied).
const PerhapsState = "perhaps applied (the answer was lost, or an earlier try's server error was applied; a re-run converges)"

// BatchState is the state of a request applied whole or not at all (a
// PATCH, a change batch, an UPDATE message) that failed: perhaps applied
// (its answer was lost, or an earlier try's server error applied), or
// nothing of it applied.
func BatchState(perhaps bool) string {
	if perhaps {
		return "perhaps applied, all of it or nothing (the answer was lost, or an earlier try's server error was applied; a re-run converges)"
	}
	return "nothing of it applied"
}

// BatchFailed records in r.Left a push stopped by a request applied
// whole or not at all that failed: its changes cs perhaps applied
// (perhaps) or not applied, and later, the changes of the requests not
// sent, not applied. It returns the request's state (BatchState) for
// the error.
func (r *Result) BatchFailed(cs []Change, perhaps bool, later []Change) string {
	if perhaps {
		r.Left.Perhaps = append(r.Left.Perhaps, cs...)
	} else {
		r.Left.NotApplied = append(r.Left.NotApplied, cs...)
	}
	r.Left.NotApplied = append(r.Left.NotApplied, later...)
	return BatchState(perhaps)
}

// Later are the changes of the batches bs (those after a failed one).
func Later[O any](bs []Batch[O]) []Change {
	var out []Change
	for _, b := range bs {
		out = append(out, b.Changes...)
	}
	return out
}

// String says what became of each change, a "; "-separated clause each
// list: "perhaps applied (…): names", each part "<change> partly applied
// (detail)" or "<change> partly applied or not at all (detail)",
// "perhaps applied, all or in part (…): names", and "not applied: names"
// (ChangeNames: five, then how many more). With nothing in any list it
// says "not applied: none".
func (u Unfinished) String() string {
	var out []string
	if len(u.Perhaps) > 0 {
		out = append(out, PerhapsState+": "+ChangeNames(u.Perhaps))
	}
	if len(u.Unknown) > 0 {
		out = append(out, "perhaps applied, all or in part (re-run to finish): "+ChangeNames(u.Unknown))
	}
	for _, p := range u.Partly {
		state := "partly applied"
		if p.OrNone {
			state = "partly applied or not at all"
		}
		out = append(out, fmt.Sprintf("%s %s (%s)", p.Change, state, p.Detail))
	}
	if len(u.NotApplied) > 0 || len(out) == 0 {
		out = append(out, "not applied: "+ChangeNames(u.NotApplied))
	}
	return strings.Join(out, "; ")
}
