package cutover

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// keptHostAddr is a registrar that takes the NS set it is given but keeps
// the address it holds for a nameserver host (a registry whose host
// object exists already: the domain is linked to it, its address left
// as it was): the glue it publishes is addr for every in-bailiwick name.
type keptHostAddr struct {
	registrar.Registrar
	addr string
}

func (r keptHostAddr) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	d := copyDelegation(want)
	for n := range d.Glue {
		d.Glue[n] = []string{r.addr}
	}
	return r.Registrar.SetDelegation(ctx, z, d)
}

// TestFlipRegistrarKeptHostAddressLab: the registrar accepts the flip and
// holds its NS set, but another address for the new side's in-bailiwick
// nameserver (the host's, kept). The read-back compared the NS set only,
// so the step waited out the confirmation and then said the change was
// made, recorded, and that running it again would confirm it once every
// parent server served it: none ever will, and resolvers follow the glue
// to a server the gates never asked. The read-back names the glue the
// registrar holds at once (exit 2), with the delegation to set by hand.
func TestFlipRegistrarKeptHostAddressLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	other := lab.Addr(t)
	c := l.mk()
	c.Registrar = keptHostAddr{Registrar: l.reg, addr: other}
	rep := Flip(ctx, c, false, false)
	t.Logf("flip: %s exit %d errors %q actions %q", rep.Result, rep.ExitCode(), rep.Errors, rep.Actions)
	if rep.ExitCode() != 2 {
		t.Fatalf("flip: %s exit %d, want 2", rep.Result, rep.ExitCode())
	}
	if !has(rep.Errors, "glue", other, l.newIP) {
		t.Errorf("errors %q do not name the glue the registrar holds (%s) and the one it was given (%s)", rep.Errors, other, l.newIP)
	}
	for _, a := range rep.Actions {
		if strings.Contains(a, "without asking the registrar again") {
			t.Errorf("action %q: a re-run cannot confirm glue the registrar does not hold", a)
		}
	}
}
