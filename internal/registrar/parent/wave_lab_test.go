package parent

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// waveParentText is a parent zone with two delegations, example.test. and
// other.test.
const waveParentText = parentText + `other 5 NS ns1.old.other.test.
ns1.old.other 5 A 192.0.2.3
`

// between is a parent provider that, once, runs meanwhile after the
// first read of the parent zone: another writer's change lands between
// this registrar's read (its plan) and its write.
type between struct {
	provider.Provider
	meanwhile func() error
	// afterWrite, when not nil, runs once right after the first write
	// applied: another writer's change lands just after this one.
	afterWrite func() error
	// beforeWrite, when not nil, runs once right before the first write
	// is sent, after every read the registrar makes before it: another
	// writer's change lands between the last read and the UPDATE.
	beforeWrite func() error
	// onRead, when not nil, runs before each read with its number (from
	// 1), onWrite after each write that applied: a test orders two
	// registrars' steps with them.
	onRead, onWrite func(n int)
	reads, writes   int
}

func (b *between) Apply(ctx context.Context, origin string, cs []provider.Change, task progress.Updater) (provider.Result, error) {
	if err := b.before(); err != nil {
		return provider.Result{}, err
	}
	return b.wrote(b.Provider.Apply(ctx, origin, cs, task))
}

// before runs beforeWrite, once.
func (b *between) before() error {
	f := b.beforeWrite
	if f == nil {
		return nil
	}
	b.beforeWrite = nil
	return f()
}

// wrote runs afterWrite, once, after a write that applied.
func (b *between) wrote(r provider.Result, err error) (provider.Result, error) {
	if err == nil {
		b.writes++
		if b.onWrite != nil {
			b.onWrite(b.writes)
		}
	}
	if err != nil || b.afterWrite == nil {
		return r, err
	}
	f := b.afterWrite
	b.afterWrite = nil
	return r, f()
}

func (b *between) Records(ctx context.Context, origin string) (*zone.Zone, error) {
	b.reads++
	if b.onRead != nil {
		b.onRead(b.reads)
	}
	z, err := b.Provider.Records(ctx, origin)
	if err != nil || b.meanwhile == nil {
		return z, err
	}
	f := b.meanwhile
	b.meanwhile = nil
	if err := f(); err != nil {
		return nil, err
	}
	return z, nil
}

// betweenRRsets is between for a provider that applies RRset-conditional
// changes (rfc2136): the registrar sees it as one.
type betweenRRsets struct{ *between }

func (b betweenRRsets) ChecksOld() {}

// between is the wrapper itself, whichever provider it wraps.
func (b *between) wrapper() *between { return b }

func (b betweenRRsets) ApplyRRsets(ctx context.Context, origin string, cs, kept []provider.Change, task progress.Updater) (provider.Result, error) {
	if err := b.before(); err != nil {
		return provider.Result{}, err
	}
	return b.wrote(b.Provider.(provider.RRsetConditional).ApplyRRsets(ctx, origin, cs, kept, task))
}

// parentKinds are the parents a delegation is changed in: BIND and Knot
// over RFC 2136, PowerDNS over its API.
var parentKinds = []string{"bind", "knot", "powerdns"}

// parentServer is a server of kind (parentKinds) holding text as the
// parent zone test., and the config of the provider that changes it.
func parentServer(t *testing.T, kind, text string) (addr string, pc *config.Provider) {
	t.Helper()
	zones := []lab.Zone{{Origin: "test.", Text: text}}
	switch kind {
	case "bind", "knot":
		var s *lab.Server
		if kind == "bind" {
			lab.Require(t, "named")
			s = lab.BIND(t, lab.Options{Zones: zones, TSIG: key, AllowUpdate: true})
		} else {
			lab.Require(t, "knotd")
			s = lab.Knot(t, lab.Options{Zones: zones, TSIG: key, AllowUpdate: true})
		}
		return s.Addr, &config.Provider{Name: "parent", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, Algorithm: "hmac-sha256", SecretEnv: "K", Secret: config.Secret(key.Secret)}, Settings: &rfc2136.Settings{Server: s.Addr}}
	case "powerdns-update":
		// PowerDNS over RFC 2136 (dnsupdate=yes, TSIG-ALLOW-DNSUPDATE):
		// the parent whose UPDATEs carry prerequisites, as BIND's and
		// Knot's do; its API has none.
		lab.Require(t, "pdns_server")
		s := lab.PDNS(t, lab.Options{Zones: zones, TSIG: key, AllowUpdate: true})
		return s.Addr, &config.Provider{Name: "parent", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, Algorithm: "hmac-sha256", SecretEnv: "K", Secret: config.Secret(key.Secret)}, Settings: &rfc2136.Settings{Server: s.Addr, Flavor: "powerdns"}}
	case "powerdns":
		lab.Require(t, "pdns_server")
		s := lab.PDNS(t, lab.Options{Zones: zones})
		return s.Addr, &config.Provider{Name: "parent", Type: "powerdns", Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: s.APIURL, APIKey: config.Secret(s.APIKey)}, ServerID: s.ServerID}}
	}
	t.Fatalf("no parent kind %q", kind)
	return "", nil
}

// waveParent is a server of kind holding text as the parent zone test.
// and a registrar for it whose provider runs meanwhile after its first
// read.
func waveParent(t *testing.T, kind, text string) (addr string, newReg func(meanwhile func() error) *Parent) {
	t.Helper()
	addr, pc := parentServer(t, kind, text)
	return addr, func(meanwhile func() error) *Parent {
		p, err := provider.New(pc)
		if err != nil {
			t.Fatal(err)
		}
		b := &between{Provider: p, meanwhile: meanwhile}
		if _, ok := p.(provider.RRsetConditional); ok {
			return &Parent{Zone: "test.", Provider: betweenRRsets{b}}
		}
		return &Parent{Zone: "test.", Provider: b}
	}
}

// waveWants are the delegations a wave sets: example.test. and
// other.test., each to a new in-bailiwick host and ns.provider.net.
func waveWants() (ex, other registrar.Delegation) {
	ex = registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}}}
	other = registrar.Delegation{NS: []string{"ns1.new.other.test.", "ns.provider.net."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.other.test.": {"192.0.2.10"}}}
	ex.Normalize()
	other.Normalize()
	return ex, other
}

// TestParentWaveLab: two children of one parent zone flipped at once (a
// wave of 2): example.test.'s change is planned, other.test.'s is planned
// and applied, then example.test.'s is sent. Both apply: a delegation
// change requires the child's own delegation RRsets as read, not the
// parent's SOA serial, which the sibling's change moved. Before, the
// second was refused ("the zone's SOA serial moved from 1 to 2 since the
// plan").
func TestParentWaveLab(t *testing.T) {
	for _, kind := range parentKinds {
		t.Run(kind, func(t *testing.T) { testParentWave(t, kind) })
	}
}

func testParentWave(t *testing.T, kind string) {
	ctx := context.Background()
	addr, newReg := waveParent(t, kind, waveParentText)
	wantEx, wantOther := waveWants()
	other := newReg(nil)
	ex := newReg(func() error { return other.SetDelegation(ctx, "other.test.", wantOther) })
	if err := ex.SetDelegation(ctx, "example.test.", wantEx); err != nil {
		t.Fatalf("example.test.'s change, after other.test.'s: %v", err)
	}
	for child, want := range map[string]registrar.Delegation{"example.test.": wantEx, "other.test.": wantOther} {
		d, ok := registrar.Agreed(registrar.Lookup(ctx, []string{addr}, child, time.Second))
		if !ok || strings.Join(d.NS, " ") != strings.Join(want.NS, " ") {
			t.Errorf("%s at the parent's server: %+v, want NS %v", child, d, want.NS)
		}
		for n, a := range want.Glue {
			if g := d.Glue[n]; len(g) != 1 || g[0] != a[0] {
				t.Errorf("%s: glue of %s %v, want %v", child, n, g, a)
			}
		}
	}
}

// TestParentWaveConflictLab: the child's own NS set changed at the parent
// between the read and the write (another writer moved this delegation):
// the change is refused, ErrConflict, and nothing of it is applied (the
// other writer's NS set and no new glue).
//
// The PowerDNS API has no prerequisites: its change was written blind
// over the other writer's NS set (on the code before, no error and
// example.test. delegated to ns1.new.example.test.).
func TestParentWaveConflictLab(t *testing.T) {
	for _, kind := range parentKinds {
		t.Run(kind, func(t *testing.T) { testParentWaveConflict(t, kind) })
	}
}

func testParentWaveConflict(t *testing.T, kind string) {
	ctx := context.Background()
	addr, newReg := waveParent(t, kind, waveParentText)
	theirs := registrar.Delegation{NS: []string{"ns.elsewhere.net."}, NSTTL: 5}
	mine := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}}}
	mine.Normalize()
	someone := newReg(nil)
	ex := newReg(func() error { return someone.SetDelegation(ctx, "example.test.", theirs) })
	err := ex.SetDelegation(ctx, "example.test.", mine)
	if !errors.Is(err, provider.ErrConflict) {
		t.Fatalf("a change planned against an NS set changed since: %v, want ErrConflict", err)
	}
	d, ok := registrar.Agreed(registrar.Lookup(ctx, []string{addr}, "example.test.", time.Second))
	if !ok || strings.Join(d.NS, " ") != "ns.elsewhere.net." || len(d.Glue) != 0 {
		t.Errorf("at the parent's server after the refusal: %+v, want the other writer's NS set and no glue", d)
	}
	if a := glueAt(t, someone, "ns1.new.example.test."); len(a) != 0 {
		t.Errorf("glue of the refused change applied: %v", a)
	}
}

// glueAt are the addresses the parent zone test. holds at name, as p's
// provider reads it.
func glueAt(t *testing.T, p *Parent, name string) []string {
	t.Helper()
	z, err := p.Provider.Records(context.Background(), "test.")
	if err != nil {
		t.Fatal(err)
	}
	return z.Addrs(name)
}

// retime sets the TTL of the RRset (name, t) of the parent zone test. to
// ttl through p, its records unchanged: another writer's TTL-only change.
func retime(ctx context.Context, p provider.Provider, name string, t uint16, ttl uint32) error {
	z, err := p.Records(ctx, "test.")
	if err != nil {
		return err
	}
	c, err := retimed(z, name, t, ttl)
	if err != nil {
		return err
	}
	return applyTo(ctx, p, c)
}

// retimed is the change that sets the TTL of z's RRset (name, t) to ttl,
// its records kept.
func retimed(z *zone.Zone, name string, t uint16, ttl uint32) (provider.Change, error) {
	old := z.Get(name, t)
	if old == nil {
		return provider.Change{}, errors.New("no " + name + " " + dns.Type(t).String() + " to retime")
	}
	rrs := old.RRs()
	for _, rr := range rrs {
		rr.Header().Ttl = ttl
	}
	n, err := zone.NewRRSet(rrs)
	if err != nil {
		return provider.Change{}, err
	}
	return provider.Change{Action: provider.Replace, Name: old.Name, Type: t, Old: old, New: n}, nil
}

// applyTo applies cs to the parent zone test. through p in one write
// (one UPDATE over RFC 2136), as another writer would.
func applyTo(ctx context.Context, p provider.Provider, cs ...provider.Change) error {
	if rc, ok := p.(provider.RRsetConditional); ok {
		_, err := rc.ApplyRRsets(ctx, "test.", cs, nil, nil)
		return err
	}
	_, err := p.Apply(ctx, "test.", cs, nil)
	return err
}

// TestParentTTLOnlyChangeLab: another writer changes only the TTL of an
// RRset of example.test.'s delegation (its NS set, its DS set, the glue
// it moves away from) between the registrar's read and its write. An
// UPDATE's prerequisites compare RDATA only (RFC 2136 §2.4.2) and the
// PowerDNS API has none: on the code before, the change applied over it
// (no error) and the other writer's TTL was lost. Now the change is
// refused, ErrConflict naming the TTL, and nothing of it is applied.
func TestParentTTLOnlyChangeLab(t *testing.T) {
	want := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}},
		DS:   []string{"54321 13 2 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"}}
	want.Normalize()
	cases := []struct {
		what string
		name string
		typ  uint16
	}{
		{"NS TTL", "example.test.", dns.TypeNS},
		{"DS TTL", "example.test.", dns.TypeDS},
		{"glue TTL", "ns1.old.example.test.", dns.TypeA},
	}
	for _, kind := range parentKinds {
		for _, tc := range cases {
			t.Run(kind+"/"+tc.what, func(t *testing.T) {
				ctx := context.Background()
				_, newReg := waveParent(t, kind, parentText)
				someone := newReg(nil)
				ex := newReg(func() error { return retime(ctx, someone.Provider, tc.name, tc.typ, 300) })
				err := ex.SetDelegation(ctx, "example.test.", want)
				if !errors.Is(err, provider.ErrConflict) || !strings.Contains(err.Error(), "TTL 5 was expected, it has TTL 300") {
					t.Fatalf("a change planned against %s %s whose TTL changed since: %v, want ErrConflict naming the TTL", tc.name, dns.Type(tc.typ), err)
				}
				z, err := someone.Provider.Records(ctx, "test.")
				if err != nil {
					t.Fatal(err)
				}
				if s := z.Get(tc.name, tc.typ); s == nil || s.TTL != 300 {
					t.Errorf("%s %s after the refusal: %v, want the other writer's TTL 300", tc.name, dns.Type(tc.typ), s)
				}
				if d := FromZone(z, "example.test."); strings.Join(d.NS, " ") != "ns1.old.example.test. ns2.old.example.test." || z.Get("ns1.new.example.test.", dns.TypeA) != nil {
					t.Errorf("the refused change was applied: %+v", d)
				}
			})
		}
	}
}

// TestParentReadBackLab: another writer changes only the TTL of
// example.test.'s new NS set right after the registrar's write applied.
// The change is read back: the error says the delegation was changed
// and reads back otherwise, naming the TTL (on the code before, which
// read nothing back, no error: the step went on as if the parent held
// what it wrote).
func TestParentReadBackLab(t *testing.T) {
	want := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}}}
	want.Normalize()
	for _, kind := range parentKinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			_, newReg := waveParent(t, kind, parentText)
			someone := newReg(nil)
			ex := newReg(nil)
			ex.Provider.(interface{ wrapper() *between }).wrapper().afterWrite = func() error {
				return retime(ctx, someone.Provider, "example.test.", dns.TypeNS, 300)
			}
			err := ex.SetDelegation(ctx, "example.test.", want)
			if !errors.Is(err, provider.ErrConflict) || !strings.Contains(err.Error(), "reads back otherwise") || !strings.Contains(err.Error(), "TTL 5 was expected, it has TTL 300") {
				t.Fatalf("a write another writer's TTL change followed: %v, want ErrConflict saying it reads back otherwise, naming the TTL", err)
			}
		})
	}
}

// TestParentDSLeftAloneChangedLab: a change that leaves the DS alone
// (want.DS nil: the cutover's flip without DNSSEC input) while another
// writer changes that DS set between the read and the write (a key added
// at the parent, or only its TTL). The DS is part of the delegation the
// change installs the new NS set with: it is refused, ErrConflict naming
// the DS, nothing applied. On the code before, which required only the
// RRsets it changed, the new NS set went live under a DS set the step
// never saw (every answer bogus for validating resolvers when the new
// side does not sign with that key).
func TestParentDSLeftAloneChangedLab(t *testing.T) {
	want := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}}}
	want.Normalize()
	added, err := dns.NewRR("example.test. 5 IN DS 54321 13 2 ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")
	if err != nil {
		t.Fatal(err)
	}
	changes := map[string]func(ctx context.Context, p provider.Provider) error{
		"a DS added": func(ctx context.Context, p provider.Provider) error {
			z, err := p.Records(ctx, "test.")
			if err != nil {
				return err
			}
			old := z.Get("example.test.", dns.TypeDS)
			n, err := zone.NewRRSet(append(old.RRs(), added))
			if err != nil {
				return err
			}
			return applyTo(ctx, p, provider.Change{Action: provider.Replace, Name: old.Name, Type: dns.TypeDS, Old: old, New: n})
		},
		"only its TTL": func(ctx context.Context, p provider.Provider) error {
			return retime(ctx, p, "example.test.", dns.TypeDS, 300)
		},
	}
	for _, kind := range parentKinds {
		for what, change := range changes {
			t.Run(kind+"/"+what, func(t *testing.T) {
				ctx := context.Background()
				addr, newReg := waveParent(t, kind, parentText)
				someone := newReg(nil)
				ex := newReg(func() error { return change(ctx, someone.Provider) })
				err := ex.SetDelegation(ctx, "example.test.", want)
				if !errors.Is(err, provider.ErrConflict) || !strings.Contains(err.Error(), "example.test. DS") {
					t.Fatalf("a change made while the DS it leaves alone changed: %v, want ErrConflict naming example.test. DS", err)
				}
				if d, ok := registrar.Agreed(registrar.Lookup(ctx, []string{addr}, "example.test.", time.Second)); !ok || strings.Join(d.NS, " ") != "ns1.old.example.test. ns2.old.example.test." {
					t.Errorf("at the parent's server after the refusal: %+v, want the old NS set", d)
				}
			})
		}
	}
}

// TestParentSweepManyLab: a parent zone holding more stale glue below
// example.test.'s cut than one UPDATE message carries (2,000 names, no NS
// set naming any). RemoveStaleGlue removes it all, in writes of
// sweepRecords records, each required and read back as any write. The
// delegation change itself is one message or nothing (ApplyRRsets); its
// sweep is glue no NS set names, whose removal in parts leaves no half of
// anything: after ApplyRRsets came to refuse what does not fit one
// message, the sweep failed here ("do not fit one UPDATE message") and
// every re-run with it.
func TestParentSweepManyLab(t *testing.T) {
	var text strings.Builder
	text.WriteString(parentText)
	for i := range 2000 {
		fmt.Fprintf(&text, "g%d.example 5 A 192.0.2.%d\n", i, i%250+1)
	}
	_, newReg := waveParent(t, "bind", text.String())
	p := newReg(nil)
	names, err := p.RemoveStaleGlue(context.Background(), "example.test.", false)
	if err != nil || len(names) != 2000 {
		t.Fatalf("RemoveStaleGlue: %d names, %v; want the 2000 stale names removed", len(names), err)
	}
	z, err := p.Provider.Records(context.Background(), "test.")
	if err != nil {
		t.Fatal(err)
	}
	if left := StaleGlue(z, "example.test.", nil); len(left) != 0 {
		t.Errorf("%d stale glue RRsets left, first %s", len(left), left[0].Name)
	}
	if a := z.Addrs("ns1.old.example.test."); len(a) != 1 {
		t.Errorf("the glue example.test.'s NS set names: %v, want kept", a)
	}
}
