package cutover

import (
	"context"
	"errors"
	"testing"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// capsTTL is a registrar whose parent keeps the change under a TTL cap
// of its own (the parent registrar's answer on a BIND parent with
// max-zone-ttl, TestParentTTLCappedLab): the change is made, the answer
// is a *registrar.Kept.
type capsTTL struct {
	registrar.Registrar
	cap uint32
	// then, when not nil, fails the call after the capped change (the
	// parent registrar's sweep of glue no NS set names failing):
	// registrar.WithKept.
	then error
}

func (r capsTTL) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	if err := r.Registrar.SetDelegation(ctx, z, want); err != nil {
		return err
	}
	return registrar.WithKept(r.then, &registrar.Kept{Zone: z, Parent: "parent zone test.", Asked: []uint32{want.NSTTL}, NSTTL: r.cap, RRsets: []string{z + " NS"}})
}

// TestFlipParentCappedTTLLab: the registrar takes the flip and the
// parent keeps it under its TTL cap. On the code before, the flip
// stopped as a registrar failure (exit 2, "the registrar change
// failed") with the change made. Now it is done, with a warning naming
// the TTL the parent keeps, which the trail records as the parent's NS
// TTL.
func TestFlipParentCappedTTLLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c := l.mk()
	c.Registrar = capsTTL{Registrar: l.reg, cap: 3}
	rep := Flip(ctx, c, false, false)
	if rep.Result != ResultDone || rep.ExitCode() != 0 {
		t.Fatalf("flip under a parent's TTL cap: %s (exit %d) %v", rep.Result, rep.ExitCode(), rep.Errors)
	}
	if !has(rep.Warnings, "keeps it with TTL 3") {
		t.Errorf("warnings %q: want the TTL the parent keeps", rep.Warnings)
	}
	tr := readTrail(t, c.TrailPath)
	if e := tr.Entries[len(tr.Entries)-1]; e.ParentNSTTL != 3 {
		t.Errorf("trail: parent NS TTL %d, want the 3 the parent keeps", e.ParentNSTTL)
	}
}

// TestFlipCapThenFailureLab: the parent keeps the flip under its TTL cap,
// and then the same registrar call fails (the sweep of the glue no NS
// set names: the delegation is set, the glue left). On the code before,
// the parent registrar returned the failure alone and the cap was lost:
// the report said the registrar failed, never that resolvers cache the
// new delegation for the capped TTL. Now the failure is the step's error
// (exit 2) and the cap its warning, both in the report.
func TestFlipCapThenFailureLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c := l.mk()
	c.Registrar = capsTTL{Registrar: l.reg, cap: 3, then: errors.New("the delegation is set; removing the glue no NS set names any more: refused")}
	rep := Flip(ctx, c, false, false)
	if rep.Result != ResultError || rep.ExitCode() != 2 || !has(rep.Errors, "removing the glue") || has(rep.Errors, "keeps it with TTL") {
		t.Fatalf("flip under a cap, then a failure: %s (exit %d) %q: want exit 2 with the failure as its error", rep.Result, rep.ExitCode(), rep.Errors)
	}
	if !has(rep.Warnings, "keeps it with TTL 3") {
		t.Errorf("warnings %q: want the TTL the parent keeps beside the failure", rep.Warnings)
	}
}
