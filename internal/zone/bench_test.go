package zone

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchZone writes a zone of n records (the mix of bench/check/gen) to a
// temporary file.
func benchZone(b *testing.B, n int) string {
	b.Helper()
	var w bytes.Buffer
	w.WriteString("$ORIGIN example.\n$TTL 3600\n@ IN SOA ns1.example. hostmaster.example. ( 1 3600 600 1209600 300 )\n  IN NS ns1.example.\nns1 IN A 192.0.2.53\n")
	for i := 0; i < n; i++ {
		base := i - i%20
		switch k := i % 20; {
		case k < 8:
			fmt.Fprintf(&w, "host%d 300 IN A 10.%d.%d.%d\n", i, i>>16&255, i>>8&255, i&255)
		case k < 12:
			fmt.Fprintf(&w, "v6-%d IN AAAA 2001:db8::%x:%x\n", i, i>>16, i&0xffff)
		case k < 14:
			fmt.Fprintf(&w, "mail%d IN MX 10 host%d\n", i, base)
		case k < 17:
			fmt.Fprintf(&w, "txt%d IN TXT \"v=spf1 ip4:10.%d.%d.0/24 include:_spf.example.net -all\"\n", i, i>>16&255, i>>8&255)
		default:
			fmt.Fprintf(&w, "www%d 600 IN CNAME host%d\n", i, base)
		}
	}
	p := filepath.Join(b.TempDir(), "bench.zone")
	if err := os.WriteFile(p, w.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkLoad measures Load + Check of a 100,000-record zone.
func BenchmarkLoad(b *testing.B) {
	n := 100000
	if s := os.Getenv("DNSPARITY_BENCH_RECORDS"); s != "" {
		fmt.Sscan(s, &n)
	}
	p := benchZone(b, n)
	st, _ := os.Stat(p)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		z, err := Load(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if ps := Check(z); len(ps) != 0 {
			b.Fatalf("problems: %v", ps[0])
		}
	}
}
