package cutover

import (
	"context"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

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
	gates, _ := emergencyGates(ctx, c, &c.Old, &c.New, c.New.Servers, "", "appear at the flip (git does not have them)")
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
