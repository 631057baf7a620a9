package cftest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/plural"
)

// TestZonePages: GET /zones pages as List Zones documents: per_page 5 to
// 50 (else error 1001), page from 1, result_info with page, per_page,
// count, total_count and total_pages; a page past the last is empty; with
// name=, the counts are of the zones of that name.
func TestZonePages(t *testing.T) {
	s := New("tok")
	defer s.Close()
	for i := range 120 {
		s.AddZone(fmt.Sprintf("z%03d.test", i))
	}
	get := func(query string) (int, []Zone, map[string]int) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, s.APIURL()+"/zones?"+query, nil)
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Result     []Zone         `json:"result"`
			ResultInfo map[string]int `json:"result_info"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, body.Result, body.ResultInfo
	}
	for _, q := range []string{"per_page=51", "per_page=4", "page=0"} {
		if status, _, _ := get(q); status != http.StatusBadRequest {
			t.Errorf("%s: HTTP %d, want 400", q, status)
		}
	}
	if _, zs, info := get(""); len(zs) != 20 || info["per_page"] != 20 || info["total_pages"] != 6 {
		t.Errorf("default page: %d zones, %v", len(zs), info)
	}
	_, zs, info := get("page=3&per_page=50")
	if len(zs) != 20 || zs[0].Name != "z100.test" || info["page"] != 3 || info["count"] != 20 || info["total_count"] != 120 || info["total_pages"] != 3 {
		t.Errorf("page 3 of 50: %d zones from %v, %v", len(zs), zs[:min(1, len(zs))], info)
	}
	if _, zs, _ := get("page=4&per_page=50"); len(zs) != 0 {
		t.Errorf("page 4 of 3: %d zones", len(zs))
	}
	// name=: count and total_pages are the zones of the name, the
	// listing the name asks for; total_count, as the common schema
	// describes it, the account's zones "without any search parameters"
	s.AddZone("z007.test")
	if _, zs, info := get("name=z007.test&per_page=5"); len(zs) != 2 || info["count"] != 2 || info["total_count"] != 121 || info["total_pages"] != 1 {
		t.Errorf("name=z007.test: %s, %v", plural.N(len(zs), "zone", "zones"), info)
	}
}

// TestFaultPaths: a fault's Path selects the endpoint it names, as the
// API reference writes it, and no other: "/zones" is GET /zones, not
// every path under it; "{zone_id}" stands for any zone's id, a zone's
// own id for that zone alone. A Path that is no endpoint ("/batch", a
// part of one) is refused, as it would never fire.
func TestFaultPaths(t *testing.T) {
	s := New("tok")
	defer s.Close()
	a, b := s.AddZone("a.test"), s.AddZone("b.test")
	status := func(method, path string) int {
		t.Helper()
		req, _ := http.NewRequest(method, s.APIURL()+path, nil)
		req.Header.Set("Authorization", "Bearer tok")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	requests := []string{"GET /zones", "GET /zones/" + a, "GET /zones/" + a + "/dns_records", "GET /zones/" + b + "/dns_records", "POST /zones/" + a + "/dns_records/batch"}
	for _, c := range []struct {
		path  string
		fired []bool // for each of requests
	}{
		{"/zones", []bool{true, false, false, false, false}},
		{"/zones/{zone_id}", []bool{false, true, false, false, false}},
		{"/zones/{zone_id}/dns_records", []bool{false, false, true, true, false}},
		{"/zones/" + a + "/dns_records", []bool{false, false, true, false, false}},
		{"/zones/{zone_id}/dns_records/batch", []bool{false, false, false, false, true}},
		{"", []bool{true, true, true, true, true}},
	} {
		s.ClearFaults()
		s.AddFault(Fault{Path: c.path, Times: len(requests), Status: http.StatusServiceUnavailable})
		for i, r := range requests {
			method, path, _ := strings.Cut(r, " ")
			if got := status(method, path) == http.StatusServiceUnavailable; got != c.fired[i] {
				t.Errorf("fault on %q, %s: fired %v, want %v", c.path, r, got, c.fired[i])
			}
		}
	}
	s.ClearFaults()
	for _, path := range []string{"/batch", "/dns_records", "zones", "/zones/{zone_id}/dns_records/x", "/client/v4/zones"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("fault on %q: taken, want refused (no endpoint)", path)
				}
			}()
			s.AddFault(Fault{Path: path, Times: 1, Status: http.StatusServiceUnavailable})
		}()
	}
}

// TestRepeatedPage: a Repeat fault starts a listing page one row back,
// as a listing shifted by a row added before it and one removed after
// it: its first row is the last of the page before, the row that should
// end it is on no page, result_info counts the rows sent, the totals
// unchanged.
func TestRepeatedPage(t *testing.T) {
	s := New("tok")
	defer s.Close()
	for i := range 12 {
		s.AddZone(fmt.Sprintf("z%02d.test", i))
	}
	s.AddFault(Fault{Method: http.MethodGet, Path: "/zones", Skip: 1, Times: 1, Status: Repeat})
	var names []string
	for page := 1; page <= 3; page++ {
		var body struct {
			Result     []Zone         `json:"result"`
			ResultInfo map[string]int `json:"result_info"`
		}
		send(t, s, http.MethodGet, fmt.Sprintf("/zones?page=%d&per_page=5", page), nil, &body)
		if ri := body.ResultInfo; ri["count"] != len(body.Result) || ri["total_count"] != 12 || ri["total_pages"] != 3 {
			t.Errorf("page %d: %s, result_info %v", page, plural.N(len(body.Result), "zone", "zones"), ri)
		}
		for _, z := range body.Result {
			names = append(names, strings.TrimSuffix(z.Name, ".test"))
		}
	}
	if got, want := strings.Join(names, " "), "z00 z01 z02 z03 z04 z04 z05 z06 z07 z08 z10 z11"; got != want {
		t.Errorf("pages read %s, want %s (z04 twice, z09 on none)", got, want)
	}
}

// TestTXTContentPrintableASCII: TXT content is RFC 1035 presentation
// text: \DDD escapes are taken, raw octets outside printable ASCII are
// refused with 9051 (the API's text, as cloudflare/terraform-provider-
// cloudflare issue 9 quotes it), and it is quoted character strings.
func TestTXTContentPrintableASCII(t *testing.T) {
	s := New("tok")
	defer s.Close()
	z := s.AddZone("example.com")
	for _, tc := range []struct {
		content string
		code    int // 0: taken
	}{
		{`"caf\195\169" "\255"`, 0},
		{`"café"`, 9051},
		{"\"tab\there\"", 9051},
		// Quoted character strings only (TXTRecordParam.Content): a
		// space inside the quotes is the text's; text outside them is
		// refused.
		{`"v=spf1 -all "`, 0},
		{`"say \"hi\"" "two"`, 0},
		{`v=spf1 -all`, 9021},
		{`"a" b`, 9021},
		{`"unclosed`, 9021},
	} {
		body, _ := json.Marshal(map[string]any{"posts": []map[string]any{{"name": "t.example.com", "type": "TXT", "ttl": 300, "content": tc.content}}})
		var env struct {
			Errors []apiError `json:"errors"`
		}
		status := send(t, s, http.MethodPost, "/zones/"+z+"/dns_records/batch", body, &env)
		code := 0
		if len(env.Errors) > 0 {
			code = env.Errors[0].Code
		}
		if code != tc.code {
			t.Errorf("content %q: HTTP %d, error %d %v, want %d", tc.content, status, code, env.Errors, tc.code)
		}
	}
}

// send makes one request of the API with the token, body as JSON when
// not nil, and decodes the answer into out: its status.
func send(t *testing.T, s *Server, method, path string, body []byte, out any) int {
	t.Helper()
	resp, b := do(t, s, method, path, body)
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode
}

// do makes one request of the API with the token, body as JSON when not
// nil: the answer, and its body read.
func do(t *testing.T, s *Server, method, path string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, s.APIURL()+path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer tok")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
