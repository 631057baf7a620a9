package cftest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestFaultBodies: an injected fault is answered as Cloudflare answers its
// status (faultAnswer), not with one body for every status: a 4xx with
// the API's failure envelope (success false, at least one error of code
// 1000 or more, messages [], result null) and the status's own code; a
// 5xx with the edge's HTML error page, no envelope. On the code before,
// every status got 10001 "service temporarily unavailable".
func TestFaultBodies(t *testing.T) {
	for _, tc := range []struct {
		status int
		codes  string // the errors' codes; "" for an HTML page
	}{
		{400, "9207"},
		{401, "10000"},
		{403, "10000"},
		{404, "7003 7000"},
		{405, "10405"},
		{409, "7003"},
		{429, "971"},
		{500, ""},
		{502, ""},
		{503, ""},
		{504, ""},
	} {
		for _, applied := range []bool{false, true} {
			s := New("tok")
			id := s.AddZone("example.test")
			s.AddFault(Fault{Method: "GET", Times: 1, Status: tc.status, Applied: applied})
			resp, body := do(t, s, http.MethodGet, "/zones/"+id+"/dns_records", nil)
			s.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("%d (applied %v): HTTP %d", tc.status, applied, resp.StatusCode)
			}
			if tc.codes == "" {
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || json.Valid(body) {
					t.Errorf("%d (applied %v): %s %q, want an HTML page", tc.status, applied, ct, body)
				}
				continue
			}
			var env struct {
				Success  *bool            `json:"success"`
				Errors   []apiError       `json:"errors"`
				Messages []any            `json:"messages"`
				Result   *json.RawMessage `json:"result"`
			}
			if err := json.Unmarshal(body, &env); err != nil {
				t.Fatalf("%d: %v: %s", tc.status, err, body)
			}
			var codes []string
			for _, e := range env.Errors {
				if e.Code < 1000 && e.Code != 971 || e.Message == "" {
					t.Errorf("%d: error %+v", tc.status, e)
				}
				codes = append(codes, strconv.Itoa(e.Code))
			}
			if env.Success == nil || *env.Success || env.Messages == nil || len(env.Messages) != 0 || env.Result != nil || strings.Join(codes, " ") != tc.codes {
				t.Errorf("%d (applied %v): %s, want the failure envelope with %s", tc.status, applied, body, tc.codes)
			}
		}
	}
}
