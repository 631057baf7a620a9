package cutover

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// A change someone else submitted at the registrar (the account's
// console, another checkout: here a key associated, ADD_DNSSEC) and the
// registry has not completed when a flip's gates pass: Route 53 Domains'
// SetDelegation waits for it (waitPending) before it replaces the
// nameservers, so the delegation the flip installs would carry a DS set
// its dnssec gate never judged (a key the new side does not serve:
// every answer bogus for validating resolvers). The re-check right
// before the registrar lists the operations not complete
// (registrar.PendingLister) and refuses (exit 1, parent-servers unmet,
// naming the operation), the registrar untouched. (Before: the flip
// waited for the operation, moved the nameservers and ended in an error
// only after the parent served the new side with that DS.)
func TestFlipRefusedWhileForeignRegistrarOperationPendingLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	api, reg := r53dLab(t, l)
	mk := func() *Config { c := l.mk(); c.Registrar = reg; return c }

	key := &dns.DNSKEY{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET}, Flags: 257, Protocol: 3, Algorithm: dns.ECDSAP256SHA256}
	if _, err := key.Generate(256); err != nil {
		t.Fatal(err)
	}
	api.PendingPolls = 1 << 30 // the registry works on it longer than this poll
	err := reg.SetDelegation(ctx, "example.test.", registrar.Delegation{NS: []string{"ns1.old.example.test."},
		Glue: map[string][]string{"ns1.old.example.test.": {l.oldIP}}, DS: []string{"257 3 13 " + key.PublicKey}})
	if err == nil {
		t.Fatal("the key's association completed; want it pending")
	}
	ops, err := reg.Pending(ctx, "example.test.")
	if err != nil || len(ops) != 1 || ops[0].Type != "ADD_DNSSEC" {
		t.Fatalf("pending operations %v %v, want one ADD_DNSSEC", ops, err)
	}
	api.PendingPolls = 0 // the registry completes it at its next poll

	flip := Flip(ctx, mk(), false, false)
	t.Logf("flip: %s exit %d errors %q actions %q", flip.Result, flip.ExitCode(), flip.Errors, flip.Actions)
	if flip.Result != ResultRefused || flip.ExitCode() != 1 {
		t.Errorf("flip while another change is pending at the registrar: %s exit %d, want refused (exit 1)", flip.Result, flip.ExitCode())
	}
	if g := gateNamed(flip, GateParentServers); g == nil || g.OK || !has([]string{g.Detail}, ops[0].ID, "ADD_DNSSEC") {
		t.Errorf("parent-servers gate %+v: want unmet, naming operation %s (ADD_DNSSEC)", g, ops[0].ID)
	}
	if n := api.Count("UpdateDomainNameservers"); n != 0 {
		t.Errorf("UpdateDomainNameservers called %d times, want none", n)
	}
	if got := nsAt(t, l); got != "ns1.old.example.test." {
		t.Errorf("parent NS %s after the refused flip, want the old side", got)
	}
}

// A flip while the domain is being deleted or transferred away from the
// registrar's account (an operation DELETE_DOMAIN or TRANSFER_OUT_DOMAIN
// pending at Route 53 Domains): refused (exit 1, parent-servers unmet,
// naming the operation), the registrar untouched. Before, Pending listed
// only nameserver and DNSSEC operations: the flip's gates passed and the
// nameservers were updated on a domain about to go (UpdateDomainNameservers
// sent; error, exit 2, only because the fake never completes it).
func TestFlipRefusedWhileDomainLeavingLab(t *testing.T) {
	for _, typ := range []string{"DELETE_DOMAIN", "TRANSFER_OUT_DOMAIN"} {
		t.Run(typ, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			api, reg := r53dLab(t, l)
			c := l.mk()
			c.Registrar = reg
			api.PendingPolls = 1 << 30
			id := api.Leave("example.test", typ)
			flip := Flip(ctx, c, false, false)
			t.Logf("flip: %s exit %d errors %q actions %q", flip.Result, flip.ExitCode(), flip.Errors, flip.Actions)
			if flip.Result != ResultRefused || flip.ExitCode() != 1 {
				t.Errorf("flip while %s is pending: %s exit %d, want refused (exit 1)", typ, flip.Result, flip.ExitCode())
			}
			if g := gateNamed(flip, GateParentServers); g == nil || g.OK || !has([]string{g.Detail}, id, typ) {
				t.Errorf("parent-servers gate %+v: want unmet, naming operation %s (%s)", g, id, typ)
			} else if plan := strings.Join(g.Plan, "; "); !strings.Contains(plan, "cancel the operation") || strings.Contains(plan, "wait until the registrar completes") {
				// Waiting for the domain to leave helps nothing.
				t.Errorf("parent-servers plan %q: want it to say to cancel the operation, not to wait for it", plan)
			}
			if n := api.Count("UpdateDomainNameservers"); n != 0 {
				t.Errorf("UpdateDomainNameservers called %d times, want none", n)
			}
		})
	}
}

// The exemption: a flip whose own UpdateDomainNameservers operation is
// still IN_PROGRESS when its poll ends (exit 2) is run again; the
// operation is the kind a flip submits and the trail's newest run is
// that flip's registrar error, so the re-run is not refused: the
// registrar waits for it and the flip converges (done, one nameserver
// update in all).
func TestFlipRerunWaitsForItsOwnRegistrarOperationLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	api, reg := r53dLab(t, l)
	mk := func() *Config { c := l.mk(); c.Registrar = reg; return c }

	api.PendingPolls = 1 << 30
	if flip := Flip(ctx, mk(), false, false); flip.Result != ResultError {
		t.Fatalf("flip: %s %v, want error (operation pending)", flip.Result, flip.Errors)
	}
	api.PendingPolls = 0
	again := Flip(ctx, mk(), false, false)
	t.Logf("flip again: %s exit %d errors %q actions %q", again.Result, again.ExitCode(), again.Errors, again.Actions)
	if again.Result != ResultDone {
		t.Errorf("flip run again while its own operation is pending: %s, want done", again.Result)
	}
	if n := api.Count("UpdateDomainNameservers"); n != 1 {
		t.Errorf("UpdateDomainNameservers %d times, want 1 (the first run's)", n)
	}
	if got := nsAt(t, l); got != "ns1.new.example.test." {
		t.Errorf("parent NS %s, want the new side", got)
	}
}

// A rollback whose UpdateDomainNameservers operation is still
// IN_PROGRESS when its poll ends (exit 2) leaves the parent serving the
// new side until the registry completes it; finish, run meanwhile, found
// every gate met (the parent delegates to the new side, the overlap
// passed) and called the old provider safe to decommission, after which
// the registry moved the delegation to it. finish asks the registrar for
// its changes not complete yet (registrar.PendingLister) and refuses
// (exit 1) naming the operation; so it does after a flip or rollback run
// that ended in a registrar error when the registrar cannot list them.
func TestFinishRefusedWhileRegistrarOperationPendingLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	api, reg := r53dLab(t, l)
	mk := func() *Config { c := l.mk(); c.Registrar = reg; c.Overlap = time.Second; return c }

	api.PendingPolls = 0
	flip := Flip(ctx, mk(), false, false)
	if flip.Result != ResultDone {
		t.Fatalf("flip: %s %v", flip.Result, flip.Errors)
	}
	api.PendingPolls = 1 << 30
	if rb := Rollback(ctx, mk(), false, false); rb.Result != ResultError {
		t.Fatalf("rollback: %s %v, want error (operation pending)", rb.Result, rb.Errors)
	}
	// The old side's apex NS names the new servers (as after a push of
	// git's), so that the overlap holds nothing.
	setRRs(t, &mk().Old, "example.test. 60 IN NS ns1.new.example.test.")
	ops, err := reg.Pending(ctx, "example.test.")
	if err != nil || len(ops) != 1 {
		t.Fatalf("pending operations %v %v, want the rollback's", ops, err)
	}
	at := func(after time.Duration) *Config {
		c := mk()
		c.Now = func() time.Time { return flip.Change.At.Add(after) }
		return c
	}
	Status(ctx, at(20*time.Minute)) // sees the old side's apex NS naming no old server
	fin := Finish(ctx, at(25*time.Minute))
	t.Logf("finish: %s exit %d errors %q gates %+v", fin.Result, fin.ExitCode(), fin.Errors, fin.Gates)
	if fin.Result != ResultRefused || fin.ExitCode() != 1 {
		t.Errorf("finish while the rollback's operation is pending: %s exit %d, want refused (exit 1)", fin.Result, fin.ExitCode())
	}
	if !has(append(fin.Errors, gateDetails(fin)...), ops[0].ID, "UPDATE_NAMESERVER") {
		t.Errorf("finish does not name operation %s: errors %q", ops[0].ID, fin.Errors)
	}
}

// gateDetails are the details of rep's gates.
func gateDetails(rep *Report) []string {
	var out []string
	for _, g := range rep.Gates {
		out = append(out, g.Detail)
	}
	return out
}

// A flip --dry-run says what the registrar would refuse up front, as the
// flip itself runs into it: a domain on hold (clientHold: the registry
// publishes no delegation for it) or being deleted (redemptionPeriod: an
// expired domain, no pending operation of this account's to list), and
// a DS Route 53 Domains cannot take (no DNSKEY to associate). The dry
// run asks the registrar's Plan, as it asks the parent registrar's;
// before, Route 53 Domains had none: every gate passed, the dry run said
// "dry run: every gate passes" (exit 0), and the flip then refused at
// SetDelegation. Nothing is sent either way.
func TestFlipDryRunSaysRegistrarRefusalLab(t *testing.T) {
	for _, tc := range []struct {
		name, status, want string
		ds                 []string
	}{
		{name: "clientHold", status: "clientHold https://icann.org/epp#clientHold", want: "clientHold"},
		{name: "redemptionPeriod", status: "redemptionPeriod", want: "redemptionPeriod"},
		{name: "DS without its key", ds: []string{"12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"}, want: "Route 53 Domains takes the DNSKEY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := newReviewLab(t, 5)
			ctx := context.Background()
			api, reg := r53dLab(t, l)
			c := l.mk()
			c.Registrar = reg
			if tc.status != "" {
				api.SetStatus("example.test", tc.status)
			}
			send := registrar.Delegation{NS: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {l.newIP}}, DS: tc.ds}
			if tc.ds == nil {
				dry := Flip(ctx, c, true, false)
				t.Logf("flip --dry-run: %s exit %d errors %q actions %q", dry.Result, dry.ExitCode(), dry.Errors, dry.Actions)
				if dry.Result == ResultDryRun || dry.ExitCode() == 0 || !has(dry.Errors, tc.want) {
					t.Errorf("flip --dry-run on a domain of status %s: %s exit %d %q, want the registrar's refusal naming it", tc.status, dry.Result, dry.ExitCode(), dry.Errors)
				}
			}
			// The change the dry run asks about, DS included (the lab's
			// zone is unsigned: the flip sends none).
			if pl, ok := any(reg).(registrar.Planner); !ok {
				t.Error("route53domains.Registrar has no Plan: a dry run cannot ask it what it would refuse")
			} else if err := pl.Plan(ctx, "example.test.", send); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Plan: %v, want a refusal naming %q", err, tc.want)
			}
			for _, op := range []string{"UpdateDomainNameservers", "AssociateDelegationSignerToDomain", "DisassociateDelegationSignerFromDomain"} {
				if n := api.Count(op); n != 0 {
					t.Errorf("%s sent %d times by a dry run", op, n)
				}
			}
		})
	}
}
