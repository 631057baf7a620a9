package parity_test

import (
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityFlattenedLab: one side answers a name with a CNAME chain,
// the other with the data the chain leads to at the name itself (CNAME
// flattening, ALIAS/ANAME, an alias record; a DKIM selector CNAMEd to
// an ESP on one side and served as TXT on the other). Parity compares
// what resolvers get: the chain's end, through the run's resolver (an
// Unbound stubbed to a Knot serving the ESP's zone, never the system's)
// when it leaves the zone, with the flat side's records. Same data: a
// flattened warning, no error; other data, or no resolver to follow it:
// a flattened error; an MX target that is a CNAME on one side only is a
// cname-hop error (RFC 2181 §10.3) whatever its addresses. Before, every
// such pair was a cname-hop and a missing error, same data or not.
func TestParityFlattenedLab(t *testing.T) {
	p := rsaKeyB64(t, 2048)
	p2 := rsaKeyB64(t, 2048)
	dkim := "v=DKIM1; k=rsa; p=" + p
	resolver := stubResolver(t, espZone("s1._domainkey IN TXT "+splitEvery(dkim, 200)+"\ncdn IN A 192.0.2.77\ncdn IN AAAA 2001:db8::77\n_dmarc IN TXT \"v=DMARC1; p=reject\""))
	cases := []struct {
		name     string
		newKind  string // the new side's server (default bind)
		old, nu  string // zone lines (git: old)
		resolver bool
		at, typ  string // the finding's owner (relative) and type
		kind     string
		sev      string
		words    []string
		noErrors bool
		perName  int // findings at the name, when set: one per cause
	}{
		{name: "CNAME to a CDN flattened into the same addresses", resolver: true,
			old: "www2 IN CNAME cdn.esp.test.", nu: "www2 IN A 192.0.2.77\nwww2 IN AAAA 2001:db8::77",
			at: "www2", typ: "A", kind: "flattened", sev: "warning", words: []string{"old answers www2.parity.test A through a CNAME chain to cdn.esp.test", "same data (through the resolver)", "192.0.2.77"}, noErrors: true, perName: 1},
		// git's A and AAAA both reach the same data, and the NODATA
		// probe's type neither side has: one finding.
		{name: "the same addresses flattened on old, a CNAME on new", resolver: true,
			old: "www2 IN A 192.0.2.77\nwww2 IN AAAA 2001:db8::77", nu: "www2 IN CNAME cdn.esp.test.",
			at: "www2", typ: "A", kind: "flattened", sev: "warning", words: []string{"new answers www2.parity.test A through a CNAME chain", "same data", "likewise for AAAA"}, noErrors: true, perName: 1},
		{name: "flattened into other addresses", resolver: true,
			old: "www2 IN CNAME cdn.esp.test.", nu: "www2 IN A 192.0.2.99\nwww2 IN AAAA 2001:db8::77",
			at: "www2", typ: "A", kind: "flattened", sev: "error", words: []string{"other data", "192.0.2.77", "192.0.2.99"}},
		{name: "flattened without a resolver: not verified",
			old: "www2 IN CNAME cdn.esp.test.", nu: "www2 IN A 192.0.2.77\nwww2 IN AAAA 2001:db8::77",
			at: "www2", typ: "A", kind: "flattened", sev: "error", words: []string{"give parity.resolver"}},
		{name: "flattened with another TTL", resolver: true,
			old: "www2 IN CNAME cdn.esp.test.", nu: "www2 60 IN A 192.0.2.77\nwww2 60 IN AAAA 2001:db8::77",
			at: "www2", typ: "A", kind: "flattened", sev: "warning", words: []string{"TTL new 60 at the name, old's CNAME 300"}, noErrors: true},
		{name: "DKIM selector CNAMEd to the ESP on new, the same key as TXT on old", resolver: true,
			old: "s1._domainkey IN TXT " + splitEvery(dkim, 255), nu: "s1._domainkey IN CNAME s1._domainkey.esp.test.",
			at: "s1._domainkey", typ: "TXT", kind: "flattened", sev: "warning", words: []string{"new answers s1._domainkey.parity.test TXT through a CNAME chain", "rotating its DKIM key"}, noErrors: true, perName: 1},
		// Judged by meaning (mailauth.SameMeaning): v= and k=rsa left
		// out, an unknown tag, the key split by spaces.
		{name: "DKIM selector CNAMEd to the ESP on new, the same key inlined otherwise on old", resolver: true,
			old: "s1._domainkey IN TXT " + splitEvery("x_note=inline; p="+p[:100]+" "+p[100:], 255), nu: "s1._domainkey IN CNAME s1._domainkey.esp.test.",
			at: "s1._domainkey", typ: "TXT", kind: "flattened", sev: "warning", words: []string{"new answers s1._domainkey.parity.test TXT through a CNAME chain", "the same data"}, noErrors: true, perName: 1},
		{name: "DKIM selector CNAMEd to the ESP on new, another key on old", resolver: true,
			old: "s1._domainkey IN TXT " + splitEvery("v=DKIM1; k=rsa; p="+p2, 255), nu: "s1._domainkey IN CNAME s1._domainkey.esp.test.",
			at: "s1._domainkey", typ: "TXT", kind: "dkim", sev: "error", words: []string{"through a CNAME chain", "other data"}},
		// The error is named by what it breaks, as data differences at
		// mail owners are (mailKinds); the same policy stays a warning.
		{name: "DMARC CNAMEd to a vendor on new with another policy", resolver: true,
			old: `_dmarc IN TXT "v=DMARC1; p=none"`, nu: "_dmarc IN CNAME _dmarc.esp.test.",
			at: "_dmarc", typ: "TXT", kind: "dmarc", sev: "error", words: []string{"through a CNAME chain", "other data"}},
		{name: "DMARC CNAMEd to a vendor on new with the same policy", resolver: true,
			old: `_dmarc IN TXT "v=DMARC1;  p=reject"`, nu: "_dmarc IN CNAME _dmarc.esp.test.",
			at: "_dmarc", typ: "TXT", kind: "flattened", sev: "warning", words: []string{"same data"}, noErrors: true},
		// PowerDNS (new) serves a CNAME written at the apex; the
		// addresses it leads to are old's, but every other type follows
		// it too.
		{name: "a CNAME at the apex on new only", resolver: true, newKind: "pdns",
			old: "@ IN A 192.0.2.77\n@ IN MX 10 www", nu: "@ IN CNAME cdn.esp.test.",
			at: "@", kind: "cname-hop", sev: "error", words: []string{"the zone's apex", "RFC 1034 §3.6.2"}},
		{name: "an MX target that is a CNAME on new only, same address", resolver: true,
			old: "@ IN MX 10 mx\nmx IN A 192.0.2.80", nu: "@ IN MX 10 mx\nmx IN CNAME www",
			at: "mx", typ: "", kind: "cname-hop", sev: "error", words: []string{"the MX target of parity.test", "RFC 2181 §10.3"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			oldText := verdictBase + c.old + "\n"
			newText := verdictBase + c.nu + "\n"
			z := loadAny(t, oldText)
			if c.newKind == "" {
				c.newKind = "bind"
			}
			rep := runWith(t, z, []string{serve(t, "knot", oldText)}, []string{serve(t, c.newKind, newText)}, func(o *parity.Options) {
				if c.resolver {
					o.Resolver = resolver
				}
			})
			name := c.at + "." + origin
			if c.at == "@" {
				name = origin
			}
			ok := hasFindings(t, rep, []finding{{name, c.typ, c.kind, c.sev, c.words}})
			at := 0
			for _, f := range rep.Findings {
				if c.noErrors && f.Severity == parity.SevError {
					t.Errorf("unexpected error %s at %s %s: %s", f.Kind, f.Name, f.Type, f.Detail)
					ok = false
				}
				if f.Name == name {
					at++
				}
			}
			if c.perName > 0 && at != c.perName {
				t.Errorf("%d findings at %s, want %d: the same cause reported once per name", at, name, c.perName)
				ok = false
			}
			if !ok {
				dump(t, rep)
			}
		})
	}
}

// stubResolver starts a Knot serving zones (outside the zone under test)
// and an Unbound resolver with a stub to it for test.; its address is
// what Options.Resolver takes.
func stubResolver(t *testing.T, zones ...lab.Zone) string {
	t.Helper()
	vendor := lab.Knot(t, lab.Options{Zones: zones})
	return lab.Unbound(t, lab.UnboundOptions{Stubs: map[string][]string{"test.": {vendor.Addr}}}).Addr
}

// espZone is an ESP's or CDN's zone, esp.test., holding lines.
func espZone(lines string) lab.Zone {
	return lab.Zone{Origin: "esp.test.", Text: "$ORIGIN esp.test.\n$TTL 300\n@ IN SOA ns1 h 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n" + lines + "\n"}
}

// TestParityFlattenedOutOfBailiwickLab: PowerDNS follows a chain into
// another zone it serves and appends that zone's records; resolvers take
// no record outside the bailiwick of the zone asked (RFC 2181 §5.4.1)
// and ask the target's own servers. A flattened CNAME is judged by what
// the resolver gets, not by the stale copy of the target's zone the
// chain side's server appends: its stale address, or a stale CNAME
// onward (the chain is cut where it leaves the zone, comparer.own; before,
// the stale CNAME's target was asked of the resolver, which has no such
// name, and the same data was an error).
func TestParityFlattenedOutOfBailiwickLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	resolver := stubResolver(t, espZone("cdn IN A 192.0.2.77"))
	oldText := verdictBase + "www2 IN CNAME cdn.esp.test.\n"
	newText := verdictBase + "www2 IN A 192.0.2.77\n"
	for _, c := range []struct{ what, stale string }{
		{"a stale address", "cdn IN A 192.0.2.99"},
		{"a stale CNAME onward", "cdn IN CNAME gone.esp.test.\ngone IN A 192.0.2.99"},
	} {
		t.Run(c.what, func(t *testing.T) {
			old := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: oldText}, espZone(c.stale)}}).Addr // PowerDNS's own copy
			rep := runWith(t, loadAny(t, oldText), []string{old}, []string{serve(t, "knot", newText)}, func(o *parity.Options) { o.Resolver = resolver })
			ok := hasFindings(t, rep, []finding{{"www2." + origin, "A", "flattened", parity.SevWarning, []string{"same data (through the resolver)"}}})
			for _, f := range rep.Findings {
				if f.Severity == parity.SevError {
					t.Errorf("unexpected error %s at %s %s: %s", f.Kind, f.Name, f.Type, f.Detail)
					ok = false
				}
			}
			if !ok {
				dump(t, rep)
			}
		})
	}
}

// TestParityFlattenedBelowCutLab: PowerDNS on old also serves its own
// stale copy of a child zone git delegates away (sub), and follows the
// chain into it, appending a CNAME onward that the child's own servers
// no longer have. Resolvers take nothing below the cut from the parent's
// servers (RFC 2181 §5.4.1) and ask the child's: the chain is cut at its
// first hop owned below a cut (comparer.own), so the flattened CNAME is
// judged by what the resolver gets there, the same address. Before, the
// stale CNAME's target was asked of the resolver, which has no such
// name, and the same data was an error.
func TestParityFlattenedBelowCutLab(t *testing.T) {
	lab.Require(t, "pdns_server")
	child := lab.Zone{Origin: "sub." + origin, Text: "$ORIGIN sub." + origin + "\n$TTL 300\n@ IN SOA ns1 h 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"}
	real, stale := child, child
	real.Text += "cdn IN A 192.0.2.77\n"
	stale.Text += "cdn IN CNAME gone\ngone IN A 192.0.2.99\n"
	resolver := stubResolver(t, real)
	deleg := "sub IN NS ns1.sub\nns1.sub IN A 192.0.2.53\n"
	oldText := verdictBase + deleg + "www2 IN CNAME cdn.sub\n"
	newText := verdictBase + deleg + "www2 IN A 192.0.2.77\n"
	old := lab.PDNS(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: oldText}, stale}}).Addr
	rep := runWith(t, loadAny(t, oldText), []string{old}, []string{serve(t, "knot", newText)}, func(o *parity.Options) { o.Resolver = resolver })
	ok := hasFindings(t, rep, []finding{{"www2." + origin, "A", "flattened", parity.SevWarning, []string{"same data (through the resolver)"}}})
	for _, f := range rep.Findings {
		if f.Severity == parity.SevError && f.Name == "www2."+origin {
			t.Errorf("unexpected error %s at %s %s: %s", f.Kind, f.Name, f.Type, f.Detail)
			ok = false
		}
	}
	if !ok {
		dump(t, rep)
	}
}
