package rfc2136_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestKnotDNAMEAgreesWithKnot pushes each zone by UPDATE to real Knot
// with the generic flavor (no checks of ours), over what the server
// holds from the case's first push (before), and compares what Knot does
// with what the knot flavor's plan refuses. Knot refuses an update that
// leaves data below a DNAME, whichever of the two the update adds
// (REFUSED, the whole message); BIND takes it (the data is occluded and
// never served: `check` warns). The knot flavor's plan took it and Knot
// refused the push at apply.
func TestKnotDNAMEAgreesWithKnot(t *testing.T) {
	lab.Require(t, "knotd")
	srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{lab.ZoneFile(t, origin, minZone)}, TSIG: key, AllowUpdate: true})
	p := newFlavor(t, srv.Addr, key.Secret, "generic")
	knot := newFlavor(t, srv.Addr, key.Secret, "knot")
	min, err := os.ReadFile(minZone)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	load := func(t *testing.T, lines string) *zone.Zone {
		t.Helper()
		path := filepath.Join(t.TempDir(), "z.zone")
		if err := os.WriteFile(path, []byte(string(min)+lines+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		z, err := zone.Load(path, zone.Options{Origin: origin})
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	push := func(t *testing.T, z *zone.Zone) error {
		t.Helper()
		cur, err := p.Records(ctx, origin)
		if err != nil {
			t.Fatal(err)
		}
		_, err = p.Apply(ctx, origin, plan.Compute(z, cur, plan.Options{Caps: p.Capabilities()}).Changes, nil)
		return err
	}
	cases := []struct {
		name, before, lines string
		refused             bool
	}{
		{"a DNAME alone", "", "dn DNAME example.net.", false},
		{"a DNAME and data below", "", "dn DNAME example.net.\nx.dn A 192.0.2.1", true},
		{"data below a DNAME held", "dn DNAME example.net.", "dn DNAME example.net.\nx.dn A 192.0.2.1", true},
		{"a DNAME above data held", "x.dn A 192.0.2.1", "dn DNAME example.net.\nx.dn A 192.0.2.1", true},
		{"data far below", "", "dn DNAME example.net.\na.b.dn TXT \"deep\"", true},
		{"data beside the DNAME", "", "dn DNAME example.net.\ndn TXT \"beside\"", false},
		{"a DNAME below the apex, data elsewhere", "", "dn DNAME example.net.\nother A 192.0.2.2", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := push(t, load(t, tc.before)); err != nil {
				t.Fatalf("before: %v", err)
			}
			defer func() {
				if err := push(t, load(t, "")); err != nil {
					t.Fatalf("back to the minimal zone: %v", err)
				}
			}()
			desired := load(t, tc.lines)
			cur, err := p.Records(ctx, origin)
			if err != nil {
				t.Fatal(err)
			}
			kp := plan.Compute(desired, cur, plan.Options{Caps: knot.Capabilities()})
			if (len(kp.Unsupported) > 0) != tc.refused {
				t.Errorf("knot flavor refuses: %v, want %v", kp.Unsupported, tc.refused)
			} else if tc.refused && (!strings.Contains(kp.Unsupported[0].String(), "z.zone:") || !strings.Contains(kp.Unsupported[0].Reason, "below")) {
				t.Errorf("refusal %q: want its file and line, and why", kp.Unsupported[0].String())
			}
			err = push(t, desired)
			if err != nil && !strings.Contains(err.Error(), "the server refused the update (REFUSED") {
				t.Fatalf("Knot: %v, want its refusal (REFUSED) or nothing", err)
			}
			if (err != nil) != tc.refused {
				t.Fatalf("Knot: %v, want refused %v", err, tc.refused)
			}
		})
	}
}
