package dnssec_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/dnssec"
)

// TestGateCDS: RFC 8901 multi-signer with both DS at the parent, each
// side (Knot, serving the zone dnssec-signzone signed, CDS and CDNSKEY
// records in the zone file) publishing CDS/CDNSKEY. A parent that polls
// them (RFC 7344, 8078) would replace the DS with the published set: one
// naming both keys passes; one naming only the side's own key, or a
// delete record, refuses the flip although the keys themselves fit; a
// delete record mixed with other records is malformed (RFC 8078 section
// 4): a parent following RFC 8078 ignores the set, a lax one reads it as
// delete, so while the step keeps the DS it refuses, and while the step
// removes the DS it is a warning. With
// Input.TargetDS (a rollback restoring another DS set) the CDS is judged
// against that set.
func TestGateCDS(t *testing.T) {
	a := newSigner(t, origin) // the old provider's keys
	b := newSigner(t, origin) // the new provider's keys
	ds := []string{a.ds(t, "2"), b.ds(t, "2")}
	cds := func(rdata ...string) string {
		var out string
		for _, r := range rdata {
			out += "@\tCDS " + r + "\n"
		}
		return out
	}
	cdnskey := func(s *signer) string { // the KSK, as CDNSKEY
		return strings.Replace(s.keys(t)[0], " DNSKEY ", " CDNSKEY ", 1) + "\n"
	}
	both := cds(ds...)
	c := newSigner(t, origin) // a key no DS names
	// resign applies the marks of extra to a side's signed zone: ";unsigned
	// TYPE" removes the RRSIGs over TYPE, ";foreign CDS" replaces those
	// over CDS with c's (a valid signature by a key no DS names).
	resign := func(extra, signed string) string {
		for _, typ := range []string{"CDS", "CDNSKEY"} {
			if strings.Contains(extra, ";unsigned "+typ+"\n") {
				signed, _ = splitSigs(t, signed, typ)
			}
		}
		if strings.Contains(extra, ";foreign CDS\n") {
			var foreign []string
			signed, _ = splitSigs(t, signed, "CDS")
			_, foreign = splitSigs(t, c.sign(t, zoneText+extra, signOpts{}), "CDS")
			signed += strings.Join(foreign, "\n") + "\n"
		}
		return signed
	}
	unsigned := func(extra, typ string) string { return extra + ";unsigned " + typ + "\n" }
	foreign := func(extra string) string { return extra + ";foreign CDS\n" }
	oldSide := func(extra string) string {
		return resign(extra, a.sign(t, zoneText+extra, signOpts{extraKeys: b.keys(t)}))
	}
	newSide := func(extra string) string {
		return resign(extra, b.sign(t, zoneText+extra, signOpts{extraKeys: a.keys(t)}))
	}

	for _, c := range []struct {
		name      string
		old, new  string // CDS/CDNSKEY lines added to each side's zone
		ok        bool
		situation string
		want      []string // in Detail
		warn      bool
		target    []string // Input.TargetDS (a rollback restoring another DS set)
	}{
		{"no CDS anywhere", "", "", true, dnssec.SignedMatch, nil, false, nil},
		{"both sides publish CDS and CDNSKEY for both keys", both + cdnskey(a) + cdnskey(b), both + cdnskey(a) + cdnskey(b), true, dnssec.SignedMatch, nil, false, nil},
		{"both keys, other digest types on the old side", cds(a.ds(t, "4"), b.ds(t, "4")), both, true, dnssec.SignedMatch,
			[]string{"publish different CDS/CDNSKEY sets"}, true, nil},
		{"only the new side publishes CDS (for both keys)", "", both, true, dnssec.SignedMatch,
			[]string{"publish different CDS/CDNSKEY sets"}, true, nil},
		{"the new side publishes CDS for its own key only", "", cds(b.ds(t, "2")), false, dnssec.CDSMismatch,
			[]string{"(new side) publishes CDS for key tags " + b.kskTag() + ", lacking the DS key tags " + a.kskTag()}, true, nil},
		{"the new side publishes CDNSKEY for its own key only", "", cdnskey(b), false, dnssec.CDSMismatch,
			[]string{"(new side) publishes CDNSKEY for key tags " + b.kskTag() + ", lacking the DS key tags " + a.kskTag()}, true, nil},
		{"the old side publishes a delete CDS", cds("0 0 0 00"), "", false, dnssec.CDSMismatch,
			[]string{"(old side) publishes a delete CDS"}, true, nil},
		{"the new side mixes a delete CDS with CDS for both keys (malformed: a lax parent reads it as delete)", "", cds(append([]string{"0 0 0 00"}, ds...)...), false, dnssec.CDSMismatch,
			[]string{"(new side) the CDS set (0, ", "mixes the delete record with other records: malformed (RFC 8078 section 4", "one that reads any algorithm-0 record as the delete request removes the DS"}, true, nil},
		{"the step removes the DS, the old side mixes a delete CDS with its own key", cds("0 0 0 00", a.ds(t, "2")), cds("0 0 0 00"), true, dnssec.SignedMatch,
			[]string{"(old side): the CDS set (0, " + a.kskTag() + ") mixes the delete record"}, true, []string{}},
		{"the new side's CDS for its own key only, unsigned (its RRSIG removed)", "", unsigned(cds(b.ds(t, "2")), "CDS"), true, dnssec.SignedMatch,
			[]string{"(new side): CDS served without a valid signature by a key the DS at the parent names", "a parent ignores it (RFC 7344 section 4.1)", "no RRSIG"}, true, nil},
		{"the old side's delete CDS and CDNSKEY, unsigned", unsigned(unsigned(cds("0 0 0 00")+"@\tCDNSKEY 0 3 0 AA==\n", "CDS"), "CDNSKEY"), "", true, dnssec.SignedMatch,
			[]string{"(old side): CDS served without a valid signature", "(old side): CDNSKEY served without a valid signature"}, true, nil},
		{"the new side's CDS for its own key only, signed by a key no DS names", "", foreign(cds(b.ds(t, "2"))), true, dnssec.SignedMatch,
			[]string{"(new side): CDS served without a valid signature", "RRSIG by key tag " + c.kskTag() + " (algorithm ECDSAP256SHA256), which is not among the trusted keys"}, true, nil},
		{"the sides publish different single-key CDS", cds(a.ds(t, "2")), cds(b.ds(t, "2")), false, dnssec.CDSMismatch,
			[]string{"(old side) publishes CDS for key tags " + a.kskTag(), "(new side) publishes CDS for key tags " + b.kskTag()}, true, nil},
		{"the step restores the old DS only, CDS for it on both sides", cds(a.ds(t, "2")), cds(a.ds(t, "2")), true, dnssec.SignedMatch, nil, false, []string{a.ds(t, "2")}},
		{"the step restores the old DS only, CDS for both keys", "", both, true, dnssec.SignedMatch,
			[]string{"CDS adds key tags " + b.kskTag()}, true, []string{a.ds(t, "2")}},
		{"the step removes the DS, the new side still publishes CDS", "", cds(b.ds(t, "2")), false, dnssec.CDSMismatch,
			[]string{"while the step holds no DS at the parent"}, true, []string{}},
		{"the step removes the DS, delete CDS on both sides", cds("0 0 0 00"), cds("0 0 0 00"), true, dnssec.SignedMatch, nil, false, []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			res, err := dnssec.Gate(ctx, dnssec.Input{Zone: origin, DS: ds, DSTTL: 3600, NSTTL: 7200, MaxTTL: 300, TargetDS: c.target,
				Servers: []string{serve(t, "knot", newSide(c.new))}, Other: []string{serve(t, "knot", oldSide(c.old))},
				Sample: samples, Timeout: 2 * time.Second, Now: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s", res.Situation, res.Detail)
			if res.OK != c.ok || res.Situation != c.situation {
				t.Fatalf("ok=%v situation=%q, want ok=%v %q; detail: %s", res.OK, res.Situation, c.ok, c.situation, res.Detail)
			}
			for _, w := range c.want {
				if !strings.Contains(res.Detail, w) {
					t.Errorf("detail lacks %q: %s", w, res.Detail)
				}
			}
			if (len(res.Warnings) > 0) != c.warn {
				t.Errorf("warnings %q, want some: %v", res.Warnings, c.warn)
			}
			if c.ok {
				if len(res.Plan) != 0 || len(res.Problems) != 0 {
					t.Errorf("passing gate with plan %q, problems %q", res.Plan, res.Problems)
				}
				return
			}
			for _, p := range res.Problems {
				if !strings.HasPrefix(p, "127.") {
					t.Errorf("problem does not name its server: %s", p)
				}
			}
			if len(res.Plan) == 0 || !strings.HasPrefix(res.Plan[0], "(cds) 1. ") {
				t.Errorf("plan %q", res.Plan)
			}
		})
	}
}

// splitSigs parses a signed zone and returns it one record per line
// without the RRSIGs over typ, and those RRSIGs.
func splitSigs(t *testing.T, text, typ string) (rest string, sigs []string) {
	t.Helper()
	zp := dns.NewZoneParser(strings.NewReader(text), origin, "")
	var out []string
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if sig, isSig := rr.(*dns.RRSIG); isSig && dns.TypeToString[sig.TypeCovered] == typ {
			sigs = append(sigs, rr.String())
			continue
		}
		out = append(out, rr.String())
	}
	if err := zp.Err(); err != nil {
		t.Fatal(err)
	}
	if len(sigs) == 0 {
		t.Fatalf("no RRSIG over %s in the signed zone", typ)
	}
	return strings.Join(out, "\n") + "\n", sigs
}
