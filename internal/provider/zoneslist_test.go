package provider

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
)

// TestZonesExpectLists: a run that announces more lookups than listing
// the account's zones takes (Expect, AllCost) lists them once, however
// many lookups run at once, and finds each zone there; a zone the listing
// lacks is looked up by name; a run of fewer zones, a listing that costs
// more than the lookups, or one that fails, looks each zone up by name.
func TestZonesExpectLists(t *testing.T) {
	account := map[string]apiZone{}
	for i := range 40 {
		n := fmt.Sprintf("z%d.example.", i)
		account[n] = apiZone{id: fmt.Sprint(i), name: n}
	}
	type counts struct{ byName, costs, lists atomic.Int64 }
	newZones := func(c *counts, cost int, listErr error) *Zones[apiZone] {
		return &Zones[apiZone]{Type: "vendor",
			ByName: func(_ context.Context, origin string) (apiZone, error) {
				c.byName.Add(1)
				if z, ok := account[origin]; ok {
					return z, nil
				}
				return apiZone{}, fmt.Errorf("vendor: zone %s: %w", origin, ErrZoneNotFound)
			},
			AllCost: func(context.Context) (int, error) { c.costs.Add(1); return cost, nil },
			All: func(context.Context) (func(context.Context, string) (apiZone, error), error) {
				c.lists.Add(1)
				if listErr != nil {
					return nil, listErr
				}
				listed := map[string]apiZone{}
				for n, z := range account {
					if n != "z39.example." { // created after the listing
						listed[n] = z
					}
				}
				return func(_ context.Context, origin string) (apiZone, error) {
					if z, ok := listed[origin]; ok {
						return z, nil
					}
					return apiZone{}, fmt.Errorf("vendor: zone %s: %w", origin, ErrZoneNotFound)
				}, nil
			},
			Name: func(z apiZone) string { return z.name },
		}
	}
	findAll := func(t *testing.T, zs *Zones[apiZone]) {
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Go(func() {
				origin := fmt.Sprintf("z%d.example.", i)
				if z, err := zs.Find(context.Background(), origin); err != nil || z.name != origin {
					t.Errorf("zone %s: %v %v", origin, z, err)
				}
			})
		}
		wg.Wait()
	}
	for _, tc := range []struct {
		name                  string
		expect, cost          int
		listErr               error
		byName, costs, listed int64
	}{
		{"listed once, the zone created since by name", 40, 4, nil, 1, 1, 1},
		{"no run announced", 0, 4, nil, 40, 0, 0},
		{"one zone", 1, 1, nil, 40, 0, 0},
		{"the listing costs more", 40, 40, nil, 40, 1, 0},
		{"the listing fails", 40, 4, errors.New("unavailable"), 40, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c counts
			zs := newZones(&c, tc.cost, tc.listErr)
			zs.Expect(tc.expect)
			findAll(t, zs)
			if c.byName.Load() != tc.byName || c.costs.Load() != tc.costs || c.lists.Load() != tc.listed {
				t.Errorf("%d lookups by name, %d costs, %d listings; want %d, %d, %d", c.byName.Load(), c.costs.Load(), c.lists.Load(), tc.byName, tc.costs, tc.listed)
			}
		})
	}
}
