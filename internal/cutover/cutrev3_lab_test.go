package cutover

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// laterRegistrar is a registrar whose registry publishes a change later:
// SetDelegation is accepted (and counted) and held, the parent's servers
// get it only when publish is called.
type laterRegistrar struct {
	registrar.Registrar
	n    *atomic.Int32
	mu   sync.Mutex
	held *registrar.Delegation
}

func (r *laterRegistrar) SetDelegation(_ context.Context, _ string, want registrar.Delegation) error {
	r.n.Add(1)
	r.mu.Lock()
	defer r.mu.Unlock()
	d := copyDelegation(want)
	r.held = &d
	return nil
}

func (r *laterRegistrar) Delegation(ctx context.Context, z string) (registrar.Delegation, error) {
	r.mu.Lock()
	held := r.held
	r.mu.Unlock()
	if held != nil {
		return copyDelegation(*held), nil
	}
	return r.Registrar.Delegation(ctx, z)
}

// publish hands the held change to the parent's servers.
func (r *laterRegistrar) publish(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	held := r.held
	r.mu.Unlock()
	if err := r.Registrar.SetDelegation(context.Background(), "example.test.", *held); err != nil {
		t.Fatal(err)
	}
}

// A planned flip whose registrar change is not yet served by every parent
// server (a registry publishing later, a parent server that missed it) is
// made and recorded unconfirmed (exit 2). Run again, it must converge as
// rollback and flip --emergency do: no second registrar call, no gate, the
// change confirmed at every parent server, exit 2 while one does not
// serve it, exit 0 once all do, with the trail saying the parent now
// delegates to the new side. On the code before, a re-run while no parent
// server served the change yet ran every gate again and asked the
// registrar a second time; one while a parent server still served the old
// delegation could not run ("the parent's servers disagree", telling to
// run status), and once they all served it said "nothing to flip" and
// recorded nothing, the trail's delegated_to still naming both sides.
func TestFlipUnconfirmedReRunLab(t *testing.T) {
	lastEntry := func(t *testing.T, l *reviewLab) Entry {
		t.Helper()
		tr, err := ReadTrail(l.mk().TrailPath, "example.test.")
		if err != nil {
			t.Fatal(err)
		}
		return tr.Entries[len(tr.Entries)-1]
	}
	ctx := context.Background()

	t.Run("a registry publishing later", func(t *testing.T) {
		l := newReviewLab(t, 5)
		var calls atomic.Int32
		reg := &laterRegistrar{Registrar: l.reg, n: &calls}
		mk := func() *Config {
			c := l.mk()
			c.Registrar = reg
			return c
		}
		rep := Flip(ctx, mk(), false, false)
		t.Logf("flip: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed || calls.Load() != 1 {
			t.Fatalf("flip whose change is not published: %s (exit %d), %d registrar calls", rep.Result, rep.ExitCode(), calls.Load())
		}
		if !has(rep.Actions, "run `dnsparity flip` again", "without") {
			t.Errorf("the actions do not say that a re-run confirms the change: %q", rep.Actions)
		}
		st := Status(ctx, mk())
		if has(st.Errors, "find out who changed the delegation") || !has(st.Errors, "flip", "not yet served", l.parent.Addr) {
			t.Errorf("status while the flip's change is not published yet: %q", st.Errors)
		}
		rep = Flip(ctx, mk(), false, false)
		t.Logf("re-run, not published: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || calls.Load() != 1 || len(rep.Gates) != 0 || !has(rep.Errors, l.parent.Addr, "ns1.old.example.test.") || !has(rep.Actions, "not asked again") {
			t.Fatalf("re-run while no parent server serves the change: %s (exit %d), %d registrar calls, %d gates, errors %q: want exit 2 naming the server, no gate, no second call", rep.Result, rep.ExitCode(), calls.Load(), len(rep.Gates), rep.Errors)
		}
		reg.publish(t)
		rep = Flip(ctx, mk(), false, false)
		t.Logf("re-run, published: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 0 || calls.Load() != 1 || !has(rep.Actions, "confirmed at every parent server") {
			t.Errorf("re-run once the change is published: %s (exit %d), %d registrar calls, actions %q", rep.Result, rep.ExitCode(), calls.Load(), rep.Actions)
		}
		if e := lastEntry(t, l); strings.Join(e.DelegatedTo, " ") != "new" {
			t.Errorf("trail after the confirmation: %s %s delegated_to %v, want new", e.Command, e.Result, e.DelegatedTo)
		}
	})

	t.Run("a parent server that missed the change", func(t *testing.T) {
		l := newReviewLab(t, 5)
		ip := lab.Addr(t)
		stale := lab.BIND(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", l.oldIP)}}})
		var calls atomic.Int32
		mk := func() *Config {
			c := l.mk()
			c.ParentServers = []string{l.parent.Addr, stale.Addr}
			c.Registrar = countingRegistrar{l.reg, &calls}
			return c
		}
		rep := Flip(ctx, mk(), false, false)
		t.Logf("flip: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || rep.Change == nil || rep.Change.Confirmed || calls.Load() != 1 || nsAt(t, l) != "ns1.new.example.test." {
			t.Fatalf("flip with a parent server that misses the change: %s (exit %d), %d registrar calls", rep.Result, rep.ExitCode(), calls.Load())
		}
		rep = Flip(ctx, mk(), false, false)
		t.Logf("re-run, stale: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || calls.Load() != 1 || has(rep.Errors, "disagree") || !has(rep.Errors, stale.Addr, "ns1.old.example.test.") || !has(rep.Actions, "not asked again") {
			t.Errorf("re-run while a parent server still serves the old delegation: %s (exit %d), %d registrar calls, errors %q, actions %q: want exit 2 naming it, the change confirmed, no second call", rep.Result, rep.ExitCode(), calls.Load(), rep.Errors, rep.Actions)
		}
		stale.Stop()
		lab.BIND(t, lab.Options{IP: ip, Zones: []lab.Zone{{Origin: "test.", Text: fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 2 60 60 60 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.new.example\nns1.new.example 5 A %s\n", l.newIP)}}})
		rep = Flip(ctx, mk(), false, false)
		t.Logf("re-run, caught up: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 0 || calls.Load() != 1 || !has(rep.Actions, "confirmed at every parent server") {
			t.Errorf("re-run once every parent server serves the change: %s (exit %d), %d registrar calls, actions %q", rep.Result, rep.ExitCode(), calls.Load(), rep.Actions)
		}
		if e := lastEntry(t, l); strings.Join(e.DelegatedTo, " ") != "new" {
			t.Errorf("trail after the confirmation: %s %s delegated_to %v, want new", e.Command, e.Result, e.DelegatedTo)
		}
		if st := Status(ctx, mk()); len(st.Errors) > 0 {
			t.Errorf("status once confirmed: %q", st.Errors)
		}
	})
}

// The flip's confirmation asked only cutover.parent_servers, while
// resolvers ask every server of the parent zone's own NS set. A parent
// server the config leaves out (parent-unlisted passed it: it served the
// same delegation before the flip) that does not take the change keeps
// sending the resolvers that ask it to the old side; the flip said
// "confirmed at every parent server" and recorded delegated_to new. Now
// the confirmation polls every address of the parent zone's NS set that
// serves the parent zone: such a flip is unconfirmed (exit 2, the server
// named, delegated_to both sides), and a re-run confirms it once the
// server serves it; an address that does not answer is named in a
// warning as one the confirmation cannot see. On the code before, the
// flip was done and confirmed.
func TestFlipConfirmsUnlistedParentServerLab(t *testing.T) {
	ctx := context.Background()
	t.Run("an unlisted parent server that does not take the change", func(t *testing.T) {
		l := newReviewLab(t, 5)
		tp := newTwoParents(t, l)
		lag := lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.oldText}}})
		rep := Flip(ctx, tp.mk(), false, false)
		t.Logf("flip: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 2 || rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed || !has(rep.Errors, lag.Addr, "ns1.old.example.test.") {
			t.Fatalf("flip while an unlisted parent server keeps the old delegation: %s (exit %d), errors %q: want the change made, unconfirmed, naming %s", rep.Result, rep.ExitCode(), rep.Errors, lag.Addr)
		}
		tr, _ := ReadTrail(tp.mk().TrailPath, "example.test.")
		if e := tr.Entries[len(tr.Entries)-1]; strings.Join(e.DelegatedTo, " ") != "old new" {
			t.Errorf("the flip's entry: delegated_to %v, want old new", e.DelegatedTo)
		}
		lag.Stop()
		lab.BIND(t, lab.Options{IP: tp.ip2, Zones: []lab.Zone{{Origin: "test.", Text: tp.head + fmt.Sprintf("example 5 NS ns1.new.example\nns1.new.example 5 A %s\n", l.newIP)}}})
		rep = Flip(ctx, tp.mk(), false, false)
		t.Logf("re-run: %s %v %v", rep.Result, rep.Errors, rep.Actions)
		if rep.ExitCode() != 0 || !has(rep.Actions, "confirmed at every parent server", lag.Addr) {
			t.Errorf("re-run once the unlisted server serves the change: %s (exit %d) %q %q", rep.Result, rep.ExitCode(), rep.Errors, rep.Actions)
		}
	})
	t.Run("an unlisted address that does not answer", func(t *testing.T) {
		l := newReviewLab(t, 5)
		tp := newTwoParents(t, l) // nothing listens on ip2
		rep := Flip(ctx, tp.mk(), false, false)
		t.Logf("flip: %s %v %v", rep.Result, rep.Errors, rep.Warnings)
		if rep.Result != ResultDone || !has(rep.Warnings, "confirmed at", tp.ip2, "not at") {
			t.Errorf("flip with an unlisted parent address that does not answer: %s %q, warnings %q: want done, the address named as not seen by the confirmation", rep.Result, rep.Errors, rep.Warnings)
		}
	})
}

// keepsOne is a registrar whose registry silently keeps only the first
// NS name of a delegation it is given (a limit on NS records, a host
// object it does not know), with that name's glue.
type keepsOne struct{ registrar.Registrar }

func (r keepsOne) SetDelegation(ctx context.Context, z string, want registrar.Delegation) error {
	d := copyDelegation(want)
	d.NS = d.NS[:1]
	for n := range d.Glue {
		if n != d.NS[0] {
			delete(d.Glue, n)
		}
	}
	return r.Registrar.SetDelegation(ctx, z, d)
}

// A registrar that accepts a delegation and silently keeps another (the
// new side's two NS names, one kept): the parent will never serve what
// the step set, so the step says at once what the registrar holds and
// what it dropped, and does not tell to re-run for a confirmation that
// cannot come. On the code before, it waited out the confirmation window
// and said a re-run would confirm the change "without asking the
// registrar again"; the re-run was then refused (points-to-old), the
// parent serving a delegation no step had set.
func TestFlipRegistrarKeepsLessLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	key := &lab.TSIGKey{Name: "k.", Secret: "Y3V0cmV2My1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 60 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS ns1.old.example\nns1.old.example 5 A %s\n", oldIP)
	sideZone := func(side string) string {
		apex := "@ NS ns1.old\n"
		if side == "new" {
			apex = "@ NS ns1.new\n@ NS ns2.new\n"
		}
		return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.%s h.example.test. 1 60 60 60 60\n%sns1.old A %s\nns1.new A %s\nns2.new A %s\nwww A 192.0.2.80\n", side, apex, oldIP, newIP, newIP)
	}
	p := lab.BIND(t, lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: "example.test.", Text: sideZone("old")}}})
	nw := lab.Knot(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: sideZone("new")}}})
	z, err := zone.Parse(strings.NewReader(sideZone("new")), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	c := signedConfig(t, z, map[string]string{"old": oldIP, "new": newIP}, old, nw, p, prestagedTrail(t, 60), 60)
	c.New.Delegation = []string{"ns1.new.example.test.", "ns2.new.example.test."}
	c.New.Glue = map[string][]string{"ns1.new.example.test.": {newIP}, "ns2.new.example.test.": {newIP}}
	c.ParentZone, c.Registrar = "test.", keepsOne{&parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}}
	c.Watch, c.Confirm, c.Log = time.Second, 3*time.Second, io.Discard
	c.Delegation.Accept = append(c.Delegation.Accept, delegation.CheckNSDiversity)
	rep := Flip(context.Background(), c, false, false)
	t.Logf("flip: %s %v %v %v", rep.Result, rep.Errors, rep.Actions, rep.Warnings)
	if rep.ExitCode() != 2 || rep.Change == nil || rep.Change.At.IsZero() || rep.Change.Confirmed {
		t.Fatalf("flip through a registrar that keeps one NS name of two: %s (exit %d), gates %+v", rep.Result, rep.ExitCode(), rep.Gates)
	}
	if !has(rep.Errors, "changed the delegation it was given", "ns2.new.example.test.") {
		t.Errorf("the errors do not say the registrar holds another delegation, naming the NS name it dropped: %q", rep.Errors)
	}
	if has(rep.Actions, "again") && has(rep.Actions, "without asking the registrar again") {
		t.Errorf("the actions promise a confirmation by a re-run that cannot come: %q", rep.Actions)
	}
}

// A zone the old provider holds below the zone (dev.example.test., made at
// the provider's UI), with no delegation in example.test.: the old
// provider's servers answer for its names (authoritatively, from that
// zone), and no listing of example.test. shows them, so old-complete
// passed and parity never asked them: they vanished at the flip. The
// gate now asks a provider that can list its zones (PowerDNS) for those
// below the zone, and counts each that git does not delegate; one git
// delegates is left to the delegation.
func TestCompleteNestedZoneLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	const origin = "example.test."
	text := "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1 h 1 60 60 60 60\n@ NS ns1\nns1 A 192.0.2.53\nwww A 192.0.2.80\n"
	git, err := zone.Parse(strings.NewReader(text), "example.test.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	srv := lab.PDNS(t, lab.Options{Zones: []lab.Zone{
		{Origin: origin, Text: text},
		{Origin: "dev.example.test.", Text: "$ORIGIN dev.example.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 60 60\n@ NS ns1.example.test.\nwww A 192.0.2.81\n"},
		{Origin: "other.test.", Text: "$ORIGIN other.test.\n$TTL 60\n@ SOA ns1.example.test. h 1 60 60 60 60\n@ NS ns1.example.test.\n"},
	}})
	// What resolvers asking the old provider's server get.
	r, err := query.Msg(context.Background(), srv.Addr, "www.dev.example.test.", dns.TypeA, query.MsgOptions{Timeout: 2 * time.Second})
	if err != nil || r.Rcode != dns.RcodeSuccess || len(r.Answer) == 0 {
		t.Fatalf("the old server does not answer for www.dev.example.test.: %v %v", r, err)
	}
	p, err := powerdns.New(&config.Provider{Name: "old", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: srv.APIURL, APIKey: config.Secret(srv.APIKey)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	gate := func(git *zone.Zone) Gate {
		cfg := &Config{Zone: git, Old: Side{Name: "old", Provider: p}}
		held, unread, _, err := list(context.Background(), cfg, &cfg.Old)
		return gateComplete(cfg, GateOldComplete, &cfg.Old, held, unread, err, "vanish at the flip", nil)
	}
	g := gate(git)
	t.Logf("%s: ok=%v %s; plan %q", g.Name, g.OK, g.Detail, g.Plan)
	if g.OK || g.Err || !strings.Contains(g.Detail, "dev.example.test. zone") || strings.Contains(g.Detail, "other.test") {
		t.Errorf("old-complete with a zone of the old provider below the zone, not delegated in git: ok=%v %s", g.OK, g.Detail)
	}
	// Delegated in git: the delegation's business, not a vanishing name.
	delegated, err := zone.Parse(strings.NewReader(text+"dev NS ns1.elsewhere.example.\n"), "example.test.zone", origin, "")
	if err != nil {
		t.Fatal(err)
	}
	if g := gate(delegated); !g.OK {
		t.Errorf("old-complete with the zone below delegated in git: %s", g.Detail)
	}
}
