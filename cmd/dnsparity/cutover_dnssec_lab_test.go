package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/registrar"
)

// A DS at the parent that no key of the new provider matches: the old side
// (PowerDNS) signs the zone and its DS is at the parent, the new side
// (Knot) is unsigned. flip refuses with the dnssec gate's ordered plan and
// the parent untouched; status reports the DS.
func TestCutoverDNSSECLab(t *testing.T) {
	l := newCoLab(t)
	ctx := context.Background()
	l.old.Pdnsutil(t, "secure-zone", coOrigin)
	l.old.Pdnsutil(t, "rectify-zone", coOrigin)
	var ds []string
	for _, line := range strings.Split(l.old.Pdnsutil(t, "export-zone-ds", coOrigin), "\n") {
		rr, err := dns.NewRR(strings.TrimSpace(line))
		if err != nil || rr == nil {
			continue
		}
		if d, ok := rr.(*dns.DS); ok && d.DigestType == dns.SHA256 {
			ds = append(ds, strings.TrimPrefix(d.String(), d.Hdr.String()))
		}
	}
	if len(ds) == 0 {
		t.Fatal("PowerDNS exported no SHA-256 DS")
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		m := new(dns.Msg)
		m.SetQuestion(coOrigin, dns.TypeDNSKEY)
		m.SetEdns0(1232, true)
		r, _, err := (&dns.Client{Net: "tcp"}).Exchange(m, l.old.Addr)
		if err == nil && len(r.Answer) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("PowerDNS does not serve its DNSKEY set: %v %v", r, err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The DS goes to the parent through the parent registrar.
	cfg, err := config.Load(l.cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Resolve(func(k string) string { return l.env[k] }, "parent"); err != nil {
		t.Fatal(err)
	}
	reg, err := registrar.New(cfg.Registrar, registrar.Env{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	d, err := reg.Delegation(ctx, coOrigin)
	if err != nil {
		t.Fatal(err)
	}
	d.DS = ds
	if err := reg.SetDelegation(ctx, coOrigin, d); err != nil {
		t.Fatal(err)
	}
	before := l.parentText(t)

	code, rep, stderr := l.run(t, l.cfgPath, "status")
	if code != exitOK || len(rep.Delegation.DS) != 1 || rep.Delegation.DS[0] != strings.ToUpper(ds[0]) {
		t.Fatalf("status: exit %d DS %v (want %v) errors %v\n%s", code, rep.Delegation.DS, ds, rep.Errors, stderr)
	}
	code, rep, stderr = l.run(t, l.cfgPath, "flip")
	l.wantRefused(t, "flip with a DS the new side has no key for", code, rep, stderr, before, cutover.GateDNSSEC)
	g := gateOf(rep, cutover.GateDNSSEC)
	t.Logf("dnssec gate: %s\nplan:\n%s", g.Detail, strings.Join(g.Plan, "\n"))
	steps := 0
	for _, n := range rep.Next {
		if strings.HasPrefix(n.Step, "dnssec (a)") && !n.Earliest.IsZero() {
			steps++
		}
	}
	if steps < 3 {
		t.Errorf("next lacks the dnssec plan's times: %+v", rep.Next)
	}
	if !strings.Contains(g.Detail, "signed-mismatch") || len(g.Plan) < 3 || !strings.Contains(strings.ToLower(strings.Join(g.Plan, " ")), "remove the ds") {
		t.Errorf("dnssec gate: %+v", g)
	}

	// Route (a): remove the DS. Resolvers may hold it for its TTL after the
	// parent stopped serving it (the trail saw it): refused until then.
	d.DS = []string{}
	if err := reg.SetDelegation(ctx, coOrigin, d); err != nil {
		t.Fatal(err)
	}
	removed := time.Now()
	code, rep, stderr = l.run(t, l.cfgPath, "flip")
	if g := gateOf(rep, cutover.GateDNSSEC); code != exitProblem || g == nil || g.OK || len(rep.Delegation.DS) != 0 {
		t.Errorf("flip right after the DS removal: exit %d, DS %v, dnssec gate %+v\n%s", code, rep.Delegation.DS, g, stderr)
	} else {
		t.Logf("right after the DS removal: %s", g.Detail)
	}
	time.Sleep(time.Until(removed.Add(coNSTTL*time.Second + time.Second)))
	_, rep, _ = l.run(t, l.cfgPath, "flip", "--dry-run")
	if g := gateOf(rep, cutover.GateDNSSEC); g == nil || !g.OK || !strings.Contains(g.Detail, "unsigned") {
		t.Errorf("after the DS TTL: dnssec gate %+v", g)
	}
}
