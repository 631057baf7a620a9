package parent

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestParentWaveSharedGlueLab: example.test. and other.test. both use
// the host ns1.old.example.test. (in example.test.'s bailiwick) and move
// off it in one wave. The parent must end without its glue: no NS set
// names it, and an address left there is one the zones moved away from
// (whoever holds it next answers once a delegation names the host
// again). On the code before, each change saw the other still naming
// the host and kept the glue (other.test.'s, besides, never removed
// glue outside its own bailiwick), in either order; and a re-run found
// nothing to do and left it too.
func TestParentWaveSharedGlueLab(t *testing.T) {
	const shared = parentText + "other 5 NS ns1.old.example.test.\n"
	// A wave that stopped half-way, or the code before, left this:
	// example.test. moved, the host's glue kept.
	const left = parentHead + `example 5 NS ns1.new.example.test.
example 5 NS ns.provider.net.
ns1.new.example 5 A 192.0.2.9
ns1.old.example 5 A 192.0.2.1
other 5 NS ns1.new.other.test.
other 5 NS ns.provider.net.
ns1.new.other 5 A 192.0.2.10
`
	wantEx, wantOther := waveWants()
	cases := []struct {
		name string
		text string
		// first is flipped between second's read and its write; "" runs
		// second alone.
		first, second string
	}{
		{"other.test. lands inside example.test.'s change", shared, "other.test.", "example.test."},
		{"example.test. lands inside other.test.'s change", shared, "example.test.", "other.test."},
		{"a re-run removes the glue a wave left", left, "", "example.test."},
	}
	want := map[string]registrar.Delegation{"example.test.": wantEx, "other.test.": wantOther}
	for _, kind := range parentKinds {
		for _, tc := range cases {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				ctx := context.Background()
				_, newReg := waveParent(t, kind, tc.text)
				plain := newReg(nil)
				var meanwhile func() error
				if tc.first != "" {
					meanwhile = func() error { return plain.SetDelegation(ctx, tc.first, want[tc.first]) }
				}
				if err := newReg(meanwhile).SetDelegation(ctx, tc.second, want[tc.second]); err != nil {
					t.Fatal(err)
				}
				z, err := plain.Provider.Records(ctx, "test.")
				if err != nil {
					t.Fatal(err)
				}
				for child, w := range want {
					if d := FromZone(z, child); !registrar.SameNS(d.NS, w.NS) || !registrar.SameGlue(d.Glue, w.Glue) {
						t.Errorf("%s in the parent zone: %+v, want %+v", child, d, w)
					}
				}
				for _, n := range []string{"ns1.old.example.test.", "ns2.old.example.test."} {
					if a := z.Addrs(n); len(a) != 0 {
						t.Errorf("glue of %s, which no NS set names, left in the parent zone: %v", n, a)
					}
				}
			})
		}
	}
}

// TestParentGlueNamedMeanwhileLab: between the registrar's read and its
// write, another writer delegates third.test. to ns1.old.example.test.,
// the host example.test. is leaving, relying on the glue there. The
// glue's deletion is refused (ErrConflict naming third.test.), nothing
// applied: an UPDATE can only require the glue itself as read, not that
// no NS set names it. On the code before, the glue was deleted and
// third.test.'s referral carried no address for its only nameserver,
// whose name resolves through example.test.'s new servers, which need
// not serve it.
func TestParentGlueNamedMeanwhileLab(t *testing.T) {
	wantEx, _ := waveWants()
	third := registrar.Delegation{NS: []string{"ns1.old.example.test."}, NSTTL: 5}
	for _, kind := range parentKinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			_, newReg := waveParent(t, kind, parentText)
			someone := newReg(nil)
			ex := newReg(func() error { return someone.SetDelegation(ctx, "third.test.", third) })
			err := ex.SetDelegation(ctx, "example.test.", wantEx)
			if !errors.Is(err, provider.ErrConflict) || !strings.Contains(err.Error(), "third.test.") {
				t.Fatalf("a change deleting glue another delegation came to name: %v, want ErrConflict naming third.test.", err)
			}
			if a := glueAt(t, someone, "ns1.old.example.test."); len(a) != 1 || a[0] != "192.0.2.1" {
				t.Errorf("glue of ns1.old.example.test., which third.test. names: %v, want 192.0.2.1", a)
			}
		})
	}
}

// TestParentWaveBothSweepLab: example.test. and other.test., which share
// the host ns1.old.example.test., are flipped at once: both read the
// parent before either writes (each keeps the host's glue: the other
// still names it), both write, then both read back and find the glue no
// NS set names. example.test. removes it first; other.test.'s removal,
// planned on its read-back, finds it gone. Both succeed: the glue is
// gone as both wanted. On the code before, other.test.'s removal was
// refused as a conflict (the glue it was to delete was absent) and its
// flip reported an error for a wave that had converged.
func TestParentWaveBothSweepLab(t *testing.T) {
	const shared = parentText + "other 5 NS ns1.old.example.test.\n"
	wantEx, wantOther := waveWants()
	for _, kind := range parentKinds {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			_, newReg := waveParent(t, kind, shared)
			ex, other := newReg(nil), newReg(nil)
			exRead, otherRead, exWrote, otherWrote, otherBack, exSwept := make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{}), make(chan struct{})
			// reads: 1 plan, 2 before the write, 3 read-back, 4 before
			// the glue's removal; writes: 1 the change, 2 the removal
			ex.Provider.(interface{ wrapper() *between }).wrapper().onRead = func(n int) {
				switch n {
				case 2:
					close(exRead)
					<-otherRead
				case 3:
					<-otherBack
				}
			}
			ex.Provider.(interface{ wrapper() *between }).wrapper().onWrite = func(n int) {
				switch n {
				case 1:
					close(exWrote)
					<-otherWrote
				case 2:
					close(exSwept)
				}
			}
			other.Provider.(interface{ wrapper() *between }).wrapper().onRead = func(n int) {
				switch n {
				case 2:
					close(otherRead)
					<-exWrote
				case 4:
					close(otherBack)
					<-exSwept
				}
			}
			other.Provider.(interface{ wrapper() *between }).wrapper().onWrite = func(n int) {
				if n == 1 {
					close(otherWrote)
				}
			}
			errs := make(chan error, 1)
			go func() { errs <- other.SetDelegation(ctx, "other.test.", wantOther) }()
			if err := ex.SetDelegation(ctx, "example.test.", wantEx); err != nil {
				t.Errorf("example.test.: %v", err)
			}
			if err := <-errs; err != nil {
				t.Errorf("other.test.: %v", err)
			}
			if a := glueAt(t, ex, "ns1.old.example.test."); len(a) != 0 {
				t.Errorf("glue of ns1.old.example.test., which no NS set names: %v", a)
			}
		})
	}
}

// TestParentGlueNamedAndBackMeanwhileLab: right after example.test.'s
// write deleted the glue of ns1.old.example.test., another writer
// delegates third.test. to that host and puts its glue back itself. The
// read-back finds the host named and its glue there: there is nothing to
// put back, and the glue the step deleted reads back present, another
// writer's change (ErrConflict, "reads back otherwise"). On the code
// before, the registrar tried to create the glue again, the server
// refused it (it exists), and the error said putting it back failed and
// to add it back by hand, which was already done.
func TestParentGlueNamedAndBackMeanwhileLab(t *testing.T) {
	for _, kind := range prereqKinds {
		t.Run(kind, func(t *testing.T) {
			_, newReg := waveParent(t, kind, parentText)
			ex := newReg(nil)
			someone := newReg(nil)
			ctx := context.Background()
			wantEx, _ := waveWants()
			ex.Provider.(interface{ wrapper() *between }).wrapper().afterWrite = func() error {
				if err := setRRset(ctx, someone.Provider, "third.test.", dns.TypeNS, "third.test. 5 IN NS ns1.old.example.test."); err != nil {
					return err
				}
				return setRRset(ctx, someone.Provider, "ns1.old.example.test.", dns.TypeA, "ns1.old.example.test. 5 IN A 192.0.2.1")
			}
			err := ex.SetDelegation(ctx, "example.test.", wantEx)
			if !errors.Is(err, provider.ErrConflict) || strings.Contains(err.Error(), "by hand") || !strings.Contains(err.Error(), "ns1.old.example.test. A: absent was expected") {
				t.Fatalf("glue named and put back by another writer after the write: %v, want ErrConflict from the read-back naming the glue, no call to add it by hand", err)
			}
			if a := glueAt(t, someone, "ns1.old.example.test."); len(a) != 1 || a[0] != "192.0.2.1" {
				t.Errorf("glue of ns1.old.example.test., which third.test. names: %v, want 192.0.2.1", a)
			}
		})
	}
}
