package zone

import "testing"

// TestDigestIsSameDataAndTTL: RRSet.Digest is equal exactly where
// SameData holds and every record's TTL is the same: record order does
// not count, RDATA and each TTL do.
func TestDigestIsSameDataAndTTL(t *testing.T) {
	set := func(recs ...Record) *RRSet { return &RRSet{Name: "a.example.", Type: 1, Records: recs} }
	r := func(ttl uint32, rdata string) Record { return Record{TTL: ttl, Rdata: rdata} }
	base := set(r(300, "192.0.2.1"), r(300, "192.0.2.2"))
	for _, tc := range []struct {
		name string
		o    *RRSet
		same bool
	}{
		{"same records, other order", set(r(300, "192.0.2.2"), r(300, "192.0.2.1")), true},
		{"one TTL other", set(r(300, "192.0.2.1"), r(60, "192.0.2.2")), false},
		{"one RDATA other", set(r(300, "192.0.2.1"), r(300, "192.0.2.3")), false},
		{"one record fewer", set(r(300, "192.0.2.1")), false},
		{"RDATA split otherwise", set(r(300, "192.0.2.1192.0.2.2")), false},
	} {
		if got := base.Digest() == tc.o.Digest(); got != tc.same {
			t.Errorf("%s: equal digests %v, want %v", tc.name, got, tc.same)
		}
		if tc.same && !base.SameData(tc.o) {
			t.Errorf("%s: SameData false where the digests are equal", tc.name)
		}
	}
}
