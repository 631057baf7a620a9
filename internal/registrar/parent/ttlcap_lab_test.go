package parent

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// TestParentTTLCappedLab: a parent server that caps TTLs (BIND
// max-zone-ttl 60) stores the delegation a step writes with TTL 3600 at
// TTL 60. On the code before, the read-back took that for another
// writer's change: ErrConflict, "reads back otherwise", and the flip
// stopped with the change made. Now the data is the step's and every
// RRset written above 60 holds exactly 60, no RRset of the parent zone
// above it: the server's cap, a *registrar.Kept naming the TTL the
// parent keeps. Another writer's TTL or records after the write, under
// the same cap, is still a conflict: a TTL that is not one cap over every
// RRset written, or records not the step's. So is, on a server with no
// cap, another writer lowering every RRset written to exactly the zone's
// highest TTL (60) right after the write: on the code before, it looked
// like a cap (one TTL, nothing above it) and passed as a warning; the
// server's own evidence, its SOA serial moved by this one write at most,
// tells them apart (the other writer's write moved it again). The same
// writer's one UPDATE that also writes a sibling's NS set moves the
// serial again too: on the code before, the sibling's delegation excused
// that move (one write a sibling cut) and it passed as a cap; the zone
// read back cannot tell whose write set our TTLs, so it is a conflict.
func TestParentTTLCappedLab(t *testing.T) {
	lab.Require(t, "named")
	want := cappedWant()
	cases := []struct {
		what  string
		after func(ctx context.Context, p provider.Provider) error
		// capped: a *registrar.Kept with TTL 60; else ErrConflict.
		capped bool
		noCap  bool // the server has no max-zone-ttl
	}{
		{what: "capped", capped: true},
		{what: "NS TTL lowered by another writer", after: func(ctx context.Context, p provider.Provider) error {
			return retime(ctx, p, "example.test.", dns.TypeNS, 30)
		}},
		{what: "NS replaced by another writer", after: func(ctx context.Context, p provider.Provider) error {
			return setRRset(ctx, p, "example.test.", dns.TypeNS, "example.test. 60 IN NS ns.elsewhere.net.")
		}},
		{what: "no cap: another writer lowers every RRset written to the zone's highest TTL", noCap: true, after: func(ctx context.Context, p provider.Provider) error {
			if err := retime(ctx, p, "example.test.", dns.TypeNS, 60); err != nil {
				return err
			}
			return retime(ctx, p, "ns1.new.example.test.", dns.TypeA, 60)
		}},
		{what: "no cap: one UPDATE lowers every RRset written to the zone's highest TTL and writes a sibling's NS set", noCap: true, after: func(ctx context.Context, p provider.Provider) error {
			z, err := p.Records(ctx, "test.")
			if err != nil {
				return err
			}
			ns, err := retimed(z, "example.test.", dns.TypeNS, 60)
			if err != nil {
				return err
			}
			glue, err := retimed(z, "ns1.new.example.test.", dns.TypeA, 60)
			if err != nil {
				return err
			}
			sibling, err := rrsetChange(z, "other.test.", dns.TypeNS, "other.test. 60 IN NS ns9.elsewhere.net.")
			if err != nil {
				return err
			}
			return applyTo(ctx, p, ns, glue, sibling)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			ctx := context.Background()
			opts := lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: parentText}}, TSIG: key, AllowUpdate: true, MaxZoneTTL: 60}
			if tc.noCap {
				opts.MaxZoneTTL = 0
			}
			s := lab.BIND(t, opts)
			pc := &config.Provider{Name: "parent", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, Algorithm: "hmac-sha256", SecretEnv: "K", Secret: config.Secret(key.Secret)}, Settings: &rfc2136.Settings{Server: s.Addr}}
			p, err := provider.New(pc)
			if err != nil {
				t.Fatal(err)
			}
			b := &between{Provider: p}
			ex := &Parent{Zone: "test.", Provider: betweenRRsets{b}}
			if tc.after != nil {
				someone, err := provider.New(pc)
				if err != nil {
					t.Fatal(err)
				}
				b.afterWrite = func() error { return tc.after(ctx, someone) }
			}
			err = ex.SetDelegation(ctx, "example.test.", want)
			var kept *registrar.Kept
			if !tc.capped {
				if !errors.Is(err, provider.ErrConflict) || errors.As(err, &kept) {
					t.Fatalf("another writer's change after the write, under a TTL cap: %v, want ErrConflict", err)
				}
				return
			}
			if !errors.As(err, &kept) || errors.Is(err, provider.ErrConflict) {
				t.Fatalf("a write the server capped at TTL 60: %v, want a *registrar.Kept", err)
			}
			if kept.NSTTL != 60 || !strings.Contains(kept.Error(), "TTL 60") || !strings.Contains(kept.Error(), "3600") {
				t.Errorf("Kept %+v (%v), want NS TTL 60 named with the 3600 asked", kept, kept)
			}
			z, err := p.Records(ctx, "test.")
			if err != nil {
				t.Fatal(err)
			}
			if d := FromZone(z, "example.test."); strings.Join(d.NS, " ") != strings.Join(want.NS, " ") || d.NSTTL != 60 {
				t.Errorf("at the parent: %+v, want the step's NS set at TTL 60", d)
			}
			// Again: the same cap, the same answer, nothing else.
			if err := ex.SetDelegation(ctx, "example.test.", want); !errors.As(err, &kept) {
				t.Errorf("the step again: %v, want a *registrar.Kept", err)
			}
		})
	}
}

// TestParentTTLCapSurvivesLab: a parent server that caps TTLs (BIND
// max-zone-ttl 60) keeps the delegation a step writes at TTL 60, and
// then something else in the same run goes wrong, or a sibling of the
// wave writes to the parent zone too:
//
//   - a sibling delegation (other.test.) is written right after the
//     step's write, moving the parent's serial a second time: the zone
//     read back cannot tell whether that write also set the TTLs of the
//     RRsets the step wrote (one UPDATE that writes a sibling's NS set
//     and lowers ours reads back the same), so it is ErrConflict, and
//     the step run again finds the cap (its write changes nothing, the
//     serial stays). On the code before, the sibling's delegation
//     excused the serial's move and the cap passed; it is a conflict now
//     on purpose (TestParentTTLCappedLab, TestCappedTTL);
//   - a sibling moves off the host it shared with this child between the
//     step's plan and its write, then the sweep of the glue no NS set
//     names (that host's) fails: on the code before, SetDelegation
//     returned the sweep's error alone and the cap was lost (the step
//     reported the failure, never that resolvers cache the delegation
//     for 60 s, not 3600). Now the error carries both: errors.As finds
//     the *registrar.Kept, and registrar.SplitKept gives the failure
//     without it.
func TestParentTTLCapSurvivesLab(t *testing.T) {
	lab.Require(t, "named")
	want := cappedWant()
	cases := []struct {
		what  string
		setup func(ctx context.Context, b *between, someone provider.Provider)
		// capped: a *registrar.Kept with TTL 60 is in the error; failed:
		// another failure beside it; else ErrConflict and no Kept.
		capped, failed bool
	}{
		{what: "a sibling written before the write, then the sweep fails", capped: true, failed: true, setup: func(ctx context.Context, b *between, someone provider.Provider) {
			b.meanwhile = func() error {
				return setRRset(ctx, someone, "other.test.", dns.TypeNS, "other.test. 60 IN NS ns9.elsewhere.net.")
			}
			b.afterWrite = func() error {
				b.beforeWrite = func() error { return errors.New("the server refused the sweep") }
				return nil
			}
		}},
		{what: "a sibling delegation written right after", setup: func(ctx context.Context, b *between, someone provider.Provider) {
			b.afterWrite = func() error {
				return setRRset(ctx, someone, "other.test.", dns.TypeNS, "other.test. 60 IN NS ns9.elsewhere.net.")
			}
		}},
		{what: "a sibling written and this NS TTL lowered", setup: func(ctx context.Context, b *between, someone provider.Provider) {
			b.afterWrite = func() error {
				if err := setRRset(ctx, someone, "other.test.", dns.TypeNS, "other.test. 60 IN NS ns9.elsewhere.net."); err != nil {
					return err
				}
				return retime(ctx, someone, "example.test.", dns.TypeNS, 30)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			ctx := context.Background()
			// other.test. shares the host ns1.old.example.test.: the
			// step's plan keeps its glue, and once the sibling moves
			// off it (before the write) the sweep removes it.
			text := waveParentText + "other 5 NS ns1.old.example.test.\n"
			s := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: "test.", Text: text}}, TSIG: key, AllowUpdate: true, MaxZoneTTL: 60})
			pc := &config.Provider{Name: "parent", Type: "rfc2136", TSIG: &config.TSIG{Name: key.Name, Algorithm: "hmac-sha256", SecretEnv: "K", Secret: config.Secret(key.Secret)}, Settings: &rfc2136.Settings{Server: s.Addr}}
			p, err := provider.New(pc)
			if err != nil {
				t.Fatal(err)
			}
			someone, err := provider.New(pc)
			if err != nil {
				t.Fatal(err)
			}
			b := &between{Provider: p}
			tc.setup(ctx, b, someone)
			err = (&Parent{Zone: "test.", Provider: betweenRRsets{b}}).SetDelegation(ctx, "example.test.", want)
			kept, rest := registrar.SplitKept(err)
			switch {
			case !tc.capped:
				if kept != nil || !errors.Is(err, provider.ErrConflict) {
					t.Fatalf("%v: want ErrConflict, no cap", err)
				}
			case kept == nil || kept.NSTTL != 60:
				t.Fatalf("%v: want the cap (a *registrar.Kept, TTL 60) in the error", err)
			case tc.failed && (rest == nil || !strings.Contains(rest.Error(), "removing the glue") || strings.Contains(rest.Error(), "its cap")):
				t.Errorf("the failure beside the cap: %v, want the sweep's error alone", rest)
			case !tc.failed && rest != nil:
				t.Errorf("a capped write and a sibling's: %v beside the cap, want the cap alone", rest)
			}
		})
	}
}

// cappedWant is the delegation the TTL-cap tests write: NS TTL 3600,
// above the lab parent's max-zone-ttl of 60.
func cappedWant() registrar.Delegation {
	want := registrar.Delegation{NS: []string{"ns1.new.example.test.", "ns.provider.net."}, NSTTL: 3600,
		Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9"}}}
	want.Normalize()
	return want
}
