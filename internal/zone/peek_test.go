package zone

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

func TestPeekOrigin(t *testing.T) {
	long := "; " + strings.Repeat("x", 10000) + "\n" // a comment longer than the peek's buffer
	tests := []struct {
		name, text, want string
		line             int
	}{
		{"origin directive", "$TTL 300\n$ORIGIN Example.COM.\n@ SOA ns hm 1 2 3 4 5\n", "example.com.", 2},
		{"absolute SOA owner", "$TTL 300\nexample.net. 300 IN SOA ns hm 1 2 3 4 5\n", "example.net.", 2},
		{"SOA over lines", long + "example.org. IN SOA ns hm (\n 1 2 3 4 5 )\n", "example.org.", 2},
		{"relative owner", "@ IN SOA ns hm 1 2 3 4 5\n", "", 0},
		{"first record not the SOA", "www.example.com. A 192.0.2.1\nexample.com. SOA ns hm 1 2 3 4 5\n", "", 0},
		{"empty", "", "", 0},
		// BIND's dumps (named-compilezone, a secondary's text file) begin
		// with "$ORIGIN .": the zone is the first record's, the SOA's owner.
		{"BIND's dump: $ORIGIN . then the SOA", "$ORIGIN .\n$TTL 300\nexample.com IN SOA ns hm (\n 1 2 3 4 5 )\n$ORIGIN example.com.\nwww A 192.0.2.1\n", "example.com.", 3},
		{"BIND's dump: TTL and class first", "$ORIGIN .\nExample.Com 300 IN SOA ns hm 1 2 3 4 5\n", "example.com.", 2},
		{"the root zone", "$ORIGIN .\n@ IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 2 3 4 5\n", ".", 2},
		{"$ORIGIN . then another record", "$ORIGIN .\nwww.example.com A 192.0.2.1\n", ".", 2},
	}
	dir := t.TempDir()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name+".zone")
			if err := os.WriteFile(p, []byte(tt.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, line, err := PeekOrigin(p, "")
			if err != nil {
				t.Fatalf("case %d: %v", i, err)
			}
			if got != tt.want || line != tt.line {
				t.Errorf("PeekOrigin = %q line %d, want %q line %d", got, line, tt.want, tt.line)
			}
		})
	}
	if _, _, err := PeekOrigin(filepath.Join(dir, "missing.zone"), ""); err == nil {
		t.Error("a missing file: no error")
	}
}

// TestBINDDumpLoads: a zone file as BIND dumps it ("$ORIGIN ." first,
// owners relative to the root until the next $ORIGIN) loads as the zone
// its SOA names, with or without the caller's origin, as named-checkzone
// loads it; before, "$ORIGIN ." was taken for the zone's name ("zone .
// has no SOA record at the apex").
func TestBINDDumpLoads(t *testing.T) {
	const text = `$ORIGIN .
$TTL 300	; 5 minutes
example.com		IN SOA	ns1.example.com. hostmaster.example.com. (
				1          ; serial
				3600       ; refresh (1 hour)
				600        ; retry (10 minutes)
				86400      ; expire (1 day)
				300        ; minimum (5 minutes)
				)
			NS	ns1.example.com.
			NS	ns2.example.com.
$ORIGIN example.com.
ns1			A	192.0.2.1
ns2			A	192.0.2.2
`
	for _, origin := range []string{"example.com.", ""} {
		z, err := Parse(strings.NewReader(text), "dump.zone", origin, "")
		if err != nil {
			t.Fatalf("origin %q: %v", origin, err)
		}
		if z.Origin != "example.com." || len(z.Problems) != 0 || z.Get("ns2.example.com.", dns.TypeA) == nil {
			t.Errorf("origin %q: zone %s, problems %v", origin, z.Origin, z.Problems)
		}
	}
}
