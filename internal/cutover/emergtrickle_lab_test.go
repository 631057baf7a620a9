package cutover

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
)

// trickler is a server that answers an AXFR of example.test. with its
// SOA and then one record a message, a message every 20 ms, never the
// closing SOA: a survivor that trickles its transfer, each read well
// within any read timeout. It stops when the client closes.
func trickler(t *testing.T) string {
	t.Helper()
	soa := transfertest.RRs(t, "example.test. 60 IN SOA ns1.old.example.test. h.example.test. 1 60 60 60 5")
	return transfertest.ServeQuery(t, nil, func(q *dns.Msg, c net.Conn) {
		dc := &dns.Conn{Conn: c}
		if dc.WriteMsg(transfertest.Answer(q, soa)) != nil {
			return
		}
		for i := 0; ; i++ {
			time.Sleep(20 * time.Millisecond)
			rr := transfertest.RRs(t, fmt.Sprintf("t%d.example.test. 60 IN TXT \"x\"", i))
			if dc.WriteMsg(transfertest.Answer(q, rr)) != nil {
				return
			}
		}
	})
}

// An emergency step with the side it leaves partly down unlistable and
// two survivors that trickle their transfers: each transfer is cut at
// Config.EmergencyListWait, the gate passes as not checked, and its
// detail names both survivors, in the order given, each with the wait
// that cut it. On the code before, the survivors were transferred one
// after the other on the step's own context, up to
// transfer.DefaultMaxTime (15 minutes) each: here the test's safety
// context ended the first and the reason said only "context deadline
// exceeded", and the listing refused at once was said to be cut "within
// 500ms" (the wait had passed by the time the reason was written).
func TestEmergencyTrickledTransferBoundLab(t *testing.T) {
	l := newReviewLab(t, 5)
	c := l.mk()
	c.Old.Provider = unlistable{c.Old.Provider}
	c.Parity.OldTSIG = nil
	c.EmergencyListWait = 500 * time.Millisecond
	a, b := trickler(t), trickler(t)
	// A safety net only: the bound under test is EmergencyListWait.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	g := downComplete(ctx, c, &c.Old, &c.New, []string{a, b})
	if !g.OK || !strings.Contains(g.Detail, "not checked") {
		t.Fatalf("old-complete %+v, want passed as not checked", g)
	}
	i, j := strings.Index(g.Detail, a+" (not complete within 500ms"), strings.Index(g.Detail, b+" (not complete within 500ms")
	if i < 0 || j < 0 || i > j {
		t.Errorf("the detail does not name both trickling survivors, in order, cut at the wait: %s", g.Detail)
	}
	// The listing failed at once (a 503): not said to be cut at the wait,
	// however long the transfers after it took.
	if !strings.Contains(g.Detail, "cannot be listed (api.old.test: 503") {
		t.Errorf("a listing refused at once is said to be cut at the wait: %s", g.Detail)
	}
}

// With the provider listed, the survivors' transfers show what no
// listing names: one cut at the wait (a trickling survivor) is named in
// a warning of the gate, which passes on the listing. On the code before,
// a failed transfer there was dropped without a word (`transferred, _ :=`).
func TestEmergencyListedTrickledTransferWarnedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	c := l.mk()
	c.Parity.OldTSIG = nil
	c.EmergencyListWait = 500 * time.Millisecond
	a := trickler(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	g := downComplete(ctx, c, &c.Old, &c.New, []string{a})
	if !g.OK {
		t.Fatalf("old-complete %+v, want passed on the listing", g)
	}
	if !has(g.warnings, "old-complete", a+" (not complete within 500ms") {
		t.Errorf("no warning names the survivor whose transfer was cut: %q (detail: %s)", g.warnings, g.Detail)
	}
}
