package dnssec

import (
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// TestJudgeServerDelete: a delete record alone in its RRset is a delete
// (RFC 8078 section 4); one mixed with other records, or an algorithm-0
// record that is not the delete record, is malformed: a parent following
// RFC 8078 ignores the set, one that reads any algorithm-0 record as the
// delete request removes the DS. While the step keeps a DS that is a
// refusal; while it holds none, a warning, the set counting as none
// published.
func TestJudgeServerDelete(t *testing.T) {
	key := &dns.DNSKEY{Hdr: dns.RR_Header{Name: "example.test.", Rrtype: dns.TypeDNSKEY, Class: dns.ClassINET, Ttl: 300},
		Flags: 257, Protocol: 3, Algorithm: dns.ECDSAP256SHA256}
	if _, err := key.Generate(256); err != nil {
		t.Fatal(err)
	}
	kept := key.ToDS(dns.SHA256)
	del := &dns.DS{KeyTag: 0, Algorithm: 0, DigestType: 0, Digest: "00"}
	delKey := &dns.DNSKEY{Flags: 0, Protocol: 3, Algorithm: 0, PublicKey: "AA=="}
	other := &dns.DS{KeyTag: 4242, Algorithm: 13, DigestType: 2, Digest: strings.Repeat("AB", 32)}
	// Algorithm 0 but not the delete record (zone.DeleteCDS: exactly
	// 0 0 0 00; CDNSKEY 0 3 0 AA==): no delete, a malformed set.
	notDel := &dns.DS{KeyTag: 0, Algorithm: 0, DigestType: 0, Digest: "AB"}
	notDelKey := &dns.DNSKEY{Flags: 257, Protocol: 3, Algorithm: 0, PublicKey: "AA=="}
	for _, c := range []struct {
		name     string
		cds      []*dns.DS
		cdnskey  []*dns.DNSKEY
		want     []*dns.DS
		problems []string // substrings, in order
		warnings []string
	}{
		{"delete CDS alone, the step keeps a DS", []*dns.DS{del}, nil, []*dns.DS{kept},
			[]string{"publishes a delete CDS"}, nil},
		{"delete CDNSKEY alone, the step keeps a DS", nil, []*dns.DNSKEY{delKey}, []*dns.DS{kept},
			[]string{"publishes a delete CDNSKEY"}, nil},
		{"delete CDS alone, the step holds no DS", []*dns.DS{del}, nil, []*dns.DS{}, nil, nil},
		{"CDS mixing delete and the kept DS", []*dns.DS{del, kept}, nil, []*dns.DS{kept},
			[]string{"the CDS set (0, " + itoa(kept.KeyTag) + ") mixes the delete record with other records: malformed (RFC 8078 section 4"}, nil},
		{"CDS mixing delete and another key, the step keeps a DS", []*dns.DS{other, del}, nil, []*dns.DS{kept},
			[]string{"CDS set (0, 4242) mixes the delete record"}, nil},
		{"CDS mixing delete and another key, the step holds no DS", []*dns.DS{del, other}, nil, []*dns.DS{},
			nil, []string{"CDS set (0, 4242) mixes the delete record"}},
		{"CDNSKEY mixing delete and the kept key", nil, []*dns.DNSKEY{key, delKey}, []*dns.DS{kept},
			[]string{"the CDNSKEY set (" + keyTags([]*dns.DNSKEY{key, delKey}) + ") mixes the delete record"}, nil},
		{"CDS of algorithm 0 not the delete record, the step keeps a DS", []*dns.DS{notDel}, nil, []*dns.DS{kept},
			[]string{"the CDS set (0) holds a record of algorithm 0 (delete) that is not the delete record: malformed (RFC 8078 section 4"}, nil},
		{"CDNSKEY of algorithm 0 not the delete record, the step keeps a DS", nil, []*dns.DNSKEY{notDelKey}, []*dns.DS{kept},
			[]string{"the CDNSKEY set (" + keyTags([]*dns.DNSKEY{notDelKey}) + ") holds a record of algorithm 0 (delete) that is not the delete record"}, nil},
		{"CDS of algorithm 0 not the delete record beside the delete record", []*dns.DS{del, notDel}, nil, []*dns.DS{kept},
			[]string{"mixes the delete record with other records"}, nil},
		{"CDS of algorithm 0 not the delete record, the step holds no DS", []*dns.DS{notDel}, nil, []*dns.DS{},
			nil, []string{"the CDS set (0) holds a record of algorithm 0 (delete) that is not the delete record: malformed (RFC 8078 section 4", "a parent following RFC 8078 ignores it"}},
		{"mixed CDS beside a delete CDNSKEY: both refuse", []*dns.DS{del, kept}, []*dns.DNSKEY{delKey}, []*dns.DS{kept},
			[]string{"the CDS set", "publishes a delete CDNSKEY"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			problems, warnings := judgeServer(c.cds, c.cdnskey, c.want)
			check := func(what string, got, want []string) {
				if len(got) != len(want) {
					t.Fatalf("%s %q, want %d like %q", what, got, len(want), want)
				}
				for i := range want {
					if !strings.Contains(got[i], want[i]) {
						t.Errorf("%s %d: %q lacks %q", what, i, got[i], want[i])
					}
				}
			}
			check("problems", problems, c.problems)
			if len(c.warnings) > 1 && len(warnings) == 1 { // several substrings of one warning
				for _, w := range c.warnings {
					if !strings.Contains(warnings[0], w) {
						t.Errorf("warning %q lacks %q", warnings[0], w)
					}
				}
				return
			}
			check("warnings", warnings, c.warnings)
		})
	}
}

func itoa(v uint16) string { return intList([]int{int(v)}) }
