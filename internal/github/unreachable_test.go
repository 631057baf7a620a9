package github

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestAPIUnreachableSaysWhere: a GitHub API that does not answer (nothing
// listens at GITHUB_API_URL: a wrong URL, a runner without network to
// it, GitHub Enterprise Server without /api/v3) is named as such, with
// the variable to check: the drift issue's note said only 'who is the
// token (GET /user): Get "http://127.0.0.1:9/user": dial tcp ...:
// connection refused'.
func TestAPIUnreachableSaysWhere(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	api := "http://" + l.Addr().String()
	l.Close() // nothing listens there now
	c, err := NewClient(&http.Client{}, api, actions)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Identity(context.Background())
	if err == nil || !strings.Contains(err.Error(), "GITHUB_API_URL") || !strings.Contains(err.Error(), api) || !strings.Contains(err.Error(), "did not answer") {
		t.Errorf("GET /user at an API that does not answer: %v; want it to name GITHUB_API_URL (%s) as not answering", err, api)
	}
}
