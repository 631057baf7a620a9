package cutover

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
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
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	ds := []string{a.ds(t), b.ds(t)}
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "old", ds)}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("old", ip), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("new", ip), a.keys(t))}}})
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
	// side's keys; the flip waits its TTL (2 s) from then.
	Status(context.Background(), c)
	if len(readKeys(t, path, "old")) == 0 {
		t.Fatalf("status recorded no DNSKEY set of the old side")
	}
	time.Sleep(3 * time.Second)
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
