package zone

import (
	"strings"
	"testing"
)

// TestMissingApexPosition: a zone file without an SOA (or NS) at its
// apex is told so at the line where it belongs: the SOA before the first
// record, NS records after the SOA; in a file with no record at all, at
// its first line, saying so. Each message says how to add it. On the code
// before, both errors pointed at line 1 (a $TTL, a comment or a blank
// line) and said only "has no SOA record at the apex". named-checkzone
// names no line ("zone example.test/IN: has 0 SOA records").
func TestMissingApexPosition(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // FILE:LINE: message prefixes, in order
	}{
		{"no SOA", "$TTL 300\n; the zone\n\n@ NS ns1.example.net.\nwww A 192.0.2.1\n", []string{
			"test.zone:4: zone example.test. has no SOA record at the apex: add one before this first record: @ IN SOA ns1.example.net. hostmaster.example.test. 1 7200 3600 1209600 3600"}},
		{"no SOA, no NS", "$TTL 300\n\nwww A 192.0.2.1\n", []string{
			"test.zone:3: zone example.test. has no SOA record at the apex: add one before this first record: @ IN SOA ns1.example.test. hostmaster.example.test.",
			"test.zone:3: zone example.test. has no NS records at the apex: add them with the SOA, before this first record"}},
		{"no NS", "$TTL 300\n\n@ SOA ns1 hostmaster 1 3600 600 1209600 300\nns1 A 192.0.2.1\n", []string{
			"test.zone:3: zone example.test. has no NS records at the apex: add its nameservers after this SOA, e.g. @ IN NS ns1.example.test."}},
		{"no records", "$TTL 300\n; nothing yet\n", []string{
			"test.zone:1: zone example.test. has no SOA record at the apex: the file holds no records; a zone starts with its SOA",
			"test.zone:1: zone example.test. has no NS records at the apex: the file holds no records"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range Check(mustParse(t, tc.text)) {
				if p.Severity != Error {
					continue
				}
				got = append(got, p.String())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("error %d:\n %s\nwant it to start with\n %s", i, got[i], w)
				}
			}
		})
	}
}
