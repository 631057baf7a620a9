package ttlcap

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// The tricky cases: every input is a whole zone; want is the whole file
// after capping at 300 (byte for byte), changes the file:line list.
var capCases = []struct {
	name    string
	files   map[string]string // file name → content; "z.zone" is the zone
	want    map[string]string // expected content (files not named: unchanged)
	changes []string          // "file:line what old→new"
}{
	{
		// BIND serves a TTL above 2^31-1 as 0 (RFC 2181 §8): capping it
		// would raise what resolvers cache.
		name:    "TTL above MAXTTL is served as 0: left alone",
		files:   map[string]string{"z.zone": "$ORIGIN example.test.\n$TTL 3000000000\n@ 600 SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 600 NS ns1\nns1 600 A 192.0.2.1\nbig 4294967295 A 192.0.2.2\ndef A 192.0.2.3\n"},
		want:    map[string]string{"z.zone": "$ORIGIN example.test.\n$TTL 3000000000\n@ 300 SOA ns1 hostmaster 1 3600 600 1209600 300\n@ 300 NS ns1\nns1 300 A 192.0.2.1\nbig 4294967295 A 192.0.2.2\ndef A 192.0.2.3\n"},
		changes: []string{"z.zone:3 TTL 600→300", "z.zone:4 TTL 600→300", "z.zone:5 TTL 600→300"},
	},
	{
		name: "multi-line SOA with comments, units, TTL and class in either order, numeric names",
		files: map[string]string{"z.zone": `$ORIGIN example.test.
$TTL 1h      ; one hour (a comment that says $TTL 86400)
@   IN  SOA  ns1 hostmaster (
        2026112701 ; serial
        3600       ; refresh
        600        ; retry
        1209600    ; expire
        86400 )    ; negative caching
    IN  NS  ns1
ns1 IN  A   192.0.2.1
www 86400 IN A 192.0.2.2
mx  IN 7200 MX 10 mail
3600 IN A 192.0.2.3
1h   A  192.0.2.4
1d 1d IN A 192.0.2.5
txt  IN TXT "86400 ; not a ttl" ( "3600" )
low  60 IN A 192.0.2.6
$GENERATE 1-3 host$ 1w IN A 192.0.2.$
`},
		want: map[string]string{"z.zone": `$ORIGIN example.test.
$TTL 300     ; one hour (a comment that says $TTL 86400)
@   IN  SOA  ns1 hostmaster (
        2026112701 ; serial
        3600       ; refresh
        600        ; retry
        1209600    ; expire
        300 )    ; negative caching
    IN  NS  ns1
ns1 IN  A   192.0.2.1
www 300 IN A 192.0.2.2
mx  IN 300 MX 10 mail
3600 IN A 192.0.2.3
1h   A  192.0.2.4
1d 300 IN A 192.0.2.5
txt  IN TXT "86400 ; not a ttl" ( "3600" )
low  60 IN A 192.0.2.6
$GENERATE 1-3 host$ 300 IN A 192.0.2.$
`},
		changes: []string{"z.zone:2 $TTL 1h→300", "z.zone:8 SOA minimum 86400→300", "z.zone:11 TTL 86400→300",
			"z.zone:12 TTL 7200→300", "z.zone:15 TTL 1d→300", "z.zone:18 $GENERATE TTL 1w→300"},
	},
	{
		name: "no $TTL: the SOA takes its minimum, records inherit the previous TTL (BIND rule)",
		files: map[string]string{"z.zone": `$ORIGIN example.test.
@ IN SOA ns1 hostmaster ( 1 3600 600 1209600 3600 )
  IN NS ns1
ns1 IN A 192.0.2.1
a 7200 IN A 192.0.2.2
b IN A 192.0.2.3
c IN AAAA 2001:db8::3
`},
		want: map[string]string{"z.zone": `$ORIGIN example.test.
@ IN SOA ns1 hostmaster ( 1 3600 600 1209600 300 )
  IN NS ns1
ns1 IN A 192.0.2.1
a 300 IN A 192.0.2.2
b IN A 192.0.2.3
c IN AAAA 2001:db8::3
`},
		changes: []string{"z.zone:2 SOA minimum 3600→300", "z.zone:5 TTL 7200→300"},
	},
	{
		name: "$INCLUDE: the included file is capped too, the $TTL inside it as well",
		files: map[string]string{
			"z.zone": `$ORIGIN example.test.
$TTL 86400
@ 3600 IN SOA ns1 hostmaster 1 3600 600 1209600 60
  IN NS ns1
ns1 IN A 192.0.2.1
$INCLUDE inc/hosts.inc
`,
			"inc/hosts.inc": `; hosts
$TTL 2d
h1	IN	A	192.0.2.10
h2	3600	IN	A	192.0.2.11
`},
		want: map[string]string{
			"z.zone": `$ORIGIN example.test.
$TTL 300
@ 300 IN SOA ns1 hostmaster 1 3600 600 1209600 60
  IN NS ns1
ns1 IN A 192.0.2.1
$INCLUDE inc/hosts.inc
`,
			"inc/hosts.inc": `; hosts
$TTL 300
h1	IN	A	192.0.2.10
h2	300	IN	A	192.0.2.11
`},
		changes: []string{"z.zone:2 $TTL 86400→300", "z.zone:3 TTL 3600→300", "inc/hosts.inc:2 $TTL 2d→300", "inc/hosts.inc:4 TTL 3600→300"},
	},
	{
		name:    "CRLF line ends, uppercase units, escaped owner, class before TTL",
		files:   map[string]string{"z.zone": "$ORIGIN example.test.\r\n$TTL 1H30M\r\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 7200\r\n  IN NS ns1\r\nns1 IN A 192.0.2.1\r\na\\ b IN 86400 TXT \"x\"\r\n"},
		want:    map[string]string{"z.zone": "$ORIGIN example.test.\r\n$TTL 300\r\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\r\n  IN NS ns1\r\nns1 IN A 192.0.2.1\r\na\\ b IN 300 TXT \"x\"\r\n"},
		changes: []string{"z.zone:2 $TTL 1H30M→300", "z.zone:3 SOA minimum 7200→300", "z.zone:6 TTL 86400→300"},
	},
	{
		name: "already under the cap: nothing written",
		files: map[string]string{"z.zone": `$ORIGIN example.test.
$TTL 300
@ IN SOA ns1 hostmaster 1 3600 600 1209600 60
  IN NS ns1
ns1 IN A 192.0.2.1
`},
	},
}

func TestCap(t *testing.T) {
	for _, tc := range capCases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.Mkdir(filepath.Join(dir, ".git"), 0o755) // the repository root for $INCLUDE
			for name, content := range tc.files {
				p := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			zpath := filepath.Join(dir, "z.zone")
			before, err := zone.Load(zpath, zone.Options{})
			if err != nil || zone.HasErrors(before.Problems) {
				t.Fatalf("test zone does not load: %v %v", err, before.Problems)
			}
			changes, err := Cap(zpath, 300, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range changes {
				rel, _ := filepath.Rel(dir, c.File)
				got = append(got, rel+":"+strconv.Itoa(c.Line)+" "+c.What+" "+c.Old+"→"+c.New)
			}
			if strings.Join(got, "\n") != strings.Join(tc.changes, "\n") {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.changes, "\n"))
			}
			for name, content := range tc.files {
				want := content
				if w, ok := tc.want[name]; ok {
					want = w
				}
				b, _ := os.ReadFile(filepath.Join(dir, name))
				if string(b) != want {
					t.Errorf("%s:\n%s\nwant:\n%s", name, b, want)
				}
			}
			// The project's loader: every TTL within the cap, every RDATA kept.
			after, err := zone.Load(zpath, zone.Options{})
			if err != nil || zone.HasErrors(after.Problems) {
				t.Fatalf("capped zone does not load: %v %v", err, after.Problems)
			}
			if len(after.Sets) != len(before.Sets) {
				t.Fatalf("%d RRsets after, %d before", len(after.Sets), len(before.Sets))
			}
			for i, s := range after.Sets {
				if s.Type == dns.TypeSOA {
					a, b := *s.RRs()[0].(*dns.SOA), *before.Sets[i].RRs()[0].(*dns.SOA)
					if a.Minttl != min(b.Minttl, 300) {
						t.Errorf("SOA minimum %d, want %d", a.Minttl, min(b.Minttl, 300))
					}
					if a.Ns != b.Ns || a.Mbox != b.Mbox || a.Serial != b.Serial || a.Refresh != b.Refresh || a.Retry != b.Retry || a.Expire != b.Expire {
						t.Errorf("SOA changed: %v, was %v", &a, &b)
					}
				} else if !s.SameData(before.Sets[i]) {
					t.Errorf("%s: RDATA changed", s.Key())
				}
				for _, r := range s.Records {
					if r.TTL > 300 {
						t.Errorf("%s %s: TTL %d above the cap", r.Pos, s.Key(), r.TTL)
					}
				}
			}
			// A second run changes nothing.
			again, err := Cap(zpath, 300, Options{})
			if err != nil || len(again) != 0 {
				t.Errorf("second run: %v %v", again, err)
			}
		})
	}
}

func TestCapRefuses(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		invalid bool   // an *InvalidError
		errHas  string // in the message
	}{
		{"syntax error", map[string]string{"z.zone": "$ORIGIN example.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 60\n  IN NS ns1\nns1 IN A 192.0.2.300\n"}, true, "z.zone:5"},
		{"include outside the repository", map[string]string{"z.zone": "$ORIGIN example.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 60\n  IN NS ns1\n$INCLUDE /etc/hostname\n"}, true, "outside the repository"},
		{"no origin", map[string]string{"z.zone": "$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 60\n"}, true, "no origin"},
		// Semantic errors that check reports refuse the rewrite as much as
		// syntax errors do.
		{"CNAME and other data", map[string]string{"z.zone": "$ORIGIN example.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 60\n  IN NS ns1\nns1 IN A 192.0.2.1\nwww IN CNAME ns1\nwww IN A 192.0.2.2\n"}, true, "CNAME and other data"},
		{"no NS at the apex", map[string]string{"z.zone": "$ORIGIN example.test.\n$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 60\nns1 IN A 192.0.2.1\n"}, true, "z.zone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.Mkdir(filepath.Join(dir, ".git"), 0o755)
			for name, content := range tc.files {
				os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
			}
			_, err := Cap(filepath.Join(dir, "z.zone"), 300, Options{})
			var inv *InvalidError
			if errors.As(err, &inv) != tc.invalid || err == nil || !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("err = %v, want invalid=%v containing %q", err, tc.invalid, tc.errHas)
			}
			for name, content := range tc.files {
				if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != content {
					t.Errorf("%s was changed", name)
				}
			}
		})
	}
}

func TestCapDryRun(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "example.test.zone")
	src := "$TTL 1d\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 60\n  IN NS ns1\nns1 IN A 192.0.2.1\n"
	os.WriteFile(p, []byte(src), 0o644)
	cs, err := Cap(p, 60, Options{DryRun: true})
	if err != nil || len(cs) != 1 || cs[0].Line != 1 {
		t.Fatalf("changes %v, err %v", cs, err)
	}
	if b, _ := os.ReadFile(p); string(b) != src {
		t.Error("dry run wrote the file")
	}
}
