package parent

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// waveParentText is a parent zone with two delegations, example.test. and
// other.test.
const waveParentText = parentText + `other 5 NS ns1.old.other.test.
ns1.old.other 5 A 192.0.2.3
`

// between is an rfc2136 provider that, once, runs meanwhile after the
// first read of the parent zone: another writer's change lands between
// this registrar's read (its plan) and its UPDATE.
type between struct {
	*rfc2136.Provider
	meanwhile func() error
}

func (b *between) Records(ctx context.Context, origin string) (*zone.Zone, error) {
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

// waveParent is a BIND server holding waveParentText and a registrar for
// it whose provider runs meanwhile after its first read.
func waveParent(t *testing.T) (addr string, newReg func(meanwhile func() error) *Parent) {
	t.Helper()
	lab.Require(t, "named")
	s := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: waveParentText}}, TSIG: key, AllowUpdate: true})
	pc := &config.Provider{Name: "parent", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, Algorithm: "hmac-sha256", SecretEnv: "K", Secret: config.Secret(key.Secret)}, Settings: &rfc2136.Settings{Server: s.Addr}}
	return s.Addr, func(meanwhile func() error) *Parent {
		p, err := provider.New(pc)
		if err != nil {
			t.Fatal(err)
		}
		return &Parent{Zone: "test.", Provider: &between{Provider: p.(*rfc2136.Provider), meanwhile: meanwhile}}
	}
}

// TestParentWaveLab: two children of one parent zone flipped at once (a
// wave of 2): example.test.'s change is planned, other.test.'s is planned
// and applied, then example.test.'s is sent. Both apply: a delegation
// change requires the child's own delegation RRsets as read, not the
// parent's SOA serial, which the sibling's change moved. Before, the
// second was refused ("the zone's SOA serial moved from 1 to 2 since the
// plan").
func TestParentWaveLab(t *testing.T) {
	ctx := context.Background()
	addr, newReg := waveParent(t)
	wantEx := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}}}
	wantOther := registrar.Delegation{NS: []string{"ns1.new.other.test.", "ns.provider.net."}, NSTTL: 5,
		Glue: map[string][]string{"ns1.new.other.test.": {"192.0.2.10"}}}
	wantEx.Normalize()
	wantOther.Normalize()
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
func TestParentWaveConflictLab(t *testing.T) {
	ctx := context.Background()
	addr, newReg := waveParent(t)
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
	z, rerr := someone.Provider.Records(ctx, "test.")
	if rerr != nil {
		t.Fatal(rerr)
	}
	if a := z.Addrs("ns1.new.example.test."); len(a) != 0 {
		t.Errorf("glue of the refused change applied: %v", a)
	}
}
