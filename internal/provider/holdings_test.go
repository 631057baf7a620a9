package provider

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// A record Held cannot read, with Shown: the listing goes on without it
// (Records, the records Apply may change) and the features report it as
// Unreadable, after the provider's own; without Shown it is an error.
func TestHoldingsUnreadable(t *testing.T) {
	rs := []apiRec{
		{"1", "www.example. 60 IN A 192.0.2.1"},
		{"2", "bad"},
		{"3", "skip"},
		{"4", "example. 60 IN SOA ns. h. 1 2 3 4 5"},
	}
	h := Holdings[struct{}, apiRec]{What: "test",
		List: func(context.Context, string) (struct{}, []apiRec, error) { return struct{}{}, rs, nil },
		Held: func(string) func(apiRec) (dns.RR, error) { return toA }, Label: func(r apiRec) string { return r.id },
		Shown: func(origin string, r apiRec) Feature { return Feature{Name: "odd." + origin, Type: "A", Value: r.text} }}
	var seen []string
	l := h.Reader(func(origin string, rs []apiRec) []Feature {
		for _, r := range rs {
			seen = append(seen, r.id)
		}
		return []Feature{{Name: origin, Feature: "own"}}
	})
	z, fs, err := l.Read(context.Background(), "example.")
	if err != nil {
		t.Fatal(err)
	}
	if z.Get("www.example.", dns.TypeA) == nil || len(z.Sets) != 2 {
		t.Errorf("records %v", z.Names())
	}
	if strings.Join(seen, ",") != "1,3,4" {
		t.Errorf("the provider's features saw %v, want the records Held reads or leaves out", seen)
	}
	if len(fs) != 2 || fs[0].Feature != "own" || fs[1].Feature != Unrepresentable || !fs[1].Omitted || fs[1].Name != "odd.example." ||
		fs[1].Detail != "dnsparity cannot read this record (unreadable), so it is not compared or pushed" {
		t.Errorf("features %+v", fs)
	}
	var cur map[zone.Key][]Current[apiRec]
	if _, err := h.Apply(context.Background(), "example.", []Change{{Name: "www.example.", Type: dns.TypeA, Action: Delete}}, nil, nil,
		func(_ context.Context, _ string, _ []Change, _ progress.Updater, _ struct{}, c map[zone.Key][]Current[apiRec]) (Result, error) {
			cur = c
			return Result{}, nil
		}); err != nil {
		t.Fatal(err)
	}
	if len(cur) != 2 {
		t.Errorf("Apply's records %v: want www A and the SOA", cur)
	}
	h.Shown = nil
	if _, err := h.ZoneOf("example.", rs); err == nil || !strings.Contains(err.Error(), "record 2: unreadable") {
		t.Errorf("without Shown: %v", err)
	}
}

// TestRereadSaysSo: a guarded Apply whose listing just before the change
// fails, and a Guard whose listing cannot be read, each say that it was
// the zone read again before the push (Reread), wrapping the cause; an
// unguarded Apply's failed listing is the listing's error as it is.
func TestRereadSaysSo(t *testing.T) {
	cause := errors.New("vendor: list failed")
	listFails := Holdings[struct{}, apiRec]{What: "test",
		List: func(context.Context, string) (struct{}, []apiRec, error) { return struct{}{}, nil, cause },
		Held: func(string) func(apiRec) (dns.RR, error) { return toA }, Label: func(r apiRec) string { return r.id }}
	apply := func(context.Context, string, []Change, progress.Updater, struct{}, map[zone.Key][]Current[apiRec]) (Result, error) {
		return Result{}, nil
	}
	guard := func(string, []apiRec) error { return nil }
	unreadable := ListingReader[apiRec]{
		ZoneOf:     func(string, []apiRec) (*zone.Zone, error) { return nil, cause },
		FeaturesOf: func(string, []apiRec) []Feature { return nil },
	}
	cs := []Change{{Name: "www.example.", Type: dns.TypeA, Action: Delete}}
	ctx := context.Background()
	const says = "reading the zone again before the push: "
	for _, tc := range []struct {
		name   string
		err    func() error
		reread bool
	}{
		{"guarded Apply, listing fails", func() error {
			_, err := listFails.Apply(ctx, "example.", cs, nil, guard, apply)
			return err
		}, true},
		{"unguarded Apply, listing fails", func() error {
			_, err := listFails.Apply(ctx, "example.", cs, nil, nil, apply)
			return err
		}, false},
		{"Guard, listing unreadable", func() error {
			return unreadable.Guard(func(*zone.Zone, []Feature) error { return nil })("example.", nil)
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			if !errors.Is(err, cause) {
				t.Fatalf("error %v does not wrap the cause", err)
			}
			if got := strings.Contains(err.Error(), says); got != tc.reread {
				t.Errorf("error %q: says the zone was read again: %v, want %v", err, got, tc.reread)
			}
		})
	}
}
