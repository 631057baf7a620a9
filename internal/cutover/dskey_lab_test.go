package cutover

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/registrar/route53domains/r53dtest"
)

// TestRollbackGivesKeyTakerDNSKEYLab: move end to end with a registrar
// that takes DNSSEC keys as the DNSKEY (Route 53 Domains, its fake in
// front of a signed lab parent: what the registry publishes is signed into
// the parent zone). An RFC 8901 flip recorded DS {a,b} before it; since,
// the DS was removed at the registrar (it holds no key, the parent serves
// no DS). The rollback restores DS {a,b}: the registrar is given the
// DNSKEY of each DS (asked of the old side's servers, which publish a's
// and b's keys), so it associates both KSKs and the parent serves the
// recorded DS again; given the DS itself, Route 53 Domains holds no key
// for it and refuses, every time.
func TestRollbackGivesKeyTakerDNSKEYLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey")
	ctx := context.Background()
	ip := map[string]string{"old": lab.Addr(t), "new": lab.Addr(t), "parent": lab.Addr(t)}
	p, a, b := newSigner(t, "test."), newSigner(t, "example.test."), newSigner(t, "example.test.")
	recorded := []string{a.ds(t), b.ds(t)}
	parent := lab.BIND(t, lab.Options{IP: ip["parent"], Zones: []lab.Zone{{Origin: "test.", Text: signedParent(t, p, ip, 1, "new", nil)}}})
	old := lab.Knot(t, lab.Options{IP: ip["old"], Zones: []lab.Zone{{Origin: "example.test.", Text: a.sign(t, msZone("old", ip), b.keys(t))}}})
	nw := lab.BIND(t, lab.Options{IP: ip["new"], Zones: []lab.Zone{{Origin: "example.test.", Text: b.sign(t, msZone("new", ip), a.keys(t))}}})

	// The registry publishes into the signed parent what it holds.
	api, reg := r53dFake(t, 10*time.Millisecond, 30*time.Second)
	api.AddDomainNS("example.test", r53dtest.Nameserver{Name: "ns1.new.example.test", GlueIps: []string{ip["new"]}})
	var mu sync.Mutex
	serial := 1
	api.OnPublish = func(domain string, ns []r53dtest.Nameserver, keys []r53dtest.Key) {
		mu.Lock()
		defer mu.Unlock()
		side := "new"
		if len(ns) == 1 && strings.EqualFold(strings.TrimSuffix(ns[0].Name, "."), "ns1.old.example.test") {
			side = "old"
		}
		var ds []string
		for _, k := range keys {
			ds = append(ds, fmt.Sprintf("%d %d %d %s", k.KeyTag, k.Algorithm, k.DigestType, k.Digest))
		}
		serial++
		parent.Reload(goT{t}, lab.Zone{Origin: "test.", Text: signedParent(t, p, ip, serial, side, ds)})
	}

	z := gitZone(t, msZone("old", ip))
	path := TrailPath(t.TempDir(), "example.test.")
	flip := signedFlipEntry(ip["old"], recorded)
	appendTrail(t, path, flip)
	c := signedConfig(t, z, ip, old, nw, parent, path, 5)
	c.Registrar = reg
	// A status run records the new side's DNSKEY set holding the old
	// side's keys; the rollback waits its TTL (2 s) from then.
	Status(ctx, c)
	time.Sleep(3 * time.Second)

	rep := Rollback(ctx, c, false, false)
	t.Logf("rollback: %s errors %q actions %q", rep.Result, rep.Errors, rep.Actions)
	if rep.Result != ResultDone {
		t.Fatalf("rollback restoring DS {a,b} at Route 53 Domains: %s, errors %q, gates %+v", rep.Result, rep.Errors, rep.Gates)
	}
	// The registrar was given the KSKs (DNSKEY), not the DS.
	ksk := func(s *signer) string {
		for _, text := range s.keys(t) {
			if rr, err := dns.NewRR(text); err == nil {
				if k, ok := rr.(*dns.DNSKEY); ok && k.Flags == 257 {
					return k.PublicKey
				}
			}
		}
		t.Fatalf("no KSK in %q", s.keys(t))
		return ""
	}
	held := api.Keys("example.test")
	var tags []string
	for _, k := range held {
		tags = append(tags, strconv.Itoa(k.KeyTag))
		if k.Flags != 257 || k.Algorithm != 13 || !slices.Contains([]string{ksk(a), ksk(b)}, strings.ReplaceAll(k.PublicKey, " ", "")) {
			t.Errorf("the registrar holds key %+v, not one of the KSKs a and b", k)
		}
	}
	slices.Sort(tags)
	want := []string{a.KSKTag(), b.KSKTag()}
	slices.Sort(want)
	if !slices.Equal(tags, want) || api.Count("AssociateDelegationSignerToDomain") != 2 {
		t.Errorf("the registrar holds keys %v (%d associated), want KSKs %v", tags, api.Count("AssociateDelegationSignerToDomain"), want)
	}
	// The parent serves the recorded delegation: NS old, DS {a,b}.
	m := new(dns.Msg)
	m.SetQuestion("example.test.", dns.TypeDS)
	resp, err := dns.Exchange(m, parent.Addr)
	if err != nil {
		t.Fatal(err)
	}
	var served []string
	for _, rr := range resp.Answer {
		if d, ok := rr.(*dns.DS); ok {
			served = append(served, strings.TrimPrefix(d.String(), d.Header().String()))
		}
	}
	if !sameDSText(served, recorded) {
		t.Errorf("the parent serves DS %q after the rollback, want %q", served, recorded)
	}
}
