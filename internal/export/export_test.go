package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

func zoneOf(t *testing.T, origin string, rrs ...string) *zone.Zone {
	t.Helper()
	var list []dns.RR
	for _, s := range rrs {
		rr, err := dns.NewRR(s)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, rr)
	}
	z, err := zone.FromRRs(origin, list)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestWrite(t *testing.T) {
	tests := []struct {
		name        string
		rrs         []string
		opt         Options
		wantRecords int
		wantSkipped []string // "name type" of records not written
		wantText    []string
		wantSynth   string
	}{
		{
			name:        "plain zone with its apex",
			rrs:         []string{"example.com. 300 IN SOA ns1.example.com. h.example.com. 1 2 3 4 5", "example.com. 300 IN NS ns1.example.net.", "www.example.com. 60 IN A 192.0.2.1"},
			wantRecords: 3,
			wantText:    []string{"@\t300\tIN\tSOA\t", "www\t60\tIN\tA\t192.0.2.1"},
		},
		{
			name:        "apex synthesized from the nameservers",
			rrs:         []string{"www.example.com. 60 IN A 192.0.2.1"},
			opt:         Options{Nameservers: []string{"ns1.provider.example", "ns2.provider.example."}},
			wantRecords: 1,
			wantSynth:   "SOA,NS",
			wantText:    []string{"@\t86400\tIN\tNS\tns1.provider.example.", "SOA\tns1.provider.example. hostmaster.example.com."},
		},
		{
			name: "a record check refuses is commented out and listed",
			rrs: []string{"example.com. 300 IN SOA ns1.example.net. h.example.com. 1 2 3 4 5", "example.com. 300 IN NS ns1.example.net.",
				"x.example.com. 300 IN CNAME y.example.net.", "x.example.com. 300 IN A 192.0.2.9", "ok.example.com. 300 IN A 192.0.2.1"},
			wantRecords: 4,
			wantSkipped: []string{"x.example.com. CNAME"},
			wantText:    []string{"; dnsparity: not written:", "; x\t300\tIN\tCNAME\ty.example.net."},
		},
		{
			name: "features annotate records and omitted ones are listed",
			rrs:  []string{"example.com. 300 IN SOA ns1.example.net. h.example.com. 1 2 3 4 5", "example.com. 300 IN NS ns1.example.net.", "www.example.com. 1 IN A 192.0.2.1"},
			opt: Options{Features: []provider.Feature{
				{Name: "www.example.com.", Type: "A", Feature: "proxied", Detail: "answers with the CDN's addresses", Advice: "keep a CDN"},
				{Name: "example.com.", Type: "A", Feature: "alias", Detail: "an alias", Advice: "write addresses", Value: "ALIAS cdn.example.net.", Omitted: true},
			}},
			wantRecords: 3,
			wantSkipped: []string{"example.com. A"},
			wantText:    []string{"; dnsparity: proxied: answers with the CDN's addresses. Decide: keep a CDN.\nwww\t1\tIN\tA", "; @\tA\tALIAS cdn.example.net.\n"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			res, err := Write(&buf, zoneOf(t, "example.com.", tc.rrs...), tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			text := buf.String()
			if res.Records != tc.wantRecords {
				t.Errorf("records %d, want %d\n%s", res.Records, tc.wantRecords, text)
			}
			var skipped []string
			for _, s := range res.Skipped {
				skipped = append(skipped, s.Name+" "+s.Type)
			}
			if strings.Join(skipped, ",") != strings.Join(tc.wantSkipped, ",") {
				t.Errorf("skipped %v, want %v", skipped, tc.wantSkipped)
			}
			if got := strings.Join(res.Synthesized, ","); got != tc.wantSynth {
				t.Errorf("synthesized %q, want %q", got, tc.wantSynth)
			}
			for _, w := range tc.wantText {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%s", w, text)
				}
			}
			// What is written passes the checks and holds every record
			// written.
			back, err := zone.Parse(strings.NewReader(text), "out.zone", "example.com.", "")
			if err != nil {
				t.Fatal(err)
			}
			if ps := zone.Check(back); zone.HasErrors(ps) {
				t.Errorf("output fails check: %v\n%s", ps, text)
			}
			if back.Records() != res.Records+len(tc.opt.Nameservers)+boolInt(strings.Contains(tc.wantSynth, "SOA")) {
				t.Errorf("read back %d records, wrote %d\n%s", back.Records(), res.Records, text)
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
