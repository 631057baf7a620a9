package rfc2136_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// dropUpdateAnswers is a TCP proxy on loopback to upstream that forwards
// every message both ways but the answer to an UPDATE (opcode 5): it
// reads that answer from the server, so the server has acted on the
// UPDATE, and closes both connections instead of passing it on; with
// onLost, it calls onLost instead and holds the connection open until
// the client closes it. It returns the proxy's address.
func dropUpdateAnswers(t *testing.T, upstream string, onLost func()) string {
	t.Helper()
	return updateProxy(t, upstream, nil, onLost)
}

// rewriteUpdateAnswers is a proxy as dropUpdateAnswers's that passes the
// answer to an UPDATE on as rewrite makes it (after the server acted).
func rewriteUpdateAnswers(t *testing.T, upstream string, rewrite func(t *testing.T, msg []byte) []byte) string {
	t.Helper()
	return updateProxy(t, upstream, func(msg []byte) []byte { return rewrite(t, msg) }, nil)
}

// updateProxy is dropUpdateAnswers, and with rewrite, passes an UPDATE's
// answer on rewritten instead of dropping it.
func updateProxy(t *testing.T, upstream string, rewrite func(msg []byte) []byte, onLost func()) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", upstream)
			if err != nil {
				c.Close()
				continue
			}
			wg.Add(2)
			go func() { defer wg.Done(); io.Copy(s, c); s.Close() }()
			go func() {
				defer wg.Done()
				defer c.Close()
				defer s.Close()
				for {
					var l [2]byte
					if _, err := io.ReadFull(s, l[:]); err != nil {
						return
					}
					msg := make([]byte, binary.BigEndian.Uint16(l[:]))
					if _, err := io.ReadFull(s, msg); err != nil {
						return
					}
					if len(msg) > 2 && (msg[2]>>3)&0xf == dns.OpcodeUpdate && rewrite != nil {
						msg = rewrite(msg)
						binary.BigEndian.PutUint16(l[:], uint16(len(msg)))
					} else if len(msg) > 2 && (msg[2]>>3)&0xf == dns.OpcodeUpdate {
						if onLost != nil {
							onLost()
							io.Copy(io.Discard, c) // until the client closes
						}
						return // the answer is lost
					}
					if _, err := c.Write(append(l[:], msg...)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// TestUpdateAnswerLostLab: an UPDATE that reached the server (BIND) and
// whose answer was lost (the connection closed after the request was
// sent) is reported as perhaps applied, not as a server that could not
// be reached; it was applied, and a new plan converges.
func TestUpdateAnswerLostLab(t *testing.T) {
	srv := start(t, servers[0])
	p := newProvider(t, dropUpdateAnswers(t, srv.Addr, nil), key.Secret)
	ctx := context.Background()
	cur, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	desired := load(t, minZone)
	rr, _ := dns.NewRR("lost.example.com. 300 IN A 192.0.2.77")
	s, _ := zone.NewRRSet([]dns.RR{rr})
	desired.AddSet(s)
	pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
	if len(pl.Changes) != 1 {
		t.Fatalf("plan: %v", pl.Changes)
	}
	res, err := p.Apply(ctx, origin, pl.Changes, nil)
	if err == nil {
		t.Fatal("the UPDATE's answer was dropped, yet Apply reports success")
	}
	t.Logf("%v", err)
	if !provider.PerhapsApplied(err) || !strings.Contains(err.Error(), "perhaps applied") {
		t.Errorf("an UPDATE sent whose answer was lost: %v; want it reported perhaps applied", err)
	}
	if strings.Contains(err.Error(), "nothing was sent") || strings.Contains(err.Error(), "nothing of this message was applied") {
		t.Errorf("says nothing was applied: %v", err)
	}
	if len(res.Applied) != 0 || res.Requests != 1 {
		t.Errorf("reported %d applied in %d requests, want 0 in 1", len(res.Applied), res.Requests)
	}
	// It was applied: the server has it, and a new plan is empty.
	direct := newProvider(t, srv.Addr, key.Secret)
	after, err := direct.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	if got := after.Get("lost.example.com.", dns.TypeA); got == nil || !got.SameData(s) {
		t.Errorf("the server does not have the change: %v", got)
	}
	if again := plan.Compute(desired, after, plan.Options{Caps: p.Capabilities()}); len(again.Changes) != 0 {
		t.Errorf("a new plan: %v", again.Changes)
	}
}

// TestUpdateStoppedWaitingLab: an UPDATE that reached the server and
// whose answer the push stopped waiting for (its context ended) is
// reported perhaps applied too, as the context's end.
func TestUpdateStoppedWaitingLab(t *testing.T) {
	srv := start(t, servers[0])
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := newProvider(t, dropUpdateAnswers(t, srv.Addr, cancel), key.Secret)
	rr, _ := dns.NewRR("stopped.example.com. 300 IN A 192.0.2.78")
	s, _ := zone.NewRRSet([]dns.RR{rr})
	ch := provider.Change{Action: provider.Create, Name: s.Name, Type: s.Type, New: s}
	res, err := p.Apply(ctx, origin, []provider.Change{ch}, nil)
	t.Logf("%v", err)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "perhaps applied") || !provider.PerhapsApplied(err) {
		t.Errorf("an UPDATE sent, the wait for its answer cancelled: %v; want context.Canceled, perhaps applied (PerhapsApplied)", err)
	}
	if len(res.Left.Perhaps) != 1 || len(res.Left.NotApplied) != 0 {
		t.Errorf("Left: %+v; want the change perhaps applied, as the error says", res.Left)
	}
	after, err := newProvider(t, srv.Addr, key.Secret).Records(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	if got := after.Get(s.Name, s.Type); got == nil || !got.SameData(s) {
		t.Errorf("the server does not have the change: %v", got)
	}
}

// TestUpdateNotSentUnreachable: when the server cannot be reached at all
// nothing was sent, and the error says so: unreachable, yet not
// PerhapsApplied, and Result.Left lists the change not applied.
func TestUpdateNotSentUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: the connect is refused
	p := newProvider(t, addr, key.Secret)
	ch := provider.Change{Action: provider.Delete, Name: "www.example.com.", Type: dns.TypeA}
	res, err := p.Apply(context.Background(), origin, []provider.Change{ch}, nil)
	if !errors.Is(err, provider.ErrUnavailable) || !strings.Contains(err.Error(), "nothing was sent") || provider.PerhapsApplied(err) {
		t.Errorf("UPDATE to nothing: %v, want ErrUnavailable saying nothing was sent, not PerhapsApplied", err)
	}
	if len(res.Left.NotApplied) != 1 || !strings.Contains(err.Error(), "not applied: "+provider.ChangeNames([]provider.Change{ch})) {
		t.Errorf("UPDATE to nothing: the Result's left: %+v, the error %v; want the change not applied, said so", res.Left, err)
	}
}

// TestUpdateAnswerUnverifiedLab: an UPDATE that the server (BIND) applied
// and answered NOERROR, whose answer then fails its TSIG check on the way
// back (a proxy strips the signature, changes the MAC, sets a TSIG
// error), may have been applied: Result.Left lists it perhaps applied,
// the error says so (PerhapsApplied, "perhaps applied", never "nothing
// of this message was applied"), and the server has it.
func TestUpdateAnswerUnverifiedLab(t *testing.T) {
	srv := start(t, servers[0])
	for i, tc := range []struct {
		name    string
		rewrite func(tsig *dns.TSIG, m *dns.Msg)
	}{
		{"unsigned", func(_ *dns.TSIG, m *dns.Msg) { m.Extra = m.Extra[:len(m.Extra)-1] }},
		{"MAC changed", func(tsig *dns.TSIG, _ *dns.Msg) { tsig.MAC = strings.Repeat("00", int(tsig.MACSize)) }},
		{"TSIG error", func(tsig *dns.TSIG, _ *dns.Msg) { tsig.Error = dns.RcodeBadTime }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := rewriteUpdateAnswers(t, srv.Addr, func(t *testing.T, raw []byte) []byte {
				m := new(dns.Msg)
				if err := m.Unpack(raw); err != nil {
					t.Error(err)
					return raw
				}
				tsig := m.IsTsig()
				if tsig == nil || m.Rcode != dns.RcodeSuccess {
					t.Errorf("the server's answer to the UPDATE: rcode %s, TSIG %v; want a signed NOERROR", dns.RcodeToString[m.Rcode], tsig)
					return raw
				}
				tc.rewrite(tsig, m)
				out, err := m.Pack()
				if err != nil {
					t.Error(err)
					return raw
				}
				return out
			})
			p := newProvider(t, addr, key.Secret)
			rr, _ := dns.NewRR(fmt.Sprintf("unverified%d.example.com. 300 IN A 192.0.2.%d", i, 80+i))
			s, _ := zone.NewRRSet([]dns.RR{rr})
			ch := provider.Change{Action: provider.Create, Name: s.Name, Type: s.Type, New: s}
			res, err := p.ApplyRRsets(context.Background(), origin, []provider.Change{ch}, nil, nil)
			if err == nil {
				t.Fatal("the UPDATE's answer did not verify, yet Apply reports success")
			}
			t.Logf("%v", err)
			if len(res.Applied) != 0 || len(res.Left.Perhaps) != 1 || len(res.Left.NotApplied) != 0 {
				t.Errorf("Left: %+v (applied %d); want the change perhaps applied", res.Left, len(res.Applied))
			}
			msg := err.Error()
			// No HTTP retry here: no "earlier try's server error".
			if !provider.PerhapsApplied(err) || !strings.Contains(msg, "perhaps applied") || strings.Contains(msg, "nothing of this message was applied") || strings.Contains(msg, "not applied") || strings.Contains(msg, "earlier try") {
				t.Errorf("an UPDATE applied whose NOERROR answer did not verify: %v; want it said perhaps applied, as Left lists it", err)
			}
			after, err := newProvider(t, srv.Addr, key.Secret).Records(context.Background(), origin)
			if err != nil {
				t.Fatal(err)
			}
			if got := after.Get(s.Name, s.Type); got == nil || !got.SameData(s) {
				t.Errorf("the server does not have the change: %v", got)
			}
		})
	}
}
