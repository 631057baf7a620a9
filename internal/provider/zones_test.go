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

// TestZoneChoice: the one rule for a lookup by name that finds several
// zones of the name (Cloudflare and Route 53 each had their own: with a
// delegation that no zone has, Cloudflare took the one active zone, a
// zone not on the delegation's name servers, where Route 53 refused).
func TestZoneChoice(t *testing.T) {
	a := ZoneCandidate{ID: "A", Name: "Example.com", Servers: []string{"ns1.a.net", "ns2.a.net"}, State: "active", Active: true}
	b := ZoneCandidate{ID: "B", Name: "example.com.", Servers: []string{"ns2.b.net.", "NS1.b.net"}, State: "pending"}
	c := ZoneCandidate{ID: "C", Name: "example.com", Servers: []string{"ns1.c.net"}, State: "active", Active: true}
	priv := ZoneCandidate{ID: "P", Name: "example.com", Active: false, Private: true}
	other := ZoneCandidate{ID: "O", Name: "example.org", Active: true}
	for _, tc := range []struct {
		name       string
		delegation []string
		cands      []ZoneCandidate
		want       string // the id chosen, else "" and err holds each of errs
		notFound   bool
		errs       []string
	}{
		{name: "none", cands: []ZoneCandidate{other}, notFound: true, errs: []string{"vendor: zone example.com.:", "no zone of that name"}},
		{name: "one pending", cands: []ZoneCandidate{b, other}, want: "B"},
		{name: "one, a delegation it does not have", delegation: []string{"ns.elsewhere."}, cands: []ZoneCandidate{b}, want: "B"},
		{name: "private only", cands: []ZoneCandidate{priv}, notFound: true, errs: []string{"only 1 private zone of that name (P), never answering the public delegation"}},
		{name: "private beside one", cands: []ZoneCandidate{priv, c}, want: "C"},
		{name: "private beside several", cands: []ZoneCandidate{priv, a, c}, errs: []string{"2 zones are named example.com.", "A (active, ns1.a.net ns2.a.net); C (active, ns1.c.net)", "set zone_id"}},
		{name: "the one active among pending", cands: []ZoneCandidate{b, a}, want: "A"},
		{name: "two active", cands: []ZoneCandidate{a, b, c}, errs: []string{"3 zones are named example.com.", "A (active", "B (pending", "C (active", "set zone_id to the one the parent delegates to, or the side's delegation"}},
		{name: "the delegation's (pending)", delegation: []string{"ns1.b.net", "ns2.b.net."}, cands: []ZoneCandidate{a, b}, want: "B"},
		{name: "the delegation's, folded and unordered", delegation: []string{"NS2.A.net.", "ns1.a.net"}, cands: []ZoneCandidate{a, b, c}, want: "A"},
		{name: "a delegation none has, one active", delegation: []string{"ns1.a.net"}, cands: []ZoneCandidate{a, b}, errs: []string{"2 zones are named", "none has exactly the configured delegation's name servers (ns1.a.net.): set zone_id"}},
		{name: "a delegation two have", delegation: []string{"ns1.c.net"}, cands: []ZoneCandidate{a, c, {ID: "D", Name: "example.com", Servers: []string{"ns1.c.net"}}}, errs: []string{"3 zones are named", "2 have exactly the configured delegation's name servers"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			zs := Zones[struct{}]{Type: "vendor", Noun: "zone", Delegation: tc.delegation}
			got, err := zs.Choose(context.Background(), "example.com.", tc.cands)
			if tc.want != "" {
				if err != nil || got.ID != tc.want {
					t.Fatalf("chose %q, %v; want %s", got.ID, err, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("chose %q; want an error", got.ID)
			}
			if errors.Is(err, ErrZoneNotFound) != tc.notFound {
				t.Errorf("errors.Is(ErrZoneNotFound) = %v: %v", !tc.notFound, err)
			}
			for _, e := range tc.errs {
				if !strings.Contains(err.Error(), e) {
					t.Errorf("error %q lacks %q", err, e)
				}
			}
		})
	}
}

// TestZoneChoiceRedacted: the error quotes the API's text as server
// text: the secrets given taken out, nothing unprintable as it came.
func TestZoneChoiceRedacted(t *testing.T) {
	cands := []ZoneCandidate{
		{ID: "A", Name: "example.com", Servers: []string{"s3cr3t-token.ns.net"}, Active: true},
		{ID: "B\x1b]0;x\x07", Name: "example.com", Active: true},
	}
	zs := Zones[struct{}]{Type: "vendor", Noun: "zone"}
	_, err := zs.Choose(context.Background(), "example.com.", cands, "s3cr3t-token")
	if err == nil || strings.Contains(err.Error(), "s3cr3t-token") || strings.ContainsAny(err.Error(), "\x1b\x07") {
		t.Errorf("unredacted: %q", err)
	}
}
