package cloudns

import (
	"strings"
	"testing"
)

func TestParseDS(t *testing.T) {
	for _, tc := range []struct {
		name, body, want, err string
	}{
		{"record lines", `{"ds":["example.com. 3600 IN DS 12345 13 2 ABCD","example.com. 3600 IN DS 12345 13 4 EF01"]}`, "12345 13 2 ABCD|12345 13 4 EF01", ""},
		{"rdata only", `{"ds":["12345 13 2 ABCD"]}`, "12345 13 2 ABCD", ""},
		{"objects", `{"ds_records":[{"key_tag":12345,"algorithm":13,"digest_type":2,"digest":"ABCD"}]}`, "12345 13 2 ABCD", ""},
		{"both, once", `{"ds":["12345 13 2 abcd"],"ds_records":[{"key_tag":"12345","algorithm":"13","digest_type":"2","digest":"ABCD"}]}`, "12345 13 2 abcd", ""},
		{"short line", `{"ds":["12345 13"]}`, "", "want key tag"},
		{"not JSON", `<html>`, "", "bad answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseDS([]byte(tc.body))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || strings.Join(got, "|") != tc.want {
				t.Errorf("got %v %v, want %s", got, err, tc.want)
			}
		})
	}
}
