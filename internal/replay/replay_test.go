package replay

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dnstap "github.com/dnstap/golang-dnstap"
	"github.com/miekg/dns"
)

// writeDnstap writes a dnstap file of queries (and a response of each, as
// a server logging both writes) through the dnstap library's own writer.
func writeDnstap(t *testing.T, qs []Question) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := dnstap.NewWriter(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	enc := dnstap.NewEncoder(w)
	for _, q := range qs {
		m := new(dns.Msg)
		m.SetQuestion(q.Name, q.Type)
		if q.Subnet.IsValid() {
			m.SetEdns0(1232, false)
			m.IsEdns0().Option = []dns.EDNS0{&dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1,
				SourceNetmask: uint8(q.Subnet.Bits()), Address: q.Subnet.Addr().AsSlice()}}
		}
		wire, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		typ, dt := dnstap.Message_AUTH_QUERY, dnstap.Dnstap_MESSAGE
		if err := enc.Encode(&dnstap.Dnstap{Type: &dt, Message: &dnstap.Message{Type: &typ, QueryMessage: wire}}); err != nil {
			t.Fatal(err)
		}
		m.Response = true
		resp, _ := m.Pack()
		rtyp := dnstap.Message_AUTH_RESPONSE
		if err := enc.Encode(&dnstap.Dnstap{Type: &dt, Message: &dnstap.Message{Type: &rtyp, ResponseMessage: resp}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "log.tap")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadDnstap(t *testing.T) {
	eu := netip.MustParsePrefix("198.51.100.0/24")
	p := writeDnstap(t, []Question{
		{Name: "a.example.com.", Type: dns.TypeA},
		{Name: "A.example.com.", Type: dns.TypeA}, // another case: another question
		{Name: "a.example.com.", Type: dns.TypeA}, // a duplicate
		{Name: "a.example.com.", Type: dns.TypeA, Subnet: eu},
		{Name: "a.example.com.", Type: dns.TypeA, Subnet: eu},
		{Name: "b.example.com.", Type: dns.TypeMX},
		{Name: "other.test.", Type: dns.TypeA}, // another zone: filtered
		{Name: "c.example.com.", Type: dns.TypeTXT},
	})
	inZone := func(n string) bool { return dns.IsSubDomain("example.com.", strings.ToLower(n)) }
	l, err := Load(p, inZone, 4)
	if err != nil {
		t.Fatal(err)
	}
	want := []Question{
		{Name: "a.example.com.", Type: dns.TypeA},
		{Name: "A.example.com.", Type: dns.TypeA},
		{Name: "a.example.com.", Type: dns.TypeA, Subnet: eu},
		{Name: "b.example.com.", Type: dns.TypeMX},
	}
	if len(l.Questions) != len(want) {
		t.Fatalf("questions %v, want %v", l.Questions, want)
	}
	for i := range want {
		if l.Questions[i] != want[i] {
			t.Errorf("question %d: %v, want %v", i, l.Questions[i], want[i])
		}
	}
	if l.Logged != 7 || l.Over != 1 {
		t.Errorf("logged %d over %d, want 7 and 1 (responses not counted, other zones filtered, c TXT over the bound)", l.Logged, l.Over)
	}
}

func TestLoadQueryLog(t *testing.T) {
	text := `04-Dec-2026 19:00:00.000 general: info: managed-keys-zone: loaded serial 2
04-Dec-2026 19:00:01.123 queries: info: client @0x7f1c2c001000 127.0.0.1#40001 (WwW.example.com): query: WwW.example.com IN A -E(0)DC (127.53.0.1)
04-Dec-2026 19:00:01.124 client @0x7f1c2c001000 127.0.0.1#40002 (x.example.com): query: x.example.com IN TYPE65000 -E(0) (127.53.0.1)
04-Dec-2026 19:00:01.125 client @0x7f1c2c001000 127.0.0.1#40003 (geo.example.com): query: geo.example.com IN A -E(0) (127.53.0.1) [ECS 203.0.113.0/24/0]
04-Dec-2026 19:00:01.126 client @0x7f1c2c001000 127.0.0.1#40004 (version.bind): query: version.bind CH TXT -E(0) (127.53.0.1)
`
	p := filepath.Join(t.TempDir(), "query.log")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(p, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []Question{
		{Name: "WwW.example.com.", Type: dns.TypeA},
		{Name: "x.example.com.", Type: 65000},
		{Name: "geo.example.com.", Type: dns.TypeA, Subnet: netip.MustParsePrefix("203.0.113.0/24")},
	}
	if len(l.Questions) != len(want) || l.Logged != 3 {
		t.Fatalf("questions %v (logged %d), want %v", l.Questions, l.Logged, want)
	}
	for i := range want {
		if l.Questions[i] != want[i] {
			t.Errorf("question %d: %v, want %v", i, l.Questions[i], want[i])
		}
	}
}

// TestLoadBad: a broken log is an error naming the file and the line (or
// frame).
func TestLoadBad(t *testing.T) {
	dir := t.TempDir()
	var garbage bytes.Buffer
	w, err := dnstap.NewWriter(&garbage, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.WriteFrame([]byte{0x72, 0x05, 1}); err != nil { // field 14, 5 bytes announced, 1 there
		t.Fatal(err)
	}
	w.Close()
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"badtype.log", []byte("a\nclient 1.2.3.4#5 (x.example.com): query: x.example.com IN NOPE -E(0) (1.2.3.4)\n"), "badtype.log: line 2: unknown query type"},
		{"prose.log", []byte("hello\nworld\n"), "prose.log: no query lines"},
		{"binary.log", []byte{1, 2, 3, 0, 9, 9}, "binary.log: neither a dnstap file"},
		{"cut.tap", []byte{0, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0, 2}, "cut.tap: "},
		{"garbage.tap", garbage.Bytes(), "garbage.tap: dnstap frame 1: bad protobuf"},
	} {
		p := filepath.Join(dir, c.name)
		if err := os.WriteFile(p, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p, nil, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
