package dnssec_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

const origin = "example.test."

// zoneText is the zone both providers serve; ns1/ns2 are filled in by the
// tests that delegate to real addresses. It has a wildcard, a DNAME (the
// synthesized CNAME is unsigned), an insecure delegation (a referral with
// an NSEC proof of no DS) and a TXT RRset too big for UDP (TCP retry).
var zoneText = `$ORIGIN example.test.
$TTL 300
@	IN SOA ns1 hostmaster 2026112701 3600 600 86400 60
@	NS ns1
@	NS ns2
@	MX 10 mx1
ns1	A 127.0.0.1
ns2	A 127.0.0.2
mx1	A 192.0.2.25
www	A 192.0.2.80
www	AAAA 2001:db8::80
alias	CNAME www
*.wild	TXT "wildcard"
_dmarc	TXT "v=DMARC1; p=none"
dn	DNAME target
a.target	A 192.0.2.9
sub	NS ns.sub
ns.sub	A 192.0.2.53
big	TXT ` + strings.Repeat(`"`+strings.Repeat("x", 200)+`" `, 8) + `
`

// ent is an empty non-terminal of zoneText (a.target owns an A record,
// target nothing), the gate's NODATA probe of one.
const ent = "target.example.test."

var samples = [][2]string{
	{"www.example.test.", "A"},
	{"www.example.test.", "AAAA"},
	{"example.test.", "MX"},
	{"alias.example.test.", "A"},
	{"x.wild.example.test.", "TXT"},
	{"_dmarc.example.test.", "TXT"},
	{"mx1.example.test.", "TXT"}, // NODATA: the NSEC/NSEC3 proof verifies
	{"a.dn.example.test.", "A"},
	{"host.sub.example.test.", "A"},
	{"big.example.test.", "TXT"},
}

// serve starts a server of kind ("knot" or "bind") with text as example.test.
func serve(t testing.TB, kind, text string) string {
	t.Helper()
	z := []lab.Zone{{Origin: origin, Text: text}}
	switch kind {
	case "knot":
		return lab.Knot(t, lab.Options{Zones: z}).Addr
	case "bind":
		return lab.BIND(t, lab.Options{Zones: z}).Addr
	}
	t.Fatalf("unknown server kind %q", kind)
	return ""
}

func gate(t *testing.T, servers, ds []string) dnssec.Result {
	t.Helper()
	return gateOther(t, servers, nil, ds)
}

// gateOther runs the gate on servers with other as the side the
// delegation points to now.
func gateOther(t *testing.T, servers, other, ds []string) dnssec.Result {
	t.Helper()
	return gateWith(t, servers, other, ds, samples)
}

// gateSamples is gate with other samples.
func gateSamples(t *testing.T, servers, ds []string, sample [][2]string) dnssec.Result {
	t.Helper()
	return gateWith(t, servers, nil, ds, sample)
}

func gateWith(t *testing.T, servers, other, ds []string, sample [][2]string) dnssec.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := dnssec.Gate(ctx, dnssec.Input{
		Zone: origin, DS: ds, DSTTL: 3600, NSTTL: 7200, MaxTTL: 300,
		Servers: servers, Other: other, Sample: sample, EmptyNonTerminal: ent, Timeout: 2 * time.Second, Now: time.Now(),
	})
	if err != nil {
		t.Fatalf("Gate: %v", err)
	}
	return res
}

// TestGate runs the gate against real BIND and Knot servers serving the
// zone as dnssec-signzone signed it, with DS records dnssec-dsfromkey
// computed: every situation of the flip.
func TestGate(t *testing.T) {
	a := newSigner(t, origin) // the old provider's keys
	b := newSigner(t, origin) // the new provider's keys
	rsa := newSignerAlg(t, origin, "RSASHA256")
	ed := newSignerAlg(t, origin, "ED25519")
	signedA := a.sign(t, zoneText, signOpts{})
	signedA3 := a.sign(t, zoneText, signOpts{nsec3: true})
	signedB := b.sign(t, zoneText, signOpts{})
	// RFC 8901: each provider publishes both key sets, signs with its own.
	multiA := a.sign(t, zoneText, signOpts{extraKeys: b.keys(t)})
	multiB := b.sign(t, zoneText, signOpts{nsec3: true, extraKeys: a.keys(t)})
	expired := a.sign(t, zoneText, signOpts{start: "now-864000", end: "now-86400"})
	// The data changed after signing: the RRSIG no longer fits www A.
	tampered := strings.Replace(signedA, "192.0.2.80", "192.0.2.81", 1)
	// The NSEC chain stripped: NXDOMAIN without a proof.
	noNSEC := dropType(signedA, "NSEC")
	// A wildcard at the apex: the random name of the denial check gets the
	// wildcard's NODATA (no A there), proven by NSEC3.
	apexWild := a.sign(t, zoneText+"*\tTXT \"apex wildcard\"\n", signOpts{nsec3: true})

	for _, c := range []struct {
		name      string
		servers   [][2]string // kind, zone text
		other     [][2]string // the side the delegation points to now
		ds        []string
		ok        bool
		situation string
		want      []string // in Detail
		wantNot   []string
	}{
		{"unsigned, no DS", [][2]string{{"knot", zoneText}, {"bind", zoneText}}, nil, nil,
			true, dnssec.Unsigned, []string{"no DS at the parent"}, []string{"signed but"}},
		{"signed but no DS", [][2]string{{"knot", signedA}, {"bind", signedA}}, nil, nil,
			true, dnssec.Unsigned, []string{"signed but not delegated securely", a.kskTag()}, nil},
		{"DS SHA-256 matches on every server (NSEC)", [][2]string{{"knot", signedA}, {"bind", signedA}}, nil, []string{a.ds(t, "2")},
			true, dnssec.SignedMatch, []string{a.kskTag()}, nil},
		{"DS SHA-1 and SHA-384, NSEC3", [][2]string{{"knot", signedA3}, {"bind", signedA3}}, nil, []string{a.ds(t, "1"), a.ds(t, "4")},
			true, dnssec.SignedMatch, nil, nil},
		{"RSASHA256 keys", [][2]string{{"knot", rsa.sign(t, zoneText, signOpts{})}, {"bind", rsa.sign(t, zoneText, signOpts{nsec3: true})}}, nil, []string{rsa.ds(t, "2")},
			true, dnssec.SignedMatch, nil, nil},
		{"ED25519 keys", [][2]string{{"knot", ed.sign(t, zoneText, signOpts{})}}, nil, []string{ed.ds(t, "2")},
			true, dnssec.SignedMatch, nil, nil},
		{"lame signer: one server unsigned", [][2]string{{"knot", signedA}, {"bind", zoneText}}, nil, []string{a.ds(t, "2")},
			false, dnssec.SignedMismatch, []string{"serves no DNSKEY", "lacks key tag " + a.kskTag()}, nil},
		{"DS of the old keys, new signs with others", [][2]string{{"knot", signedB}, {"bind", signedB}}, nil, []string{a.ds(t, "2")},
			false, dnssec.SignedMismatch, []string{"lacks key tag " + a.kskTag(), "serves key tags"}, nil},
		{"DS of the old keys, new unsigned", [][2]string{{"knot", zoneText}, {"bind", zoneText}}, nil, []string{a.ds(t, "2")},
			false, dnssec.SignedMismatch, []string{"serves no DNSKEY"}, nil},
		{"DS with the KSK's key tag but another digest", [][2]string{{"knot", signedA}}, nil, []string{flipDigest(a.ds(t, "2"))},
			false, dnssec.SignedMismatch, []string{"lacks key tag " + a.kskTag(), "does not hash to the DS digest (digest type 2)"}, nil},
		{"expired RRSIGs", [][2]string{{"knot", expired}, {"bind", expired}}, nil, []string{a.ds(t, "2")},
			false, dnssec.SignedMismatch, []string{"valid only from"}, nil},
		{"answer changed after signing", [][2]string{{"knot", tampered}}, nil, []string{a.ds(t, "2")},
			false, dnssec.SignedMismatch, []string{"www.example.test. A: www.example.test. A: RRSIG by key tag", "does not verify"}, nil},
		{"NXDOMAIN without NSEC", [][2]string{{"knot", noNSEC}}, nil, []string{a.ds(t, "2")},
			false, dnssec.SignedMismatch, []string{"denial of dnsparity-", "without NSEC or NSEC3"}, nil},
		{"wildcard at the apex", [][2]string{{"knot", apexWild}, {"bind", apexWild}}, nil, []string{a.ds(t, "2")},
			true, dnssec.SignedMatch, nil, nil},
		{"multi-signer (RFC 8901): both key sets, both DS", [][2]string{{"knot", multiA}, {"bind", multiB}}, nil, []string{a.ds(t, "2"), b.ds(t, "2")},
			true, dnssec.SignedMatch, nil, nil},
		{"multi-signer, the old side publishes the new keys", [][2]string{{"bind", multiB}}, [][2]string{{"knot", multiA}}, []string{a.ds(t, "2"), b.ds(t, "2")},
			true, dnssec.SignedMatch, []string{"the old side's DNSKEY sets hold the signing keys " + b.zskTag()}, nil},
		{"multi-signer, the old DNSKEY set lacks the new ZSK", [][2]string{{"bind", multiB}}, [][2]string{{"knot", signedA}, {"knot", multiA}}, []string{a.ds(t, "2"), b.ds(t, "2")},
			false, dnssec.SignedMismatch, []string{"(old side) DNSKEY set lacks key tag " + b.zskTag() + ", which the new side signs"}, nil},
		{"multi-signer keys but only the old DS", [][2]string{{"knot", multiA}, {"bind", multiB}}, nil, []string{a.ds(t, "2")},
			false, dnssec.SignedMismatch, []string{"DNSKEY RRset not validly signed by the DS-matched key " + a.kskTag()}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var servers []string
			for _, s := range c.servers {
				servers = append(servers, serve(t, s[0], s[1]))
			}
			var other []string
			for _, s := range c.other {
				other = append(other, serve(t, s[0], s[1]))
			}
			res := gateOther(t, servers, other, c.ds)
			t.Logf("%s: %s", res.Situation, res.Detail)
			if res.OK != c.ok || res.Situation != c.situation {
				t.Fatalf("ok=%v situation=%q, want ok=%v %q; detail: %s", res.OK, res.Situation, c.ok, c.situation, res.Detail)
			}
			for _, w := range c.want {
				if !strings.Contains(res.Detail, w) {
					t.Errorf("detail lacks %q: %s", w, res.Detail)
				}
			}
			for _, w := range c.wantNot {
				if strings.Contains(res.Detail, w) {
					t.Errorf("detail has %q: %s", w, res.Detail)
				}
			}
			if c.ok {
				if len(res.Plan) != 0 || len(res.Problems) != 0 {
					t.Errorf("passing gate with plan %q, problems %q", res.Plan, res.Problems)
				}
				return
			}
			// Every failing server is named.
			for _, p := range res.Problems {
				if !strings.HasPrefix(p, "127.") {
					t.Errorf("problem does not name its server: %s", p)
				}
			}
			checkPlan(t, res)
		})
	}
}

// checkPlan: both routes, in order, with the DS wait said as a time.
func checkPlan(t *testing.T, res dnssec.Result) {
	t.Helper()
	text := strings.Join(res.Plan, "\n")
	order := []string{"(a) 1. Remove the DS", "(a) 2. Wait out the DS TTL", "(a) 3. Flip", "(a) 4. Sign", "(a) 5. Publish",
		"(b) 1. Sign", "(b) 2. Import", "(b) 3. Add the new provider's DS", "(b) 4. Wait the DNSKEY and DS TTLs", "(b) 5. Run the flip again"}
	at := 0
	for _, w := range order {
		i := strings.Index(text[at:], w)
		if i < 0 {
			t.Fatalf("plan lacks %q after position %d:\n%s", w, at, text)
		}
		at += i
	}
	if len(res.Steps) != len(res.Plan) || res.Steps[1].Earliest.IsZero() {
		t.Errorf("steps %+v", res.Steps)
	}
}

// dropType removes the records of one type (and their RRSIGs) from a
// signed zone file as dnssec-signzone writes it (one record per line,
// RDATA in parentheses over several lines).
func dropType(text, typ string) string {
	var out []string
	skip := false
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if skip {
			if strings.Contains(line, ")") {
				skip = false
			}
			continue
		}
		drop := false
		for i, w := range f {
			if w == typ || (w == "RRSIG" && i+1 < len(f) && f[i+1] == typ) {
				drop = true
				break
			}
			if w == "A" || w == "SOA" || w == "NS" || w == "MX" || w == "TXT" || w == "CNAME" || w == "AAAA" || w == "DNSKEY" {
				break
			}
		}
		if drop {
			skip = strings.Contains(line, "(") && !strings.Contains(line, ")")
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// flipDigest changes the last hex digit of a DS digest.
func flipDigest(ds string) string {
	last := ds[len(ds)-1]
	repl := byte('0')
	if last == '0' {
		repl = '1'
	}
	return ds[:len(ds)-1] + string(repl)
}

// TestGateRemovedDS: the DS is gone from the parent, but validating
// resolvers may hold it until its Until (Input.Held): an unsigned new side is
// refused until then (the plan starts with the wait), passes after; a new
// side that satisfies the removed DS passes at once.
func TestGateRemovedDS(t *testing.T) {
	a := newSigner(t, origin)
	unsignedAddr := serve(t, "knot", zoneText)
	signedAddr := serve(t, "bind", a.sign(t, zoneText, signOpts{}))
	now := time.Now()
	until := now.Add(time.Hour)
	for _, c := range []struct {
		name      string
		server    string
		until     time.Time
		ok        bool
		situation string
	}{
		{"unsigned new side while the DS may be cached", unsignedAddr, until, false, dnssec.SignedMismatch},
		{"unsigned new side after the DS expired from caches", unsignedAddr, now.Add(-time.Second), true, dnssec.Unsigned},
		{"new side satisfies the removed DS", signedAddr, until, true, dnssec.Unsigned},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := dnssec.Gate(context.Background(), dnssec.Input{
				Zone: origin, DSTTL: 0, Held: []dnssec.HeldDS{{DS: []string{a.ds(t, "2")}, Until: c.until}},
				Servers: []string{c.server}, Sample: samples, Timeout: 2 * time.Second, Now: now,
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s", res.Situation, res.Detail)
			if res.OK != c.ok || res.Situation != c.situation {
				t.Fatalf("ok=%v %s, want ok=%v %s", res.OK, res.Situation, c.ok, c.situation)
			}
			if c.ok {
				return
			}
			if !strings.Contains(res.Detail, "may hold the removed DS (key tags "+a.kskTag()+") until "+deadline.Format(until)) {
				t.Errorf("detail: %s", res.Detail)
			}
			if len(res.Steps) == 0 || !strings.HasPrefix(res.Plan[0], "(a) 1. Wait until") || !res.Steps[0].Earliest.Equal(until) || !res.Steps[1].Earliest.Equal(until) {
				t.Errorf("plan: %q", res.Plan)
			}
			for _, s := range res.Steps {
				if s.Route != "a" {
					t.Errorf("route (b) offered although the DS is gone: %s", s)
				}
			}
		})
	}
}
