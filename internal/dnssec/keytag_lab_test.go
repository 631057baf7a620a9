package dnssec_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// collidingKey is a zone key of zsk's algorithm whose key tag is zsk's
// and whose public key is not (key tags are 16 bits: a few tens of
// thousands of P-256 keys find one).
func collidingKey(t *testing.T, zsk string) string {
	t.Helper()
	rr, err := dns.NewRR(zsk)
	if err != nil {
		t.Fatal(err)
	}
	want := rr.(*dns.DNSKEY)
	for i := 0; i < 4_000_000; i++ {
		k := &dns.DNSKEY{Hdr: dns.RR_Header{Name: want.Hdr.Name, Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: want.Hdr.Ttl}, Flags: want.Flags, Protocol: 3, Algorithm: want.Algorithm}
		if _, err := k.Generate(256); err != nil {
			t.Fatal(err)
		}
		if k.KeyTag() == want.KeyTag() && k.PublicKey != want.PublicKey {
			return k.String()
		}
	}
	t.Fatalf("no key with tag %d found", want.KeyTag())
	return ""
}

// TestOtherSideSameTagOtherKey: the old side's DNSKEY set holds a key with
// the key tag of the new side's ZSK that is another key (tags are not
// unique, RFC 4034 appendix B; here made on purpose, between two providers
// generating keys independently it happens by chance). A validator holding
// that set tries the key of the tag the new side's signatures name, and
// it verifies nothing: every answer of the new side is bogus after the
// flip until the set expires. The gate compared key tags only, and passed
// (on the code before); now it compares the keys.
func TestOtherSideSameTagOtherKey(t *testing.T) {
	lab.Require(t, "named", "knotd")
	a, b := newSigner(t, origin), newSigner(t, origin)
	bKeys := b.keys(t) // KSK, ZSK
	fake := collidingKey(t, bKeys[1])
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	old, nw := flipSides(t, a, b, oldIP, newIP, []string{bKeys[0], fake}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res := twoSignerGate(t, ctx, a, b, nw.Addr, old.Addr)
	t.Logf("gate: ok=%v %s", res.OK, res.Detail)
	tag, _ := strconv.Atoi(b.zskTag())
	if res.OK || !strings.Contains(res.Detail, "another key with the same tag") || !strings.Contains(res.Detail, strconv.Itoa(tag)) {
		t.Errorf("the old side's DNSKEY set holds another key with the new ZSK's tag %d: ok=%v %s", tag, res.OK, res.Detail)
	}
}

// TestUnusedKeySameTagNotRequired: the new side publishes, beside its own
// keys (and the old side's), a key that signs nothing and that the DS does
// not name, which happens to carry the key tag of its ZSK (a standby key,
// another signer's key: tags are not unique). The old side's DNSKEY set
// holds the new side's KSK and ZSK, the keys its answers validate with,
// and not that key: nothing a validator holding the old set needs is
// missing. The gate asked the old side for every key of the signing tag
// and refused ("another key with the same tag", on the code before); only
// the keys that verify a served signature, or that the DS matches, count.
func TestUnusedKeySameTagNotRequired(t *testing.T) {
	lab.Require(t, "named", "knotd")
	a, b := newSigner(t, origin), newSigner(t, origin)
	bKeys := b.keys(t) // KSK, ZSK
	unused := collidingKey(t, bKeys[1])
	oldIP, newIP := lab.Addr(t), lab.Addr(t)
	old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: origin,
		Text: a.sign(t, sideZone("ns1", oldIP), signOpts{extraKeys: bKeys})}}})
	nw := lab.BIND(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: origin,
		Text: b.sign(t, sideZone("ns2", newIP), signOpts{nsec3: true, extraKeys: append(a.keys(t), unused)})}}})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r := resolve(t, nw.Addr, origin, dns.TypeDNSKEY)
	served := 0
	for _, rr := range r.Answer {
		if k, ok := rr.(*dns.DNSKEY); ok && strconv.Itoa(int(k.KeyTag())) == b.zskTag() {
			served++
		}
	}
	if served != 2 {
		t.Fatalf("the new side serves %d keys with its ZSK's tag %s, want 2 (its ZSK and the unused key)", served, b.zskTag())
	}
	res := twoSignerGate(t, ctx, a, b, nw.Addr, old.Addr)
	t.Logf("gate: ok=%v %s", res.OK, res.Detail)
	if !res.OK {
		t.Errorf("the old side holds every key the new side signs with; a key that only shares the ZSK's tag and signs nothing refused the flip: %s", res.Detail)
	}
}

// twoSignerGate runs the gate for the new side at newAddr against the old
// side at oldAddr, with the DS of both signers a and b at the parent.
func twoSignerGate(t *testing.T, ctx context.Context, a, b *signer, newAddr, oldAddr string) dnssec.Result {
	t.Helper()
	res, err := dnssec.Gate(ctx, dnssec.Input{
		Zone: origin, DS: []string{a.ds(t, "2"), b.ds(t, "2")}, DSTTL: 60, NSTTL: 5, MaxTTL: 300,
		Servers: []string{newAddr}, Other: []string{oldAddr}, Sample: samples, Timeout: 2 * time.Second,
		Now: time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
