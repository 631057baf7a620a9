package powerdns_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/powerdns"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const (
	origin   = "example.com."
	fullZone = "../../../testdata/push/example.com.zone"
)

func newProvider(t *testing.T, url, key string) *powerdns.Provider {
	t.Helper()
	p, err := powerdns.New(&config.Provider{Name: "test", Type: "powerdns", Nameservers: []string{"ns1.example.com.", "ns2.example.com."}, Settings: &powerdns.Settings{APISettings: provider.APISettings{URL: url, APIKey: config.Secret(key)}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t *testing.T) *zone.Zone {
	t.Helper()
	z, err := zone.Load(fullZone, zone.Options{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// axfr reads the zone from the DNS side (not the API).
func axfr(t *testing.T, addr string) *zone.Zone {
	t.Helper()
	return axfrZone(t, addr, origin)
}

// axfrZone reads a zone back from a server, as a canonical zone.
func axfrZone(t *testing.T, addr, name string) *zone.Zone {
	t.Helper()
	z, err := zone.FromRRs(name, lab.AXFR(t, addr, name, nil))
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func sameExceptSOA(t *testing.T, want, got *zone.Zone) {
	t.Helper()
	n := 0
	for _, s := range want.Sets {
		if s.Type == dns.TypeSOA {
			continue
		}
		n++
		o := got.Get(s.Name, s.Type)
		apexNS := s.Name == origin && s.Type == dns.TypeNS // unmanaged: PowerDNS's TTL
		if o == nil || !s.SameData(o) || (s.TTL != o.TTL && !apexNS) {
			t.Errorf("%s: want %d %q, server has %v", s.Key(), s.TTL, s.Strings(), o)
		}
	}
	for _, s := range got.Sets {
		if s.Type != dns.TypeSOA && want.Get(s.Name, s.Type) == nil {
			t.Errorf("%s on the server, not in the zone file", s.Key())
		}
	}
	if n < 25 {
		t.Errorf("compared only %d RRsets", n)
	}
}

func TestPushAndReadBack(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	desired := load(t)

	if _, err := p.Records(ctx, origin); !errors.Is(err, provider.ErrZoneNotFound) {
		t.Fatalf("Records of a missing zone: %v, want ErrZoneNotFound", err)
	}
	if err := p.CreateZone(ctx, origin, nil); err != nil {
		t.Fatal(err)
	}
	cur, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
	if len(pl.Unsupported) > 0 || len(pl.Changes) < 25 {
		t.Fatalf("plan: %d changes, unsupported %v", len(pl.Changes), pl.Unsupported)
	}
	res, err := p.Apply(ctx, origin, pl.Changes, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 1 || p.Patches() != 1 || len(res.Applied) != len(pl.Changes) {
		t.Errorf("first push: %d requests (%d PATCH), %d of %d applied", res.Requests, p.Patches(), len(res.Applied), len(pl.Changes))
	}
	// Through the API and through AXFR, the zone is the zone file.
	viaAPI, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	sameExceptSOA(t, desired, viaAPI)
	sameExceptSOA(t, desired, axfr(t, srv.Addr))

	// A second push is empty: nothing to PATCH.
	again := plan.Compute(desired, viaAPI, plan.Options{Caps: p.Capabilities()})
	if len(again.Changes) != 0 {
		t.Fatalf("second plan: %v", again.Changes)
	}

	// One edit, one change, one PATCH; the serial moves (SOA-EDIT-API) and
	// is not drift.
	soa1 := viaAPI.Get(origin, dns.TypeSOA).RRs()[0].(*dns.SOA).Serial
	edited := load(t)
	rr, _ := dns.NewRR("mail2026._domainkey.example.com. 300 IN TXT \"v=DKIM1; k=rsa; p=short\"")
	s, _ := zone.NewRRSet([]dns.RR{rr})
	edited.AddSet(s)
	one := plan.Compute(edited, viaAPI, plan.Options{Caps: p.Capabilities()})
	if len(one.Changes) != 1 {
		t.Fatalf("one edit: %v", one.Changes)
	}
	if _, err := p.Apply(ctx, origin, one.Changes, nil); err != nil {
		t.Fatal(err)
	}
	if p.Patches() != 2 {
		t.Errorf("%d PATCH requests in all, want 2", p.Patches())
	}
	after, _ := p.Records(ctx, origin)
	if soa2 := after.Get(origin, dns.TypeSOA).RRs()[0].(*dns.SOA).Serial; soa2 == soa1 {
		t.Logf("serial not bumped by the API (%d)", soa2)
	}
	if n := len(plan.Compute(edited, after, plan.Options{Caps: p.Capabilities()}).Changes); n != 0 {
		t.Errorf("after the edit, %d changes remain", n)
	}
}

func TestAPIErrors(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	ctx := context.Background()
	good := newProvider(t, srv.APIURL, srv.APIKey)
	if err := good.CreateZone(ctx, origin, nil); err != nil {
		t.Fatal(err)
	}
	before, err := good.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	desired := load(t)
	pl := plan.Compute(desired, before, plan.Options{Caps: good.Capabilities()})

	t.Run("wrong API key", func(t *testing.T) {
		bad := newProvider(t, srv.APIURL, "wrong-key-123")
		if _, err := bad.Records(ctx, origin); !errors.Is(err, provider.ErrAuth) {
			t.Errorf("GET: %v", err)
		}
		res, err := bad.Apply(ctx, origin, pl.Changes, nil)
		if !errors.Is(err, provider.ErrAuth) || len(res.Applied) != 0 || strings.Contains(err.Error(), "wrong-key-123") {
			t.Errorf("PATCH: %v, %d applied", err, len(res.Applied))
		}
	})
	t.Run("down", func(t *testing.T) {
		down := newProvider(t, "http://"+lab.Addr(t)+":8081", "k")
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if _, err := down.Records(ctx, origin); !errors.Is(err, provider.ErrUnavailable) {
			t.Errorf("GET: %v", err)
		}
	})
	t.Run("422 names the RRset", func(t *testing.T) {
		// A CNAME beside other data at the same name.
		a, _ := dns.NewRR("clash.example.com. 300 IN A 192.0.2.1")
		c, _ := dns.NewRR("clash.example.com. 300 IN CNAME www.example.com.")
		sa, _ := zone.NewRRSet([]dns.RR{a})
		sc, _ := zone.NewRRSet([]dns.RR{c})
		cs := []provider.Change{
			{Action: provider.Create, Name: sa.Name, Type: sa.Type, New: sa},
			{Action: provider.Create, Name: sc.Name, Type: sc.Type, New: sc},
		}
		_, err := good.Apply(ctx, origin, cs, nil)
		if err == nil || !strings.Contains(err.Error(), "clash.example.com.") {
			t.Fatalf("conflicting PATCH: %v", err)
		}
		t.Logf("%v", err)
	})
	after, err := good.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Compute(before, after, plan.Options{}).Changes) != 0 {
		t.Errorf("failed requests changed the zone")
	}
}

// TestPartialFailure: batches of 5; a later PATCH fails (a CNAME beside
// other data): the earlier ones are reported done, and a push again of a
// good plan converges.
func TestPartialFailure(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	p.SetBatch(5)
	ctx := context.Background()
	if err := p.CreateZone(ctx, origin, nil); err != nil {
		t.Fatal(err)
	}
	desired := load(t)
	cur, _ := p.Records(ctx, origin)
	pl := plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()})
	c, _ := dns.NewRR("lb.example.com. 300 IN CNAME www.example.com.") // beside lb's A and AAAA
	sc, _ := zone.NewRRSet([]dns.RR{c})
	cs := append(append(append([]provider.Change{}, pl.Changes[:10]...), provider.Change{Action: provider.Create, Name: sc.Name, Type: sc.Type, New: sc}), pl.Changes[10:]...)
	res, err := p.Apply(ctx, origin, cs, nil)
	if err == nil || res.Requests < 2 || len(res.Applied) == 0 || len(res.Applied) >= len(pl.Changes) {
		t.Fatalf("apply: %v; %d requests, %d applied (want a failure after some batches)", err, res.Requests, len(res.Applied))
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("batch %d of", res.Requests)) || !strings.Contains(err.Error(), "failed RRset lb.example.com.") {
		t.Errorf("error does not say which batch and RRset: %v", err)
	}
	t.Logf("%v", err)
	got, _ := p.Records(ctx, origin)
	applied := map[zone.Key]bool{}
	for _, c := range res.Applied {
		applied[c.Key()] = true
	}
	for _, c := range pl.Changes {
		if on := got.Get(c.Name, c.Type) != nil; on != applied[c.Key()] {
			t.Errorf("%s: on the server %v, reported applied %v", c, on, applied[c.Key()])
		}
	}
	again := plan.Compute(desired, got, plan.Options{Caps: p.Capabilities()})
	if len(again.Changes) != len(pl.Changes)-len(res.Applied) {
		t.Fatalf("after the failure %d changes remain, want %d", len(again.Changes), len(pl.Changes)-len(res.Applied))
	}
	if _, err := p.Apply(ctx, origin, again.Changes, nil); err != nil {
		t.Fatal(err)
	}
	got, _ = p.Records(ctx, origin)
	sameExceptSOA(t, desired, got)
}

// TestCreateZoneApex: a zone created for a push takes the zone file's SOA
// (names, timers, TTL; the serial is PowerDNS's) and apex NS TTL, not
// PowerDNS's defaults (a.misconfigured.dns.server.invalid., negative TTL
// 3600), which push would never change afterwards.
func TestCreateZoneApex(t *testing.T) {
	srv := lab.PDNS(t, lab.Options{})
	p := newProvider(t, srv.APIURL, srv.APIKey)
	ctx := context.Background()
	desired := load(t)
	if err := p.CreateZoneApex(ctx, desired, nil); err != nil {
		t.Fatal(err)
	}
	got := axfr(t, srv.Addr)
	want := desired.Get(origin, dns.TypeSOA).RRs()[0].(*dns.SOA)
	soaSet := got.Get(origin, dns.TypeSOA)
	soa := soaSet.RRs()[0].(*dns.SOA)
	if soa.Ns != want.Ns || soa.Mbox != want.Mbox || soa.Refresh != want.Refresh || soa.Retry != want.Retry ||
		soa.Expire != want.Expire || soa.Minttl != want.Minttl || soaSet.TTL != desired.Get(origin, dns.TypeSOA).TTL {
		t.Errorf("SOA %d %s, want the zone file's %s (serial aside)", soaSet.TTL, soa, want)
	}
	ns, wantNS := got.Get(origin, dns.TypeNS), desired.Get(origin, dns.TypeNS)
	if ns == nil || !ns.SameData(wantNS) || ns.TTL != wantNS.TTL {
		t.Errorf("apex NS %v, want %d %v", ns, wantNS.TTL, wantNS.Strings())
	}
	// The apex is not part of the plan: the rest is still to create.
	cur, err := p.Records(ctx, origin)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range plan.Compute(desired, cur, plan.Options{Caps: p.Capabilities()}).Changes {
		if c.Name == origin && (c.Type == dns.TypeNS || c.Type == dns.TypeSOA) {
			t.Errorf("plan touches the apex: %s", c)
		}
	}
}
