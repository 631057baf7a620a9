package github

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeGitHub serves the part of GitHub's REST API that StickyComment uses,
// following the documented shapes: GET/POST
// /repos/{owner}/{repo}/issues/{number}/comments (paginated with a Link
// header) and PATCH /repos/{owner}/{repo}/issues/comments/{id}.
type fakeGitHub struct {
	mu       sync.Mutex
	token    string
	comments []map[string]any
	nextID   int64
	perPage  int
	posts    int
	patches  int
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/v3/repos/o/r/issues/7/comments":
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == 0 {
			page = 1
		}
		lo, hi := (page-1)*f.perPage, page*f.perPage
		if hi < len(f.comments) {
			w.Header().Set("Link", fmt.Sprintf(`<http://%s%s?page=%d&per_page=%d>; rel="next"`, r.Host, r.URL.Path, page+1, f.perPage))
		}
		lo, hi = min(lo, len(f.comments)), min(hi, len(f.comments))
		json.NewEncoder(w).Encode(f.comments[lo:hi])
	case r.Method == http.MethodPost && r.URL.Path == "/api/v3/repos/o/r/issues/7/comments":
		var in struct{ Body string }
		json.NewDecoder(r.Body).Decode(&in)
		f.nextID++
		f.posts++
		c := map[string]any{"id": f.nextID, "body": in.Body}
		f.comments = append(f.comments, c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c)
	case r.Method == http.MethodPatch && strings.HasPrefix(r.URL.Path, "/api/v3/repos/o/r/issues/comments/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/api/v3/repos/o/r/issues/comments/"), 10, 64)
		var in struct{ Body string }
		json.NewDecoder(r.Body).Decode(&in)
		for _, c := range f.comments {
			if c["id"].(int64) == id {
				c["body"] = in.Body
				f.patches++
				json.NewEncoder(w).Encode(c)
				return
			}
		}
		w.WriteHeader(http.StatusNotFound)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"message":"Not Found: %s %s"}`, r.Method, r.URL.Path)
	}
}

func newRunner(t *testing.T, env map[string]string) (*Runner, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	r, err := New(func(k string) string { return env[k] }, &out, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r, &out
}

func TestStickyComment(t *testing.T) {
	fake := &fakeGitHub{token: "ghs_test", perPage: 2}
	// Other people's comments, so the sticky one lands on page 2.
	for i := 0; i < 3; i++ {
		fake.nextID++
		fake.comments = append(fake.comments, map[string]any{"id": fake.nextID, "body": fmt.Sprintf("LGTM %d", i)})
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	r, _ := newRunner(t, map[string]string{"GITHUB_API_URL": srv.URL + "/api/v3"})
	c, err := r.Client("ghs_test")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	id1, err := StickyComment(ctx, c, "o", "r", 7, "parity", "first report")
	if err != nil {
		t.Fatal(err)
	}
	id2, err := StickyComment(ctx, c, "o", "r", 7, "parity", "second report")
	if err != nil {
		t.Fatal(err)
	}
	if id1 != id2 {
		t.Errorf("second run made a new comment %d, want the sticky %d updated", id2, id1)
	}
	if fake.posts != 1 || fake.patches != 1 || len(fake.comments) != 4 {
		t.Errorf("posts=%d patches=%d comments=%d, want 1, 1, 4", fake.posts, fake.patches, len(fake.comments))
	}
	last := fake.comments[3]["body"].(string)
	if !strings.Contains(last, "second report") || !strings.Contains(last, "<!-- dnsparity:parity -->") {
		t.Errorf("sticky body = %q", last)
	}
	for i := 0; i < 3; i++ {
		if b := fake.comments[i]["body"].(string); b != fmt.Sprintf("LGTM %d", i) {
			t.Errorf("someone else's comment changed: %q", b)
		}
	}
	// The same body again sends nothing.
	if _, err := StickyComment(ctx, c, "o", "r", 7, "parity", "second report"); err != nil {
		t.Fatal(err)
	}
	if fake.patches != 1 {
		t.Errorf("unchanged report was re-sent")
	}
	// Another marker is another comment.
	if _, err := StickyComment(ctx, c, "o", "r", 7, "plan", "plan"); err != nil {
		t.Fatal(err)
	}
	if fake.posts != 2 {
		t.Errorf("posts = %d, want 2", fake.posts)
	}
	// A huge report is cut to GitHub's limit.
	if _, err := StickyComment(ctx, c, "o", "r", 7, "parity", strings.Repeat("x", 70000)); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.comments[3]["body"].(string)); n > maxComment {
		t.Errorf("body of %d characters is over GitHub's %d", n, maxComment)
	}
}

func TestStickyCommentBadToken(t *testing.T) {
	fake := &fakeGitHub{token: "right", perPage: 30}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	r, _ := newRunner(t, map[string]string{"GITHUB_API_URL": srv.URL + "/api/v3"})
	c, _ := r.Client("wrong-token-value")
	_, err := StickyComment(context.Background(), c, "o", "r", 7, "parity", "x")
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v, want a 401", err)
	}
	if strings.Contains(err.Error(), "wrong-token-value") {
		t.Errorf("token leaked into the error: %v", err)
	}
}

func TestAnnotateAndSummary(t *testing.T) {
	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.md")
	os.WriteFile(summary, nil, 0o644)
	r, out := newRunner(t, map[string]string{"GITHUB_WORKSPACE": "/github/workspace", "GITHUB_STEP_SUMMARY": summary})
	r.Annotate([]Annotation{
		{File: "/github/workspace/zones/example.com.zone", Line: 12, Level: "error", Title: "dnsparity check", Message: "CNAME and other data"},
		{File: "zones/b.zone", Line: 3, Level: "warning", Message: "TTL differs"},
	})
	got := out.String()
	for _, want := range []string{
		"::error file=zones/example.com.zone,line=12,title=dnsparity check::CNAME and other data",
		"::warning file=zones/b.zone,line=3::TTL differs",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("workflow commands\n%s\nlack %q", got, want)
		}
	}
	r.Summary("## parity holds\n")
	b, _ := os.ReadFile(summary)
	if !strings.Contains(string(b), "## parity holds") {
		t.Errorf("summary = %q", b)
	}
}

func TestPullRequest(t *testing.T) {
	dir := t.TempDir()
	ev := filepath.Join(dir, "event.json")
	os.WriteFile(ev, []byte(`{"number":7,"pull_request":{"number":7}}`), 0o644)
	r, _ := newRunner(t, map[string]string{"GITHUB_EVENT_PATH": ev, "GITHUB_EVENT_NAME": "pull_request", "GITHUB_REPOSITORY": "o/r"})
	owner, repo, n, ok := r.PullRequest()
	if !ok || owner != "o" || repo != "r" || n != 7 {
		t.Errorf("PullRequest = %s %s %d %v", owner, repo, n, ok)
	}
	r2, _ := newRunner(t, map[string]string{"GITHUB_EVENT_NAME": "schedule", "GITHUB_REPOSITORY": "o/r"})
	if _, _, _, ok := r2.PullRequest(); ok {
		t.Error("a scheduled run has no pull request")
	}
}
