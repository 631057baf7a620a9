package cutover

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// arrivals records when each server first received a query.
type arrivals struct {
	mu    sync.Mutex
	first map[string]time.Time
}

func (a *arrivals) saw(server string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.first[server]; !ok {
		a.first[server] = time.Now()
	}
}

func (a *arrivals) at(server string) (time.Time, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.first[server]
	return t, ok
}

// deadRecording is a UDP address that reads queries and never answers,
// noting when the first arrived.
func deadRecording(t *testing.T, seen *arrivals) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	addr := pc.LocalAddr().String()
	go func() {
		buf := make([]byte, 1500)
		for {
			if _, _, err := pc.ReadFrom(buf); err != nil {
				return
			}
			seen.saw(addr)
		}
	}()
	return addr
}

// TestFingerprintsAskServersAtOnce: the watch's and status's fingerprints
// (newClassifier) ask every server at once and take, per side, the first
// in order that answers with the SOA: with the old side's first server
// dead, its live second server (and the new side's) are asked before the
// dead one's query times out, not after (each dead server cost its
// timeout, one after another, at every watch start and status run).
// Before: "the live old server was asked 2.0s after the dead one (its
// timeout 1s): one after the other".
func TestFingerprintsAskServersAtOnce(t *testing.T) {
	seen := &arrivals{first: map[string]time.Time{}}
	var oldSerial, newSerial atomic.Uint32
	oldSerial.Store(7)
	newSerial.Store(9)
	recording := func(h dns.HandlerFunc) string {
		return serve(t, func(w dns.ResponseWriter, r *dns.Msg) {
			seen.saw(w.LocalAddr().String())
			h(w, r)
		})
	}
	dead := deadRecording(t, seen)
	oldLive := recording(authSOA("ns1.old.example.test.", &oldSerial))
	newLive := recording(authSOA("ns1.new.example.test.", &newSerial))
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: time.Second}
	c.Old = Side{Name: "old", Servers: []string{dead, oldLive}}
	c.New = Side{Name: "new", Servers: []string{newLive}}
	c.newObservation()
	cl, err := newClassifier(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if cl.old.soa != "ns1.old.example.test. 7" || cl.new.soa != "ns1.new.example.test. 9" {
		t.Errorf("fingerprints old %q new %q: want the live servers' SOAs", cl.old.soa, cl.new.soa)
	}
	d, okD := seen.at(dead)
	if !okD {
		t.Fatal("the dead server was not asked")
	}
	for _, srv := range []string{oldLive, newLive} {
		l, ok := seen.at(srv)
		if !ok {
			t.Fatalf("%s was not asked", srv)
		}
		// Loose: asked at once, the live server's query arrives within
		// milliseconds of the dead one's; one after the other, only once
		// the dead one's query timed out (a second, twice).
		if l.Sub(d) >= c.Timeout {
			t.Errorf("%s was asked %s after the dead server (its timeout %s): one after the other", srv, l.Sub(d).Round(100*time.Millisecond), c.Timeout)
		}
	}
}
