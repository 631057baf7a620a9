package cloudns

import (
	"encoding/json"
	"testing"
)

// TestMoreTypesListedShapes: a HINFO, a CERT, an SMIMEA and an
// OPENPGPKEY as records.json lists them, under the keys ClouDNS's WHMCS
// module reads from each listed row (github.com/ClouDNS/
// whmcs-dns-provisioning-module at commit 010e07f,
// src/cloudns_core/actions.php, getRecords), read as zone-file data.
func TestMoreTypesListedShapes(t *testing.T) {
	for _, tc := range []struct {
		name, listed, want string
	}{
		{"HINFO", `{"id":"2","type":"HINFO","host":"h","record":"","ttl":"300","cpu":"PC","os":"Linux 6"}`, `"PC" "Linux 6"`},
		{"CERT", `{"id":"3","type":"CERT","host":"c","record":"SGVsbG8gd29ybGQ=","ttl":"300","cert_type":"3","key_tag":"0","algorithm":"0"}`, "3 0 0 SGVsbG8gd29ybGQ="},
		{"SMIMEA", `{"id":"4","type":"SMIMEA","host":"s","record":"0123abcd","ttl":"300","smimea_usage":"3","smimea_selector":"1","smimea_matching_type":"1"}`, "3 1 1 0123abcd"},
		{"OPENPGPKEY", `{"id":"5","type":"OPENPGPKEY","host":"o","record":"SGVsbG8gd29ybGQ=","ttl":"300"}`, "SGVsbG8gd29ybGQ="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r record
			if err := json.Unmarshal([]byte(tc.listed), &r); err != nil {
				t.Fatal(err)
			}
			got, err := presentation(r)
			if err != nil || got != tc.want {
				t.Fatalf("presentation = %q, %v; want %q", got, err, tc.want)
			}
			if _, err := toRR("example.com.", r); err != nil {
				t.Errorf("toRR: %v", err)
			}
		})
	}
}
