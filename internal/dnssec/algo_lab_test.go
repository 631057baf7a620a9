package dnssec_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// TestGateAlgorithms: the old side (Knot) signs with ECDSAP256SHA256 (13),
// the new side (BIND) with RSASHA256 (8) or, as control, with another
// ECDSAP256SHA256 key pair. The gate on the new side refuses when a DS
// algorithm signs neither its DNSKEY RRset nor its answers (RFC 4035
// section 2.2, RFC 8901 section 4), and warns when its DNSKEY set holds
// an algorithm the DS set does not name that signs nothing. With the new
// side alone behind a signed parent, a validating Unbound with
// harden-algo-downgrade: yes validates exactly when the gate passes
// (SERVFAIL on every name otherwise); Unbound's default (no) validates
// every case, as RFC 6840 section 5.11 lets it.
func TestGateAlgorithms(t *testing.T) {
	lab.Require(t, "named", "knotd", "unbound")
	p := newSigner(t, "test.")
	a := newSigner(t, origin)                 // the old provider: 13
	r := newSignerAlg(t, origin, "RSASHA256") // a new provider: 8
	b := newSigner(t, origin)                 // a new provider: 13
	anchor := "test. IN DS " + p.ds(t, "2")
	const ecdsa, rsa = "ECDSAP256SHA256 (13)", "RSASHA256 (8)"

	for _, c := range []struct {
		name    string
		old, nw func(zone string) string
		ds      []*signer
		ok      bool
		want    []string // in Problems (refused) or Warnings (passed)
	}{
		{"multi-signer, old signs with 13, new with 8, both DS",
			func(z string) string { return a.sign(t, z, signOpts{extraKeys: r.keys(t)}) },
			func(z string) string { return r.sign(t, z, signOpts{nsec3: true, extraKeys: a.keys(t)}) },
			[]*signer{a, r}, false,
			[]string{"signs with " + rsa + ", but the DS set names " + rsa + " and " + ecdsa, "(its DNSKEY set holds " + rsa + " and " + ecdsa + ")",
				"no valid RRSIG of " + ecdsa + " over example.test. DNSKEY, www.example.test. A", "RFC 4035 section 2.2"}},
		{"DS for 13 and 8, new serves and signs with 8 only",
			func(z string) string { return a.sign(t, z, signOpts{extraKeys: r.keys(t)}) },
			func(z string) string { return r.sign(t, z, signOpts{}) },
			[]*signer{a, r}, false,
			[]string{"(its DNSKEY set holds " + rsa + ")", "no valid RRSIG of " + ecdsa + " over example.test. DNSKEY"}},
		{"new publishes the old 13 keys, signs with 8, DS for 8 only",
			func(z string) string { return a.sign(t, z, signOpts{extraKeys: r.keys(t)}) },
			func(z string) string { return r.sign(t, z, signOpts{extraKeys: a.keys(t)}) },
			[]*signer{r}, true,
			[]string{"holds keys of " + ecdsa + " besides the DS set's " + rsa, "no valid RRSIG of " + ecdsa + " over example.test. DNSKEY", "RFC 6840 section 5.11"}},
		{"multi-signer, both sign with 13, both DS",
			func(z string) string { return a.sign(t, z, signOpts{extraKeys: b.keys(t)}) },
			func(z string) string { return b.sign(t, z, signOpts{nsec3: true, extraKeys: a.keys(t)}) },
			[]*signer{a, b}, true, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			oldIP, newIP := lab.Addr(t), lab.Addr(t)
			zone := childZone(oldIP, newIP)
			old := lab.Knot(t, lab.Options{IP: oldIP, Zones: []lab.Zone{{Origin: origin, Text: c.old(zone)}}})
			nw := lab.BIND(t, lab.Options{IP: newIP, Zones: []lab.Zone{{Origin: origin, Text: c.nw(zone)}}})
			var ds []string
			for _, s := range c.ds {
				ds = append(ds, s.ds(t, "2"))
			}
			res := gateOther(t, []string{nw.Addr}, []string{old.Addr}, ds)
			t.Logf("gate: %v %s: %s", res.OK, res.Situation, res.Detail)
			checkAlgorithmVerdict(t, res, nw.Addr, c.ok, c.want)

			// The new side alone behind the delegation.
			for _, harden := range []bool{false, true} {
				parentIP := lab.Addr(t)
				parent := lab.BIND(t, lab.Options{IP: parentIP, Zones: []lab.Zone{{Origin: "test.",
					Text: parentZone(t, p, parentIP, map[string]string{"ns2": newIP}, ds)}}})
				u := lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {parent.IP}},
					TrustAnchors: []string{anchor}, HardenAlgoDowngrade: harden})
				valid := !harden || c.ok
				for _, s := range append(samples, [2]string{"nx.example.test.", "A"}, [2]string{origin, "DNSKEY"}) {
					if strings.HasSuffix(s[0], ".sub.example.test.") {
						continue // delegated to an address outside the lab
					}
					m := resolve(t, u.Addr, s[0], dns.StringToType[s[1]])
					good := (m.Rcode == dns.RcodeSuccess || m.Rcode == dns.RcodeNameError) && m.AuthenticatedData
					if good != valid {
						t.Errorf("harden-algo-downgrade=%v: %s %s: %s ad=%v, want validated=%v", harden, s[0], s[1], dns.RcodeToString[m.Rcode], m.AuthenticatedData, valid)
					}
				}
				if !valid {
					log := u.LogTail(100)
					t.Logf("Unbound (harden-algo-downgrade: yes):\n%s", log)
					if !strings.Contains(log, "from "+newIP+" for key example.test. while building chain of trust") {
						t.Errorf("Unbound's log does not show the new side's DNSKEY set failing the chain of trust:\n%s", log)
					}
				}
			}
		})
	}
}

// TestGateAlgorithmsHeldDS: the DS for the old provider's ECDSAP256SHA256
// key left the parent moments ago, which now holds only the new side's
// RSASHA256 DS; validating resolvers may still hold the set naming both
// (Input.Held), and under it the new side, signing with RSASHA256 only,
// breaks the algorithm rule: refused until then (the plan is the wait),
// passed (with the warning about the old keys it still publishes) after.
func TestGateAlgorithmsHeldDS(t *testing.T) {
	lab.Require(t, "named")
	a := newSigner(t, origin)
	r := newSignerAlg(t, origin, "RSASHA256")
	nw := serve(t, "bind", r.sign(t, zoneText, signOpts{extraKeys: a.keys(t)}))
	now := time.Now()
	until := now.Add(time.Hour)
	for _, c := range []struct {
		name string
		now  time.Time
		ok   bool
		want []string
	}{
		{"while resolvers may hold both DS", now, false, []string{"no valid RRSIG of ECDSAP256SHA256 (13) over example.test. DNSKEY"}},
		{"after the held DS set expired", until.Add(time.Second), true, []string{"holds keys of ECDSAP256SHA256 (13) besides the DS set's RSASHA256 (8)"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := dnssec.Gate(context.Background(), dnssec.Input{
				Zone: origin, DS: []string{r.ds(t, "2")}, DSTTL: 3600,
				Held:    []dnssec.HeldDS{{DS: []string{a.ds(t, "2"), r.ds(t, "2")}, Until: until}},
				Servers: []string{nw}, Sample: samples, Timeout: 2 * time.Second, Now: c.now,
			})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%v %s: %s; plan %q", res.OK, res.Situation, res.Detail, res.Plan)
			checkAlgorithmVerdict(t, res, nw, c.ok, c.want)
			if !c.ok && (len(res.Steps) != 2 || !res.Steps[0].Earliest.Equal(until) || !strings.Contains(res.Plan[0], "does not sign with ECDSAP256SHA256 (13), which it names")) {
				t.Errorf("the plan is not the wait until %s: %q", until.Format(time.RFC3339), res.Plan)
			}
		})
	}
}

// checkAlgorithmVerdict: a refusal is signed-mismatch with a problem
// naming server and holding want, and (when the plan has route (b)) its
// first step asks for the common algorithm; a pass has no problems, and
// want (if any) in a warning naming server.
func checkAlgorithmVerdict(t *testing.T, res dnssec.Result, server string, ok bool, want []string) {
	t.Helper()
	if res.OK != ok {
		t.Fatalf("gate ok=%v (%s), want %v: %s", res.OK, res.Situation, ok, res.Detail)
	}
	found := res.Warnings
	if !ok {
		found = res.Problems
		if res.Situation != dnssec.SignedMismatch {
			t.Errorf("situation %q, want %q", res.Situation, dnssec.SignedMismatch)
		}
		for _, st := range res.Steps {
			if st.Route == "b" && st.N == 1 && (!strings.Contains(st.Text, "with ECDSAP256SHA256 (13) as the old provider does") || !strings.Contains(st.Text, "RFC 6781 section 4.1.4")) {
				t.Errorf("plan (b) 1 does not ask for the common algorithm: %s", st.Text)
			}
		}
	} else if len(res.Problems) > 0 || len(res.Plan) > 0 {
		t.Errorf("passing gate with problems %q, plan %q", res.Problems, res.Plan)
	}
	if len(want) == 0 && len(res.Warnings) > 0 {
		t.Errorf("warnings %q, want none", res.Warnings)
	}
	if len(want) == 0 {
		return
	}
	var hit string
	for _, f := range found {
		if strings.HasPrefix(f, server+": ") && strings.Contains(f, want[0]) {
			hit = f
		}
	}
	if hit == "" {
		t.Fatalf("no problem or warning naming %s with %q: problems %q, warnings %q", server, want[0], res.Problems, res.Warnings)
	}
	for _, w := range want[1:] {
		if !strings.Contains(hit, w) {
			t.Errorf("%q lacks %q", hit, w)
		}
	}
	if !strings.Contains(res.Detail, hit) {
		t.Errorf("detail lacks %q: %s", hit, res.Detail)
	}
}
