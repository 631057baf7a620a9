package github

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/github/githubtest"
)

const (
	pat      = "ghp_personal_token_value"
	actions  = "ghs_actions_token_value"
	forkTok  = "ghs_fork_token_value"
	intruder = "ghp_someone_else"
	appTok   = "ghs_app_installation_token"
)

func newFake() *githubtest.Server {
	return githubtest.New("o", "r", map[string]githubtest.Token{
		pat:      {Login: "deploy-bot"},
		actions:  {Login: ActionsBot, Installation: true},
		forkTok:  {Login: ActionsBot, Installation: true, ReadOnly: true},
		intruder: {Login: "mallory"},
		appTok:   {Login: "dns-bot[bot]", Installation: true},
	})
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

func client(t *testing.T, f *githubtest.Server, token string) *Client {
	t.Helper()
	c, err := NewClient(nil, f.URL, token)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestIdentity(t *testing.T) {
	f := newFake()
	defer f.Close()
	for _, tt := range []struct{ token, want string }{{pat, "deploy-bot"}, {actions, ActionsBot}} {
		got, err := client(t, f, tt.token).Identity(context.Background())
		if err != nil || got != tt.want {
			t.Errorf("Identity(%s) = %q, %v; want %q", tt.token[:4], got, err, tt.want)
		}
	}
	_, err := client(t, f, "ghp_wrong_token").Identity(context.Background())
	if err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "ghp_wrong_token") {
		t.Errorf("bad token: err = %v (want a 401 without the token)", err)
	}
}

func TestStickyComment(t *testing.T) {
	ctx := context.Background()
	for _, tok := range []string{pat, actions} {
		t.Run(tok[:4], func(t *testing.T) {
			f := newFake()
			defer f.Close()
			f.SetPerPage(2)
			me, _ := client(t, f, tok).Identity(ctx)
			for i := 0; i < 3; i++ {
				f.AddComment(7, "alice", fmt.Sprintf("LGTM %d", i))
			}
			// A planted "passed" comment with the marker, by someone else.
			planted := f.AddComment(7, "mallory", Marker("wf/job")+"\n✅ all good")
			c := client(t, f, tok)
			id1, created, err := c.StickyComment(ctx, "o", "r", 7, "wf/job", "first report")
			if err != nil || !created {
				t.Fatalf("first: %v created=%v", err, created)
			}
			id2, created, err := c.StickyComment(ctx, "o", "r", 7, "wf/job", "second report")
			if err != nil || created || id1 != id2 {
				t.Fatalf("second run: id %d vs %d, created=%v, err %v: want the sticky updated", id2, id1, created, err)
			}
			var mine []githubtest.Comment
			for _, cm := range f.Comments(7) {
				if cm.Author == me {
					mine = append(mine, cm)
				}
				if cm.ID == planted && !strings.Contains(cm.Body, "all good") {
					t.Errorf("the planted comment was changed: %q", cm.Body)
				}
			}
			if len(mine) != 1 || !strings.Contains(mine[0].Body, "second report") || !strings.HasPrefix(mine[0].Body, Marker("wf/job")) {
				t.Errorf("own comments = %+v", mine)
			}
			// Another key is another comment; the same body is not re-sent.
			before := len(f.Requests())
			if _, _, err := c.StickyComment(ctx, "o", "r", 7, "wf/job", "second report"); err != nil {
				t.Fatal(err)
			}
			for _, r := range f.Requests()[before:] {
				if strings.HasPrefix(r, "PATCH") || strings.HasPrefix(r, "POST") {
					t.Errorf("unchanged report re-sent: %s", r)
				}
			}
			if _, created, _ := c.StickyComment(ctx, "o", "r", 7, "wf/other", "x"); !created {
				t.Error("another key must be another comment")
			}
			if rej := f.Rejected(); len(rej) > 0 {
				t.Errorf("rejected requests: %v", rej)
			}
		})
	}
}

func TestStickyCommentTooLong(t *testing.T) {
	f := newFake()
	defer f.Close()
	c := client(t, f, pat)
	body := "```\n" + strings.Repeat("x😀 long line\n", 7000) + "```\n"
	if _, _, err := c.StickyComment(context.Background(), "o", "r", 7, "k", body); err != nil {
		t.Fatal(err)
	}
	got := f.Comments(7)[0].Body
	if n := len([]rune(got)); n > MaxBody || n < MaxBody-200 {
		t.Errorf("body of %d characters, want just under %d", n, MaxBody)
	}
	if strings.Count(got, "```")%2 != 0 {
		t.Errorf("the cut left a code fence open")
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name, in string
		limit    int
		want     string
	}{
		{"short", "abc", 10, "abc"},
		{"line boundary and note", strings.Repeat("0123456789\n", 10), 60, "0123456789\n0123456789\n0123456789\n\nNOTE\n"},
		{"details closed", "<details>\n" + strings.Repeat("0123456789\n", 10), 60, "<details>\n0123456789\n0123456789\n</details>\n\nNOTE\n"},
		{"fence closed", "```\n" + strings.Repeat("0123456789\n", 10), 60, "```\n0123456789\n0123456789\n0123456789\n```\n\nNOTE\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Truncate(tt.in, tt.limit, "NOTE"); got != tt.want {
				t.Errorf("Truncate = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckRunBatches(t *testing.T) {
	f := newFake()
	defer f.Close()
	c := client(t, f, actions)
	ctx := context.Background()
	sha := strings.Repeat("ab", 20)
	cr, err := c.StartCheckRun(ctx, "o", "r", "dnsparity", sha)
	if err != nil {
		t.Fatal(err)
	}
	var as []Annotation
	for i := 1; i <= 123; i++ {
		as = append(as, Annotation{File: "zones/a.zone", Line: i, Level: []string{"error", "warning", "notice"}[i%3], Message: fmt.Sprint("m", i)})
	}
	if err := cr.Finish(ctx, Conclusion(1), "3 errors", "## summary", as); err != nil {
		t.Fatal(err)
	}
	runs := f.CheckRuns()
	if len(runs) != 1 {
		t.Fatalf("%d check runs", len(runs))
	}
	got := runs[0]
	if got.Status != "completed" || got.Conclusion != "failure" || got.HeadSHA != sha || len(got.Annotations) != 123 || got.Requests != 1+3+1 {
		t.Errorf("check run = %s/%s sha %s, %d annotations in %d requests; want completed/failure, 123 in 5",
			got.Status, got.Conclusion, got.HeadSHA, len(got.Annotations), got.Requests)
	}
	if got.Annotations[0].Level != "warning" || got.Annotations[1].Level != "notice" || got.Annotations[2].Level != "failure" {
		t.Errorf("levels = %+v", got.Annotations[:3])
	}
	// A fork's token may not create check runs.
	_, err = client(t, f, forkTok).StartCheckRun(ctx, "o", "r", "dnsparity", sha)
	if !IsForbidden(err) {
		t.Errorf("fork token: err = %v, want a 403", err)
	}
	if rej := f.Rejected(); len(rej) > 0 {
		t.Errorf("rejected requests: %v", rej)
	}
}

func TestTrack(t *testing.T) {
	f := newFake()
	defer f.Close()
	ctx := context.Background()
	c := client(t, f, actions)
	// Someone else's issue with the label is not the tracking issue.
	f.AddIssue(githubtest.Issue{Title: "drift?", Labels: []string{"dnsparity-drift"}, Author: "mallory"})
	steps := []struct {
		open   bool
		body   string
		action string
	}{
		{true, "drift 1", "opened"},
		{true, "drift 2", "updated"},
		{true, "drift 2", "none"},
		{false, "", "closed"},
		{false, "", "none"},
		{true, "drift 3", "opened"},
	}
	for i, s := range steps {
		res, err := c.Track(ctx, "o", "r", "dnsparity-drift", "DNS drift", s.body, s.open, "drift is gone")
		if err != nil || res.Action != s.action {
			t.Fatalf("step %d: %+v %v, want %s", i, res, err, s.action)
		}
	}
	var mine, open int
	for _, is := range f.Issues() {
		if is.Author == ActionsBot {
			mine++
			if is.State == "open" {
				open++
				if is.Body != "drift 3" {
					t.Errorf("open issue body %q", is.Body)
				}
			} else if is.StateReason != "completed" || is.Body != "drift 2" {
				t.Errorf("closed issue = %+v", is)
			}
		}
	}
	if mine != 2 || open != 1 {
		t.Errorf("own issues %d (open %d), want 2 (1)", mine, open)
	}
	if n := len(f.Comments(2)); n != 1 {
		t.Errorf("closing comments on #2: %d", n)
	}
	if rej := f.Rejected(); len(rej) > 0 {
		t.Errorf("rejected requests: %v", rej)
	}
}

func TestOutputRefusesLineBreaks(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	r, _ := newRunner(t, map[string]string{"GITHUB_OUTPUT": out})
	if err := r.Output("result", "ok"); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"x\n_GitHubActionsFileCommandDelimeter_\nresult=ok", "a\rb"} {
		if err := r.Output("errors", v); err == nil {
			t.Errorf("Output(%q) accepted", v)
		}
	}
	b, _ := os.ReadFile(out)
	if string(b) != "result=ok\n" {
		t.Errorf("GITHUB_OUTPUT = %q", b)
	}
}

func TestAnnotateRelativeAndHidden(t *testing.T) {
	r, out := newRunner(t, map[string]string{"GITHUB_WORKSPACE": "/github/workspace"})
	var as []Annotation
	for i := 0; i < 13; i++ {
		as = append(as, Annotation{File: "/github/workspace/zones/a.zone", Line: i + 1, Level: "error", Title: "t", Message: "CNAME and other data"})
	}
	as = append(as, Annotation{File: "zones/b.zone", Line: 3, Level: "warning", Message: "TTL differs"})
	hidden := r.Annotate(as)
	if hidden["error"] != 3 || hidden["warning"] != 0 {
		t.Errorf("hidden = %v, want 3 errors", hidden)
	}
	got := out.String()
	for _, want := range []string{
		"::error file=zones/a.zone,line=1,title=t::CNAME and other data",
		"::warning file=zones/b.zone,line=3::TTL differs",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("workflow commands\n%s\nlack %q", got, want)
		}
	}
	if strings.Contains(got, "/github/workspace") {
		t.Errorf("absolute path in an annotation")
	}
}

func TestLogStopsCommands(t *testing.T) {
	r, out := newRunner(t, nil)
	r.Log("| TXT |\n::add-mask::x\n::error::forged\n")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !strings.HasPrefix(lines[0], "::stop-commands::") || lines[len(lines)-1] != "::"+strings.TrimPrefix(lines[0], "::stop-commands::")+"::" {
		t.Errorf("log not fenced by stop-commands:\n%s", out)
	}
}

func TestPullRequest(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, event, payload string
		ok, fork             bool
		sha                  string
	}{
		{"same repo", "pull_request", `{"number":7,"pull_request":{"number":7,"head":{"sha":"abc","repo":{"full_name":"o/r","fork":false}},"base":{"repo":{"full_name":"o/r"}}}}`, true, false, "abc"},
		{"fork", "pull_request", `{"number":7,"pull_request":{"number":7,"head":{"sha":"abc","repo":{"full_name":"m/r","fork":true}},"base":{"repo":{"full_name":"o/r"}}}}`, true, true, "abc"},
		{"deleted fork", "pull_request", `{"number":7,"pull_request":{"number":7,"head":{"sha":"abc","repo":null},"base":{"repo":{"full_name":"o/r"}}}}`, true, true, "abc"},
		{"schedule", "schedule", `{}`, false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := filepath.Join(dir, tt.name+".json")
			os.WriteFile(ev, []byte(tt.payload), 0o644)
			r, _ := newRunner(t, map[string]string{"GITHUB_EVENT_PATH": ev, "GITHUB_EVENT_NAME": tt.event, "GITHUB_REPOSITORY": "o/r"})
			pr, ok := r.PullRequest()
			if ok != tt.ok || pr.Fork != tt.fork || pr.HeadSHA != tt.sha || (ok && pr.Number != 7) {
				t.Errorf("PullRequest = %+v %v", pr, ok)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	r, _ := newRunner(t, nil)
	r.Mask("s3cr3t-value")
	r.Mask("abc") // too short to redact safely
	if got := r.Redact("key s3cr3t-value and abc"); got != "key *** and abc" {
		t.Errorf("Redact = %q", got)
	}
}

func TestGuard(t *testing.T) {
	var b bytes.Buffer
	g := Guard(&b)
	for _, p := range []string{"plan: ok\n::error::forged\n", ":", ":add-mask::x\nfine ::notice:: inside\n"} {
		g.Write([]byte(p))
	}
	want := "plan: ok\n>::error::forged\n>::add-mask::x\nfine ::notice:: inside\n"
	if b.String() != want {
		t.Errorf("Guard wrote %q, want %q", b.String(), want)
	}
}

func TestSummaryLimit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "summary")
	r, _ := newRunner(t, map[string]string{"GITHUB_STEP_SUMMARY": path})
	r.Summary(strings.Repeat("| a row of a very long report |\n", 50000), "_cut: see the JSON report_")
	b, _ := os.ReadFile(path)
	if len(b) > MaxSummary || !strings.HasSuffix(strings.TrimSpace(string(b)), "_cut: see the JSON report_") || strings.Contains(string(b), "| a row of a very long re\n") {
		t.Errorf("summary of %d bytes, tail %q", len(b), b[len(b)-80:])
	}
}

// TestSummaryLimitClosesDetails: a summary cut inside a collapsed block
// (the info findings, a plan's changes: the pull request decides how many
// there are) closes it, so the note saying it was cut shows.
func TestSummaryLimitClosesDetails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "summary")
	r, _ := newRunner(t, map[string]string{"GITHUB_STEP_SUMMARY": path})
	r.Summary("## report\n\n<details><summary>info</summary>\n\n"+strings.Repeat("| a row of a very long report |\n", 50000)+"</details>\n", "_cut: see the JSON report_")
	b, _ := os.ReadFile(path)
	s := string(b)
	if len(b) > MaxSummary || !strings.HasSuffix(strings.TrimSpace(s), "_cut: see the JSON report_") {
		t.Fatalf("summary of %d bytes, tail %q", len(b), s[len(s)-80:])
	}
	if strings.Count(s, "<details") != strings.Count(s, "</details>") || strings.LastIndex(s, "</details>") > strings.LastIndex(s, "_cut:") {
		t.Errorf("the note is inside a collapsed block: tail %q", s[len(s)-120:])
	}
}

func TestStickyCommentAppToken(t *testing.T) {
	f := newFake()
	defer f.Close()
	ctx := context.Background()
	// Without the login, an app token is taken for github-actions[bot]
	// and its own comment is not found again: a second comment.
	for i := 0; i < 2; i++ {
		if _, _, err := client(t, f, appTok).StickyComment(ctx, "o", "r", 7, "k", "x"); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.Comments(7)); n != 2 {
		t.Fatalf("%d comments", n)
	}
	// Named, it edits its own comment in place.
	for i := 0; i < 2; i++ {
		c := client(t, f, appTok)
		c.SetIdentity("dns-bot[bot]")
		if _, created, err := c.StickyComment(ctx, "o", "r", 7, "k", fmt.Sprint("run ", i)); err != nil || created {
			t.Errorf("run %d: created=%v err=%v", i, created, err)
		}
	}
	if n := len(f.Comments(7)); n != 2 || f.Comments(7)[0].Body != Marker("k")+"\nrun 1" {
		t.Errorf("comments %+v", f.Comments(7))
	}
}
