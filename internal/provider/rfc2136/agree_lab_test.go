package rfc2136_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// agreement compares what a flavor's plan refuses with what the real
// server at addr (started with minZone, UPDATE allowed with key) does
// with the same data pushed through the generic flavor (no checks of
// ours).
type agreement struct {
	generic, flavor *rfc2136.Provider
	min             []byte
}

func newAgreement(t *testing.T, addr, flavor string) *agreement {
	t.Helper()
	min, err := os.ReadFile(minZone)
	if err != nil {
		t.Fatal(err)
	}
	return &agreement{generic: newFlavor(t, addr, key.Secret, "generic"), flavor: newFlavor(t, addr, key.Secret, flavor), min: min}
}

// load is minZone with lines added, as the file z.zone (a refusal names
// it).
func (a *agreement) load(t *testing.T, lines string) *zone.Zone {
	t.Helper()
	path := filepath.Join(t.TempDir(), "z.zone")
	if err := os.WriteFile(path, []byte(string(a.min)+lines+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	z, err := zone.Load(path, zone.Options{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// push sends z through the generic flavor over what the server holds.
func (a *agreement) push(t *testing.T, z *zone.Zone) error {
	t.Helper()
	cur, err := a.generic.Records(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.generic.Apply(context.Background(), origin, plan.Compute(z, cur, plan.Options{Caps: a.generic.Capabilities()}).Changes, nil)
	return err
}

// judge pushes before, then plans lines with the flavor and pushes them
// through the generic one: the flavor must refuse exactly what the
// server (named server) refuses with REFUSED, and nothing else may fail.
// The zone goes back to minZone afterwards. It returns the flavor's
// first refusal (nil: none).
func (a *agreement) judge(t *testing.T, server, before, lines string, refused bool) *plan.Unsupported {
	t.Helper()
	if err := a.push(t, a.load(t, before)); err != nil {
		t.Fatalf("before: %v", err)
	}
	defer func() {
		if err := a.push(t, a.load(t, "")); err != nil {
			t.Fatalf("back to the minimal zone: %v", err)
		}
	}()
	desired := a.load(t, lines)
	cur, err := a.flavor.Records(context.Background(), origin)
	if err != nil {
		t.Fatal(err)
	}
	fp := plan.Compute(desired, cur, plan.Options{Caps: a.flavor.Capabilities()})
	if (len(fp.Unsupported) > 0) != refused {
		t.Errorf("the flavor refuses: %v, want %v", fp.Unsupported, refused)
	}
	err = a.push(t, desired)
	if err != nil && !strings.Contains(err.Error(), "the server refused the update (REFUSED") {
		t.Fatalf("%s: %v, want its refusal (REFUSED) or nothing", server, err)
	}
	if (err != nil) != refused {
		t.Fatalf("%s: %v, want refused %v", server, err, refused)
	}
	if len(fp.Unsupported) == 0 {
		return nil
	}
	return &fp.Unsupported[0]
}
