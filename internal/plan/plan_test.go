package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/dnsparity/dnsparity/internal/zone/zonetest"
)

func parse(t *testing.T, text string) *zone.Zone {
	t.Helper()
	return zonetest.Load(t, "$ORIGIN example.com.\n$TTL 300\n"+text, "example.com.")
}

const base = `@ SOA ns1 hostmaster 1 3600 600 1209600 300
@ NS ns1
@ NS ns2
ns1 A 192.0.2.1
ns2 A 192.0.2.2
www A 192.0.2.10
www A 192.0.2.11
txt TXT "a" "b"
mx MX 10 MAIL.example.com.
`

func summary(p *Plan) []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, c.String())
	}
	return out
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name      string
		desired   string
		current   string
		apex      bool
		caps      provider.Capabilities
		want      []string
		unsupp    int
		unsafe    bool
		forceable bool
	}{
		{name: "in sync", desired: base, current: base},
		{name: "order and case do not matter", desired: base,
			current: strings.Replace(base, "www A 192.0.2.10\nwww A 192.0.2.11", "WWW A 192.0.2.11\nwww A 192.0.2.10", 1)},
		{name: "rdata name case (canonical form)", desired: base, current: strings.Replace(base, "MAIL.example.com.", "mail.example.com.", 1)},
		{name: "serial and SOA are never compared", desired: base, current: strings.Replace(base, "hostmaster 1 ", "other 99 ", 1)},
		{name: "apex NS unmanaged by default", desired: base, current: base + "@ NS ns3.example.net.\n"},
		{name: "apex NS managed", desired: base, current: base + "@ NS ns3.example.net.\n", apex: true,
			want: []string{"~ example.com. NS"}, unsafe: true},
		{name: "DNSSEC records at the provider are ignored", desired: base,
			current: base + "@ DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n@ NSEC3PARAM 1 0 0 -\n"},
		{name: "TXT split points matter", desired: base, current: strings.Replace(base, `"a" "b"`, `"ab"`, 1),
			want: []string{"~ txt.example.com. TXT"}},
		{name: "TTL change is a replace", desired: base, current: strings.Replace(base, "www A 192.0.2.10", "www 600 A 192.0.2.10", 1),
			want: []string{"~ www.example.com. A"}},
		{name: "create, replace, delete in apply order",
			desired: strings.Replace(base, "www A 192.0.2.11", "www A 192.0.2.12", 1) + "new AAAA 2001:db8::1\n",
			current: base + "old A 192.0.2.99\n",
			want:    []string{"- old.example.com. A", "~ www.example.com. A", "+ new.example.com. AAAA"}, unsafe: true},
		{name: "unknown type unsupported", desired: base + "u TYPE65000 \\# 3 abcdef\n", current: base,
			caps: provider.Capabilities{LongTXT: true}, unsupp: 1},
		{name: "type not held", desired: base, current: base,
			caps: provider.Capabilities{Types: map[uint16]bool{dns.TypeA: true, dns.TypeNS: true, dns.TypeSOA: true}, UnknownTypes: true, LongTXT: true}, unsupp: 2},
		{name: "more than 30 percent", desired: "@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n", current: base,
			want:   []string{"- mx.example.com. MX", "- ns2.example.com. A", "- txt.example.com. TXT", "- www.example.com. A"},
			unsafe: true},
		{name: "first push into an empty zone is safe", desired: base, current: "@ SOA ns1 hostmaster 1 3600 600 1209600 300\n@ NS ns1\n@ NS ns2\n",
			want: []string{"+ mx.example.com. MX", "+ ns1.example.com. A", "+ ns2.example.com. A", "+ txt.example.com. TXT", "+ www.example.com. A"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			caps := tc.caps
			if caps.Types == nil && !caps.UnknownTypes && !caps.LongTXT {
				caps = provider.Capabilities{LongTXT: true, UnknownTypes: true}
			}
			p := Compute(parse(t, tc.desired), parse(t, tc.current), Options{ManageApex: tc.apex, Caps: caps})
			got := summary(p)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if len(p.Unsupported) != tc.unsupp {
				t.Errorf("unsupported %v, want %d", p.Unsupported, tc.unsupp)
			}
			pol := Policy{MaxChangePercent: 30}
			if u := p.Unsafe(pol); (len(u) > 0) != tc.unsafe {
				t.Errorf("unsafe = %v, want %v", u, tc.unsafe)
			}
			pol.Force = true
			if b := p.Blocked(pol); len(b) != tc.unsupp {
				t.Errorf("blocked with --force: %v", b)
			}
			// Applying the plan to current gives desired: the next plan is empty.
			if tc.unsupp == 0 {
				cur := parse(t, tc.current)
				for _, c := range p.Changes {
					if c.New != nil {
						cur.AddSet(c.New)
					} else {
						kept := cur.Sets[:0]
						for _, s := range cur.Sets {
							if s.Key() != c.Key() {
								kept = append(kept, s)
							}
						}
						cur = rebuild(cur.Origin, kept)
					}
				}
				if again := Compute(parse(t, tc.desired), cur, Options{ManageApex: tc.apex, Caps: caps}); len(again.Changes) != 0 {
					t.Errorf("second plan not empty: %v", summary(again))
				}
			}
		})
	}
}

func rebuild(origin string, sets []*zone.RRSet) *zone.Zone {
	z := zone.New(origin)
	for _, s := range sets {
		z.AddSet(s)
	}
	z.Sort()
	return z
}

func TestPercent(t *testing.T) {
	p := &Plan{Current: 10, Desired: 6}
	for range 4 {
		p.Changes = append(p.Changes, Change{Action: provider.Delete})
	}
	p.Changes = append(p.Changes, Change{Action: provider.Create})
	if got := p.Percent(); got != 40 {
		t.Errorf("percent %v, want 40", got)
	}
	if u := p.Unsafe(Policy{MaxChangePercent: 30}); len(u) != 1 || !strings.Contains(u[0], "40%") {
		t.Errorf("unsafe: %v", u)
	}
	if u := p.Unsafe(Policy{MaxChangePercent: 50}); len(u) != 0 {
		t.Errorf("unsafe at 50: %v", u)
	}
}

// TestPolicyBoundary: a plan that changes exactly max_change_percent of a
// zone passes; one RRset more needs --force (the policy says "more than").
func TestPolicyBoundary(t *testing.T) {
	cases := []struct {
		current, changed int
		max              float64
		unsafe           bool
	}{
		{10, 3, 30, false},
		{10, 4, 30, true},
		{3, 1, 33.34, false},
		{3, 1, 33.33, true},
		{7, 1, 100.0 / 7, false}, // the quotient as written by a program
		{28, 3, 10.714285714285714, false},
		{28, 3, 10.71, true},
		{1000, 1, 0.1, false},
		{1000, 2, 0.1, true},
		{8, 1, 12.5, false},
		{20, 7, 35, false},
		{50, 7, 14, false},
		{49, 7, 14.28, true},
		{10, 10, 100, false},
		{10, 0, 0, false},
		{10, 1, 0, true},
	}
	for _, tc := range cases {
		p := &Plan{Zone: "example.com.", Current: tc.current}
		for i := range tc.changed {
			a := provider.Replace
			if i%2 == 1 {
				a = provider.Delete
			}
			p.Changes = append(p.Changes, Change{Action: a, Name: "x.example.com."})
		}
		u := p.Unsafe(Policy{MaxChangePercent: tc.max})
		if (len(u) > 0) != tc.unsafe {
			t.Errorf("%d of %d with max %g%%: unsafe %v, want %v", tc.changed, tc.current, tc.max, u, tc.unsafe)
		}
		if len(p.Blocked(Policy{MaxChangePercent: tc.max, Force: true})) != 0 {
			t.Errorf("%d of %d: blocked with --force", tc.changed, tc.current)
		}
	}
}

// TestReadOnly: a provider that takes no changes has every change of the
// plan reported as unsupported (push refuses before sending anything),
// and an in-sync zone is no problem.
func TestReadOnly(t *testing.T) {
	caps := provider.Capabilities{ReadOnly: "no updates here"}
	cur := parse(t, base)
	if p := Compute(parse(t, base), cur, Options{Caps: caps}); len(p.Changes) != 0 || len(p.Unsupported) != 0 {
		t.Errorf("in sync: %v %v", p.Changes, p.Unsupported)
	}
	p := Compute(parse(t, base+"new A 192.0.2.9\n"), cur, Options{Caps: caps})
	if len(p.Changes) != 0 || len(p.Unsupported) != 1 || !strings.Contains(p.Unsupported[0].String(), "cannot create it: no updates here") {
		t.Errorf("changes %v, unsupported %v", p.Changes, p.Unsupported)
	}
	if len(p.Blocked(Policy{MaxChangePercent: 100, Force: true})) != 1 {
		t.Errorf("not blocked with --force")
	}
}

// TestTTLOnlyChangesAreNotDestructive: pre-staging low TTLs (ttl --cap)
// replaces every RRset with the same records; that must not need --force,
// while a replace that changes a record still counts.
func TestTTLOnlyChangesAreNotDestructive(t *testing.T) {
	set := func(ttl uint32, rdatas ...string) *zone.RRSet {
		s := &zone.RRSet{Name: "x.example.com.", Type: dns.TypeA, TTL: ttl}
		for _, r := range rdatas {
			s.Records = append(s.Records, zone.Record{Rdata: r, TTL: ttl})
		}
		return s
	}
	cases := []struct {
		name   string
		old    *zone.RRSet
		new    *zone.RRSet
		unsafe bool
	}{
		{"same records, lower TTL", set(3600, "\x01\x02\x03\x04", "\x05\x06\x07\x08"), set(300, "\x05\x06\x07\x08", "\x01\x02\x03\x04"), false},
		{"one record changed", set(3600, "\x01\x02\x03\x04"), set(300, "\x01\x02\x03\x05"), true},
		{"one record added", set(3600, "\x01\x02\x03\x04"), set(3600, "\x01\x02\x03\x04", "\x01\x02\x03\x05"), true},
		{"duplicate counted once", set(3600, "\x01\x02\x03\x04", "\x01\x02\x03\x04"), set(300, "\x01\x02\x03\x04", "\x01\x02\x03\x05"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &Plan{Zone: "example.com.", Current: 10}
			for range 5 { // half the zone
				p.Changes = append(p.Changes, Change{Action: provider.Replace, Name: "x.example.com.", Type: dns.TypeA, Old: tc.old, New: tc.new})
			}
			got := len(p.Unsafe(Policy{MaxChangePercent: 30})) > 0
			if got != tc.unsafe {
				t.Fatalf("unsafe = %v, want %v (percent %.1f)", got, tc.unsafe, p.Percent())
			}
		})
	}
}

// TestComputeCuts: the delegation of a child zone the cutover owns (its
// NS, DS and glue, everything at and below the cut) is left as the
// provider has it, whatever git says, and reported; the rest of the
// zone is planned as usual.
func TestComputeCuts(t *testing.T) {
	deleg := func(ns, addr string) string {
		return "dept NS " + ns + ".dept\n" + ns + ".dept A " + addr + "\ndept DS 12345 13 2 " + strings.Repeat("ab", 32) + "\n"
	}
	desired := parse(t, base+deleg("ns1.old", "192.0.2.53")+"new A 192.0.2.99\n")
	current := parse(t, base+deleg("ns1.new", "192.0.2.153"))
	o := Options{Cuts: []string{"dept.example.com."}}
	p := Compute(desired, current, o)
	if got := summary(p); len(got) != 1 || !strings.HasPrefix(got[0], "+ new.example.com. A") {
		t.Errorf("changes = %v, want only the create of new.example.com. A", got)
	}
	if len(p.Held) != 1 || !p.Held[0].Differs() || len(p.Held[0].Served) != 3 || len(p.Held[0].Git) != 3 {
		t.Fatalf("held = %+v", p.Held)
	}
	w := strings.Join(p.Warnings, "\n")
	for _, want := range []string{"delegation of dept.example.com. is managed by the cutover: left as served (NS ns1.new.dept.example.com. (TTL 300); DS 12345 13 2",
		"A ns1.new.dept.example.com. 192.0.2.153 (TTL 300)", "git has NS ns1.old.dept.example.com. (TTL 300)"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings do not say %q:\n%s", want, w)
		}
	}
	if p.Desired != 6 || p.Current != 5 {
		t.Errorf("desired %d current %d: the held RRsets are not counted", p.Desired, p.Current)
	}

	// The same delegation in git and at the provider: nothing to say.
	if p := Compute(current, current, o); !p.Empty() || len(p.Warnings) != 0 || p.Held[0].Differs() {
		t.Errorf("in sync: %v %v", summary(p), p.Warnings)
	}
	// The provider lists the delegation's NS with mixed TTLs (a TTL per
	// record), the first git's: it differs from git's one TTL, as any
	// listed RRset does (differs), and the warning says both TTLs.
	mixed := parse(t, base+"dept NS ns1.new.dept\ndept 86400 NS ns2.new.dept\nns1.new.dept A 192.0.2.153\n")
	git := parse(t, base+"dept NS ns1.new.dept\ndept NS ns2.new.dept\nns1.new.dept A 192.0.2.153\n")
	if p := Compute(git, mixed, o); !p.Empty() || len(p.Held) != 1 || !p.Held[0].Differs() || !strings.Contains(strings.Join(p.Warnings, "\n"), "(TTLs 300, 86400)") {
		t.Errorf("a held NS with mixed TTLs: changes %v, held %+v, warnings %q", summary(p), p.Held, p.Warnings)
	}
	// Without the cut, the delegation is planned like any RRset.
	if got := summary(Compute(desired, current, Options{})); len(got) != 4 {
		t.Errorf("without cuts: %v, want the NS replace, the glue create and delete, the create", got)
	}
}

// TestCannotDelete: an RRset the provider holds at a name its API cannot
// address (Capabilities.CheckDeleteName) is reported as unsupported, with
// why, and not sent as a delete that would fail the whole request; other
// deletes go ahead.
func TestCannotDelete(t *testing.T) {
	caps := provider.Capabilities{CheckDeleteName: func(name string) string {
		if strings.Contains(name, `\`) {
			return "no escapes here"
		}
		return ""
	}}
	cur := parse(t, base+"x\\.y TXT \"by hand\"\nold TXT \"gone\"\n")
	p := Compute(parse(t, base), cur, Options{Caps: caps})
	if got := summary(p); len(got) != 1 || !strings.Contains(got[0], "old.example.com.") {
		t.Errorf("changes %v, want the delete of old.example.com. only", got)
	}
	if len(p.Unsupported) != 1 || !strings.HasSuffix(p.Unsupported[0].String(), `x\.y.example.com. TXT: cannot delete it: no escapes here`) {
		t.Errorf("unsupported %v, want x\\.y.example.com. TXT (cannot delete it)", p.Unsupported)
	}
	// Listed by an API, the RRset has no zone-file line.
	listed := &zone.RRSet{Name: `x\.y.example.com.`, Type: dns.TypeTXT, Records: []zone.Record{{Rdata: "\x01x"}}}
	if got := (Unsupported{Set: listed, Reason: "r"}).String(); got != `x\.y.example.com. TXT: r` {
		t.Errorf("%q", got)
	}
	if b := p.Blocked(Policy{MaxChangePercent: 100, Force: true}); len(b) != 1 {
		t.Errorf("blocked %v, want the RRset it cannot delete (also with --force)", b)
	}
}

// TestBlockingCNAME: a CNAME the provider holds and no zone lists (a
// flattened apex CNAME, an unreadable one) blocks git's other types at
// its name but the apex SOA and NS, and a blocking record of another
// type blocks git's CNAME at its name: the API refuses either on every
// push, so the plan refuses it up front.
func TestBlockingCNAME(t *testing.T) {
	desired := parse(t, base+"@ A 192.0.2.80\n@ MX 10 mx\nmx A 192.0.2.25\nalias CNAME www\nother TXT \"x\"\n")
	cur := parse(t, base+"mx A 192.0.2.25\n")
	fs := []provider.Feature{
		{Name: "example.com.", Type: "CNAME", Feature: "cname-flattening", Detail: "flattened", Omitted: true, Blocks: true},
		{Name: "alias.example.com.", Type: "A", Feature: "alias", Detail: "an alias", Omitted: true, Blocks: true},
		// Not blocking: stands beside git's records.
		{Name: "other.example.com.", Type: "CNAME", Feature: "geodns", Omitted: true},
	}
	p := Compute(desired, cur, Options{Caps: provider.Capabilities{}, Unreadable: fs, ManageApex: true})
	got := map[string]string{}
	for _, u := range p.Unsupported {
		got[u.Set.Name+" "+dns.TypeToString[u.Set.Type]] = u.Reason
	}
	for _, k := range []string{"example.com. A", "example.com. MX", "alias.example.com. CNAME"} {
		if !strings.Contains(got[k], "a CNAME and other data at one name") {
			t.Errorf("%s: %q, want refused (a CNAME and other data at one name)", k, got[k])
		}
	}
	if len(got) != 3 {
		t.Errorf("unsupported %v, want the apex A and MX and alias CNAME only (not the apex SOA/NS)", got)
	}
	if s := summary(p); len(s) != 1 || s[0] != "+ other.example.com. TXT" {
		t.Errorf("changes %v, want only + other.example.com. TXT", s)
	}
}

// TestBlockingCNAMEConflicts: a provider that refuses only some types
// beside a CNAME (Caps.CNAMEConflicts: Cloudflare's A and AAAA) has
// only those refused beside its blocking CNAME; the others go.
func TestBlockingCNAMEConflicts(t *testing.T) {
	desired := parse(t, base+"@ A 192.0.2.80\n@ AAAA 2001:db8::80\n@ MX 10 mx\n@ TXT \"v=spf1 -all\"\nmx A 192.0.2.25\n")
	cur := parse(t, base+"mx A 192.0.2.25\n")
	fs := []provider.Feature{{Name: "example.com.", Type: "CNAME", Feature: "cname-flattening", Detail: "flattened", Omitted: true, Blocks: true}}
	caps := provider.Capabilities{CNAMEConflicts: map[uint16]bool{dns.TypeA: true, dns.TypeAAAA: true, dns.TypeCNAME: true}}
	p := Compute(desired, cur, Options{Caps: caps, Unreadable: fs})
	got := map[string]bool{}
	for _, u := range p.Unsupported {
		got[u.Set.Name+" "+dns.TypeToString[u.Set.Type]] = true
	}
	if !got["example.com. A"] || !got["example.com. AAAA"] || len(got) != 2 {
		t.Errorf("unsupported %v, want the apex A and AAAA only", got)
	}
	if s := summary(p); len(s) != 2 {
		t.Errorf("changes %v, want the apex MX and TXT", s)
	}
}

// TestProviderZONEMDLeft: a Knot with zonemd-generate keeps a ZONEMD at
// the apex (RFC 8976) that its transfer (the rfc2136 provider's listing)
// gives; an UPDATE deleting it is answered NOERROR and Knot makes a new
// one at the next serial (seen in the lab: knotd 3.2.6, "update delete
// example.test. ZONEMD", serial 2 -> 3, a new ZONEMD). A plan of git
// without one deleted it on every push, bumping the serial, never
// converging; parity already takes a ZONEMD git lacks for the signer's
// (zone.SignerApexType). Git's own apex ZONEMD is not pushed. Knot's
// ZONEMD has the SOA's serial and verifies (TestZONEMDStaleLab); one of
// another serial, or with another digest, is stale (zone.StaleZONEMD)
// and deleted. The current one's digest is zone.ZONEMDDigest's, which
// TestZONEMDDigestKnownAnswers holds to Knot's and ldns-signzone's.
func TestProviderZONEMDLeft(t *testing.T) {
	d, ok := zone.ZONEMDDigest(parse(t, base), 1)
	if !ok {
		t.Fatal("no SHA-384 digest")
	}
	digest := fmt.Sprintf(" 1 1 %x\n", d)
	cur := parse(t, base+"@ 300 ZONEMD 1"+digest)
	if p := Compute(parse(t, base), cur, Options{}); len(p.Changes) != 0 {
		t.Errorf("plan of git without ZONEMD over a listing with the provider's: %q, want no change", summary(p))
	}
	for _, z := range []string{"@ 300 ZONEMD 3" + digest, "@ 300 ZONEMD 1 1 1 9f5833fe16b8ee97223058d11f4e5c7d4d66233b1424fd019436e2b7a38b8e1621709feac04c68ac6e07d48d163ae284\n"} {
		stale := parse(t, base+z)
		if p := Compute(parse(t, base), stale, Options{}); len(p.Changes) != 1 || p.Changes[0].Action != provider.Delete {
			t.Errorf("plan of git without ZONEMD over a listing with a stale one (%s): %q, want it deleted", strings.TrimSpace(z), summary(p))
		}
	}
	// Git's apex ZONEMD is not pushed (zone.NotPushed: the provider
	// serves its own serial), and the plan says so.
	if p := Compute(cur, parse(t, base), Options{}); len(p.Changes) != 0 || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "git's apex ZONEMD is not pushed") {
		t.Errorf("plan of git's ZONEMD over a listing without: %q, warnings %q; want no change, and a warning", summary(p), p.Warnings)
	} else if want := Compute(parse(t, base), parse(t, base), Options{}).Desired; p.Desired != want {
		t.Errorf("plan of git's ZONEMD: %d RRsets desired, want %d (the ZONEMD is not pushed)", p.Desired, want)
	}
	// Git's stale one pushed before is deleted, as any stale one is.
	if p := Compute(parse(t, base+"@ 300 ZONEMD 3"+digest), parse(t, base+"@ 300 ZONEMD 3"+digest), Options{}); len(p.Changes) != 1 || p.Changes[0].Action != provider.Delete {
		t.Errorf("plan of git's stale ZONEMD over a listing with it: %q, want it deleted", summary(p))
	}
}

// TestBINDSigningStateLeft: a BIND signing the zone (dnssec-policy,
// inline-signing) holds its signing state at the apex as TYPE65534
// records, which its transfer (the rfc2136 provider's listing) gives
// beside RRSIG, NSEC and DNSKEY. Like those, a push neither deletes nor
// writes it: BIND refuses an UPDATE of it (LAB-NOTES), so a plan deleting
// it never converged, and every push to a signing BIND listed a deletion
// of its signing state.
func TestBINDSigningStateLeft(t *testing.T) {
	cur := parse(t, base+"@ 0 TYPE65534 \\# 5 0D8FC40001\n")
	p := Compute(parse(t, base), cur, Options{})
	if len(p.Changes) != 0 {
		t.Errorf("plan of git over a signing BIND's listing: %q, want no change", summary(p))
	}
}

// TestSignalingCDSPushed: a CDS or CDNSKEY below the apex is the zone's
// data, not a signer's (RFC 9615 §2: a DNS operator's signaling record,
// _dsboot.<child>._signal.<its nameserver>, for another zone's DS
// bootstrapping), and parity asks it: a push writes git's, and deletes
// one git lacks. At the apex they stay the signer's (never pushed nor
// deleted). On the code before, git's signaling records were never
// pushed: parity then refused the zone for ever.
func TestSignalingCDSPushed(t *testing.T) {
	const signal = "_dsboot.child.test._signal.ns1"
	cds := signal + " 300 CDS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n" +
		signal + " 300 CDNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n"
	if p := Compute(parse(t, base+cds), parse(t, base), Options{}); len(p.Changes) != 2 || p.Changes[0].Action != provider.Create || p.Changes[1].Action != provider.Create {
		t.Errorf("plan of git's signaling CDS and CDNSKEY over a listing without: %q, want both created", summary(p))
	}
	if p := Compute(parse(t, base), parse(t, base+cds), Options{}); len(p.Changes) != 2 || p.Changes[0].Action != provider.Delete {
		t.Errorf("plan of git without the signaling records over a listing with them: %q, want both deleted", summary(p))
	}
	apex := "@ 300 CDS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
	if p := Compute(parse(t, base+apex), parse(t, base), Options{}); len(p.Changes) != 0 {
		t.Errorf("plan of git's apex CDS: %q, want none (the signer's)", summary(p))
	}
	if p := Compute(parse(t, base), parse(t, base+apex), Options{}); len(p.Changes) != 0 {
		t.Errorf("plan over a provider's apex CDS: %q, want none (the signer's)", summary(p))
	}
}

// TestCheckIn: Capabilities.CheckIn judges git's RRset within git's zone
// only when the plan creates or replaces it (a server's check of what an
// update adds, BIND's check-integrity on an MX): refused, the RRset is
// reported and nothing of it is sent, and the provider's is left alone;
// an RRset the plan leaves as it is is not judged.
func TestCheckIn(t *testing.T) {
	var judged []string
	caps := provider.Capabilities{CheckIn: func(z *zone.Zone, s *zone.RRSet) string {
		judged = append(judged, s.Name+" "+dns.TypeToString[s.Type])
		if s.Type == dns.TypeMX && z.Get("mail.example.com.", dns.TypeA) == nil {
			return "no address for the MX target"
		}
		return ""
	}}
	cur := parse(t, base)
	for _, tc := range []struct {
		name, text string
		refused    bool
		judged     []string
	}{
		{"unchanged", base, false, nil},
		{"replaced", strings.Replace(base, "MX 10", "MX 20", 1), true, []string{"mx.example.com. MX"}},
		{"replaced, the address added", strings.Replace(base, "MX 10", "MX 20", 1) + "mail A 192.0.2.25\n", false, []string{"mail.example.com. A", "mx.example.com. MX"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			judged = nil
			p := Compute(parse(t, tc.text), cur, Options{Caps: caps})
			if refused := len(p.Unsupported) > 0; refused != tc.refused {
				t.Fatalf("refused %v, want %v", p.Unsupported, tc.refused)
			}
			for _, c := range p.Changes {
				if tc.refused && c.Type == dns.TypeMX {
					t.Errorf("a refused MX is sent: %s (a delete would take the provider's)", c)
				}
			}
			if fmt.Sprint(judged) != fmt.Sprint(tc.judged) {
				t.Errorf("judged %q, want %q (only what the plan creates or replaces)", judged, tc.judged)
			}
		})
	}
}
