package zone

import (
	"bytes"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// zonemdZone has what a digest must get right: records at several
// owners in an order the canonical one is not (a label that sorts by
// its octets, a wildcard, an empty non-terminal), RRsets of several
// records, TTLs that differ, a delegation with glue, escapes, a
// multi-string TXT, a ZONEMD below the apex (included: RFC 8976
// §3.3.1.2) and mixed case in owners and in an MX target (RFC 4034 §6.2:
// lower-cased).
const zonemdZone = `$ORIGIN example.test.
$TTL 300
@ SOA ns1 hostmaster 7 3600 600 1209600 300
@ 3600 NS ns1
@ 3600 NS ns2.example.net.
@ MX 10 Mail.Example.Test.
@ MX 20 backup.example.net.
@ TXT "v=spf1 -all" "second string"
ns1 A 192.0.2.53
MAIL 60 A 192.0.2.25
mail 60 AAAA 2001:db8::25
*.wild TXT "any"
a.b.c TXT "deep"
z TXT "last by octets"
Z\.dot TXT "escaped"
sub NS ns.sub
ns.sub A 192.0.2.99
_sip._tcp SRV 10 5 5060 sip
sip A 192.0.2.60
other ZONEMD 1 1 1 ` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + `
`

// TestZONEMDDigestKnownAnswers: ZONEMDDigest gives the digests real
// tools make for the same zone (known answers, not this code's):
// Knot's zonemd-generate (SHA-384), unsigned and signed (DNSKEY, RRSIG,
// NSEC, CDS and CDNSKEY in the digest, the RRSIG over the ZONEMD not),
// each read by AXFR as a provider's listing is; and ldns-signzone -z
// (SHA-384 and SHA-512) on the zone file. A changed record changes it.
func TestZONEMDDigestKnownAnswers(t *testing.T) {
	const origin = "example.test."
	for _, signing := range []bool{false, true} {
		srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: zonemdZone}}, ZONEMD: true, Signing: signing})
		z, err := FromRRs(origin, lab.AXFR(t, srv.Addr, origin, nil))
		if err != nil {
			t.Fatal(err)
		}
		verifyZONEMD(t, "knot", signing, z)
	}

	lab.Require(t, "ldns-signzone")
	dir := t.TempDir()
	file := filepath.Join(dir, "example.test.zone")
	if err := os.WriteFile(file, []byte(zonemdZone), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.zone")
	if b, err := exec.Command("ldns-signzone", "-Z", "-z", "1:1", "-z", "1:2", "-o", origin, "-f", out, file).CombinedOutput(); err != nil {
		t.Fatalf("ldns-signzone: %v\n%s", err, b)
	}
	z, err := Load(out, Options{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	verifyZONEMD(t, "ldns-signzone", false, z)
}

// verifyZONEMD compares the digest of z with each of its apex ZONEMD
// records, and with z changed by one record.
func verifyZONEMD(t *testing.T, tool string, signed bool, z *Zone) {
	t.Helper()
	zs := z.Get(z.Origin, dns.TypeZONEMD)
	if zs == nil {
		t.Fatalf("%s (signed %v): no apex ZONEMD", tool, signed)
	}
	if signed && z.Get(z.Origin, dns.TypeRRSIG) == nil {
		t.Fatalf("%s: the signed zone has no RRSIG at the apex", tool)
	}
	for _, rr := range zs.RRs() {
		r := rr.(*dns.ZONEMD)
		got, ok := ZONEMDDigest(z, r.Hash)
		if !ok || !strings.EqualFold(hex.EncodeToString(got), r.Digest) {
			t.Errorf("%s (signed %v), hash %d: digest %x (%v), the tool's %s", tool, signed, r.Hash, got, ok, r.Digest)
		}
		txt := z.Get("z.example.test.", dns.TypeTXT)
		saved := txt.Records[0].Rdata
		txt.Records[0].Rdata = "\x05other"
		changed, _ := ZONEMDDigest(z, r.Hash)
		txt.Records[0].Rdata = saved
		if bytes.Equal(changed, got) {
			t.Errorf("%s, hash %d: a changed TXT gives the same digest", tool, r.Hash)
		}
	}
}

// TestStaleZONEMDKnotGenericTypesLab: a ZONEMD Knot's zonemd-generate
// keeps current is not stale over a record of a type Knot does not know
// and holds in RFC 3597 form only (its zone loader refuses their
// presentation form). Knot lower-cases the RDATA names of MB and PX, as
// RFC 4034 §6.2 lists them, and digests NSAP-PTR's as given, upper case
// included, as the RFC has it; Normalize retypes NSAP-PTR and
// lower-cases its name. Judged stale, push deleted Knot's ZONEMD at
// every run and Knot made a new one at the next serial: a plan never
// empty.
func TestStaleZONEMDKnotGenericTypesLab(t *testing.T) {
	const origin = "example.test."
	for _, rec := range []string{
		`mb TYPE7 \# 11 0141074558414d504c4500`,    // MB A.EXAMPLE.
		`nsap TYPE23 \# 11 0141074558414d504c4500`, // NSAP-PTR A.EXAMPLE.
		`px TYPE26 \# 11 000a014100014202434800`,   // PX 10 A. B.CH.
	} {
		text := "$ORIGIN example.test.\n$TTL 300\n@ SOA ns1 hostmaster 7 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n" + rec + "\n"
		srv := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, ZONEMD: true})
		z, err := FromRRs(origin, lab.AXFR(t, srv.Addr, origin, nil))
		if err != nil {
			t.Fatal(err)
		}
		if z.Get(origin, dns.TypeZONEMD) == nil {
			t.Fatalf("%s: Knot made no ZONEMD", rec)
		}
		if StaleZONEMD(z) {
			t.Errorf("%s: Knot's current ZONEMD judged stale", rec)
		}
	}
}

// TestStaleZONEMDNSEC3SignedLab: a zone signed with NSEC3 (no NSEC, so
// zonemdExact holds and StaleZONEMD redoes the digest) by ldns-signzone,
// SHA-384 and SHA-512 ZONEMD over it (RRSIG over the ZONEMD left out of
// the digest, the NSEC3 chain and every other RRSIG in it): each digest
// is ZONEMDDigest's and the ZONEMD is current, not stale. A digest that
// differed here would have push delete a signer's valid ZONEMD.
func TestStaleZONEMDNSEC3SignedLab(t *testing.T) {
	lab.Require(t, "ldns-signzone", "ldns-keygen")
	const origin = "example.test."
	dir := t.TempDir()
	keygen := func(args ...string) string {
		cmd := exec.Command("ldns-keygen", append([]string{"-a", "ECDSAP256SHA256"}, append(args, origin)...)...)
		cmd.Dir = dir
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ldns-keygen: %v\n%s", err, b)
		}
		return filepath.Join(dir, strings.TrimSpace(string(b)))
	}
	ksk, zsk := keygen("-k"), keygen()
	file, out := filepath.Join(dir, "in.zone"), filepath.Join(dir, "out.zone")
	if err := os.WriteFile(file, []byte(zonemdZone), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command("ldns-signzone", "-n", "-s", "abcd", "-t", "1", "-z", "1:1", "-z", "1:2", "-o", origin, "-f", out, file, ksk, zsk).CombinedOutput(); err != nil {
		t.Fatalf("ldns-signzone: %v\n%s", err, b)
	}
	z, err := Load(out, Options{Origin: origin})
	if err != nil {
		t.Fatal(err)
	}
	if z.Get(origin, dns.TypeNSEC3PARAM) == nil || !zonemdExact(z) {
		t.Fatalf("the signed zone: NSEC3PARAM %v, exact %v; want NSEC3 and no type judged by serial alone", z.Get(origin, dns.TypeNSEC3PARAM) != nil, zonemdExact(z))
	}
	verifyZONEMD(t, "ldns-signzone -n", true, z)
	if StaleZONEMD(z) {
		t.Error("ldns-signzone's ZONEMD over the NSEC3-signed zone judged stale")
	}
}
