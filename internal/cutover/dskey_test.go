package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// dnskeyServer answers DNSKEY questions for example.test. with keys
// (serve: UDP and TCP on one 127.0.0.1 port).
func dnskeyServer(t *testing.T, keys ...*dns.DNSKEY) string {
	t.Helper()
	h := dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Authoritative = true
		if q := r.Question[0]; strings.EqualFold(q.Name, "example.test.") && q.Qtype == dns.TypeDNSKEY {
			for _, k := range keys {
				m.Answer = append(m.Answer, dns.Copy(k))
			}
		}
		_ = w.WriteMsg(m)
	})
	return serve(t, h)
}

func newKSK(t *testing.T) *dns.DNSKEY {
	t.Helper()
	k := &dns.DNSKEY{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: 60},
		Flags: 257, Protocol: 3, Algorithm: dns.ECDSAP256SHA256}
	if _, err := k.Generate(256); err != nil {
		t.Fatal(err)
	}
	return k
}

func keyDS(k *dns.DNSKEY, digest uint8) string {
	d := k.ToDS(digest)
	return strings.TrimPrefix(d.String(), d.Hdr.String())
}

func keyText(k *dns.DNSKEY) string {
	return fmt.Sprintf("%d %d %d %s", k.Flags, k.Protocol, k.Algorithm, k.PublicKey)
}

// The review's multi-signer rollback: DS {old,new} recorded before the
// flip; after the overlap the operator removed the old DS at Route 53
// Domains, which now holds the new side's key only. The rollback restores
// the recorded DS set: Route 53 Domains takes keys, not DS, and refused
// the old DS every time. What move gives the registrar (registrarWant)
// is now the DNSKEY of each DS, as the old side's servers serve it; the
// registry then holds both keys and publishes the recorded DS set, while
// want (what confirm and the trail check) keeps the DS. A DS no served
// key makes refuses before the registrar is called, naming the DS and
// the servers asked.
func TestRegistrarWantTakesDNSKEY(t *testing.T) {
	ctx := context.Background()
	kOld, kNew := newKSK(t), newKSK(t)
	api, reg := r53dFake(t, time.Millisecond, 300*time.Millisecond)
	api.AddDomain("example.test", "ns1.old.example.net", "ns2.old.example.net")
	ns := []string{"ns1.old.example.net.", "ns2.old.example.net."}
	// The registry holds the new side's key only (the old DS removed).
	if err := reg.SetDelegation(ctx, "example.test.", registrar.Delegation{NS: ns, DS: []string{keyText(kNew)}}); err != nil {
		t.Fatal(err)
	}
	held, err := reg.Delegation(ctx, "example.test.")
	if err != nil || len(held.DS) != 1 {
		t.Fatalf("registry holds %v %v, want the new key's DS", held.DS, err)
	}
	recorded := []string{keyDS(kOld, dns.SHA256), keyDS(kNew, dns.SHA256)}
	slices.Sort(recorded)
	want := registrar.Delegation{NS: ns, DS: append([]string(nil), recorded...)}

	// As the review found: the DS set itself is refused, nothing changed.
	if err := reg.SetDelegation(ctx, "example.test.", want); err == nil || !strings.Contains(err.Error(), "takes the DNSKEY") {
		t.Fatalf("the registrar given the DS set: %v, want refused (it takes the DNSKEY)", err)
	}

	// The old side serves both keys (RFC 8901 model 2).
	oldSrv := dnskeyServer(t, kOld, kNew)
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Registrar: reg, Timeout: 2 * time.Second}
	oldSide := &Side{Name: "old", Servers: []string{oldSrv}}
	send, err := registrarWant(ctx, c, oldSide, want, held.DS)
	if err != nil {
		t.Fatalf("registrarWant: %v", err)
	}
	t.Logf("given to the registrar: %q", send.DS)
	if !slices.Equal(want.DS, recorded) {
		t.Errorf("want.DS %q changed, want the recorded DS %q kept (confirm and the trail check it)", want.DS, recorded)
	}
	if len(send.DS) != 2 || !slices.Contains(send.DS, keyText(kOld)) || !slices.Contains(send.DS, keyText(kNew)) {
		t.Errorf("given to the registrar %q, want the two keys %q %q", send.DS, keyText(kOld), keyText(kNew))
	}
	if err := reg.SetDelegation(ctx, "example.test.", send); err != nil {
		t.Fatalf("the registrar given the keys: %v", err)
	}
	if n := api.Count("AssociateDelegationSignerToDomain"); n != 2 {
		t.Errorf("AssociateDelegationSignerToDomain %d times, want 2 (new once before, old now)", n)
	}
	got, err := reg.Delegation(ctx, "example.test.")
	if err != nil {
		t.Fatal(err)
	}
	got.Normalize()
	if !strings.EqualFold(strings.Join(got.DS, " "), strings.Join(want.DS, " ")) {
		t.Errorf("the registry publishes DS %q, want the recorded %q", got.DS, want.DS)
	}

	// A DS whose key the side does not serve (and the registry does
	// not hold): refused before the registrar is called.
	stray := keyDS(newKSK(t), dns.SHA256)
	bad := registrar.Delegation{NS: ns, DS: []string{recorded[0], stray}}
	if _, err := registrarWant(ctx, c, oldSide, bad, got.DS); err == nil || !strings.Contains(err.Error(), stray) || !strings.Contains(err.Error(), oldSrv) {
		t.Errorf("a DS no served key makes: %v, want an error naming %q and %s", err, stray, oldSrv)
	}

	// A registrar that takes DS is given want as it is, nothing asked.
	c.Registrar = l0Registrar{}
	if same, err := registrarWant(ctx, c, &Side{Name: "old"}, bad, nil); err != nil || strings.Join(same.DS, " ") != strings.Join(bad.DS, " ") {
		t.Errorf("a registrar that takes DS: %q %v, want %q as is", same.DS, err, bad.DS)
	}
}

type l0Registrar struct{ registrar.Registrar }

// dsAsKeys matches a DS to a key as a validator does (dnssec.KeyOf): a
// revoked key (RFC 5011) and a key without the zone flag make no DS a
// validator accepts, so none is given to the registrar for it.
func TestDSAsKeysValidatorMatch(t *testing.T) {
	good := newKSK(t)
	revoked := newKSK(t)
	revoked.Flags |= dns.REVOKE
	nonZone := newKSK(t)
	nonZone.Flags = 0
	for _, k := range []*dns.DNSKEY{good, revoked, nonZone} {
		out, missing := dsAsKeys("example.test.", []string{keyDS(k, dns.SHA256)}, nil, []*dns.DNSKEY{good, revoked, nonZone})
		if want := k == good; (len(out) == 1 && out[0] == keyText(k)) != want || (len(missing) == 1) == want {
			t.Errorf("key flags %d: given %q, missing %q; want it given: %v", k.Flags, out, missing, want)
		}
	}
}
