package cloudns

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestNAPTRLOCFieldNotListed: records.json lists every field of a NAPTR
// and a LOC, an empty one as "" (records.go, fields); one listed without
// a field is unreadable, shown with the fields it has, never read as an
// empty field or the root.
func TestNAPTRLOCFieldNotListed(t *testing.T) {
	naptr := `{"id":"1","type":"NAPTR","host":"n","ttl":"300","record":"","order":"100","pref":"10","flag":"","params":"","regexp":"","replace":"sip.example.net"}`
	loc := `{"id":"2","type":"LOC","host":"l","ttl":"300","record":"","lat_deg":"52","lat_min":"22","lat_sec":"23","lat_dir":"N","long_deg":"4","long_min":"53","long_sec":"32","long_dir":"E","altitude":"-2","size":"1","h_precision":"10000","v_precision":"10"}`
	for _, tc := range []struct {
		name, listed, drop, shown string
	}{
		{"NAPTR whole", naptr, "", `100 10 "" "" "" sip.example.net.`},
		{"NAPTR no flag", naptr, "flag", `100 10 (no flag) "" "" sip.example.net.`},
		{"NAPTR no params", naptr, "params", `100 10 "" (no params) "" sip.example.net.`},
		{"NAPTR no regexp", naptr, "regexp", `100 10 "" "" (no regexp) sip.example.net.`},
		{"NAPTR no replace", naptr, "replace", `100 10 "" "" "" (no replace)`},
		{"NAPTR no order", naptr, "order", `(no order) 10 "" "" "" sip.example.net.`},
		{"LOC whole", loc, "", "52 22 23 N 4 53 32 E -2m 1m 10000m 10m"},
		{"LOC no size", loc, "size", "52 22 23 N 4 53 32 E -2m (no size) 10000m 10m"},
		{"LOC no lat_dir", loc, "lat_dir", "52 22 23 (no lat_dir) 4 53 32 E -2m 1m 10000m 10m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal([]byte(tc.listed), &m); err != nil {
				t.Fatal(err)
			}
			delete(m, tc.drop)
			b, _ := json.Marshal(m)
			var r record
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatal(err)
			}
			_, err := toRR("example.com.", r)
			if (err == nil) != (tc.drop == "") {
				t.Errorf("read: %v, want an error only without a field", err)
			}
			if err != nil && !strings.Contains(err.Error(), "without its field "+tc.drop) {
				t.Errorf("the error %q does not name the field %s", err, tc.drop)
			}
			if got := shown("example.com.", r).Value; got != tc.shown {
				t.Errorf("shown %q, want %q", got, tc.shown)
			}
		})
	}
}
