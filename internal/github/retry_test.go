package github

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	gh "github.com/google/go-github/v60/github"
)

// TestAPITransientErrorsRetried: GitHub's API answers 502 and 503 now and
// then, and 403 or 429 with Retry-After for a secondary rate limit
// ("wait and retry", docs.github.com: REST API rate limits). A request
// that is safe to repeat (GET, PATCH of the sticky comment) is tried
// again within a bound; a POST that got a 5xx is not (GitHub may have
// created the comment, check run or issue: a second one would be a
// duplicate), but one refused for a rate limit is (nothing was done).
// The Action's one report failed on the first 503.
func TestAPITransientErrorsRetried(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	fail := map[string][]int{
		"GET /user":                          {503, 502},
		"POST /repos/o/r/issues/7/comments":  {502},
		"PATCH /repos/o/r/issues/comments/9": {503},
		"POST /repos/o/r/check-runs":         {403},
		"GET /repos/o/r/issues/7/comments":   {429},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		key := r.Method + " " + r.URL.Path
		mu.Lock()
		n := seen[key]
		seen[key]++
		mu.Unlock()
		if f := fail[key]; n < len(f) {
			if f[n] != 502 { // 502 without it: the policy's own wait
				w.Header().Set("Retry-After", "0")
			}
			w.WriteHeader(f[n])
			_, _ = io.WriteString(w, `{"message":"try again"}`)
			return
		}
		if r.Method != http.MethodGet && !strings.Contains(string(body), "{") {
			t.Errorf("%s sent again without its body", key)
		}
		w.Header().Set("Content-Type", "application/json")
		switch key {
		case "GET /user":
			_, _ = io.WriteString(w, `{"login":"bot"}`)
		case "GET /repos/o/r/issues/7/comments":
			_, _ = io.WriteString(w, `[]`)
		case "POST /repos/o/r/check-runs":
			_, _ = io.WriteString(w, `{"id":1}`)
		default:
			_, _ = io.WriteString(w, `{"id":9}`)
		}
	}))
	defer srv.Close()
	c, err := NewClient(&http.Client{}, srv.URL, actions)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if login, err := c.Identity(ctx); err != nil || login != "bot" {
		t.Errorf("GET /user after 503, 502: %q, %v", login, err)
	}
	if _, _, err := c.gh.Issues.CreateComment(ctx, "o", "r", 7, &gh.IssueComment{Body: gh.String("x")}); err == nil {
		t.Errorf("POST of a comment answered 502: no error (it was sent again)")
	}
	if _, _, err := c.gh.Issues.EditComment(ctx, "o", "r", 9, &gh.IssueComment{Body: gh.String("x")}); err != nil {
		t.Errorf("PATCH of a comment after 503: %v", err)
	}
	if _, err := c.StartCheckRun(ctx, "o", "r", "dnsparity", "abc"); err != nil {
		t.Errorf("POST of a check run refused for a secondary rate limit (403, Retry-After): %v", err)
	}
	if _, _, err := c.gh.Issues.ListComments(ctx, "o", "r", 7, nil); err != nil {
		t.Errorf("GET of the comments after 429: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	for key, want := range map[string]int{"GET /user": 3, "POST /repos/o/r/issues/7/comments": 1, "PATCH /repos/o/r/issues/comments/9": 2, "POST /repos/o/r/check-runs": 2, "GET /repos/o/r/issues/7/comments": 2} {
		if seen[key] != want {
			t.Errorf("%s: %d requests, want %d", key, seen[key], want)
		}
	}
}
