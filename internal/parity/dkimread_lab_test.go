package parity_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityDKIMAsVerifiersLab: the DKIM check reads each selector as
// verifiers do. A key revoked (p=) on one side only names that side; two
// key records at one selector on a side are an error (RFC 6376
// §3.6.2.2; OpenDKIM: "multiple DNS replies"), on both sides too, where
// the comparison sees no difference; a selector CNAMEd to an ESP whose
// key record does not parse (a key cut short) is found through the
// resolver. Before, a revocation on new read as "keys differ", two
// records on both sides passed, and a CNAMEd selector was never parsed.
func TestParityDKIMAsVerifiersLab(t *testing.T) {
	p := rsaKeyB64(t, 2048)
	p2 := rsaKeyB64(t, 2048)
	key := "s1._domainkey IN TXT " + splitEvery("v=DKIM1; k=rsa; p="+p, 255)
	key2 := "s1._domainkey IN TXT " + splitEvery("v=DKIM1; k=rsa; p="+p2, 255)
	resolver := stubResolver(t, espZone("cut._domainkey IN TXT \"v=DKIM1; k=rsa; p="+p[:120]+"\""))
	cases := []struct {
		name       string
		old, nu    string
		words      []string // in one dkim error at s1._domainkey (info without a resolver)
		noResolver bool
	}{
		{"revoked on new only", key, `s1._domainkey IN TXT "v=DKIM1; p="`,
			[]string{"revoked (empty p=) on new only", "when they ask new"}, false},
		{"two key records on new", key, key + "\n" + key2,
			[]string{"DKIM on new: 2 key records at one selector", "multiple DNS replies"}, false},
		{"two key records on both sides", key + "\n" + key2, key + "\n" + key2,
			[]string{"DKIM on old and new: 2 key records at one selector"}, false},
		// A key cut short on one side, the usual migration fault:
		// what it does to mail is said.
		{"a key cut short on new only", key, `s1._domainkey IN TXT "v=DKIM1; k=rsa; p=` + p[:120] + `"`,
			[]string{"on new does not parse", "not an RSA public key", "verifiers that reach new fail every signature"}, false},
		{"a selector CNAMEd to an ESP key cut short", "s1._domainkey IN CNAME cut._domainkey.esp.test.", "s1._domainkey IN CNAME cut._domainkey.esp.test.",
			[]string{"does not parse on old and new", "not an RSA public key"}, false},
		// Without a resolver the ESP's key cannot be read: said, not passed over.
		{"a selector CNAMEd to an ESP, no resolver", "s1._domainkey IN CNAME cut._domainkey.esp.test.", "s1._domainkey IN CNAME cut._domainkey.esp.test.",
			[]string{"the DKIM key on old and new: not read", "give parity.resolver"}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			oldText, newText := verdictBase+c.old+"\n", verdictBase+c.nu+"\n"
			z := loadAny(t, oldText)
			o := serve(t, "knot", oldText)
			n := o
			if newText != oldText {
				n = serve(t, "knot", newText)
			}
			noResolver := c.noResolver
			rep := runWith(t, z, []string{o}, []string{n}, func(op *parity.Options) {
				if !noResolver {
					op.Resolver = resolver
				}
			})
			sev := parity.SevError
			if noResolver {
				sev = parity.SevInfo
			}
			if !hasFindings(t, rep, []finding{{"s1._domainkey." + origin, "TXT", "dkim", sev, c.words}}) {
				dump(t, rep)
			}
		})
	}
}

// TestParityDKIMStaleESPCopyLab: a selector CNAMEd to an ESP, on both
// sides; PowerDNS on old also serves its own stale copy of the ESP's
// zone, whose key is cut short, and appends it to the chain. Verifiers'
// resolvers take no record out of the zone's bailiwick (RFC 2181 §5.4.1)
// and ask the ESP's servers, whose key is sound: so does the DKIM check
// (the chain cut where it leaves the zone, comparer.own). Before, old's
// appended key was read as what verifiers read, an error that would hold
// the flip.
func TestParityDKIMStaleESPCopyLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	p := rsaKeyB64(t, 2048)
	resolver := stubResolver(t, espZone("s1._domainkey IN TXT "+splitEvery("v=DKIM1; k=rsa; p="+p, 255)))
	text := verdictBase + "s1._domainkey IN CNAME s1._domainkey.esp.test.\n"
	stale := espZone("s1._domainkey IN TXT \"v=DKIM1; k=rsa; p=" + p[:120] + "\"")
	old := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: text}, stale}}).Addr
	rep := runWith(t, loadAny(t, text), []string{old}, []string{serve(t, "knot", text)}, func(o *parity.Options) { o.Resolver = resolver })
	for _, f := range rep.Findings {
		if f.Kind == "dkim" && f.Severity != parity.SevInfo {
			t.Errorf("%s %s at %s: %s", f.Severity, f.Kind, f.Name, f.Detail)
		}
	}
}
