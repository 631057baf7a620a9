package cutover

import (
	"context"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestLameAfterGatesRefusesMove: a new server answers the apex SOA with
// AA when the step reads the serials (before parity), then without AA
// (lame) at the same serial. The re-check before the registrar change
// (changedSince) sees it, whichever answer new-authoritative judged. On
// the code before, new-authoritative judged the first answer and
// changedSince compared serials only: "new-authoritative OK=true;
// changedSince []", and the flip went on to the registrar.
func TestLameAfterGatesRefusesMove(t *testing.T) {
	var serial atomic.Uint32
	serial.Store(7)
	var n atomic.Int32
	good := authSOA("ns1.new.example.test.", &serial)
	nw := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		if q := r.Question[0]; q.Qtype == dns.TypeSOA && n.Add(1) > 1 {
			lameSOA(w, r, "ns1.new.example.test.", serial.Load())
			return
		}
		good(w, r)
	})
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: 300 * time.Millisecond, Log: io.Discard}
	c.New = Side{Name: "new", Servers: []string{nw}}
	ctx := context.Background()
	c.newObservation() // as startStep does
	seen := serials(ctx, c, &c.New)
	// ... parity runs for minutes here; the server turns lame ...
	c.soaAfresh() // as Flip does after parity
	auth := gateAuthoritative(ctx, c, newReport(c, "flip"), GateNewAuthoritative, &c.New)
	moved := changedSince(ctx, c, seen)
	if auth.OK {
		t.Errorf("new-authoritative after parity passes a server lame then: %s", auth.Detail)
	}
	if len(moved.serials) != 0 || len(moved.lost[GateNewAuthoritative]) != 1 || len(moved.lost) != 1 {
		t.Errorf("changedSince %+v: want the server that answers without AA at the same serial, under new-authoritative", moved)
	}
}

// TestHiddenMasterReadsOneMoment: a hidden primary and its public server
// always serve the same serial (a push reaches both). Status reads the
// public server's SOA for the TTLs observed right after parity, runs its
// other gates, then the hidden-master check: a push in between must not
// show the server behind its primary. On the code before (the step's
// cached SOA for the server, the primary asked later): "primary ... has
// serial 8; ... serves serial 7".
func TestHiddenMasterReadsOneMoment(t *testing.T) {
	var serial atomic.Uint32
	serial.Store(7)
	primary := serve(t, authSOA("ns1.new.example.test.", &serial))
	public := serve(t, authSOA("ns1.new.example.test.", &serial))
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: 300 * time.Millisecond, Log: io.Discard}
	c.New = Side{Name: "new", Servers: []string{public}, Primary: primary}
	c.newObservation()
	ctx := context.Background()
	apexServed(ctx, c, &c.New) // observeTTLs, right after parity
	serial.Store(8)            // a push, while the other gates run
	if g := hiddenMaster(ctx, c, &Trail{}, time.Now()); g == nil || !g.OK {
		t.Errorf("a public server in sync with its primary is reported behind it: %+v", g)
	}
}

// TestLostServerAfterGatesAuthoritativeGate: between the gates and the
// registrar change an old server stops answering, a new one turns lame
// at the same serial, and another new one takes a push. Only the push is
// parity's to report ("let the push that changed it finish"); the lame
// and the silent server are their side's authoritative gate's (the old
// one added, a planned flip having none), whose plan is to make that
// server serve the zone. Before, all three went to parity with the
// push's plan, new-authoritative stayed met and no old-authoritative was
// reported: "parity ...; but the zone changed while the gates ran
// (…:36071 serial 7, but it answers without the AA bit (lame) now;
// …:37071 serial 7 → 8; …:42407 served serial 7, now … i/o timeout) ...
// Plan:[let the push that changed it finish (both providers) ...]",
// "new-authoritative ... OK:true", "old-authoritative <nil>".
func TestLostServerAfterGatesAuthoritativeGate(t *testing.T) {
	var seven, pushed atomic.Uint32
	seven.Store(7)
	pushed.Store(7)
	var goneAsked, lameAsked atomic.Int32
	oldGood := authSOA("ns1.old.example.test.", &seven)
	gone := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		if r.Question[0].Qtype == dns.TypeSOA && goneAsked.Add(1) > 1 {
			return // no longer answers
		}
		oldGood(w, r)
	})
	newGood := authSOA("ns1.new.example.test.", &seven)
	lame := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		if r.Question[0].Qtype == dns.TypeSOA && lameAsked.Add(1) > 1 {
			lameSOA(w, r, "ns1.new.example.test.", 7)
			return
		}
		newGood(w, r)
	})
	push := serve(t, authSOA("ns1.new.example.test.", &pushed))
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: 300 * time.Millisecond, Log: io.Discard, Now: time.Now,
		TrailPath: t.TempDir() + "/example.test.json",
		Registrar: heldRegistrar{registrar.Delegation{NS: []string{"ns1.old.example.test."}}}}
	c.Old = Side{Name: "old", Servers: []string{gone}, Delegation: []string{"ns1.old.example.test."}}
	c.New = Side{Name: "new", Servers: []string{lame, push}, Delegation: []string{"ns1.new.example.test."}}
	ctx := context.Background()
	c.newObservation()
	rep := &Report{Zone: "example.test.", Command: "flip", Delegation: DelegationView{NS: []string{"ns1.old.example.test."}},
		Gates: []Gate{{Name: GateParity, OK: true, Detail: "parity holds"}, {Name: GateNewAuthoritative, OK: true, Detail: "all answer authoritatively"}}}
	rep.serials = serials(ctx, c, &c.Old, &c.New)
	if len(rep.serials) != 3 {
		t.Fatalf("serials %v", rep.serials)
	}
	pushed.Store(8) // a push while the gates ran
	move(ctx, c, &Trail{Zone: "example.test."}, rep, &c.New, nil, nil)

	parity, newAuth, oldAuth := gateNamed(rep, GateParity), gateNamed(rep, GateNewAuthoritative), gateNamed(rep, GateOldAuthoritative)
	if rep.Result != ResultRefused {
		t.Errorf("result %s, want refused", rep.Result)
	}
	if parity == nil || parity.OK || !strings.Contains(parity.Detail, push+" serial 7 → 8") || strings.Contains(parity.Detail, lame) || strings.Contains(parity.Detail, gone) {
		t.Errorf("parity %+v: want unmet for the push (%s) alone", parity, push)
	}
	if newAuth == nil || newAuth.OK || !strings.Contains(newAuth.Detail, lame) || strings.Contains(newAuth.Detail, push) || !has(newAuth.Plan, "make that server serve the zone") {
		t.Errorf("new-authoritative %+v: want unmet for the lame server (%s), planning to make it serve the zone", newAuth, lame)
	}
	// The old side is the one the flip leaves: its server is not to be
	// mended for its own sake; down, it is an emergency's.
	if oldAuth == nil || oldAuth.OK || !strings.Contains(oldAuth.Detail, gone) || has(oldAuth.Plan, "make that server serve the zone") || !has(oldAuth.Plan, "--emergency") {
		t.Errorf("old-authoritative %+v: want it added, unmet for the server that stopped answering (%s), pointing to the emergency step", oldAuth, gone)
	}
}

// TestEmergencyAuthoritativeAfterParity: flip --emergency, the old side
// down; the new server answers the apex SOA with AA when old-down reads
// the SOAs of the side moved to (soasServed), then, while
// new-matches-git's parity runs, turns lame (the same SOA without AA).
// new-authoritative judges the new side as it is after that parity, as
// the planned flip's does (soaAfresh). On the code before it judged the
// answer cached before parity: "new-authoritative OK=true after parity
// turned the server lame: all 1 new nameservers answer authoritatively".
func TestEmergencyAuthoritativeAfterParity(t *testing.T) {
	var serial atomic.Uint32
	serial.Store(1)
	var lame atomic.Bool
	good := authSOA("ns1.new.example.test.", &serial)
	nw := serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
		q := r.Question[0]
		if q.Qtype != dns.TypeSOA {
			lame.Store(true) // a question only parity asks
		}
		if q.Qtype == dns.TypeSOA && q.Name == "example.test." && lame.Load() {
			lameSOA(w, r, "ns1.new.example.test.", serial.Load())
			return
		}
		good(w, r)
	})
	// The old server: a port nothing listens on (down).
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := pc.LocalAddr().String()
	pc.Close()

	z := gitZone(t, "$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.new.example.test. h.example.test. 1 60 60 60 60\n@ NS ns1.new.example.test.\n")
	c := &Config{Zone: z, Timeout: 300 * time.Millisecond, Log: io.Discard}
	c.defaults()
	c.Parity.Timeout = 300 * time.Millisecond
	c.Old = Side{Name: "old", Servers: []string{down}}
	c.New = Side{Name: "new", Servers: []string{nw}}
	c.newObservation() // as startStep does
	ctx := context.Background()
	gates, _, _ := emergencyGates(ctx, c, newReport(c, "flip"), &c.Old, &c.New, c.New.Servers, "", "appear at the flip (git does not have them)")
	if d := findGate(gates, GateOldDown); d == nil || !d.OK {
		t.Fatalf("old-down %+v", d)
	}
	if !lame.Load() {
		t.Fatal("parity asked the new server no other question than the SOA")
	}
	if g := findGate(gates, GateNewAuthoritative); g == nil || g.OK {
		t.Errorf("new-authoritative after parity turned the server lame: %+v", g)
	}
}
