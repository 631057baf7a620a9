package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestFlipDNSKEYWaitLab: RFC 8901 with both DS at a signed parent, the
// new side (BIND) publishing both key sets, the old side (Knot) adding the
// new side's keys only during the cutover. The trail records each side's
// DNSKEY set whenever a step's dnssec gate asks it, and the flip's gate
// counts the DNSKEY TTL (300 s) from the first record of the old set
// holding the new keys: refused before, with the time; passes after. The
// clock is the step's (Config.Now), the servers real.
func TestFlipDNSKEYWaitLab(t *testing.T) {
	k := newKeyWaitLab(t, false)
	c, path, a, b, old, zoneText := k.c, k.path, k.a, k.b, k.old, k.zoneText
	dnssecGate := func(rep *Report) *Gate { t.Helper(); return k.gate(t, rep) }

	// 1. Before route (b)'s step 2 at the old side: refused (the old
	// DNSKEY set lacks the new ZSK); the trail records both sets.
	if g := dnssecGate(Status(context.Background(), c)); g.OK || !strings.Contains(g.Detail, "lacks key tag "+b.ZSKTag()) {
		t.Errorf("status before the old side publishes the new keys: the dnssec gate %v", g.OK)
	}
	if k := readKeys(t, path, "old"); len(k) != 1 || !slices.Equal(k[0].Tags, keyTags(a)) || k[0].TTL != 300 {
		t.Errorf("recorded old DNSKEY set: %+v, want tags %v TTL 300", k, keyTags(a))
	}
	if k := readKeys(t, path, "new"); len(k) != 1 || !slices.Equal(k[0].Tags, keyTags(a, b)) {
		t.Errorf("recorded new DNSKEY set: %+v, want tags %v", k, keyTags(a, b))
	}

	// 2. The old side publishes the new keys; a status a minute later
	// records it, and the flip two minutes later is refused until that
	// record (the end of its second) + 300 s.
	old.Reload(t, lab.Zone{Origin: "example.test.", Text: a.sign(t, zoneText("old", 2), b.keys(t))})
	k.clock = k.clock.Add(time.Minute)
	seen := k.clock.Add(time.Second) // the end of the second the trail records
	if g := dnssecGate(Status(context.Background(), c)); g.OK {
		t.Errorf("status right after the old side published the new keys: the dnssec gate passed")
	}
	k.clock = k.clock.Add(time.Minute)
	rep := Flip(context.Background(), c, true, false)
	g := dnssecGate(rep)
	until := seen.Add(300 * time.Second)
	if g.OK || rep.Result != ResultRefused {
		t.Errorf("flip two minutes after the old DNSKEY set first held the new keys: %s, dnssec ok=%v", rep.Result, g.OK)
	} else if !strings.Contains(g.Detail, "only since "+seen.Format(time.RFC3339)+" (when a step first saw them)") ||
		!slices.ContainsFunc(rep.Next, func(n Next) bool { return n.Earliest.Equal(until) && strings.HasPrefix(n.Step, "dnssec (b) 4") }) {
		t.Errorf("the refusal does not say to wait until %s: %s; next %+v", until.Format(time.RFC3339), g.Detail, rep.Next)
	}
	if k := readKeys(t, path, "old"); len(k) < 2 || !slices.Equal(k[len(k)-1].Tags, keyTags(a, b)) {
		t.Errorf("recorded old DNSKEY sets: %+v", k)
	}

	// 3. Once the DNSKEY TTL has passed since that record: the gate passes.
	k.clock = until.Add(time.Second)
	if g := dnssecGate(Flip(context.Background(), c, true, false)); !g.OK || !strings.Contains(g.Detail, "since "+seen.Format(time.RFC3339)+" at least, longer than the DNSKEY TTL (300 s)") {
		t.Errorf("flip after the DNSKEY TTL: dnssec ok=%v", g.OK)
	}
}

// TestFlipDNSKEYWaitConverseLab: TestFlipDNSKEYWaitLab the other way
// (RFC 8901 §3, both ways): the old side (Knot) has published the new
// side's keys from the start, the new side (BIND) adds the old side's
// keys only during the cutover. After the flip the old side's answers
// still reach resolvers (the delegation cached from before it), and one
// that cached the new side's DNSKEY set before the old keys were in it
// cannot validate them for its TTL (300 s). The flip is refused until the
// trail's first record of the new set holding them + 300 s, and passes
// after. On the code before, the trail's record of the new side's set was
// not counted: the flip passed the moment the keys were added.
func TestFlipDNSKEYWaitConverseLab(t *testing.T) {
	k := newKeyWaitLab(t, true)
	c, a, b, nw, zoneText := k.c, k.a, k.b, k.nw, k.zoneText
	dnssecGate := func(rep *Report) *Gate { t.Helper(); return k.gate(t, rep) }
	// 1. The new side lacks the old side's ZSK: refused; both sets recorded.
	if g := dnssecGate(Status(context.Background(), c)); g.OK || !strings.Contains(g.Detail, "lacks key tag "+a.ZSKTag()) {
		t.Errorf("status before the new side publishes the old keys: the dnssec gate %v", g.OK)
	}
	// 2. Ten minutes later (the old set has held the new keys for longer
	// than its TTL: the forward wait is over) the new side publishes the
	// old keys; a status records it; the flip a minute later is refused
	// until that record (the end of its second) + 300 s.
	nw.Reload(t, lab.Zone{Origin: "example.test.", Text: b.sign(t, zoneText("new", 2), a.keys(t))})
	k.clock = k.clock.Add(10 * time.Minute)
	seen := k.clock.Add(time.Second)
	dnssecGate(Status(context.Background(), c))
	k.clock = k.clock.Add(time.Minute)
	rep := Flip(context.Background(), c, true, false)
	g := dnssecGate(rep)
	until := seen.Add(300 * time.Second)
	if g.OK || rep.Result != ResultRefused {
		t.Errorf("flip a minute after the new DNSKEY set first held the old keys: %s, dnssec ok=%v", rep.Result, g.OK)
	} else if !strings.Contains(g.Detail, "the new side's DNSKEY sets hold key tags") || !strings.Contains(g.Detail, "only since "+seen.Format(time.RFC3339)+" (when a step first saw them)") || strings.Contains(g.Detail, "the old side's DNSKEY sets hold key tags") {
		t.Errorf("the refusal does not name the new side's set and %s: %s", seen.Format(time.RFC3339), g.Detail)
	}
	// 3. Once the DNSKEY TTL has passed since that record: passes.
	k.clock = until.Add(time.Second)
	if g := dnssecGate(Flip(context.Background(), c, true, false)); !g.OK {
		t.Errorf("flip after the DNSKEY TTL since the new set first held the old keys: dnssec ok=%v", g.OK)
	}
}

// keyWaitLab is the RFC 8901 lab of the DNSKEY-wait tests: both DS at a
// signed parent (BIND), the old side a Knot signing with key set a, the
// new side a BIND signing with b; with converse, the old side publishes b
// too from the start, else the new side publishes a. Its config's clock
// is clock (Config.Now), which a test moves.
type keyWaitLab struct {
	c        *Config
	path     string
	a, b     *signer
	old, nw  *lab.Server
	clock    time.Time
	zoneText func(side string, serial int) string
}

func newKeyWaitLab(t *testing.T, converse bool) *keyWaitLab {
	t.Helper()
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p := newSigner(t, "test.")
	k := &keyWaitLab{a: newSigner(t, "example.test."), b: newSigner(t, "example.test.")}
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "old", []string{k.a.ds(t), k.b.ds(t)})}}})
	k.zoneText = func(side string, serial int) string {
		return replaced(t, strings.Replace(msZone(side, ip), "$TTL 2", "$TTL 300", 1), " 1 60 60 1209600 2", fmt.Sprintf(" %d 60 60 1209600 2", serial))
	}
	oldExtra, newExtra := []string(nil), k.a.keys(t)
	if converse {
		oldExtra, newExtra = k.b.keys(t), nil
	}
	k.old = lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: k.a.sign(t, k.zoneText("old", 1), oldExtra)}}})
	k.nw = lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: k.b.sign(t, k.zoneText("new", 1), newExtra)}}})
	k.path = TrailPath(t.TempDir(), "example.test.")
	k.clock = time.Now().UTC().Truncate(time.Second)
	k.c = signedConfig(t, gitZone(t, k.zoneText("old", 1)), ip, k.old, k.nw, parent, k.path, 300)
	k.c.Now = func() time.Time { return k.clock }
	return k
}

// gate is rep's dnssec gate (t fails without one), logged with the clock.
func (k *keyWaitLab) gate(t *testing.T, rep *Report) *Gate {
	t.Helper()
	g := findGate(rep.Gates, GateDNSSEC)
	if g == nil {
		t.Fatalf("%s: no dnssec gate: %+v %v", rep.Command, rep.Gates, rep.Errors)
	}
	t.Logf("%s at %s: dnssec ok=%v %s; plan %q", rep.Command, k.clock.Format(time.RFC3339), g.OK, g.Detail, g.Plan)
	return g
}
