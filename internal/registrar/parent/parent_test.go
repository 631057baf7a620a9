package parent

import (
	"context"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/provider/rfc2136"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// parentHead is the parent zone test. without delegations.
const parentHead = `$ORIGIN test.
$TTL 60
@ SOA ns.test. h.test. 1 60 60 60 60
@ NS ns.test.
ns A 127.0.0.1
`

const parentText = parentHead + `example 5 NS ns1.old.example.test.
example 5 NS ns2.old.example.test.
ns1.old.example 5 A 192.0.2.1
ns2.old.example 5 A 192.0.2.2
example 5 DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF
`

func TestChanges(t *testing.T) {
	z, err := zone.Parse(strings.NewReader(parentText), "parent.zone", "test.", "")
	if err != nil {
		t.Fatal(err)
	}
	if d := FromZone(z, "example.test."); strings.Join(d.NS, " ") != "ns1.old.example.test. ns2.old.example.test." || d.NSTTL != 5 || len(d.DS) != 1 || d.Glue["ns1.old.example.test."][0] != "192.0.2.1" {
		t.Fatalf("FromZone = %+v", d)
	}
	tests := []struct {
		name string
		want registrar.Delegation
		// changes as "action name type", in order
		changes []string
		err     string
	}{
		{"replace with in-bailiwick names", registrar.Delegation{NS: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {"192.0.2.9", "2001:db8::9"}}},
			[]string{"replace example.test. NS", "delete ns1.old.example.test. A", "delete ns2.old.example.test. A", "create ns1.new.example.test. A", "create ns1.new.example.test. AAAA"}, ""},
		{"out-of-bailiwick names need no glue", registrar.Delegation{NS: []string{"ns.provider.net."}},
			[]string{"replace example.test. NS", "delete ns1.old.example.test. A", "delete ns2.old.example.test. A"}, ""},
		{"the same delegation is no change", registrar.Delegation{NS: []string{"ns1.old.example.test.", "ns2.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {"192.0.2.1"}, "ns2.old.example.test.": {"192.0.2.2"}}},
			nil, ""},
		{"the same delegation in other case, relative, is no change", registrar.Delegation{NS: []string{"NS1.Old.Example.TEST", "ns2.OLD.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {"192.0.2.1"}, "ns2.old.example.test.": {"192.0.2.2"}}},
			nil, ""},
		{"the same delegation with an escaped letter is no change", registrar.Delegation{NS: []string{"ns\\049.old.example.test.", "n\\s2.old.example.test."}, Glue: map[string][]string{"ns1.old.example.test.": {"192.0.2.1"}, "ns2.old.example.test.": {"192.0.2.2"}}},
			nil, ""},
		{"DS removed when asked", registrar.Delegation{NS: []string{"ns.provider.net."}, DS: []string{}},
			[]string{"replace example.test. NS", "delete ns1.old.example.test. A", "delete ns2.old.example.test. A", "delete example.test. DS"}, ""},
		{"missing glue", registrar.Delegation{NS: []string{"ns1.new.example.test."}}, nil, "needs glue"},
		{"bad glue", registrar.Delegation{NS: []string{"ns1.new.example.test."}, Glue: map[string][]string{"ns1.new.example.test.": {"not-an-ip"}}}, nil, "not an IP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs, err := Changes(z, "example.test.", tt.want)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cs {
				got = append(got, c.Action.String()+" "+c.Name+" "+typeName(c))
				if c.Type == 2 && c.New != nil && c.New.TTL != 5 {
					t.Errorf("NS TTL %d, want the current 5", c.New.TTL)
				}
			}
			if strings.Join(got, "; ") != strings.Join(tt.changes, "; ") {
				t.Errorf("changes\n got %v\nwant %v", got, tt.changes)
			}
		})
	}
}

func typeName(c provider.Change) string {
	return strings.Fields(c.String())[2]
}

// TestChangesRefusesMovingSiblingGlue: the glue at a name is one RRset of
// the parent zone, shared by every delegation naming it. A flip keeping
// ns1.old.example.test. in the new NS set with another address would
// move the glue of other.test., delegated to that host too, to a server
// that does not serve it: other.test. went dark at the flip (on the code
// before, "replace ns1.old.example.test. A", no error). Glue another NS
// set relies on is changed by hand, knowingly, never by a flip; given the
// address it has, it is left as it is.
func TestChangesRefusesMovingSiblingGlue(t *testing.T) {
	z, err := zone.Parse(strings.NewReader(parentText+"other 5 NS ns1.old.example.test.\n"), "parent.zone", "test.", "")
	if err != nil {
		t.Fatal(err)
	}
	want := registrar.Delegation{NS: []string{"ns1.old.example.test.", "ns3.new.example.test."},
		Glue: map[string][]string{"ns1.old.example.test.": {"198.51.100.1"}, "ns3.new.example.test.": {"198.51.100.3"}}}
	cs, err := Changes(z, "example.test.", want)
	if err == nil || !strings.Contains(err.Error(), "other.test.") || !strings.Contains(err.Error(), "ns1.old.example.test.") {
		var got []string
		for _, c := range cs {
			got = append(got, c.Action.String()+" "+c.Name+" "+typeName(c))
		}
		t.Fatalf("changes %v, error %v; want an error naming other.test. and ns1.old.example.test.", got, err)
	}
	want.Glue["ns1.old.example.test."] = []string{"192.0.2.1"} // the address it has
	cs, err = Changes(z, "example.test.", want)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Action.String()+" "+c.Name+" "+typeName(c))
	}
	if w := "replace example.test. NS; delete ns2.old.example.test. A; create ns3.new.example.test. A"; strings.Join(got, "; ") != w {
		t.Errorf("changes\n got %v\nwant %s", got, w)
	}
}

// TestChangesStaleGlue: the glue a change leaves no NS set using is
// removed whichever delegation's cut it lies below, and only glue; glue
// another NS set names is kept. On
// the code before, a child moving off a host of a sibling's bailiwick
// (ns1.old.example.test., which example.test. had already left) kept
// its glue: only names in the child's own bailiwick lost theirs.
func TestChangesStaleGlue(t *testing.T) {
	tests := []struct {
		name, text, child string
		want              []string
	}{
		// A name the child's old delegation shares with another delegation of the
		// parent zone (a host serving several zones: other.test. delegated to
		// ns1.old.example.test. too) keeps its glue when the child moves away
		// from it: deleted, other.test.'s referral carries no address for it, and
		// resolving it goes through example.test.'s new delegation, which need not
		// have the name at all (other.test. goes dark at the flip). On the code
		// before, the flip deleted it.
		{"a host another delegation also names keeps its glue", parentText + "other 5 NS ns1.old.example.test.\n", "example.test.",
			[]string{"replace example.test. NS", "delete ns2.old.example.test. A"}},
		{"a sibling's host only this child still used", parentHead + `example 5 NS ns.provider.net.
ns1.old.example 5 A 192.0.2.1
other 5 NS ns1.old.example.test.
`, "other.test.", []string{"replace other.test. NS", "delete ns1.old.example.test. A"}},
		{"a host of the parent's own data is not glue", parentHead + `host 5 A 192.0.2.1
other 5 NS host.test.
`, "other.test.", []string{"replace other.test. NS"}},
		{"a host another delegation still names keeps its glue", parentHead + `example 5 NS ns1.old.example.test.
ns1.old.example 5 A 192.0.2.1
other 5 NS ns1.old.example.test.
`, "other.test.", []string{"replace other.test. NS"}},
		{"unused glue below this child's cut", parentHead + `other 5 NS ns1.old.other.test.
ns1.old.other 5 A 192.0.2.3
ns9.other 5 AAAA 2001:db8::9
`, "other.test.", []string{"replace other.test. NS", "delete ns1.old.other.test. A", "delete ns9.other.test. AAAA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := zone.Parse(strings.NewReader(tt.text), "parent.zone", "test.", "")
			if err != nil {
				t.Fatal(err)
			}
			cs, err := Changes(z, tt.child, registrar.Delegation{NS: []string{"ns.provider.net."}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cs {
				got = append(got, c.Action.String()+" "+c.Name+" "+typeName(c))
			}
			if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
				t.Errorf("changes\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestOutsideParentZone: every way into the parent zone refuses a child
// the parent does not delegate (the parent itself, a name outside it)
// before the provider is asked anything: the Parent here has no
// provider, so a way that read the zone first would panic.
func TestOutsideParentZone(t *testing.T) {
	ctx := context.Background()
	p := &Parent{Zone: "test."}
	want := registrar.Delegation{NS: []string{"ns1.new.example."}}
	for _, child := range []string{"other.example.", "test.", "TEST"} {
		for name, way := range map[string]func() error{
			"Delegation":      func() error { _, err := p.Delegation(ctx, child); return err },
			"OtherNS":         func() error { _, err := p.OtherNS(ctx, child); return err },
			"RemoveStaleGlue": func() error { _, err := p.RemoveStaleGlue(ctx, child, true); return err },
			"Plan":            func() error { return p.Plan(ctx, child, want) },
			"SetDelegation":   func() error { return p.SetDelegation(ctx, child, want) },
		} {
			if err := way(); err == nil || !strings.Contains(err.Error(), "parent zone test. does not hold the delegation of "+zone.CanonicalName(child)) {
				t.Errorf("%s(%s): %v; want the parent zone to refuse it", name, child, err)
			}
		}
	}
}

// TestCappedTTL: what cappedTTL takes for the parent server's TTL cap
// (every RRset written above one TTL holds it, nothing in the zone above
// it, the serial moved by this one write at most) and what it leaves to
// the read-back's conflict, a serial moved by a sibling's write too
// included (the zone read back cannot tell which write set our TTLs). A deletion the step made must read back
// absent too: on the code before, cappedTTL looked at the RRsets written
// only and a read-back that still held the glue the step deleted passed
// as a cap (the read-back's own check of cs is skipped under a cap).
func TestCappedTTL(t *testing.T) {
	parse := func(text string) *zone.Zone {
		z, err := zone.Parse(strings.NewReader(text), "parent.zone", "test.", "")
		if err != nil {
			t.Fatal(err)
		}
		return z
	}
	head := func(serial string) string {
		return "$ORIGIN test.\n$TTL 60\n@ SOA ns.test. h.test. " + serial + " 60 60 60 60\n@ NS ns.test.\nns A 127.0.0.1\n"
	}
	now := parse(head("1") + "example 5 NS ns1.old.example.test.\nns1.old.example 5 A 192.0.2.1\n")
	cs, err := Changes(now, "example.test.", registrar.Delegation{NS: []string{"ns.provider.net."}, NSTTL: 3600})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 {
		t.Fatalf("changes %v, want the NS set replaced and the old glue deleted", cs)
	}
	for _, tc := range []struct {
		what   string
		after  string
		capped bool
	}{
		{"capped at 60, the old glue gone", head("2") + "example 60 NS ns.provider.net.\n", true},
		{"capped, the write changed nothing (serial kept)", head("1") + "example 60 NS ns.provider.net.\n", true},
		{"another write moved the serial again", head("3") + "example 60 NS ns.provider.net.\n", false},
		// One UPDATE of another writer's that writes a sibling's NS set
		// and lowers ours to the zone's highest TTL reads back as a
		// sibling's step beside a capped write: on the code before, the
		// sibling's delegation excused the serial's second move and this
		// passed as the server's cap.
		{"a sibling's NS set written beside, the serial moved twice", head("3") + "example 60 NS ns.provider.net.\nother 60 NS ns9.elsewhere.net.\n", false},
		{"the glue the step deleted reads back", head("2") + "example 60 NS ns.provider.net.\nns1.old.example 60 A 192.0.2.1\n", false},
		{"the records are not the step's", head("2") + "example 60 NS ns.elsewhere.net.\n", false},
		{"as asked: no cap", head("2") + "example 3600 NS ns.provider.net.\n", false},
	} {
		t.Run(tc.what, func(t *testing.T) {
			k := cappedTTL("test.", now, parse(tc.after), cs)
			if (k != nil) != tc.capped {
				t.Fatalf("cappedTTL = %+v, want capped %v", k, tc.capped)
			}
			if k != nil && (k.NSTTL != 60 || len(k.RRsets) != 1 || k.RRsets[0] != "example.test. NS" || k.Asked[0] != 3600) {
				t.Errorf("Kept %+v, want example.test. NS asked 3600 kept at 60", k)
			}
		})
	}
}

// TestParentProviderType: the parent registrar changes the parent zone
// through a provider whose write applies the delegation's NS, glue and DS
// at once (provider.Transactional: rfc2136, one UPDATE message, RFC 2136
// §3.2; powerdns, one PATCH; README: "RFC 2136 or PowerDNS API"). A
// provider of another type is refused when the config loads, on
// registrar.provider's line: on the code before, any provider was taken,
// and one that writes record by record (ClouDNS, NS1, DNS Made Easy)
// could stop midway with half a delegation made. What decides is the
// interface, not the type's name: a type registered here that is
// Transactional is taken, one that is not refused.
func TestParentProviderType(t *testing.T) {
	documented := map[string]bool{"rfc2136": true, "powerdns": true, "test-transactional": true}
	settings := map[string]string{"rfc2136": "server: 127.0.0.1", "powerdns": "url: http://127.0.0.1:8081, api_key_env: K",
		"cloudns": "auth_id: '1', api_key_env: K", "ns1": "api_key_env: K", "cloudflare": "api_key_env: K",
		"test-transactional": "server: 127.0.0.1", "test-record-by-record": "server: 127.0.0.1"}
	for typ, st := range settings {
		_, err := config.Parse([]byte("providers:\n  p: {type: "+typ+", "+st+"}\nregistrar:\n  type: parent\n  zone: test.\n  provider: p\n"), "dnsparity.yaml")
		refused := err != nil && strings.Contains(err.Error(), `dnsparity.yaml:6: registrar: provider: "p" is of type `+typ+": ")
		if refused == documented[typ] || refused && !strings.Contains(err.Error(), "of type powerdns or rfc2136 or test-transactional only") {
			t.Errorf("a parent registrar through a %s provider: %v; want refused %v, naming the Transactional types", typ, err, !documented[typ])
		}
	}
}

// transactional is a provider type of the tests' own that writes in
// transactions; recordByRecord one that does not.
type (
	transactional  struct{ *rfc2136.Provider }
	recordByRecord struct{ provider.Provider }
)

func init() {
	provider.Register[rfc2136.Settings]("test-transactional", func(cfg *config.Provider) (transactional, error) { return transactional{}, nil })
	provider.Register[rfc2136.Settings]("test-record-by-record", func(cfg *config.Provider) (recordByRecord, error) { return recordByRecord{}, nil })
}

// TestParentCutoverCuts: the parent registrar registers the zone it
// changes delegations in (registrar.zone): the configured zones below it
// are the cuts a plan of that zone leaves to the cutover
// (config.CutoverCuts), decided by that registration, not by the type's
// name.
func TestParentCutoverCuts(t *testing.T) {
	y := "zones:\n  - {name: Example.COM, file: a.zone}\n  - {name: dept.example.com, file: b.zone}\n  - {name: a.b.example.com, file: c.zone}\n  - {name: other.test, file: d.zone}\n" +
		"providers:\n  p: {type: rfc2136, server: 127.0.0.1}\nregistrar: {type: parent, zone: EXAMPLE.com, provider: p}\n"
	c, err := config.Parse([]byte(y), "dnsparity.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for zone, want := range map[string]string{"example.com.": "a.b.example.com. dept.example.com.", "dept.example.com.": "", "other.test.": ""} {
		if got := strings.Join(c.CutoverCuts(zone), " "); got != want {
			t.Errorf("zone %s: CutoverCuts = %q, want %q", zone, got, want)
		}
	}
}
