package cloudns

import (
	"encoding/json"
	"testing"
)

// TestGeoListing reads records.json rows as the real API lists them
// (StackExchange/dnscontrol PR #3944, from ClouDNS): the location is
// geodns-location-code ("DEFAULT" for every other location's answer),
// not add-record's geodns-code. Read under the wrong key, a located
// answer was taken for everyone's.
func TestGeoListing(t *testing.T) {
	for _, tc := range []struct {
		row string
		geo bool
	}{
		{`{"id":"1","type":"A","host":"","record":"1.2.3.7","dynamicurl_status":0,"failover":"0","ttl":"300","geodns-location":"2","geodns-location-name":"Africa","geodns-location-code":"AFR","status":1}`, true},
		{`{"id":"2","type":"A","host":"","record":"1.2.3.8","dynamicurl_status":0,"failover":"0","ttl":"300","geodns-location":"0","geodns-location-name":"Default","geodns-location-code":"DEFAULT","status":1}`, false},
		{`{"id":"3","type":"TXT","host":"","record":"test","failover":"0","ttl":"3600","status":1}`, false},
	} {
		var r record
		if err := json.Unmarshal([]byte(tc.row), &r); err != nil {
			t.Fatal(err)
		}
		if geo(r) != tc.geo {
			t.Errorf("%s: located %v, want %v", tc.row, geo(r), tc.geo)
		}
	}
}
