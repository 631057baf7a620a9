package zone

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// extraCases are records of the types miekg/dns cannot read, each with the
// RDATA BIND 9.18 makes of it (named-rrchecker -u).
var extraCases = []struct{ rec, hex string }{
	{`WALLET "BTC" "abc"`, "0342544303616263"},
	{`DSYNC CDS 1 5359 ns1.example.`, "003b0114ef036e7331076578616d706c6500"},
	{`DSYNC CDS NOTIFY 5359 ns1.example.`, "003b0114ef036e7331076578616d706c6500"},
	{`A6 0 2001:db8::1`, "0020010db8000000000000000000000001"},
	{`A6 64 ::1:2:3:4 pfx.example.`, "40000100020003000403706678076578616d706c6500"},
	{`A6 128 pfx.example.`, "8003706678076578616d706c6500"},
	{`WKS 192.0.2.1 TCP 25 80`, "c0000201060000004000000000000080"},
	{`WKS 192.0.2.1 6 smtp http`, "c0000201060000004000000000000080"},
	{`DOA 0 1 2 "" aGVsbG8=`, "0000000000000001020068656c6c6f"},
	{`DOA 1 2 3 "text/plain" -`, "0000000100000002030a746578742f706c61696e"},
	{`SINK 1 0 0`, "010000"},
	{`SINK 1 2 3 aGVsbG8=`, "01020368656c6c6f"},
	{`BRID AAAA`, "000000"},
	{`HHIT AAAA BBBB`, "000000041041"},
	{`ATMA +1234`, "0131323334"},
	{`ATMA 39246f00e7c9c0`, "0039246f00e7c9c0"},
}

// TestExtraTypes: types BIND 9.18 knows and miekg/dns does not load (as
// RFC 3597 data of their type number) instead of being "unknown".
func TestExtraTypes(t *testing.T) {
	for _, c := range extraCases {
		t.Run(c.rec, func(t *testing.T) {
			z, err := Parse(strings.NewReader(rdataApex+"x "+c.rec+"\n"), "t.zone", "example.", "")
			if err != nil {
				t.Fatal(err)
			}
			if ps := Check(z); len(ps) != 0 {
				t.Fatalf("problems: %v", ps)
			}
			typ := strings.Fields(c.rec)[0]
			s := z.Get("x.example.", ExtraTypes()[typ])
			if s == nil || len(s.Records) != 1 {
				t.Fatalf("no %s record: %v", typ, z.Names())
			}
			if got := fmt.Sprintf("%x", s.Records[0].Rdata); got != c.hex {
				t.Errorf("RDATA %s, BIND makes %s", got, c.hex)
			}
			if s.Pos().Line != 5 {
				t.Errorf("line %d, want 5", s.Pos().Line)
			}
		})
	}
	// The RFC 3597 form under the type's name, as BIND reads it too.
	z, _ := Parse(strings.NewReader(rdataApex+"x WALLET \\# 4 03616263\ny WALLET \\# 5 03616263\n"), "t.zone", "example.", "")
	ps := Check(z)
	if s := z.Get("x.example.", 262); s == nil || fmt.Sprintf("%x", s.Records[0].Rdata) != "03616263" {
		t.Errorf("WALLET \\# 4: %v, names %v", s, z.Names())
	}
	if len(ps) != 1 || ps[0].Pos.Line != 6 || ps[0].Severity != Error {
		t.Errorf("WALLET \\# 5 with 4 octets: want one error at line 6, got %v", ps)
	}
	for _, bad := range []string{`DSYNC CDS 1 99999 ns1`, `A6 129 ::1`, `WKS 192.0.2.1 tcp nosuchservice`, `SINK 1 2`, `HHIT !!!`} {
		z, _ := Parse(strings.NewReader(rdataApex+"x "+bad+"\n"), "t.zone", "example.", "")
		ps := Check(z)
		if len(ps) != 1 || ps[0].Severity != Error || ps[0].Pos.Line != 5 || !strings.Contains(ps[0].Message, "bad "+strings.Fields(bad)[0]+" record") {
			t.Errorf("%q: want one error at line 5, got %v", bad, ps)
		}
	}
}

// TestExtraTypesAgainstBIND proves the table's octets with BIND's own
// encoder.
func TestExtraTypesAgainstBIND(t *testing.T) {
	bin := lab.Binary(t, "named-rrchecker")
	for _, c := range extraCases {
		cmd := exec.Command(bin, "-u")
		cmd.Stdin = strings.NewReader("IN " + c.rec + "\n")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.rec, err, out)
		}
		f := strings.Fields(string(out))
		if len(f) < 4 || !strings.EqualFold(strings.Join(f[4:], ""), c.hex) {
			t.Errorf("%s: BIND says %q, table %s", c.rec, out, c.hex)
		}
	}
}
