package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/manual"
)

// personEntering is the person at the registrar's web form: the change is
// entered (published in the lab's parent) as soon as the instructions are
// printed, then the manual registrar verifies it.
type personEntering struct {
	enter registrar.Registrar
	*manual.Manual
}

func (p personEntering) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	if err := p.enter.SetDelegation(ctx, z, want); err != nil {
		return err
	}
	return p.Manual.SetDelegation(ctx, z, want)
}

// flip --emergency (the old provider down) through the manual registrar
// with one of the two parent servers down: the person enters the change,
// the parent server that answers serves it. The manual registrar returns
// (it waited its whole wait for the one down, then failed, exit 2 "the
// delegation may be unchanged": review 4), and the step records the flip
// (stage flipped) with the server down named as not confirming it: a
// re-run confirms it there (the change is not asked for again).
func TestEmergencyManualRegistrarParentServerDownLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	dead := silent(t)
	l.old.Stop()
	var out strings.Builder
	mk := func() *Config {
		c := l.mk()
		c.ParentServers = []string{l.parent.Addr, dead}
		c.Registrar = personEntering{enter: l.reg, Manual: &manual.Manual{Servers: c.ParentServers, Out: &out, Wait: 5 * time.Second, Poll: 100 * time.Millisecond, Timeout: 300 * time.Millisecond}}
		return c
	}
	rep := Flip(ctx, mk(), false, true)
	t.Logf("flip --emergency: %s exit %d errors %q actions %q", rep.Result, rep.ExitCode(), rep.Errors, rep.Actions)
	if nsAt(t, l) != "ns1.new.example.test." {
		t.Fatalf("parent serves %s: the change was not entered (gates: %+v)", nsAt(t, l), rep.Gates)
	}
	tr := readTrail(t, mk().TrailPath)
	if st, _ := tr.Stage(); st != StageFlipped {
		t.Errorf("stage %s after the change was entered and served, want %s", st, StageFlipped)
	}
	if rep.Change == nil || rep.Change.At.IsZero() || !has(rep.Errors, dead, "does not answer") {
		t.Errorf("flip --emergency: change %+v, errors %q: want the change recorded and %s named as not serving it", rep.Change, rep.Errors, dead)
	}
	if has(rep.Actions, "may be unchanged") || has(rep.Errors, "enter the change") {
		t.Errorf("flip --emergency tells the person the change may be unchanged or to enter it: errors %q actions %q", rep.Errors, rep.Actions)
	}
	if n := strings.Count(out.String(), "replace the nameservers"); n != 1 {
		t.Errorf("instructions printed %d times, want once", n)
	}
	re := Flip(ctx, mk(), false, true)
	t.Logf("re-run: %s exit %d errors %q actions %q", re.Result, re.ExitCode(), re.Errors, re.Actions)
	if !has(re.Actions, "not asked again") || strings.Count(out.String(), "replace the nameservers") != 1 {
		t.Errorf("re-run asked the person to enter the change again: actions %q", re.Actions)
	}
}
