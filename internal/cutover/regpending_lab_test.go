package cutover

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains/r53dtest"
)

// r53dLab is reviewLab's parent behind the Route 53 Domains fake: what
// the registry completes is published in the lab's parent zone.
func r53dLab(t *testing.T, l *reviewLab) (*r53dtest.Server, *route53domains.Registrar) {
	t.Helper()
	api, r := r53dFake(t, time.Millisecond, 300*time.Millisecond)
	return r53dPublishing(t, l, api, r)
}

// r53dLabTLS is r53dLab over HTTPS (r53dFakeTLS).
func r53dLabTLS(t *testing.T, l *reviewLab) (*r53dtest.Server, *route53domains.Registrar) {
	t.Helper()
	api, r := r53dFakeTLS(t, time.Millisecond, 300*time.Millisecond)
	return r53dPublishing(t, l, api, r)
}

// r53dPublishing is api publishing to the lab's parent what it holds.
func r53dPublishing(t *testing.T, l *reviewLab, api *r53dtest.Server, r *route53domains.Registrar) (*r53dtest.Server, *route53domains.Registrar) {
	t.Helper()
	ctx := context.Background()
	api.AddDomainNS("example.test", r53dtest.Nameserver{Name: "ns1.old.example.test", GlueIps: []string{l.oldIP}})
	api.OnPublish = func(domain string, ns []r53dtest.Nameserver, keys []r53dtest.Key) {
		d := registrar.Delegation{Glue: map[string][]string{}, DS: []string{}}
		for _, n := range ns {
			name := dns.Fqdn(n.Name)
			d.NS = append(d.NS, name)
			if len(n.GlueIps) > 0 {
				d.Glue[name] = n.GlueIps
			}
		}
		for _, k := range keys {
			d.DS = append(d.DS, fmt.Sprintf("%d %d %d %s", k.KeyTag, k.Algorithm, k.DigestType, k.Digest))
		}
		if err := l.reg.SetDelegation(ctx, "example.test.", d); err != nil {
			t.Errorf("registry publishing: %v", err)
		}
	}
	return api, r
}

// A flip whose UpdateDomainNameservers operation is still IN_PROGRESS
// when its poll ends (exit 2) is followed by a rollback: the parent's
// servers still serve the old delegation, but the registry will complete
// the flip. The rollback asks the registrar (ListOperations) before it
// says nothing-to-do: refused (exit 1), naming the operation, its type
// and submitted time, and what to do; status names it too. Once the
// registry completed it, the rollback run again restores the old side.
// (Review 4: the rollback said "nothing to roll back", exit 0.)
func TestRollbackRefusedWhileRegistrarOperationPendingLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	api, reg := r53dLab(t, l)
	mk := func() *Config { c := l.mk(); c.Registrar = reg; return c }

	api.PendingPolls = 1 << 30 // the registry works on it longer than the poll
	flip := Flip(ctx, mk(), false, false)
	if flip.Result != ResultError {
		t.Fatalf("flip: %s %v, want error (operation pending)", flip.Result, flip.Errors)
	}
	ops, err := reg.Pending(ctx, "example.test.")
	if err != nil || len(ops) != 1 {
		t.Fatalf("pending operations %v %v, want the flip's", ops, err)
	}
	op := ops[0]
	rb := Rollback(ctx, mk(), false, false)
	t.Logf("rollback: %s exit %d errors %q actions %q", rb.Result, rb.ExitCode(), rb.Errors, rb.Actions)
	if rb.ExitCode() != 1 || rb.Result != ResultRefused {
		t.Fatalf("rollback while the flip's operation is pending: %s exit %d, want refused (exit 1)", rb.Result, rb.ExitCode())
	}
	if !has(rb.Errors, op.ID, "UPDATE_NAMESERVER", op.Submitted.UTC().Format(time.RFC3339)) {
		t.Errorf("rollback's errors %q do not name operation %s, its type and submitted time", rb.Errors, op.ID)
	}
	if !has(rb.Actions, "wait", "dnsparity rollback", "again") {
		t.Errorf("rollback's actions %q do not say to wait and run it again", rb.Actions)
	}
	sc := mk()
	st := Status(ctx, sc)
	if !has(st.Warnings, op.ID, "UPDATE_NAMESERVER") {
		t.Errorf("status warnings %q do not name the pending operation %s", st.Warnings, op.ID)
	}

	// The registry completes the flip (as it will on its own): the
	// delegation moves to the new side.
	api.PendingPolls = 0
	if err := reg.SetDelegation(ctx, "example.test.", registrar.Delegation{NS: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}}}); err != nil {
		t.Fatal(err)
	}
	if n := api.Count("UpdateDomainNameservers"); n != 1 {
		t.Fatalf("UpdateDomainNameservers %d times, want 1 (only the flip's)", n)
	}
	if got := nsAt(t, l); got != "ns1.new.example.test." {
		t.Fatalf("parent NS %s after the registry completed the flip", got)
	}
	again := Rollback(ctx, mk(), false, false)
	t.Logf("rollback again: %s exit %d errors %q actions %q", again.Result, again.ExitCode(), again.Errors, again.Actions)
	if again.Result != ResultDone || nsAt(t, l) != "ns1.old.example.test." {
		t.Errorf("rollback after the operation completed: %s, parent NS %s; want done and the old side", again.Result, nsAt(t, l))
	}
}

// failingRegistrar's SetDelegation fails without a change it accepted.
type failingRegistrar struct{ registrar.Registrar }

func (failingRegistrar) SetDelegation(context.Context, string, registrar.Delegation) error {
	return fmt.Errorf("the registrar timed out (the change may still be made)")
}

// A registrar that cannot list its pending changes (parent, manual): a
// rollback that finds nothing to do after a flip that ended in a registrar
// error does not say nothing-to-do: it is refused, naming that error and
// what to check; run again (the refusal now the trail's newest run), it
// reports nothing-to-do.
func TestNothingToDoAfterRegistrarErrorWithoutPendingListLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	c := l.mk()
	c.Registrar = failingRegistrar{l.reg}
	if flip := Flip(ctx, c, false, false); flip.Result != ResultError {
		t.Fatalf("flip: %s %v, want a registrar error", flip.Result, flip.Errors)
	}
	st := Status(ctx, l.mk())
	if !has(st.Warnings, "registrar error", "timed out") {
		t.Errorf("status warnings %q do not name the flip's registrar error", st.Warnings)
	}
	rb := Rollback(ctx, l.mk(), false, false)
	if rb.Result != ResultRefused || !has(rb.Errors, "registrar error", "timed out") || !has(rb.Actions, "check at the registrar", "again") {
		t.Fatalf("rollback after the flip's registrar error: %s errors %q actions %q; want refused naming it", rb.Result, rb.Errors, rb.Actions)
	}
	if again := Rollback(ctx, l.mk(), false, false); again.Result != ResultNothing {
		t.Errorf("rollback run again after the check: %s %q, want nothing-to-do", again.Result, again.Errors)
	}
}

// The mirror: a rollback whose operation is still IN_PROGRESS when its
// poll ends (exit 2) is followed by a flip, which finds the parent still
// delegating to the new side; the registrar will complete the rollback,
// so the flip does not say nothing-to-do: refused (exit 1), naming the
// operation.
func TestFlipRefusedWhileRegistrarOperationPendingLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	api, reg := r53dLab(t, l)
	mk := func() *Config { c := l.mk(); c.Registrar = reg; return c }

	api.PendingPolls = 0
	if flip := Flip(ctx, mk(), false, false); flip.Result != ResultDone {
		t.Fatalf("flip: %s %v, want done", flip.Result, flip.Errors)
	}
	api.PendingPolls = 1 << 30
	if rb := Rollback(ctx, mk(), false, false); rb.Result != ResultError {
		t.Fatalf("rollback: %s %v, want error (operation pending)", rb.Result, rb.Errors)
	}
	ops, err := reg.Pending(ctx, "example.test.")
	if err != nil || len(ops) != 1 {
		t.Fatalf("pending operations %v %v, want the rollback's", ops, err)
	}
	if got := nsAt(t, l); got != "ns1.new.example.test." {
		t.Fatalf("parent NS %s while the rollback's operation is pending, want the new side still", got)
	}
	flip := Flip(ctx, mk(), false, false)
	t.Logf("flip: %s exit %d errors %q actions %q", flip.Result, flip.ExitCode(), flip.Errors, flip.Actions)
	if flip.ExitCode() != 1 || flip.Result != ResultRefused || !has(flip.Errors, ops[0].ID, "UPDATE_NAMESERVER") {
		t.Errorf("flip while the rollback's operation is pending: %s exit %d %q, want refused (exit 1) naming operation %s", flip.Result, flip.ExitCode(), flip.Errors, ops[0].ID)
	}
}

// TestFlipClockAheadOfRegistrarLab: a runner whose clock is 8 days fast
// flips. The trail and every wait count by that clock: on the code
// before the flip was made and recorded 8 days ahead, so that finish
// could pass at once and every later step on a correct clock refused to
// run. The flip asks the registrar's HTTPS API anyway (Route 53 Domains
// fake: its answers carry Date, as net/http's server sets it and AWS's
// do): a clock more than TrailClockSkew off every server's stops it
// before the change (exit 2), nothing recorded; on the right clock, or
// one within TrailClockSkew, the flip is made.
func TestFlipClockAheadOfRegistrarLab(t *testing.T) {
	ctx := context.Background()
	l, api, mk := clockLab(t)
	c := mk(8 * 24 * time.Hour)
	entries := len(readTrail(t, c.TrailPath).Entries)
	rep := Flip(ctx, c, false, false)
	if rep.ExitCode() != 2 || !has(rep.Errors, "differs by more than", "the HTTPS servers it asked", api.URL[len("https://"):]) {
		t.Errorf("flip on a clock 8 days fast: %s (exit %d), errors %q; want exit 2 naming the registrar's Date", rep.Result, rep.ExitCode(), rep.Errors)
	}
	if ns := nsAt(t, l); ns != "ns1.old.example.test." {
		t.Errorf("the parent after the flip on a clock 8 days fast: %s", ns)
	}
	if n := len(readTrail(t, c.TrailPath).Entries); n != entries {
		t.Errorf("the refused flip recorded %d entries, dated by the wrong clock", n-entries)
	}
	if rep := Flip(ctx, mk(0), true, false); rep.Result != ResultDryRun {
		t.Fatalf("flip --dry-run on the right clock: %s (exit %d), errors %q", rep.Result, rep.ExitCode(), rep.Errors)
	}
	// Four minutes off is within TrailClockSkew.
	if rep := Flip(ctx, mk(4*time.Minute), false, false); rep.Result != ResultDone {
		t.Fatalf("flip on a clock 4 minutes fast: %s (exit %d), errors %q, gates %+v", rep.Result, rep.ExitCode(), rep.Errors, rep.Gates)
	}
	if ns := nsAt(t, l); ns != "ns1.new.example.test." {
		t.Errorf("the parent after the flip: %s", ns)
	}
}

// TestStepOnFastClockRecordsNothingLab: a runner whose clock is 8 days
// fast runs steps that are refused or fail before any registrar change
// (a flip whose new side is down; a finish before any flip), each asking
// the registrar's HTTPS API (Route 53 Domains fake, its answers dated by
// net/http's server). On the code before, the clock was judged only right
// before the registrar change or finish's own record: these steps
// recorded an entry dated 8 days ahead, and every step on a correct clock
// was refused after it (trailClock) for days. Now nothing is recorded
// and the error names the servers' Date; an emergency step records.
func TestStepOnFastClockRecordsNothingLab(t *testing.T) {
	ctx := context.Background()
	l, api, mk := clockLab(t)
	fast := func() *Config { return mk(8 * 24 * time.Hour) }
	l.nw.Stop()
	for _, tc := range []struct {
		name string
		step func(c *Config) *Report
	}{
		{name: "flip refused (new side down)", step: func(c *Config) *Report { return Flip(ctx, c, false, false) }},
		{name: "finish before any flip", step: func(c *Config) *Report { return Finish(ctx, c) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := fast()
			before := len(readTrail(t, c.TrailPath).Entries)
			rep := tc.step(c)
			if rep.Result == ResultDone || !has(rep.Errors, "differs by more than", api.URL[len("https://"):]) {
				t.Errorf("%s on a clock 8 days fast: %s, errors %q; want the servers' Date named", tc.name, rep.Result, rep.Errors)
			}
			if tr := readTrail(t, c.TrailPath); len(tr.Entries) != before {
				t.Errorf("%s on a clock 8 days fast recorded %d entries, the last dated %s", tc.name, len(tr.Entries)-before, tr.Entries[len(tr.Entries)-1].Time.Format(time.RFC3339))
			}
		})
	}
}

// clockLab is the review lab with a Route 53 Domains registrar over HTTPS
// (r53dLabTLS) and mk, a step's Config on a clock ahead of real time by
// ahead.
func clockLab(t *testing.T) (*reviewLab, *r53dtest.Server, func(ahead time.Duration) *Config) {
	l := newReviewLab(t, 5)
	api, reg := r53dLabTLS(t, l)
	return l, api, func(ahead time.Duration) *Config {
		c := l.mk()
		c.Registrar = reg
		c.Now = func() time.Time { return time.Now().Add(ahead) }
		return c
	}
}
