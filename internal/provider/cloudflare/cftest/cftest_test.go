package cftest

import (
	"encoding/json"
	"fmt"
	"net/http"
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
