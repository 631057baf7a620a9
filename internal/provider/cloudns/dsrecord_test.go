package cloudns

import "testing"

// TestDSListedShapes: a DS as records.json lists it is read whichever of
// the two shapes it comes in: its algorithm in "algorithm" and digest in
// "record" (as dnscontrol reads the live API: providers/cloudns/
// cloudnsProvider.go, toRc), or in dsalgorithm and dsdigest (the names
// dnscontrol's struct also holds).
func TestDSListedShapes(t *testing.T) {
	const want = "12345 13 2 ABCD"
	for _, tc := range []struct {
		name string
		r    record
	}{
		{"algorithm and record", record{Type: "DS", KeyTag: "12345", Algorithm: "13", DigestType: "2", Record: "ABCD"}},
		{"dsalgorithm and dsdigest", record{Type: "DS", KeyTag: "12345", DsAlgorithm: "13", DigestType: "2", DsDigest: "ABCD"}},
		{"both", record{Type: "DS", KeyTag: "12345", Algorithm: "13", DsAlgorithm: "13", DigestType: "2", Record: "ABCD", DsDigest: "ABCD"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := presentation(tc.r)
			if err != nil || got != want {
				t.Errorf("presentation = %q, %v; want %q", got, err, want)
			}
		})
	}
}
