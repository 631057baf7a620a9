// Package githubtest is a fake of the part of GitHub's REST API that the
// Action uses, for tests (GitHub cannot be reached from the test machines).
// It follows the documented request and response shapes
// (docs.github.com/rest: issue comments, check runs, issues, users, a pull
// request's files, a workflow run),
// rejects requests that do not (unknown fields, missing required fields,
// more than 50 annotations, absolute annotation paths, bodies over 65,536
// characters) with 422 as GitHub does, and keeps state between requests.
package githubtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/fakeapi"
)

// Token is one credential the fake accepts.
type Token struct {
	Login string
	// Installation: an Actions GITHUB_TOKEN or app token, which may not
	// call GET /user (403 "Resource not accessible by integration").
	Installation bool
	// ReadOnly: a fork pull request's token; every write is 403.
	ReadOnly bool
	// NoActions: a token without actions: read (workflow runs are 403).
	NoActions bool
}

// Comment is an issue or pull-request comment.
type Comment struct {
	ID     int64
	Issue  int
	Body   string
	Author string
}

// Annotation is a check-run annotation as posted.
type Annotation struct {
	Path      string `json:"path"`
	StartLine int    `json:"start_line"`
	EndLine   int    `json:"end_line"`
	Level     string `json:"annotation_level"`
	Message   string `json:"message"`
	Title     string `json:"title,omitempty"`
}

// CheckRun is a check run with everything posted to it.
type CheckRun struct {
	ID          int64
	Name        string
	HeadSHA     string
	Status      string
	Conclusion  string
	Title       string
	Summary     string
	Annotations []Annotation
	// Requests is how many create/update requests it took.
	Requests int
}

// Issue is an issue.
type Issue struct {
	Number      int
	Title, Body string
	State       string
	StateReason string
	Labels      []string
	Author      string
}

// Server is the fake API. Owner/Repo is the one repository it serves.
type Server struct {
	*httptest.Server
	// Kit's lock guards the state (internal/fakeapi: the fakes' plumbing).
	fakeapi.Kit
	Owner, Repo string

	tokens    map[string]Token
	comments  []*Comment
	checks    []*CheckRun
	issues    []*Issue
	nextID    int64
	perPage   int
	requests  []string
	rejected  []string
	failCheck int               // status to answer check-run creation with (0: normal)
	refusals  []refusal         // requests answered with an error instead (Refuse)
	files     map[string]string // "ref:path" → content (the contents API)
	prFiles   map[int][]PRFile
	runs      map[int64]WorkflowRun
}

// WorkflowRun is a workflow run of the repository, as "Get a workflow
// run" answers it (GET /repos/{owner}/{repo}/actions/runs/{run_id},
// https://docs.github.com/en/rest/actions/workflow-runs#get-a-workflow-run):
// event (push, schedule, workflow_dispatch, pull_request, ...),
// head_branch, path (the workflow file), status (queued, in_progress,
// completed, ...), conclusion (null until completed; success, failure,
// cancelled, ...), run_started_at and updated_at.
type WorkflowRun struct {
	ID                 int64
	Event, HeadBranch  string
	Path               string
	Status, Conclusion string
	StartedAt, Updated time.Time
}

// Refusal is an error answer the fake gives in place of serving a
// request: its status and its message, made from the request's token, as
// a proxy or a broken API in front of GitHub (GITHUB_API_URL) may echo
// the credential back, in some encoding. The body has GitHub's error
// shape, {"message", "documentation_url"}
// (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
type Refusal struct {
	Status  int
	Message func(token string) string
}

// refusal is a Refusal of the requests of method to a path that ends in
// suffix.
type refusal struct {
	method, suffix string
	Refusal
}

// Refuse makes the fake answer each request of method to a path ending
// in suffix ("/check-runs", "/comments", "/issues") with r, once its
// token is known (a request without one is 401 first).
func (s *Server) Refuse(method, suffix string, r Refusal) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.refusals = append(s.refusals, refusal{method, suffix, r})
}

// SetToken sets what token may do (a new token, or another scope).
func (s *Server) SetToken(token string, t Token) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.tokens[token] = t
}

// SetWorkflowRun makes the API serve run r of this repository.
func (s *Server) SetWorkflowRun(r WorkflowRun) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if s.runs == nil {
		s.runs = map[int64]WorkflowRun{}
	}
	s.runs[r.ID] = r
}

// workflowRun: GET /repos/{owner}/{repo}/actions/runs/{run_id}; 404 for
// a run the repository does not have. A token without actions: read (an
// Actions token whose job's permissions leave it out) is 403 "Resource not
// accessible by integration", as GitHub answers; the fake gives every
// token that scope unless Token.NoActions.
func (s *Server) workflowRun(c *call) (any, *apiError) {
	if c.tok.NoActions {
		return nil, &apiError{http.StatusForbidden, "Resource not accessible by integration"}
	}
	id, _ := strconv.ParseInt(c.m[3], 10, 64)
	r, ok := s.runs[id]
	if !ok {
		return nil, &apiError{http.StatusNotFound, "Not Found"}
	}
	var conclusion any
	if r.Conclusion != "" {
		conclusion = r.Conclusion
	}
	full := s.Owner + "/" + s.Repo
	return map[string]any{"id": r.ID, "name": r.Path, "node_id": "WFR_" + c.m[3], "head_branch": r.HeadBranch, "head_sha": fmt.Sprintf("%040x", r.ID),
		"path": r.Path, "run_number": r.ID % 1000, "event": r.Event, "status": r.Status, "conclusion": conclusion, "workflow_id": 1,
		"run_started_at": r.StartedAt.UTC().Format(time.RFC3339), "created_at": r.StartedAt.UTC().Format(time.RFC3339), "updated_at": r.Updated.UTC().Format(time.RFC3339),
		"repository": map[string]any{"full_name": full}, "head_repository": map[string]any{"full_name": full}}, nil
}

// PRFile is one file a pull request changes, as "List pull requests
// files" answers it (filename, status, previous_filename for a rename).
type PRFile struct {
	Filename         string
	Status           string // added, removed, modified, renamed, copied, changed, unchanged
	PreviousFilename string
}

// SetPullRequestFiles sets the files pull request n changes. The API
// lists at most 3,000 (as GitHub's does).
func (s *Server) SetPullRequestFiles(n int, files []PRFile) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if s.prFiles == nil {
		s.prFiles = map[int][]PRFile{}
	}
	s.prFiles[n] = files
}

// New starts a fake API for owner/repo accepting tokens.
func New(owner, repo string, tokens map[string]Token) *Server {
	s := &Server{Owner: owner, Repo: repo, tokens: tokens, nextID: 1000, perPage: 30}
	s.Server = httptest.NewServer(s)
	return s
}

// SetFile makes the contents API serve content as path at ref (a commit
// SHA or a branch name).
func (s *Server) SetFile(ref, path, content string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if s.files == nil {
		s.files = map[string]string{}
	}
	s.files[ref+":"+path] = content
}

// SetPerPage sets the page size of list answers (default 30, GitHub's).
func (s *Server) SetPerPage(n int) { s.Mu.Lock(); s.perPage = n; s.Mu.Unlock() }

// FailCheckRuns makes check-run creation answer status (e.g. 403).
func (s *Server) FailCheckRuns(status int) { s.Mu.Lock(); s.failCheck = status; s.Mu.Unlock() }

// AddComment plants a comment by author (e.g. someone copying the marker).
func (s *Server) AddComment(issue int, author, body string) int64 {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.nextID++
	s.comments = append(s.comments, &Comment{ID: s.nextID, Issue: issue, Body: body, Author: author})
	return s.nextID
}

// AddIssue plants an issue.
func (s *Server) AddIssue(is Issue) int {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	is.Number = s.nextIssue()
	if is.State == "" {
		is.State = "open"
	}
	s.issues = append(s.issues, &is)
	return is.Number
}

func (s *Server) nextIssue() int {
	n := 1
	for _, is := range s.issues {
		n = max(n, is.Number+1)
	}
	return n
}

// Comments are the comments on issue n, oldest first (copies).
func (s *Server) Comments(n int) []Comment {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	var out []Comment
	for _, c := range s.comments {
		if c.Issue == n {
			out = append(out, *c)
		}
	}
	return out
}

// CheckRuns are the check runs created (copies).
func (s *Server) CheckRuns() []CheckRun {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return copies(s.checks, (*CheckRun).clone)
}

// Issues are the issues (copies).
func (s *Server) Issues() []Issue {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return copies(s.issues, (*Issue).clone)
}

// copies are the values of items, in order, each copied by clone (nil
// when there are none).
func copies[V any](items []*V, clone func(*V) V) []V {
	var out []V
	for _, v := range items {
		out = append(out, clone(v))
	}
	return out
}

// clone is a copy of the check run that shares no slice with it.
func (cr *CheckRun) clone() CheckRun {
	cp := *cr
	cp.Annotations = append([]Annotation(nil), cr.Annotations...)
	return cp
}

// clone is a copy of the issue that shares no slice with it.
func (is *Issue) clone() Issue {
	cp := *is
	cp.Labels = append([]string(nil), is.Labels...)
	return cp
}

// Requests are "METHOD /path" of every request so far.
func (s *Server) Requests() []string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return append([]string(nil), s.requests...)
}

// Rejected are the requests answered 4xx for their shape, with why.
func (s *Server) Rejected() []string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return append([]string(nil), s.rejected...)
}

var (
	reIssueComments = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/(\d+)/comments$`)
	reComment       = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/comments/(\d+)$`)
	reCheckRuns     = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/check-runs$`)
	reCheckRun      = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/check-runs/(\d+)$`)
	reIssues        = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues$`)
	reIssue         = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/(\d+)$`)
	reSHA           = regexp.MustCompile(`^[0-9a-f]{40}$`)
	rePullFiles     = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/(\d+)/files$`)
	reContents      = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/contents/(.+)$`)
	reWorkflowRun   = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/actions/runs/(\d+)$`)
)

// apiError is GitHub's error shape.
type apiError struct {
	status int
	msg    string
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.requests = append(s.requests, r.Method+" "+r.URL.Path)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	res, err := s.serve(w, r)
	if err != nil {
		if err.status == http.StatusUnprocessableEntity || err.status == http.StatusBadRequest {
			s.rejected = append(s.rejected, r.Method+" "+r.URL.Path+": "+err.msg)
		}
		w.WriteHeader(err.status)
		json.NewEncoder(w).Encode(map[string]string{"message": err.msg, "documentation_url": "https://docs.github.com/rest"})
		return
	}
	if r.Method == http.MethodPost {
		w.WriteHeader(http.StatusCreated)
	}
	json.NewEncoder(w).Encode(res)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) (any, *apiError) {
	auth := r.Header.Get("Authorization")
	token := strings.TrimPrefix(strings.TrimPrefix(auth, "Bearer "), "token ")
	tok, ok := s.tokens[token]
	if !ok || auth == "" {
		return nil, &apiError{http.StatusUnauthorized, "Bad credentials"}
	}
	for _, f := range s.refusals {
		if f.method == r.Method && strings.HasSuffix(r.URL.Path, f.suffix) {
			return nil, &apiError{f.Status, f.Message(token)}
		}
	}
	write := r.Method != http.MethodGet
	if write && r.Header.Get("Content-Type") != "application/json" {
		return nil, &apiError{http.StatusBadRequest, "Content-Type must be application/json"}
	}
	if write && tok.ReadOnly {
		return nil, &apiError{http.StatusForbidden, "Resource not accessible by integration"}
	}
	p := r.URL.Path
	if r.Method == http.MethodGet && p == "/user" {
		if tok.Installation {
			return nil, &apiError{http.StatusForbidden, "Resource not accessible by integration"}
		}
		return map[string]any{"login": tok.Login, "id": 1, "type": "User"}, nil
	}
	for _, rt := range routes {
		if rt.method != r.Method {
			continue
		}
		if m := rt.path.FindStringSubmatch(p); m != nil && m[1] == s.Owner && m[2] == s.Repo {
			return rt.handle(s, &call{w: w, r: r, m: m, tok: tok})
		}
	}
	return nil, &apiError{http.StatusNotFound, "Not Found"}
}

// call is one request to a route: what it answers through, the path's
// groups (m[3] the one after owner and repository) and the caller.
type call struct {
	w   http.ResponseWriter
	r   *http.Request
	m   []string
	tok Token
}

// routes are the endpoints the fake serves: a method and a path whose
// first two groups are the owner and the repository (another
// repository's path is 404, like one the fake does not serve).
var routes = []struct {
	method string
	path   *regexp.Regexp
	handle func(*Server, *call) (any, *apiError)
}{
	{http.MethodGet, rePullFiles, (*Server).pullFiles},
	{http.MethodGet, reContents, (*Server).contents},
	{http.MethodGet, reWorkflowRun, (*Server).workflowRun},
	{http.MethodGet, reIssueComments, (*Server).listComments},
	{http.MethodPost, reIssueComments, (*Server).createComment},
	{http.MethodPatch, reComment, (*Server).updateComment},
	{http.MethodPost, reCheckRuns, (*Server).createCheckRun},
	{http.MethodPatch, reCheckRun, (*Server).updateCheckRun},
	{http.MethodGet, reIssues, (*Server).listIssues},
	{http.MethodPost, reIssues, (*Server).createIssue},
	{http.MethodPatch, reIssue, (*Server).updateIssue},
}

// pullFiles: GET /repos/{owner}/{repo}/pulls/{n}/files, at most 3,000
// files (the API's most).
func (s *Server) pullFiles(c *call) (any, *apiError) {
	n, _ := strconv.Atoi(c.m[3])
	files, ok := s.prFiles[n]
	if !ok {
		return nil, &apiError{http.StatusNotFound, "Not Found"}
	}
	var all []any
	for i, f := range files {
		if i == 3000 { // the API's most
			break
		}
		m := map[string]any{"sha": fmt.Sprintf("%040x", i+1), "filename": f.Filename, "status": f.Status, "additions": 1, "deletions": 0, "changes": 1}
		if f.PreviousFilename != "" {
			m["previous_filename"] = f.PreviousFilename
		}
		all = append(all, m)
	}
	return s.page(c.w, c.r, all)
}

// contents: GET /repos/{owner}/{repo}/contents/{path}?ref=: a file's
// content, base64 in "content" (docs: repos/contents).
func (s *Server) contents(c *call) (any, *apiError) {
	path := c.m[3]
	ref := c.r.URL.Query().Get("ref")
	content, ok := s.files[ref+":"+path]
	if !ok {
		return nil, &apiError{http.StatusNotFound, "Not Found"}
	}
	return map[string]any{"type": "file", "encoding": "base64", "size": len(content), "name": path[strings.LastIndex(path, "/")+1:],
		"path": path, "sha": fmt.Sprintf("%040x", len(content)), "content": base64.StdEncoding.EncodeToString([]byte(content))}, nil
}

// listComments: GET /repos/{owner}/{repo}/issues/{n}/comments.
func (s *Server) listComments(c *call) (any, *apiError) {
	n, _ := strconv.Atoi(c.m[3])
	var all []any
	for _, cm := range s.comments {
		if cm.Issue == n {
			all = append(all, commentJSON(cm))
		}
	}
	return s.page(c.w, c.r, all)
}

// createComment: POST /repos/{owner}/{repo}/issues/{n}/comments.
func (s *Server) createComment(c *call) (any, *apiError) {
	n, _ := strconv.Atoi(c.m[3])
	body, e := commentBody(c.r)
	if e != nil {
		return nil, e
	}
	s.nextID++
	cm := &Comment{ID: s.nextID, Issue: n, Body: body, Author: c.tok.Login}
	s.comments = append(s.comments, cm)
	return commentJSON(cm), nil
}

// updateComment: PATCH /repos/{owner}/{repo}/issues/comments/{id}, by
// its author only.
func (s *Server) updateComment(c *call) (any, *apiError) {
	id, _ := strconv.ParseInt(c.m[3], 10, 64)
	body, e := commentBody(c.r)
	if e != nil {
		return nil, e
	}
	for _, cm := range s.comments {
		if cm.ID == id {
			if cm.Author != c.tok.Login {
				return nil, &apiError{http.StatusForbidden, "Must have admin rights to Repository."}
			}
			cm.Body = body
			return commentJSON(cm), nil
		}
	}
	return nil, &apiError{http.StatusNotFound, "Not Found"}
}

// commentBody is a comment's body as created or updated: {"body"},
// required, within the API's length.
func commentBody(r *http.Request) (string, *apiError) {
	var in struct {
		Body *string `json:"body"`
	}
	if e := decode(r, &in); e != nil {
		return "", e
	}
	if in.Body == nil {
		return "", &apiError{http.StatusUnprocessableEntity, "body is required"}
	}
	if e := bodyLimit(*in.Body); e != nil {
		return "", e
	}
	return *in.Body, nil
}

// createCheckRun: POST /repos/{owner}/{repo}/check-runs.
func (s *Server) createCheckRun(c *call) (any, *apiError) {
	if s.failCheck != 0 {
		return nil, &apiError{s.failCheck, "Resource not accessible by integration"}
	}
	var in checkRunIn
	if e := decode(c.r, &in); e != nil {
		return nil, e
	}
	if in.Name == "" || !reSHA.MatchString(in.HeadSHA) {
		return nil, &apiError{http.StatusUnprocessableEntity, "name and a 40-hex head_sha are required"}
	}
	s.nextID++
	cr := &CheckRun{ID: s.nextID, Name: in.Name, HeadSHA: in.HeadSHA, Status: "queued"}
	if e := cr.apply(in); e != nil {
		return nil, e
	}
	s.checks = append(s.checks, cr)
	return cr.json(), nil
}

// updateCheckRun: PATCH /repos/{owner}/{repo}/check-runs/{id}.
func (s *Server) updateCheckRun(c *call) (any, *apiError) {
	id, _ := strconv.ParseInt(c.m[3], 10, 64)
	var in checkRunIn
	if e := decode(c.r, &in); e != nil {
		return nil, e
	}
	if in.HeadSHA != "" {
		return nil, &apiError{http.StatusUnprocessableEntity, "head_sha cannot be updated"}
	}
	for _, cr := range s.checks {
		if cr.ID == id {
			if e := cr.apply(in); e != nil {
				return nil, e
			}
			return cr.json(), nil
		}
	}
	return nil, &apiError{http.StatusNotFound, "Not Found"}
}

// listIssues: GET /repos/{owner}/{repo}/issues?state=&labels=.
func (s *Server) listIssues(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	if e := enum("state", state, "open", "closed", "all"); e != nil {
		return nil, e
	}
	var want []string
	if l := q.Get("labels"); l != "" {
		want = strings.Split(l, ",")
	}
	var all []any
	for _, is := range s.issues {
		if (state == "all" || is.State == state) && hasAll(is.Labels, want) {
			all = append(all, issueJSON(is))
		}
	}
	return s.page(c.w, c.r, all)
}

// createIssue: POST /repos/{owner}/{repo}/issues.
func (s *Server) createIssue(c *call) (any, *apiError) {
	var in issueIn
	if e := decode(c.r, &in); e != nil {
		return nil, e
	}
	if in.Title == nil || *in.Title == "" {
		return nil, &apiError{http.StatusUnprocessableEntity, "title is required"}
	}
	if in.State != nil {
		return nil, &apiError{http.StatusUnprocessableEntity, "state is not a create field"}
	}
	is := &Issue{Number: s.nextIssue(), Title: *in.Title, State: "open", Author: c.tok.Login}
	if e := is.apply(in); e != nil {
		return nil, e
	}
	s.issues = append(s.issues, is)
	return issueJSON(is), nil
}

// updateIssue: PATCH /repos/{owner}/{repo}/issues/{n}.
func (s *Server) updateIssue(c *call) (any, *apiError) {
	n, _ := strconv.Atoi(c.m[3])
	is := s.issue(n)
	if is == nil {
		return nil, &apiError{http.StatusNotFound, "Not Found"}
	}
	var in issueIn
	if e := decode(c.r, &in); e != nil {
		return nil, e
	}
	if in.Title != nil {
		is.Title = *in.Title
	}
	if e := is.apply(in); e != nil {
		return nil, e
	}
	return issueJSON(is), nil
}

func (s *Server) issue(n int) *Issue {
	for _, is := range s.issues {
		if is.Number == n {
			return is
		}
	}
	return nil
}

// page answers one page of a list with GitHub's Link header.
func (s *Server) page(w http.ResponseWriter, r *http.Request, all []any) (any, *apiError) {
	q := r.URL.Query()
	per := s.perPage
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, &apiError{http.StatusUnprocessableEntity, "per_page must be a positive number"}
		}
		per = min(n, 100, max(s.perPage, 1))
	}
	page := 1
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, &apiError{http.StatusUnprocessableEntity, "page must be a positive number"}
		}
		page = n
	}
	out := fakeapi.Page(all, page, per)
	if page*per < len(all) {
		u := *r.URL
		q.Set("page", strconv.Itoa(page+1))
		q.Set("per_page", strconv.Itoa(per))
		u.RawQuery = q.Encode()
		w.Header().Set("Link", fmt.Sprintf(`<http://%s%s>; rel="next"`, r.Host, u.RequestURI()))
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || strings.EqualFold(h, strings.TrimSpace(w))
		}
		if !found {
			return false
		}
	}
	return true
}

// decode reads a JSON body, refusing fields the endpoint does not document.
func decode(r *http.Request, v any) *apiError {
	if err := fakeapi.Decode(r.Body, v); err != nil {
		return &apiError{http.StatusUnprocessableEntity, "Invalid request: " + err.Error()}
	}
	return nil
}

// enum is nil when v is one of the documented values, else GitHub's 422
// naming them ("state must be open or closed").
func enum(field, v string, values ...string) *apiError {
	if slices.Contains(values, v) {
		return nil
	}
	last := len(values) - 1
	return &apiError{http.StatusUnprocessableEntity, field + " must be " + strings.Join(values[:last], ", ") + " or " + values[last]}
}

// setEnum sets *dst to an optional field of a request (nil: left as it
// is) when it is one of the documented values.
func setEnum(dst *string, field string, v *string, values ...string) *apiError {
	if v == nil {
		return nil
	}
	if e := enum(field, *v, values...); e != nil {
		return e
	}
	*dst = *v
	return nil
}

func bodyLimit(body string) *apiError {
	if n := len([]rune(body)); n > 65536 {
		return &apiError{http.StatusUnprocessableEntity, fmt.Sprintf("body is too long (maximum is 65536 characters, got %d)", n)}
	}
	return nil
}

func user(login string) map[string]any {
	typ := "User"
	if strings.HasSuffix(login, "[bot]") {
		typ = "Bot"
	}
	return map[string]any{"login": login, "type": typ}
}

func commentJSON(c *Comment) map[string]any {
	return map[string]any{"id": c.ID, "body": c.Body, "user": user(c.Author), "created_at": time.Now().UTC().Format(time.RFC3339)}
}

type checkRunIn struct {
	Name        string  `json:"name"`
	HeadSHA     string  `json:"head_sha"`
	Status      *string `json:"status"`
	Conclusion  *string `json:"conclusion"`
	CompletedAt *string `json:"completed_at"`
	StartedAt   *string `json:"started_at"`
	DetailsURL  *string `json:"details_url"`
	ExternalID  *string `json:"external_id"`
	Output      *struct {
		Title       *string      `json:"title"`
		Summary     *string      `json:"summary"`
		Text        *string      `json:"text"`
		Annotations []Annotation `json:"annotations"`
	} `json:"output"`
}

var conclusions = map[string]bool{"action_required": true, "cancelled": true, "failure": true, "neutral": true, "success": true, "skipped": true, "stale": true, "timed_out": true}

func (cr *CheckRun) apply(in checkRunIn) *apiError {
	cr.Requests++
	if in.Name != "" {
		cr.Name = in.Name
	}
	if e := setEnum(&cr.Status, "status", in.Status, "queued", "in_progress", "completed"); e != nil {
		return e
	}
	if in.Conclusion != nil {
		if !conclusions[*in.Conclusion] {
			return &apiError{http.StatusUnprocessableEntity, "conclusion is not one of the documented values"}
		}
		cr.Conclusion, cr.Status = *in.Conclusion, "completed"
	}
	if cr.Status == "completed" && cr.Conclusion == "" {
		return &apiError{http.StatusUnprocessableEntity, "conclusion is required when status is completed"}
	}
	if o := in.Output; o != nil {
		if o.Title == nil || o.Summary == nil {
			return &apiError{http.StatusUnprocessableEntity, "output needs title and summary"}
		}
		if len([]rune(*o.Summary)) > 65535 {
			return &apiError{http.StatusUnprocessableEntity, "output.summary is over 65535 characters"}
		}
		if len(o.Annotations) > 50 {
			return &apiError{http.StatusUnprocessableEntity, fmt.Sprintf("at most 50 annotations per request, got %d", len(o.Annotations))}
		}
		for _, a := range o.Annotations {
			switch {
			case a.Path == "" || a.StartLine < 1 || a.EndLine < a.StartLine || a.Message == "":
				return &apiError{http.StatusUnprocessableEntity, "annotation needs path, start_line, end_line and message"}
			case strings.HasPrefix(a.Path, "/"):
				return &apiError{http.StatusUnprocessableEntity, "annotation path must be relative to the repository: " + a.Path}
			case a.Level != "notice" && a.Level != "warning" && a.Level != "failure":
				return &apiError{http.StatusUnprocessableEntity, "annotation_level must be notice, warning or failure"}
			}
		}
		cr.Title, cr.Summary = *o.Title, *o.Summary
		cr.Annotations = append(cr.Annotations, o.Annotations...)
	}
	return nil
}

func (cr *CheckRun) json() map[string]any {
	out := map[string]any{"id": cr.ID, "name": cr.Name, "head_sha": cr.HeadSHA, "status": cr.Status,
		"output": map[string]any{"title": cr.Title, "summary": cr.Summary, "annotations_count": len(cr.Annotations)}}
	if cr.Conclusion != "" {
		out["conclusion"] = cr.Conclusion
	}
	return out
}

type issueIn struct {
	Title       *string   `json:"title"`
	Body        *string   `json:"body"`
	State       *string   `json:"state"`
	StateReason *string   `json:"state_reason"`
	Labels      *[]string `json:"labels"`
	Assignees   *[]string `json:"assignees"`
	Milestone   *int      `json:"milestone"`
}

func (is *Issue) apply(in issueIn) *apiError {
	if in.Body != nil {
		if e := bodyLimit(*in.Body); e != nil {
			return e
		}
		is.Body = *in.Body
	}
	if e := setEnum(&is.State, "state", in.State, "open", "closed"); e != nil {
		return e
	}
	if e := setEnum(&is.StateReason, "state_reason", in.StateReason, "completed", "not_planned", "reopened"); e != nil {
		return e
	}
	if in.Labels != nil {
		is.Labels = append([]string(nil), *in.Labels...)
		sort.Strings(is.Labels)
	}
	return nil
}

func issueJSON(is *Issue) map[string]any {
	var labels []any
	for _, l := range is.Labels {
		labels = append(labels, map[string]any{"name": l})
	}
	out := map[string]any{"number": is.Number, "title": is.Title, "body": is.Body, "state": is.State,
		"labels": labels, "user": user(is.Author)}
	if is.StateReason != "" {
		out["state_reason"] = is.StateReason
	}
	return out
}
