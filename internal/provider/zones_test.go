package provider

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

type apiZone struct{ id, name string }

// TestZones: a zone is looked up by the configured id (and refused when
// it is another zone) or by name, once per origin; a failed lookup is
// not kept; Nameservers are the configured ones, else the zone's, made
// absolute.
func TestZones(t *testing.T) {
	calls := 0
	fail := false
	api := map[string]apiZone{"Z1": {"Z1", "Example.COM"}, "Z2": {"Z2", "other.net"}}
	zs := Zones[apiZone]{Type: "vendor",
		ByID: func(_ context.Context, id string) (apiZone, error) { calls++; return api[id], nil },
		ByName: func(_ context.Context, origin string) (apiZone, error) {
			calls++
			if fail {
				return apiZone{}, errors.New("unavailable")
			}
			for _, z := range api {
				if FQDN(z.name) == origin {
					return z, nil
				}
			}
			return apiZone{}, ErrZoneNotFound
		},
		Name:    func(z apiZone) string { return z.name },
		Servers: func(apiZone) []string { return []string{"NS1.Vendor.net", "ns2.vendor.net."} },
	}
	ctx := context.Background()
	fail = true
	if _, err := zs.Find(ctx, "example.com."); err == nil {
		t.Fatal("a failed lookup gave a zone")
	}
	fail = false
	for range 2 {
		if z, err := zs.Find(ctx, "EXAMPLE.com."); err != nil || z.id != "Z1" {
			t.Fatalf("by name: %v %v", z, err)
		}
	}
	if calls != 2 {
		t.Errorf("%d lookups: the failed one and one more were wanted", calls)
	}
	ns, err := zs.Nameservers(ctx, "example.com.")
	if err != nil || !slices.Equal(ns, []string{"ns1.vendor.net.", "ns2.vendor.net."}) || calls != 2 {
		t.Errorf("assigned nameservers %v %v (%d lookups)", ns, err, calls)
	}
	zs.Configured = []string{"a.example.net."}
	if ns, _ := zs.Nameservers(ctx, "nowhere."); !slices.Equal(ns, zs.Configured) {
		t.Errorf("configured nameservers %v", ns)
	}

	byID := Zones[apiZone]{Type: "vendor", ID: "Z2", ByID: zs.ByID, Name: zs.Name}
	if z, err := byID.Find(ctx, "other.net."); err != nil || z.id != "Z2" {
		t.Errorf("by id: %v %v", z, err)
	}
	_, err = byID.Find(ctx, "example.com.")
	if !errors.Is(err, ErrZoneNotFound) || !strings.Contains(err.Error(), "vendor: zone_id Z2 is other.net, not example.com.") {
		t.Errorf("the id of another zone: %v", err)
	}
}

// TestZonesRead: Read finds a zone the first time as Find does (one
// call), then reads the zone found anew each time (Reread) and keeps
// what it read for Find; a failed reread keeps the zone found before.
func TestZonesRead(t *testing.T) {
	byName, rereads := 0, 0
	var fail error
	zs := Zones[apiZone]{Type: "vendor",
		ByName: func(_ context.Context, origin string) (apiZone, error) { byName++; return apiZone{"Z1", origin}, nil },
		Reread: func(_ context.Context, z apiZone) (apiZone, error) {
			rereads++
			if fail != nil {
				return apiZone{}, fail
			}
			return apiZone{z.id, z.name + "#"}, nil
		},
		Name: func(z apiZone) string { return z.name },
	}
	ctx := context.Background()
	if z, err := zs.Read(ctx, "Example.com."); err != nil || z != (apiZone{"Z1", "example.com."}) || byName != 1 || rereads != 0 {
		t.Fatalf("first read: %v %v (%d by name, %d rereads)", z, err, byName, rereads)
	}
	if z, err := zs.Read(ctx, "example.com."); err != nil || z != (apiZone{"Z1", "example.com.#"}) || byName != 1 || rereads != 1 {
		t.Fatalf("second read: %v %v (%d by name, %d rereads)", z, err, byName, rereads)
	}
	if z, err := zs.Find(ctx, "example.com."); err != nil || z.name != "example.com.#" || rereads != 1 {
		t.Errorf("Find after Read: %v %v: want the zone read last, without a call", z, err)
	}
	fail = errors.New("unavailable")
	if _, err := zs.Read(ctx, "example.com."); !errors.Is(err, fail) {
		t.Errorf("failed reread: %v", err)
	}
	if z, _ := zs.Find(ctx, "example.com."); z.name != "example.com.#" {
		t.Errorf("after a failed reread Find gives %v, want the zone read before", z)
	}
}
