package parent

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const parentText = `$ORIGIN test.
$TTL 60
@ SOA ns.test. h.test. 1 60 60 60 60
@ NS ns.test.
ns A 127.0.0.1
example 5 NS ns1.old.example.test.
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

// A name the child's old delegation shares with another delegation of the
// parent zone (a host serving several zones: other.test. delegated to
// ns1.old.example.test. too) keeps its glue when the child moves away
// from it: deleted, other.test.'s referral carries no address for it, and
// resolving it goes through example.test.'s new delegation, which need not
// have the name at all (other.test. goes dark at the flip). On the code
// before, the flip deleted it.
func TestChangesKeepsSiblingGlue(t *testing.T) {
	z, err := zone.Parse(strings.NewReader(parentText+"other 5 NS ns1.old.example.test.\n"), "parent.zone", "test.", "")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Changes(z, "example.test.", registrar.Delegation{NS: []string{"ns.provider.net."}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, c.Action.String()+" "+c.Name+" "+typeName(c))
	}
	if want := "replace example.test. NS; delete ns2.old.example.test. A"; strings.Join(got, "; ") != want {
		t.Errorf("changes\n got %v\nwant %s", got, want)
	}
}
