package cutover

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// HeldNote says what to do about the delegation of a configured child
// that a plan of the registrar's parent zone leaves as served while git's
// copy differs (plan.Held): measured against what the child's audit trail
// says the parent should serve (the delegation its last flip or rollback
// set), git is to be committed with it; with no flip yet, only a flip
// changes it. file is git's zone file of the parent zone.
func HeldNote(cfg *config.Config, file string, h plan.Held) (string, error) {
	e, note, err := heldAgainstTrail(cfg, file, h.Cut, h.Git)
	switch {
	case err != nil:
		return "", err
	case e == nil:
		return fmt.Sprintf("delegation of %s: no flip has run (audit trail), so a push does not change it: that would move resolvers without the cutover's gates; `dnsparity flip --zone %s` changes it", h.Cut, shell.Quote(h.Cut)), nil
	case note == "":
		return fmt.Sprintf("delegation of %s: git's copy is what %s set (audit trail), but the parent's provider serves something else: changed outside dnsparity; a push does not repair it (`dnsparity status --zone %s`)", h.Cut, moveStep(e), shell.Quote(h.Cut)), nil
	}
	return note, nil
}

// HeldInGit compares git's delegation of cut in the parent zone (sets:
// the parent's RRsets at and below the cut, as in file, git's zone file
// of the parent zone) with the one the child's last flip or rollback set
// (audit trail). differs is true, with note saying what the trail says
// and what to commit, when they are not the same NS, glue and DS; with no
// flip yet there is nothing to compare with (git's copy is then the
// delegation as it stands): "", false.
func HeldInGit(cfg *config.Config, file, cut string, sets []*zone.RRSet) (note string, differs bool, err error) {
	_, note, err = heldAgainstTrail(cfg, file, cut, sets)
	return note, note != "", err
}

// heldAgainstTrail is the trail's last move of cut (nil when none) and,
// when git's delegation (sets) is not what it set, what to commit.
func heldAgainstTrail(cfg *config.Config, file, cut string, sets []*zone.RRSet) (*Entry, string, error) {
	tr, err := ReadTrail(TrailPathFor(cfg, cut), cut)
	if err != nil {
		return nil, "", err
	}
	e := lastMove(tr)
	if e == nil {
		return nil, "", nil
	}
	want := *e.After
	want.Normalize()
	git := heldDelegation(cut, sets)
	if sameDelegation(cut, git, want) && slices.Equal(git.DS, want.DS) {
		return e, "", nil
	}
	what := describeDelegation(cut, want)
	if len(want.DS) > 0 {
		what += "; DS " + strings.Join(want.DS, ", ")
	}
	return e, fmt.Sprintf("delegation of %s: git's copy in %s is not what the parent serves since %s (audit trail: %s): commit that delegation to %s so that git says what is served",
		cut, file, moveStep(e), what, file), nil
}

// moveStep names a flip or rollback and when it changed the delegation.
func moveStep(e *Entry) string {
	return fmt.Sprintf("the %s of %s", e.Command, flipTime(e).UTC().Format(time.RFC3339))
}

// lastMove is the trail's last done flip or rollback that recorded the
// delegation it set (nil when none).
func lastMove(tr *Trail) *Entry {
	return tr.last(func(e *Entry) bool {
		return !e.DryRun && e.Result == ResultDone && (e.Command == "flip" || e.Command == "rollback") && e.After != nil
	})
}

// heldDelegation is the delegation of cut as RRsets at and below it hold it.
func heldDelegation(cut string, sets []*zone.RRSet) registrar.Delegation {
	var rrs []dns.RR
	for _, s := range sets {
		rrs = append(rrs, s.RRs()...)
	}
	z, err := zone.FromRRs(cut, rrs)
	if err != nil {
		return registrar.Delegation{}
	}
	return parent.FromZone(z, cut)
}
