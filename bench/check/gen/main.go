// Command gen writes a large, valid zone for the check benchmark: N records
// (default 1,000,000) of A, AAAA, MX, TXT and CNAME under example.
//
//	go run -C bench ./check/gen -n 1000000 -o /tmp/big.zone
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
)

func main() {
	n := flag.Int("n", 1000000, "number of records (besides SOA and NS)")
	out := flag.String("o", "", "output file (default stdout)")
	mix := flag.String("mix", "clean", "clean: a valid zone; warnings: one record in five (the MX) draws a warning from both tools")
	flag.Parse()
	f := os.Stdout
	if *out != "" {
		var err error
		if f, err = os.Create(*out); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(2)
		}
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "$ORIGIN example.")
	fmt.Fprintln(w, "$TTL 3600")
	fmt.Fprintln(w, "@ IN SOA ns1.example. hostmaster.example. ( 2026112101 3600 600 1209600 300 )")
	fmt.Fprintln(w, "  IN NS ns1.example.")
	fmt.Fprintln(w, "  IN NS ns2.example.")
	fmt.Fprintln(w, "ns1 IN A 192.0.2.53")
	fmt.Fprintln(w, "ns2 IN A 198.51.100.53")
	if *mix != "clean" && *mix != "warnings" {
		fmt.Fprintln(os.Stderr, "gen: -mix clean or warnings")
		os.Exit(2)
	}
	// Per block of 20: 8 A, 4 AAAA, 2 MX, 3 TXT, 3 CNAME. MX and CNAME
	// point at the block's first A name, so the zone checks clean.
	// With -mix warnings: 8 A, 4 AAAA, 4 MX to a name without address
	// ("has no address records" from named-checkzone and dnsparity), 2 TXT,
	// 2 CNAME: 200,000 warnings in 1,000,000 records.
	warn := *mix == "warnings"
	mxEnd, txtEnd := 14, 17
	if warn {
		mxEnd, txtEnd = 16, 18
	}
	for i := 0; i < *n; i++ {
		base := i - i%20
		switch k := i % 20; {
		case k < 8:
			fmt.Fprintf(w, "host%d 300 IN A 10.%d.%d.%d\n", i, i>>16&255, i>>8&255, i&255)
		case k < 12:
			fmt.Fprintf(w, "v6-%d IN AAAA 2001:db8::%x:%x\n", i, i>>16, i&0xffff)
		case k < mxEnd && warn:
			fmt.Fprintf(w, "mail%d IN MX 10 nomail%d\n", i, i)
		case k < mxEnd:
			fmt.Fprintf(w, "mail%d IN MX 10 host%d\n", i, base)
		case k < txtEnd:
			fmt.Fprintf(w, "txt%d IN TXT \"v=spf1 ip4:10.%d.%d.0/24 include:_spf.example.net -all\"\n", i, i>>16&255, i>>8&255)
		default:
			fmt.Fprintf(w, "www%d 600 IN CNAME host%d\n", i, base)
		}
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
	if *out != "" {
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(2)
		}
	}
}
