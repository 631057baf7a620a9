package provider

import (
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
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
	// PerhapsWhy says why the changes of Perhaps may have been applied
	// where PerhapsState's reason (an HTTP API's: its answer was lost, or
	// an earlier try's server error was applied) is not the one: an
	// rfc2136 UPDATE has no HTTP retry.
	PerhapsWhy string
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
// is empty: no change is left (Settle lists each one a failed push
// does not otherwise account for).
func (u Unfinished) String() string {
	var out []string
	if len(u.Perhaps) > 0 {
		state := PerhapsState
		if u.PerhapsWhy != "" {
			state = "perhaps applied (" + u.PerhapsWhy + "; a re-run converges)"
		}
		out = append(out, state+": "+ChangeNames(u.Perhaps))
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
	if len(u.NotApplied) > 0 {
		out = append(out, "not applied: "+ChangeNames(u.NotApplied))
	}
	return strings.Join(out, "; ")
}

// Settle is how a provider's Apply ends: for a failed push (err not nil)
// of the changes cs, it lists in res.Left as not applied each change
// neither res.Applied nor res.Left lists (the changes no request carried:
// the push stopped before their requests, at a zone lookup, a request
// that could not be made, or after earlier requests went through, which
// Applied lists), and words Left at the end of the error unless the
// error already says it (the providers that word their own: DNS Made
// Easy, ClouDNS, NS1, Cloudflare's deletes cut between calls). A provider
// must list in Left itself each change a request carried that failed.
func Settle(cs []Change, res Result, err error) (Result, error) {
	if err == nil {
		return res, nil
	}
	listed := map[zone.Key]bool{}
	for _, l := range [][]Change{res.Applied, res.Left.Perhaps, res.Left.Unknown, res.Left.NotApplied} {
		for _, c := range l {
			listed[c.Key()] = true
		}
	}
	for _, p := range res.Left.Partly {
		listed[p.Change.Key()] = true
	}
	for _, c := range cs {
		if !listed[c.Key()] {
			res.Left.NotApplied = append(res.Left.NotApplied, c)
		}
	}
	if left := res.Left.String(); left != "" && !strings.Contains(err.Error(), left) {
		if len(res.Applied) > 0 {
			left = fmt.Sprintf("applied: %s; %s", ChangeNames(res.Applied), left)
		}
		err = fmt.Errorf("%w; %s", err, left)
	}
	return res, err
}
