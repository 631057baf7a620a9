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
