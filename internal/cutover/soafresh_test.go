package cutover

import (
	"context"
	"io"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

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
			m := new(dns.Msg)
			m.SetReply(r) // lame: no AA, the same SOA
			m.Answer = []dns.RR{&dns.SOA{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeSOA, Class: dns.ClassINET, Ttl: 60},
				Ns: "ns1.new.example.test.", Mbox: "h.example.test.", Serial: serial.Load(), Refresh: 60, Retry: 60, Expire: 60, Minttl: 60}}
			_ = w.WriteMsg(m)
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
	auth := gateAuthoritative(ctx, c, GateNewAuthoritative, &c.New)
	moved := changedSince(ctx, c, seen)
	if auth.OK {
		t.Errorf("new-authoritative after parity passes a server lame then: %s", auth.Detail)
	}
	if len(moved) != 1 {
		t.Errorf("changedSince %q: want the server that answers without AA at the same serial", moved)
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
