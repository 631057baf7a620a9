package parity_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/miekg/dns"
)

// sign signs text (zone parity.test.) with a fresh KSK and ZSK
// (dnssec-keygen, dnssec-signzone; NSEC3 without salt when nsec3) and
// returns the signed zone text.
func sign(t *testing.T, text string, nsec3 bool) string {
	t.Helper()
	lab.Require(t, "dnssec-keygen", "dnssec-signzone")
	dir := t.TempDir()
	zf := filepath.Join(dir, "parity.test.zone")
	if err := os.WriteFile(zf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-K", dir, "-a", "ECDSAP256SHA256", "-f", "KSK", "-n", "ZONE", origin},
		{"-K", dir, "-a", "ECDSAP256SHA256", "-n", "ZONE", origin},
	} {
		if out, err := exec.Command("dnssec-keygen", args...).CombinedOutput(); err != nil {
			t.Fatalf("dnssec-keygen %v: %v\n%s", args, err, out)
		}
	}
	signed := zf + ".signed"
	args := []string{"-K", dir, "-d", dir, "-S", "-o", origin, "-f", signed}
	if nsec3 {
		args = append(args, "-3", "-")
	}
	args = append(args, zf)
	cmd := exec.Command("dnssec-signzone", args...)
	cmd.Dir = dir // nothing lands in the package directory
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("dnssec-signzone %v: %v\n%s", args, err, out)
	}
	b, err := os.ReadFile(signed)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"RRSIG", "DNSKEY", map[bool]string{false: "NSEC", true: "NSEC3"}[nsec3]} {
		if !strings.Contains(string(b), want) {
			t.Fatalf("signed zone has no %s", want)
		}
	}
	return string(b)
}

// TestParityDNSSEC: the zone signed on one side (RRSIG, NSEC or NSEC3,
// DNSKEY; NSEC records in AUTHORITY of NXDOMAIN and NODATA answers) and
// unsigned on the other: parity holds (DNSSEC records are out of the data
// comparison, negative answers keep their class), and the signing is
// reported once as kind dnssec: a warning when old signs and new does not
// (a DS at the parent would break new after the flip), info when only new
// signs.
func TestParityDNSSEC(t *testing.T) {
	text := fixture(t)
	z := loadText(t, text)
	for _, c := range []struct {
		name             string
		nsec3, oldSigned bool
		oldKind, newKind string
		sev              string
	}{
		{"old bind NSEC signed, new knot unsigned", false, true, "bind", "knot", parity.SevWarning},
		{"old pdns unsigned, new knot NSEC3 signed", true, false, "pdns", "knot", parity.SevInfo},
		{"old knot NSEC3 signed, new bind unsigned", true, true, "knot", "bind", parity.SevWarning},
	} {
		t.Run(c.name, func(t *testing.T) {
			signed := sign(t, text, c.nsec3)
			oldText, newText := text, signed
			if c.oldSigned {
				oldText, newText = signed, text
			}
			oldAddr, newAddr := serve(t, c.oldKind, oldText), serve(t, c.newKind, newText)
			signedAddr := newAddr
			if c.oldSigned {
				signedAddr = oldAddr
			}
			checkSignedAnswers(t, signedAddr, c.nsec3)
			rep := run(t, z, []string{oldAddr}, []string{newAddr})
			var dnssec []parity.Finding
			for _, f := range rep.Findings {
				if f.Kind == "dnssec" {
					dnssec = append(dnssec, f)
					continue
				}
				if f.Severity != parity.SevInfo {
					t.Errorf("%s %s %s %s: %s", f.Severity, f.Kind, f.Name, f.Type, f.Detail)
				}
			}
			if len(dnssec) != 1 {
				dump(t, rep)
				t.Fatalf("%d dnssec findings, want 1", len(dnssec))
			}
			f := dnssec[0]
			if f.Severity != c.sev || f.Name != origin || f.Type != "DNSKEY" {
				t.Errorf("dnssec finding %s %s %s, want %s %s DNSKEY", f.Severity, f.Name, f.Type, c.sev, origin)
			}
			signedSide, unsigned := f.Old, f.New
			if !c.oldSigned {
				signedSide, unsigned = f.New, f.Old
			}
			if !strings.Contains(signedSide, "DNSKEY") || unsigned != "no DNSKEY" {
				t.Errorf("old/new of the finding: %q / %q", f.Old, f.New)
			}
			if c.sev == parity.SevWarning && !strings.Contains(f.Detail, "DS") {
				t.Errorf("detail does not explain the DS consequence: %s", f.Detail)
			}
			if !rep.OK() {
				t.Errorf("parity does not hold")
			}
		})
	}
}

// checkSignedAnswers asks the signed server with DO=1, so that it adds
// RRSIGs and NSEC/NSEC3 records in AUTHORITY, and checks that the
// responses keep their class and their data (parity's own queries have
// DO=1 too; the DNSSEC records must not count).
func checkSignedAnswers(t *testing.T, addr string, nsec3 bool) {
	t.Helper()
	denial := dns.TypeNSEC
	if nsec3 {
		denial = dns.TypeNSEC3
	}
	for _, c := range []struct {
		name  string
		qtype uint16
		class query.Class
		recs  int // records parity compares
	}{
		{"dnsparity-nx-label." + origin, dns.TypeA, query.ClassNXDomain, 0},
		{"mx1." + origin, dns.TypeTXT, query.ClassNoData, 0},
		{"lb." + origin, dns.TypeA, query.ClassAnswer, 2},
	} {
		m := new(dns.Msg)
		m.SetQuestion(c.name, c.qtype)
		m.RecursionDesired = false
		m.SetEdns0(1232, true)
		resp, _, err := (&dns.Client{Net: "tcp"}).Exchange(m, addr)
		if err != nil {
			t.Fatalf("%s %s: %v", c.name, dns.Type(c.qtype), err)
		}
		q := fmt.Sprintf("%s %s", c.name, dns.Type(c.qtype))
		if c.class != query.ClassAnswer {
			has := false
			for _, rr := range resp.Ns {
				has = has || rr.Header().Rrtype == denial
			}
			if !has {
				t.Fatalf("%s: the signed server sent no %s in AUTHORITY:\n%s", q, dns.Type(denial), resp)
			}
		}
		class, recs := reduce(resp)
		if class != c.class || len(recs) != c.recs {
			t.Errorf("%s: %s with %d records, want %s with %d", q, class, len(recs), c.class, c.recs)
		}
	}
}

// reduce is the class of a response and the records parity compares.
func reduce(m *dns.Msg) (query.Class, []query.RR) {
	a, _ := query.FromMsg(m, nil)
	return a.Class(), a.Answer
}

// TestParityAXFRSignerRecordsLab: new signs (Knot's automatic signing:
// DNSKEY, RRSIG, NSEC, and the CDS/CDNSKEY it publishes for the parent,
// RFC 7344), old does not; with --axfr every record found on a side that
// git lacks is asked of both. The records a signer makes are the
// signer's, never data two independent signers (or a signed and an
// unsigned side) hold alike: signing is said once (kind dnssec), and no
// signer-made RRset is a missing or rdata error.
func TestParityAXFRSignerRecordsLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	text := fixture(t)
	z := loadText(t, text)
	old := serve(t, "bind", text)
	new := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, Signing: true}).Addr
	rep := runWith(t, z, []string{old}, []string{new}, func(o *parity.Options) { o.AXFR = true })
	dump(t, rep)
	for _, f := range rep.Findings {
		switch f.Type {
		case "CDS", "CDNSKEY", "DNSKEY", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "ZONEMD":
			if f.Kind != "dnssec" && f.Severity != parity.SevInfo {
				t.Errorf("a signer's record compared as data: %s %s %s %s: %s", f.Severity, f.Kind, f.Name, f.Type, f.Detail)
			}
		}
	}
}

// TestParityDNSKEYUnansweredLab: both sides sign (Knot), but new's apex
// DNSKEY query gets no answer (every try dropped, by a relay in front of
// it). Whether new signs is then unknown, and once the parent's DS
// points at a key, validating resolvers need that answer for every name:
// parity must not pass in silence (it did: "a side whose DNSKEY query
// fails is not judged", and the DNSKEY is asked nowhere else).
func TestParityDNSKEYUnansweredLab(t *testing.T) {
	lab.Require(t, "knotd")
	text := fixture(t)
	z := loadText(t, text)
	o := lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, Signing: true}
	old := lab.Knot(t, o).Addr
	relay := newRecorder(t, lab.Knot(t, o).Addr, func(q dns.Question) bool { return q.Qtype == dns.TypeDNSKEY })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rep, err := parity.Run(ctx, z, []parity.Target{{Addr: old}}, []parity.Target{{Addr: relay.Addr}},
		parity.Options{Timeout: 300 * time.Millisecond, Retries: 1, Concurrency: 8})
	if err != nil {
		t.Fatal(err)
	}
	dump(t, rep)
	found := false
	for _, f := range rep.Findings {
		if f.Kind == "dnssec" && f.Type == "DNSKEY" && f.Severity == parity.SevError && strings.Contains(f.Detail, "could not verify") {
			found = true
		}
	}
	if !found || rep.OK() {
		t.Errorf("new's apex DNSKEY unanswered: want a dnssec error (could not verify), parity not holding")
	}
}

// TestParityDNSKEYWithinProviderLab: new's two servers serve the same
// data, one signed (Knot) and one not (BIND): a node left out of the
// signing. Once the parent has new's DS, validating resolvers that pick
// the unsigned one fail for every name. Parity asked only each side's
// first server for the DNSKEY, so it said "new signs" (info) and held.
func TestParityDNSKEYWithinProviderLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	text := fixture(t)
	z := loadText(t, text)
	old := serve(t, "bind", text)
	signed := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, Signing: true}).Addr
	unsigned := serve(t, "bind", text)
	rep := run(t, z, []string{old}, []string{signed, unsigned})
	dump(t, rep)
	found := false
	for _, f := range rep.Findings {
		if f.Type == "DNSKEY" && f.Kind == "disagree-within-provider" && f.Severity == parity.SevError && strings.Contains(f.Detail, unsigned) {
			found = true
		}
	}
	if !found || rep.OK() {
		t.Errorf("new's servers %s (signed) and %s (unsigned): want a disagree-within-provider error on DNSKEY", signed, unsigned)
	}
}

// TestParityReplaySignerRecordsLab: a query log holds the CDS and
// CDNSKEY questions of a parent's scanner (registries of .ch, .se, .cz
// ask every zone); new signs (Knot) and publishes them, old does not.
// Replayed, they are a signer's records as in a transfer: never a
// missing error (git has none).
func TestParityReplaySignerRecordsLab(t *testing.T) {
	lab.Require(t, "named", "knotd")
	text := fixture(t)
	z := loadText(t, text)
	old := serve(t, "bind", text)
	new := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, Signing: true}).Addr
	log := filepath.Join(t.TempDir(), "query.log")
	lines := ""
	for i, ty := range []string{"CDS", "CDNSKEY", "A"} {
		lines += fmt.Sprintf("04-Dec-2026 19:00:01.12%d queries: info: client @0x7f1c2c001000 127.0.0.1#4000%d (parity.test): query: parity.test IN %s -E(0)DC (127.53.0.1)\n", i, i, ty)
	}
	if err := os.WriteFile(log, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := runWith(t, z, []string{old}, []string{new}, func(o *parity.Options) { o.Queries = log })
	dump(t, rep)
	if rep.Replayed == nil || rep.Replayed.Logged != 3 {
		t.Fatalf("replayed: %+v, want 3 logged questions", rep.Replayed)
	}
	for _, f := range rep.Findings {
		if (f.Type == "CDS" || f.Type == "CDNSKEY" || strings.Contains(f.Detail, "CDS")) && f.Severity != parity.SevInfo {
			t.Errorf("a signer's record compared as data: %s %s %s %s: %s", f.Severity, f.Kind, f.Name, f.Type, f.Detail)
		}
	}
}
