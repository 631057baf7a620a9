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

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/manual"
)

// The RFC 8901 multi-signer route end to end: old (Knot) and new (BIND)
// each sign with their own keys and publish both key sets, both DS are at
// a signed parent, a validating Unbound follows the delegation. The dnssec
// gate passes, the manual registrar prints the change and waits for the
// parent (the test plays the person who enters it), and every answer the
// validating resolver gives before, during and after the flip validates.
func TestMultiSignerFlipLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip, p, _, _, ds, parent, old, nw := multiSignerLab(t)
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{"test. IN DS " + p.ds(t)}})

	z := gitZone(t, msZone("old", ip))
	out := &syncBuffer{}
	path := prestagedTrail(t, 2)
	c := signedConfig(t, z, ip, old, nw, parent, path, 5)
	c.Registrar = &manual.Manual{Servers: []string{parent.Addr}, Out: out, Wait: 30 * time.Second, Poll: 100 * time.Millisecond}
	c.Resolvers, c.Watch, c.Log = []string{u.Addr}, 20*time.Second, out

	// A validating client asks through the resolver throughout.
	var asked, bad atomic.Int64
	var badMu sync.Mutex
	var badEx []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		qs := []struct {
			name string
			t    uint16
		}{{"www.example.test.", dns.TypeA}, {"www.example.test.", dns.TypeAAAA}, {"example.test.", dns.TypeMX}, {"nope.example.test.", dns.TypeA}}
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			q := qs[i%len(qs)]
			m := new(dns.Msg)
			m.SetQuestion(q.name, q.t)
			m.SetEdns0(1232, true)
			r, _, err := (&dns.Client{Timeout: 3 * time.Second}).Exchange(m, u.Addr)
			asked.Add(1)
			if err != nil || !r.AuthenticatedData || (r.Rcode != dns.RcodeSuccess && r.Rcode != dns.RcodeNameError) {
				bad.Add(1)
				badMu.Lock()
				badEx = append(badEx, fmt.Sprintf("%s %s: %v %v", q.name, dns.TypeToString[q.t], err, r))
				badMu.Unlock()
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()

	// The person at the registrar enters what the manual registrar prints.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for !strings.Contains(out.String(), "NS   ns1.new.example.test.") {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
		parent.Reload(goT{t}, lab.Zone{Origin: "test.", Text: signedParent(t, p, ip, 2, "new", ds)})
	}()

	// A status run records the old side's DNSKEY set holding the new
	// side's keys, and the parent's DS set for the first time; the flip
	// waits their TTLs (DNSKEY 2 s; DS 5 s: the set before both DS is not
	// known, TestFlipDSAddedBeforeTrailLab) from then.
	Status(context.Background(), c)
	if len(readKeys(t, path, "old")) == 0 {
		t.Fatalf("status recorded no DNSKEY set of the old side")
	}
	time.Sleep(6 * time.Second)
	rep := Flip(context.Background(), c, false, false)
	g := findGate(rep.Gates, GateDNSSEC)
	if rep.Result != ResultDone || g == nil || !g.OK {
		close(stop)
		wg.Wait()
		t.Fatalf("multi-signer flip: %s gates %+v errors %v\n%s", rep.Result, rep.Gates, rep.Errors, out.String())
	}
	t.Logf("dnssec gate: %s", g.Detail)
	if rep.Watch == nil || !rep.Watch.AllMoved {
		t.Errorf("watch: %+v", rep.Watch)
	}
	time.Sleep(time.Until(rep.Change.At.Add(7 * time.Second)))
	close(stop)
	wg.Wait()
	t.Logf("validating client: %d answers, %d not validated; watch: last resolver on new after %.1f s", asked.Load(), bad.Load(), rep.Watch.Seconds)
	if bad.Load() > 0 || asked.Load() < 50 {
		t.Errorf("%d of %d answers did not validate, e.g. %v", bad.Load(), asked.Load(), badEx[:min(3, len(badEx))])
	}
	if !strings.Contains(out.String(), "DS   leave as they are") {
		t.Errorf("the manual registrar's instructions:\n%s", out.String())
	}
}

// readKeys is the trail's record of side's DNSKEY sets.
func readKeys(t *testing.T, path, side string) []dnssec.KeysAt {
	t.Helper()
	tr, err := ReadTrail(path, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	return tr.KeysSeen(side)
}

// TestFlipNewSideLacksOldZSKLab: RFC 8901 both ways. Both DS at a signed
// parent; the old side (Knot) signs with a and publishes a's and b's
// keys; the new side (BIND) signs with b and publishes b's keys only.
// The old DNSKEY set holds the new ZSK, so a resolver that cached it
// validates the new side's answers; but a resolver that took the new
// side's DNSKEY set (DNSKEY TTL 300 s) and then gets the old side's
// answers (the delegation before the change, which parent servers the
// change has not reached, resolvers that cached it, and a forwarder's
// other upstreams still serve for the parent's NS TTL after the flip; and
// every resolver after a rollback) cannot validate them: the test shows
// it with a validating Unbound, the parent moved to the new side and back
// by hand. The flip's dnssec gate must refuse until the new side's
// DNSKEY set holds the key the old side signs its answers with, as it
// refuses the converse. On the code before, it passed.
func TestFlipNewSideLacksOldZSKLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	ds := []string{a.ds(t), b.ds(t)}
	// Every record at TTL 2 but the DNSKEY sets (appended by the
	// signer after the zone's text), at 300 s.
	text := func(side string) string { return msZone(side, ip) + "$TTL 300\n" }
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "old", ds)}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, text("old"), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, text("new"), nil)}}})

	z := gitZone(t, msZone("old", ip))
	path := prestagedTrail(t, 2)
	clock := time.Now().UTC().Truncate(time.Second)
	c := signedConfig(t, z, ip, old, nw, parent, path, 300)
	c.Now = func() time.Time { return clock }
	// A status run records the old DNSKEY set holding b's keys; the
	// flip comes after its DNSKEY TTL.
	Status(context.Background(), c)
	clock = clock.Add(302 * time.Second)
	rep := Flip(context.Background(), c, true, false)
	g := findGate(rep.Gates, GateDNSSEC)
	if g == nil {
		t.Fatalf("flip: no dnssec gate: %+v %v", rep.Gates, rep.Errors)
	}
	t.Logf("flip (dry run): %s; dnssec ok=%v %s; plan %q", rep.Result, g.OK, g.Detail, g.Plan)
	if g.OK || rep.Result != ResultRefused || !strings.Contains(g.Detail, "lacks key tag "+a.ZSKTag()) {
		t.Errorf("flip to a new side whose DNSKEY set lacks the old side's ZSK (key tag %s): %s, dnssec ok=%v", a.ZSKTag(), rep.Result, g.OK)
	}

	// What it guards against: a validating resolver that took the new
	// side's DNSKEY set and then gets the old side's answers.
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{"test. IN DS " + p.ds(t)}})
	ask := func() *dns.Msg {
		t.Helper()
		m := new(dns.Msg)
		m.SetQuestion("www.example.test.", dns.TypeA)
		m.SetEdns0(1232, true)
		r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(m, u.Addr)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	parent.Reload(goT{t}, lab.Zone{Origin: "test.", Text: signedParent(t, p, ip, 2, "new", ds)})
	if r := ask(); r.Rcode != dns.RcodeSuccess || !r.AuthenticatedData {
		t.Fatalf("through the new delegation: %s AD=%v", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	}
	parent.Reload(goT{t}, lab.Zone{Origin: "test.", Text: signedParent(t, p, ip, 3, "old", ds)})
	time.Sleep(7 * time.Second) // the delegation's (5 s) and the records' (2 s) TTLs
	r := ask()
	t.Logf("back through the old delegation with the new side's DNSKEY set cached: %s AD=%v", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	if r.Rcode != dns.RcodeServerFailure {
		t.Errorf("the old side's answer validated against the new side's DNSKEY set, which lacks its ZSK: %s AD=%v", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	}

	// Once the new side publishes the old side's keys too (RFC 8901
	// route (b), step 2): the resolver above still holds the new side's
	// set without them for its TTL (300 s), so the gate refuses until
	// that has passed since a step first saw them (the converse wait,
	// TestFlipDNSKEYWaitConverseLab), then passes.
	nw.Reload(t, lab.Zone{Origin: "example.test.", Text: b.sign(t, replaced(t, text("new"), " 1 60 60 1209600 2", " 2 60 60 1209600 2"), a.keys(t))})
	rep = Flip(context.Background(), c, true, false)
	if g := findGate(rep.Gates, GateDNSSEC); g == nil || g.OK || !strings.Contains(g.Detail, "the new side's DNSKEY sets hold key tags") {
		t.Errorf("flip the moment the new side publishes the old side's keys: %s, dnssec %+v", rep.Result, g)
	}
	clock = clock.Add(302 * time.Second)
	rep = Flip(context.Background(), c, true, false)
	if g := findGate(rep.Gates, GateDNSSEC); g == nil || !g.OK || rep.Result != ResultDryRun {
		t.Errorf("flip the DNSKEY TTL after the new side published the old side's keys: %s, dnssec %+v", rep.Result, g)
	}
}

// setBy is a registrar whose change is set: it reads as the manual
// registrar does (the parent's servers).
type setBy struct {
	*manual.Manual
	set func(want registrar.Delegation)
}

func (r setBy) SetDelegation(_ context.Context, _ string, want registrar.Delegation) error {
	r.set(want)
	return nil
}

// TestFlipRegistrarChangedDSLab: a flip leaves the DS set alone, and the
// dnssec gate judged the new side under the DS set the parent served
// (both providers' KSKs, RFC 8901). A registrar that changes the DS set
// with the nameservers (one that drops DNSSEC records it did not
// create, a form that resets them) makes the parent serve a DS set the
// gate never judged: here the old KSK's alone, which signs nothing the
// new side serves, so a validating Unbound answers SERVFAIL for every
// name. The confirmation compared the NS set and glue only and the flip
// said done; it must say the DS set changed (exit 2), naming both sets.
func TestFlipRegistrarChangedDSLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip, p, _, b, ds, parent, old, nw := multiSignerLab(t)

	c := signedConfig(t, gitZone(t, msZone("old", ip)), ip, old, nw, parent, prestagedTrail(t, 2), 5)
	c.Registrar = setBy{Manual: c.Registrar.(*manual.Manual), set: func(registrar.Delegation) {
		// The nameservers as asked, and the DS set changed with them.
		parent.Reload(goT{t}, lab.Zone{Origin: "test.", Text: signedParent(t, p, ip, 2, "new", ds[:1])})
	}}
	c.Watch, c.Confirm, c.Log = time.Second, 3*time.Second, io.Discard
	Status(context.Background(), c)
	time.Sleep(6 * time.Second) // the DNSKEY TTL (2 s) since the status run saw both key sets, the DS TTL (5 s) since it first saw the DS set
	rep := Flip(context.Background(), c, false, false)
	t.Logf("flip: %s (exit %d); errors %q", rep.Result, rep.ExitCode(), rep.Errors)
	if g := findGate(rep.Gates, GateDNSSEC); g == nil || !g.OK || rep.Change == nil || rep.Change.At.IsZero() {
		t.Fatalf("the flip did not reach the registrar: %s, gates %+v, errors %v", rep.Result, rep.Gates, rep.Errors)
	}
	if rep.ExitCode() != 2 || !has(rep.Errors, "another DS set", b.KSKTag()) {
		t.Errorf("flip whose registrar dropped the new side's DS: %s (exit %d), errors %q; want exit 2 naming the DS set that changed", rep.Result, rep.ExitCode(), rep.Errors)
	}

	// What the parent's DS set now does to validating resolvers.
	u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}}, TrustAnchors: []string{"test. IN DS " + p.ds(t)}})
	m := new(dns.Msg)
	m.SetQuestion("www.example.test.", dns.TypeA)
	m.SetEdns0(1232, true)
	r, _, err := (&dns.Client{Timeout: 5 * time.Second}).Exchange(m, u.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("a validating resolver after the change: %s AD=%v", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	if r.Rcode != dns.RcodeServerFailure {
		t.Errorf("with the old KSK's DS alone the new side validated: %s AD=%v", dns.RcodeToString[r.Rcode], r.AuthenticatedData)
	}
}

// multiSignerLab starts the RFC 8901 set-up before a flip: old (Knot,
// signer a) and new (BIND, signer b) each sign with their own keys and
// publish both key sets, and a signed parent (signer p, BIND) delegates
// to old with both sides' DS (ds).
func multiSignerLab(t *testing.T) (ip map[string]string, p, a, b *signer, ds []string, parent, old, nw *lab.Server) {
	t.Helper()
	ip = map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, b = newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	ds = []string{a.ds(t), b.ds(t)}
	parent = lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "old", ds)}}})
	old = lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("old", ip), b.keys(t))}}})
	nw = lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("new", ip), a.keys(t))}}})
	return ip, p, a, b, ds, parent, old, nw
}
