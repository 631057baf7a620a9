package parity_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/lab/labsign"
	"github.com/dnsparity/dnsparity/internal/query"
)

// denialShapes are zone shapes a denial chain must get right, added to
// the parity fixture (which has a CNAME chain, a wildcard, a delegation
// with glue and an empty non-terminal): a name of mixed case, names with
// escapes, a DNAME, insecure delegations (one with glue below the cut,
// one below empty non-terminals that exist only for it: an opt-out span),
// a secure delegation (DS), a wildcard CNAME with a name beside it.
const denialShapes = `
MiXeD       IN A     192.0.2.5
a\.b        IN TXT   "a dot in a label"
sp\032ace   IN TXT   "a space"
\065bc      IN TXT   "an escaped capital"
dn          IN DNAME elsewhere.example.
ins1        IN NS    ns.ins1.parity.test.
ns.ins1     IN A     192.0.2.101
ins2        IN NS    ns.example.net.
x.y.optent  IN NS    ns.example.net.
sec         IN NS    ns.example.net.
sec         IN DS    12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
*.w         IN CNAME lb.parity.test.
beside.w    IN TXT   "beside the wildcard"
`

// denialKind waits until addr denies a name that does not exist with
// records of type kind (a signer that builds its chain after its keys:
// BIND's NSEC3), and returns that answer.
func denialKind(t *testing.T, addr string, kind uint16) *dns.Msg {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		m, err := query.Msg(context.Background(), addr, "nx-denial."+origin, dns.TypeA, query.MsgOptions{DO: true})
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(m.Ns, func(rr dns.RR) bool { return rr.Header().Rrtype == kind }) {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s denies nx-denial without %s: %s", addr, dns.Type(kind), m)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// pdnsSecure makes the PowerDNS zone secure through its API with body.
func pdnsSecure(t *testing.T, p *lab.PowerDNS, body string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPut, p.APIURL+"/api/v1/servers/"+p.ServerID+"/zones/"+origin, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-API-Key", p.APIKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("PUT zone %s: %s", body, resp.Status)
	}
}

// TestParityDenialEverySignerLab: every signer setup the lab runs serves
// a sound chain for the fixture with every zone shape of denialShapes,
// and parity finds no `denial` in it (the side compared against is the
// unsigned zone on BIND): BIND inline-signing with dnssec-policy (NSEC,
// NSEC3, NSEC3 opt-out), Knot automatic signing (NSEC, NSEC3, NSEC3
// opt-out), Knot online signing (compact denial: an NSEC at the name
// asked), PowerDNS live-signing (NSEC, NSEC3, NSEC3 narrow, each NSEC3
// with opt-out too), and the zone presigned by dnssec-signzone (NSEC,
// NSEC3, NSEC3 opt-out) served by BIND and Knot. The chain kind is asserted served first. (PowerDNS
// 4.7 serving a zone loaded presigned with pdnsutil load-zone answered
// an apex NSEC whose next name was the apex, not the file's: no chain a
// signer made; left out.)
func TestParityDenialEverySignerLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "pdns_server", "dnssec-signzone", "dnssec-keygen")
	text := fixture(t) + denialShapes
	z := loadText(t, text)
	unsigned := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}}).Addr
	zones := []lab.Zone{{Origin: origin, Text: text}}
	type setup struct {
		name  string
		kind  uint16
		start func(t *testing.T) string
	}
	setups := []setup{
		{"bind nsec", dns.TypeNSEC, func(t *testing.T) string { return lab.BIND(t, lab.Options{Zones: zones, Signing: true}).Addr }},
		{"bind nsec3", dns.TypeNSEC3, func(t *testing.T) string {
			return lab.BIND(t, lab.Options{Zones: zones, Signing: true, NSEC3: true}).Addr
		}},
		{"bind nsec3 opt-out", dns.TypeNSEC3, func(t *testing.T) string {
			return lab.BIND(t, lab.Options{Zones: zones, Signing: true, NSEC3: true, OptOut: true}).Addr
		}},
		{"knot nsec", dns.TypeNSEC, func(t *testing.T) string { return lab.Knot(t, lab.Options{Zones: zones, Signing: true}).Addr }},
		{"knot nsec3", dns.TypeNSEC3, func(t *testing.T) string {
			return lab.Knot(t, lab.Options{Zones: zones, Signing: true, NSEC3: true}).Addr
		}},
		{"knot nsec3 opt-out", dns.TypeNSEC3, func(t *testing.T) string {
			return lab.Knot(t, lab.Options{Zones: zones, Signing: true, NSEC3: true, OptOut: true}).Addr
		}},
		{"knot online-sign", dns.TypeNSEC, func(t *testing.T) string { return lab.Knot(t, lab.Options{Zones: zones, OnlineSign: true}).Addr }},
	}
	for _, body := range []string{`{"dnssec": true}`, `{"dnssec": true, "nsec3param": "1 0 0 -"}`, `{"dnssec": true, "nsec3param": "1 0 0 -", "nsec3narrow": true}`, `{"dnssec": true, "nsec3param": "1 1 0 -"}`, `{"dnssec": true, "nsec3param": "1 1 0 -", "nsec3narrow": true}`} {
		setups = append(setups, setup{"pdns live " + body, map[bool]uint16{false: dns.TypeNSEC, true: dns.TypeNSEC3}[strings.Contains(body, "nsec3")], func(t *testing.T) string {
			p := lab.PDNS(t, lab.Options{Signing: true, Zones: zones})
			pdnsSecure(t, p, body)
			return p.Addr
		}})
	}
	for _, o := range []labsign.Opts{{}, {NSEC3: true}, {NSEC3: true, OptOut: true}} {
		kind := map[bool]uint16{false: dns.TypeNSEC, true: dns.TypeNSEC3}[o.NSEC3]
		label := fmt.Sprintf("presigned nsec3=%v opt-out=%v", o.NSEC3, o.OptOut)
		signed := func(t *testing.T) []lab.Zone {
			s := labsign.New(t, origin)
			return []lab.Zone{{Origin: origin, Text: s.Sign(t, text, o)}}
		}
		setups = append(setups,
			setup{"bind " + label, kind, func(t *testing.T) string { return lab.BIND(t, lab.Options{Zones: signed(t)}).Addr }},
			setup{"knot " + label, kind, func(t *testing.T) string { return lab.Knot(t, lab.Options{Zones: signed(t)}).Addr }},
		)
	}
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) {
			addr := s.start(t)
			denialKind(t, addr, s.kind)
			rep := run(t, z, []string{unsigned}, []string{addr})
			n := 0
			for _, f := range rep.Findings {
				if f.Kind == "denial" {
					n++
					t.Errorf("%s %s: %s", f.Name, f.Type, f.Detail)
				}
			}
			t.Logf("%d findings, %d of kind denial", len(rep.Findings), n)
		})
	}
}

// TestParityDenialPresignedGitLab: git holds the zone as signed (a
// presigned zone committed with its DNSKEY, RRSIG and NSEC3 records,
// which check accepts), both sides serve that file. Its NSEC3 records'
// owners (hashes) are no names of the zone's data: a signer hashes no
// NSEC3 owner, so the chain covers their hashes; that is no denial of
// anything git holds. No `denial` finding.
func TestParityDenialPresignedGitLab(t *testing.T) {
	lab.Require(t, "named", "knotd", "dnssec-signzone", "dnssec-keygen")
	for _, o := range []labsign.Opts{{}, {NSEC3: true}, {NSEC3: true, OptOut: true}} {
		t.Run(fmt.Sprintf("nsec3=%v opt-out=%v", o.NSEC3, o.OptOut), func(t *testing.T) {
			s := labsign.New(t, origin)
			signed := s.Sign(t, fixture(t)+denialShapes, o)
			z := loadText(t, signed)
			zones := []lab.Zone{{Origin: origin, Text: signed}}
			old := lab.BIND(t, lab.Options{Zones: zones}).Addr
			nw := lab.Knot(t, lab.Options{Zones: zones}).Addr
			rep := run(t, z, []string{old}, []string{nw})
			n := 0
			for _, f := range rep.Findings {
				if f.Kind == "denial" {
					n++
					if n <= 3 {
						t.Errorf("%s %s: %s", f.Name, f.Type, f.Detail)
					}
				}
			}
			t.Logf("%d findings, %d of kind denial", len(rep.Findings), n)
		})
	}
}

// TestParityDenialNSECToNSEC3Lab: a legitimate change of the chain
// while parity runs. BIND signs the zone (with 3000 more names, so that
// it builds the new chain over many steps) with NSEC, then its policy is
// changed to NSEC3 and the configuration read again (SIGHUP): BIND
// builds the NSEC3 chain while it serves the NSEC one, switches, and
// takes the NSEC chain down. Parity runs again and again through that,
// until the NSEC3 chain is served (and once more after): no run finds a
// `denial`.
func TestParityDenialNSECToNSEC3Lab(t *testing.T) {
	lab.Require(t, "named")
	var b strings.Builder
	b.WriteString(fixture(t) + denialShapes)
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&b, "n%04d IN A 192.0.2.%d\n", i, 1+i%250)
	}
	text := b.String()
	z := loadText(t, text)
	unsigned := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}}).Addr
	s := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}}, Signing: true})
	denialKind(t, s.Addr, dns.TypeNSEC)
	conf, err := os.ReadFile(s.Conf)
	if err != nil {
		t.Fatal(err)
	}
	policy := "dnssec-policy \"lab-nsec3\" {\n\tkeys { csk lifetime unlimited algorithm ecdsap256sha256; };\n\tnsec3param iterations 0 optout no salt-length 0;\n};\n"
	changed := strings.Replace(string(conf), "controls { };\n", "controls { };\n"+policy, 1)
	changed = strings.Replace(changed, "dnssec-policy \"default\";", "dnssec-policy \"lab-nsec3\";", 1)
	if changed == string(conf) || !strings.Contains(changed, "dnssec-policy \"lab-nsec3\";") {
		t.Fatalf("named.conf has no dnssec-policy to change:\n%s", conf)
	}
	if err := os.WriteFile(s.Conf, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(s.PID, syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	runs, after := 0, 0
	chains := map[string]int{}
	deadline := time.Now().Add(90 * time.Second)
	for after < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("BIND serves no NSEC3 chain %d parity runs after the policy changed (%v)", runs, chains)
		}
		m, err := query.Msg(context.Background(), s.Addr, "nx-denial."+origin, dns.TypeA, query.MsgOptions{DO: true})
		if err != nil {
			t.Fatal(err)
		}
		kind := "none"
		for _, rr := range m.Ns {
			if t := rr.Header().Rrtype; t == dns.TypeNSEC || t == dns.TypeNSEC3 {
				kind = dns.Type(t).String()
			}
		}
		chains[kind]++
		if kind == "NSEC3" {
			after++
		}
		rep := run(t, z, []string{unsigned}, []string{s.Addr})
		runs++
		for _, f := range rep.Findings {
			if f.Kind == "denial" {
				t.Errorf("run %d (%s served): %s %s: %s", runs, kind, f.Name, f.Type, f.Detail)
			}
		}
	}
	t.Logf("%d parity runs; the chain served to nx-denial before each: %v", runs, chains)
}
