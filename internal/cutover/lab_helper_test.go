package cutover

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/delegation"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/registrar/manual"
	"github.com/dnsparity/dnsparity/internal/registrar/parent"
	"github.com/dnsparity/dnsparity/internal/transfer/transfertest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// rfc2136Provider is an rfc2136 provider reading and updating the server
// at addr, with TSIG key when it is not nil.
func rfc2136Provider(t *testing.T, addr string, key *lab.TSIGKey) provider.Provider {
	t.Helper()
	pc := &config.Provider{Name: "x", Type: "rfc2136", Settings: &rfc2136.Settings{Server: addr}}
	if key != nil {
		pc.TSIG = &config.TSIG{Name: key.Name, SecretEnv: "K", Secret: config.Secret(key.Secret)}
	}
	p, err := provider.New(pc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// pdnsProvider is the PowerDNS srv, through its API, as the provider
// named old.
func pdnsProvider(t *testing.T, srv *lab.PowerDNS) provider.Provider {
	t.Helper()
	p, err := powerdns.New(&config.Provider{Name: "old", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: srv.APIURL, APIKey: config.Secret(srv.APIKey)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// signedParent is test. signed by p, delegating example.test. to
// ns1.<side>.example.test. (glue: ip[side]) with the DS records ds, NS, glue
// and DS at TTL 5.
func signedParent(t *testing.T, p *signer, ip map[string]string, serial int, side string, ds []string) string {
	t.Helper()
	text := fmt.Sprintf("$ORIGIN test.\n$TTL 60\n@ SOA ns.test. h.test. %d 60 60 1209600 5\n@ NS ns\nns A %s\nexample 5 NS ns1.%s.example\nns1.%s.example 5 A %s\n",
		serial, ip["parent"], side, side, ip[side])
	for _, d := range ds {
		text += "example 5 DS " + d + "\n"
	}
	return p.sign(t, text, nil)
}

// signedConfig is the step configuration of the signed-zone lab tests: one
// server a side (rfc2136 providers reading them), ns1.old/ns1.new with
// glue, the manual registrar polling parent, prestage ttl, git's zone z.
func signedConfig(t *testing.T, z *zone.Zone, ip map[string]string, old, nw, parent *lab.Server, path string, ttl uint32) *Config {
	t.Helper()
	return &Config{
		Zone:          z,
		Old:           Side{Name: "old", Servers: []string{old.Addr}, Delegation: []string{"ns1.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {ip["old"]}}, Provider: rfc2136Provider(t, old.Addr, nil)},
		New:           Side{Name: "new", Servers: []string{nw.Addr}, Delegation: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {ip["new"]}}, Provider: rfc2136Provider(t, nw.Addr, nil)},
		Registrar:     &manual.Manual{Servers: []string{parent.Addr}, Out: &syncBuffer{}, Wait: time.Second, Poll: 100 * time.Millisecond},
		ParentServers: []string{parent.Addr},
		PrestageTTL:   ttl,
		TrailPath:     path,
		Actor:         "tester",
		Parity:        parity.Options{Timeout: 2 * time.Second, Retries: 2},
		Log:           &syncBuffer{},
		// One server a side, in one /24, transfers open: what these
		// tests are not about.
		Delegation: delegation.Policy{MinNS: 1, Accept: []string{delegation.CheckNSDiversity, delegation.CheckAXFROpen}},
	}
}

// reviewLab is a parent test. on BIND (RFC 2136 with TSIG) delegating
// example.test. to ns1.old.example.test. with glue, the NS TTL nsTTL, and
// the two sides on Knot, each serving its own in-bailiwick NS name.
type reviewLab struct {
	oldIP, newIP string
	parent       *lab.Server
	old, nw      *lab.Server
	reg          *parent.Parent
	z            *zone.Zone
	mk           func() *Config
}

// The lab's zones have an SOA expire of two weeks (1209600 s, RFC 1912
// §2.2's figure) unless a test is about it: a copy expiring before a
// step's need (copyNeeded: now + the parent's NS TTL + the side's own NS
// TTL, at most the two days of a TLD here) is what copyExpiry reads a
// second time, a second later (apexSOASeen.again), since a primary and a
// secondary refreshed in the second it was asked answer alike. With the
// 60 s once written here every step of every lab test waited for that
// second. The tests of copy expiry set their own (replaced: ownNSZone's
// and msZone's SOA timers are " 1 60 60 1209600 60" and " 1 60 60
// 1209600 2").

// replaced is s with old replaced by new once, failing t when s holds no
// old: a zone helper whose text changed would otherwise leave the test's
// zone silently unedited (its SOA expire, serial).
func replaced(t testing.TB, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("no %q in %q", old, s)
	}
	return strings.Replace(s, old, new, 1)
}

// ownNSZone is side's (old or new) example.test. in the review lab and
// signedSidesLab: its own in-bailiwick NS name ns1.<side>, ns1.old and
// ns1.new at ip["old"] and ip["new"], and www.
func ownNSZone(side string, ip map[string]string) string {
	return fmt.Sprintf("$ORIGIN example.test.\n$TTL 60\n@ SOA ns1.%s h.example.test. 1 60 60 1209600 60\n@ NS ns1.%s\nns1.old A %s\nns1.new A %s\nwww A 192.0.2.80\n", side, side, ip["old"], ip["new"])
}

func newReviewLab(t *testing.T, nsTTL int) *reviewLab {
	t.Helper()
	return newReviewLabParent(t, nsTTL, nil)
}

// newReviewLabParent is newReviewLab with the parent server's options
// changed by parentOpts (nil: none).
func newReviewLabParent(t *testing.T, nsTTL int, parentOpts func(*lab.Options)) *reviewLab {
	t.Helper()
	lab.Require(t, "named", "knotd")
	key := &lab.TSIGKey{Name: "k.", Secret: "cmV2aWV3Ny1rZXktZm9yLWRuc3Bhcml0eS10ZXN0cy0xMjM0NQ=="}
	l := &reviewLab{oldIP: lab.Addr(t), newIP: lab.Addr(t)}
	parentText := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. 1 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample %d NS ns1.old.example\nns1.old.example %d A %s\n", nsTTL, nsTTL, l.oldIP)
	ip := map[string]string{"old": l.oldIP, "new": l.newIP}
	po := lab.Options{TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}}
	if parentOpts != nil {
		parentOpts(&po)
	}
	l.parent = lab.BIND(t, po)
	old := lab.Knot(t, lab.Options{IP: l.oldIP, AllowUpdate: true, Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("old", ip)}}})
	nw := lab.Knot(t, lab.Options{IP: l.newIP, Zones: []lab.Zone{{Origin: "example.test.", Text: ownNSZone("new", ip)}}})
	// git has the new side's apex (the old side's differs only there,
	// which parity does not compare as data).
	l.z = gitZone(t, ownNSZone("new", ip))
	l.old, l.nw = old, nw
	l.reg = &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, l.parent.Addr, key)}
	path := prestagedTrail(t, 60)
	l.mk = func() *Config {
		// signedConfig's sides (ns1.old/ns1.new with glue), with the
		// parent registrar and the watch's short timings.
		c := signedConfig(t, l.z, ip, old, nw, l.parent, path, 60)
		c.ParentZone, c.Registrar = "test.", l.reg
		c.Watch, c.Confirm, c.Log = time.Second, 2*time.Second, io.Discard
		return c
	}
	return l
}

// flip flips the lab's zone with a policy.overlap of a second, so that
// only the gates a test looks at hold a finish; it returns the config and
// the time of the registrar change.
func (l *reviewLab) flip(t *testing.T, ctx context.Context) (*Config, *Report, time.Time) {
	t.Helper()
	c := l.mk()
	c.Overlap = time.Second
	rep := Flip(ctx, c, false, false)
	if rep.Result != ResultDone {
		t.Fatalf("flip: %s %+v %v", rep.Result, rep.Gates, rep.Errors)
	}
	return c, rep, rep.Change.At
}

// at is the lab's config with a policy.overlap of a second and a clock
// after past t0.
func (l *reviewLab) at(t0 time.Time, after time.Duration) *Config {
	c := l.mk()
	c.Overlap = time.Second
	c.Now = func() time.Time { return t0.Add(after) }
	return c
}

// overlapGate is rep's overlap gate (nil without one); every other gate
// of rep that is unmet is an error of t.
func overlapGate(t *testing.T, rep *Report) *Gate {
	t.Helper()
	var overlap *Gate
	for i, g := range rep.Gates {
		if g.Name == GateOverlap {
			overlap = &rep.Gates[i]
		} else if !g.OK {
			t.Errorf("gate %s unmet: %s", g.Name, g.Detail)
		}
	}
	return overlap
}

// setRRs replaces (or creates) the RRset of rrs at the side s's provider.
func setRRs(t *testing.T, s *Side, text ...string) {
	t.Helper()
	setRRsIn(t, s.Provider, "example.test.", text...)
}

// setRRsIn replaces (or creates) the RRset of rrs in zone origin at
// provider p.
func setRRsIn(t *testing.T, p provider.Provider, origin string, text ...string) {
	t.Helper()
	set, err := zone.NewRRSet(transfertest.RRs(t, text...))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := p.Records(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	ch := provider.Change{Action: provider.Create, Name: set.Name, Type: set.Type, New: set}
	if old := cur.Get(set.Name, set.Type); old != nil {
		ch.Action, ch.Old = provider.Replace, old
	}
	if _, err := p.Apply(context.Background(), origin, []provider.Change{ch}, nil); err != nil {
		t.Fatal(err)
	}
}

// signedSidesLab starts the parent test. on BIND at ip["parent"] (parentText,
// taking UPDATEs signed with key) and both sides on Knot at ip["old"] and
// ip["new"], each serving example.test. signed by a with its own NS
// (ns1.old or ns1.new); z is the new side's zone, reg the parent as the
// registrar.
func signedSidesLab(t *testing.T, ip map[string]string, a *signer, key *lab.TSIGKey, parentText string) (p, old, nw *lab.Server, z *zone.Zone, reg *parent.Parent) {
	t.Helper()
	p = lab.BIND(t, lab.Options{IP: ip["parent"], TSIG: key, AllowUpdate: true, Zones: []lab.Zone{{Origin: "test.", Text: parentText}}})
	old = lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, ownNSZone("old", ip), nil)}}})
	nw = lab.Knot(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, ownNSZone("new", ip), nil)}}})
	return p, old, nw, gitZone(t, ownNSZone("new", ip)), &parent.Parent{Zone: "test.", Provider: rfc2136Provider(t, p.Addr, key)}
}

// silent is an address (with port 53) nothing answers on: a server down.
func silent(t *testing.T) string { return net.JoinHostPort(lab.Addr(t), "53") }

// nsAt is the NS set the parent the registrar changes serves.
func nsAt(t *testing.T, l *reviewLab) string {
	t.Helper()
	return nsAtParent(t, l.parent.Addr)
}

// nsAtParent is the NS set the parent server at addr serves for
// example.test., space-separated.
func nsAtParent(t *testing.T, addr string) string {
	t.Helper()
	d, ok := registrar.Agreed(registrar.Lookup(context.Background(), []string{addr}, "example.test.", time.Second))
	if !ok {
		t.Fatalf("the parent does not answer")
	}
	return strings.Join(d.NS, " ")
}

// withServer is the lab's configuration, addr added to the servers of
// side ("old" or "new").
func (l *reviewLab) withServer(side, addr string) func() *Config {
	return func() *Config {
		c := l.mk()
		s := &c.Old
		if side == "new" {
			s = &c.New
		}
		s.Servers = append(s.Servers, addr)
		return c
	}
}

// gitZone is git's example.test. (zone file example.test.zone) holding
// text; text that does not parse ends the test.
func gitZone(t *testing.T, text string) *zone.Zone {
	t.Helper()
	z, err := zone.Parse(strings.NewReader(text), "example.test.zone", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// delegatingParent is the parent zone test. at serial delegating
// example.test. to <ns>.example.test. glued to ip with the DS records ds,
// the delegation's NS, glue and DS at TTL 5.
func delegatingParent(serial int, ns, ip string, ds ...string) string {
	text := fmt.Sprintf("$TTL 5\n@ SOA ns.test. h.test. %d 60 60 1209600 5\n@ NS ns.test.\nns A 127.0.0.1\nexample 5 NS %s.example\n%s.example 5 A %s\n", serial, ns, ns, ip)
	for _, d := range ds {
		text += "example 5 DS " + d + "\n"
	}
	return text
}

// parentCopy is another server of the parent zone test. (review lab),
// delegating example.test. to ns.example.test. glued to ip whatever the
// registrar does: a parent server that has not taken a change yet, or
// one on which someone else changed the delegation.
func parentCopy(t *testing.T, ns, ip string) string {
	t.Helper()
	text := delegatingParent(1, ns, ip)
	return lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: text}}}).Addr
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

// watchConfig is the config of a watch test: the zone parsed from text
// (git's, example.test.), one server a side, resolver asked every quarter
// of a second for at most bound.
func watchConfig(t *testing.T, text, oldAddr, newAddr, resolver string, bound time.Duration) *Config {
	t.Helper()
	z, err := zone.Parse(strings.NewReader(text), "z", "example.test.", "")
	if err != nil {
		t.Fatal(err)
	}
	return &Config{Zone: z, Timeout: 2 * time.Second, Resolvers: []string{resolver}, Watch: bound, Interval: 250 * time.Millisecond,
		Log: io.Discard, Now: time.Now,
		Old: Side{Name: "old", Servers: []string{oldAddr}}, New: Side{Name: "new", Servers: []string{newAddr}}}
}
