// Package benchzone is the one generated zone the parity, ECS, scaling,
// many-zone and status benchmarks share, the questions that cover it, and
// the dnsperf run they measure a server against.
package benchzone

import (
	"flag"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/lab"
)

// Origin is the zone the benchmarks on one generated zone (parity, ECS,
// status) serve and compare.
const Origin = "bench.test."

// RRsets defines their flag -rrsets, the size of that zone (define it
// before benchrun parses the command line).
func RRsets() *int {
	return flag.Int("rrsets", 100000, "RRsets in the generated zone")
}

// Apex is the apex the parity and scaling benchmarks use: SOA, two NS and
// their addresses (4 RRsets).
func Apex(origin string) string {
	return fmt.Sprintf("$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 1209600 300\n@ IN NS ns1\n@ IN NS ns2\nns1 IN A 192.0.2.53\nns2 IN A 198.51.100.53\n", origin)
}

// Zone is Apex followed by Body up to n RRsets, and the dnsperf questions:
// every (owner, type).
func Zone(origin string, n int) (string, []string) {
	var b strings.Builder
	b.WriteString(Apex(origin))
	qs := []string{origin + " SOA", origin + " NS", "ns1." + origin + " A", "ns2." + origin + " A"}
	qs = append(qs, Body(&b, origin, len(qs), n)...)
	return b.String(), qs
}

// Body writes RRsets below the apex to b until have reaches n: owners h<i>
// with A+AAAA, TXT+MX, a CNAME or an SRV in turn. The TXT's two strings
// concatenate to "v=spf1 -all id=N" (an unknown modifier: valid SPF). It
// returns a question per RRset written.
func Body(b *strings.Builder, origin string, have, n int) []string {
	var qs []string
	for i := 0; have < n; i++ {
		h := fmt.Sprintf("h%d", i)
		fq := h + "." + origin
		switch i % 4 {
		case 0:
			fmt.Fprintf(b, "%s IN A 192.0.%d.%d\n%s IN AAAA 2001:db8::%x:%x\n", h, (i/256)%256, i%256, h, i>>16, i&0xffff)
			qs = append(qs, fq+" A", fq+" AAAA")
			have += 2
		case 1:
			fmt.Fprintf(b, "%s IN TXT \"v=spf1 -all\" \" id=%d\"\n%s IN MX 10 h%d\n", h, i, h, i-1)
			qs = append(qs, fq+" TXT", fq+" MX")
			have += 2
		case 2:
			fmt.Fprintf(b, "%s IN CNAME h%d\n", h, i-2)
			qs = append(qs, fq+" CNAME")
			have++
		case 3:
			fmt.Fprintf(b, "_s%d._tcp IN SRV 10 5 443 h%d\n", i, i-3)
			qs = append(qs, fmt.Sprintf("_s%d._tcp.%s SRV", i, origin))
			have++
		}
	}
	return qs
}

var qpsRE = regexp.MustCompile(`Queries per second:\s+([0-9.]+)`)

// Dnsperf runs dnsperf -c 10 -T 2 for secs seconds against ip:port with
// the questions in qfile and returns its queries per second; a run that
// fails or prints no rate ends the benchmark through t.
func Dnsperf(t lab.T, ip string, port int, qfile string, secs int) float64 {
	out, err := exec.Command("dnsperf", "-s", ip, "-p", strconv.Itoa(port), "-d", qfile, "-c", "10", "-T", "2", "-l", strconv.Itoa(secs)).CombinedOutput()
	if err != nil {
		t.Fatalf("dnsperf: %v\n%s", err, out)
	}
	m := qpsRE.FindSubmatch(out)
	if m == nil {
		t.Fatalf("dnsperf: no rate in\n%s", out)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatalf("dnsperf: %v", err)
	}
	return v
}
