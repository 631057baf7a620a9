package cutover

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
	"github.com/dnsparity/dnsparity/internal/registrar/manual"
)

// signer is a KSK and a ZSK made by dnssec-keygen, signing with
// dnssec-signzone: the lab's independent signer (labsign).
type signer struct{ *labsign.Signer }

func newSigner(t *testing.T, origin string) *signer { return &signer{labsign.New(t, origin)} }

func (s *signer) keys(t *testing.T) []string { return s.Keys(t) }
func (s *signer) ds(t *testing.T) string     { return s.DS(t, "2") }

// sign adds the signer's keys and extra (another provider's) and signs
// with the signer's own keys only.
func (s *signer) sign(t *testing.T, text string, extra []string) string {
	return s.Sign(t, text, labsign.Opts{ExtraKeys: extra})
}

// goT is a lab.T for a goroutine other than the test's: a fatal error
// fails the test and ends the goroutine (FailNow may not be called there).
type goT struct{ *testing.T }

func (g goT) Fatalf(format string, args ...any) {
	g.T.Errorf(format, args...)
	runtime.Goexit()
}

// syncBuffer is the manual registrar's output, read by the "person".
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// keyTags are the key tags of the signers' KSKs and ZSKs, sorted.
func keyTags(signers ...*signer) []uint16 {
	var out []uint16
	for _, s := range signers {
		for _, tag := range []string{s.KSKTag(), s.ZSKTag()} {
			n, err := strconv.Atoi(tag)
			if err != nil {
				panic(err)
			}
			out = append(out, uint16(n))
		}
	}
	slices.Sort(out)
	return out
}

func msZone(side string, ip map[string]string) string {
	return fmt.Sprintf("$ORIGIN example.test.\n$TTL 2\n@ SOA ns1.%s.example.test. h.example.test. 1 60 60 60 2\n@ NS ns1.%s.example.test.\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\nwww AAAA 2001:db8::80\n@ MX 10 mail\nmail A 192.0.2.25\n",
		side, side, ip["old"], ip["new"])
}

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
