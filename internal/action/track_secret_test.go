package action

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/github/githubtest"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
)

// trackSecrets are TestEachOutputEachForm's secrets: a token, one
// holding backticks and Markdown's marks, one holding percent escapes
// and a workflow command's separators, and ones holding HTML tags.
var trackSecrets = []string{"pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg", "Zq9*Lm3~Vx7'Rt8`sW4yB6n`Hq2", "Kx9m%Ab:Qz,7Lp%0A8Vn3:Bc6,Yd1", "p<ss>w&rd_7Hq2mZ9wXr4Lt8Vn3", "q7<code>Hq2mZ9</code>wXr4Lt8"}

// TestTrackingIssueEachForm: a secret in each form of redacttest.Echoes,
// in a drift run's verdict and report (a provider's error quoted in
// them), is shown neither in the tracking issue the run opens (its
// body) nor in the comment that closes one when the drift is gone (the
// verdict's headline in it).
func TestTrackingIssueEachForm(t *testing.T) {
	for _, secret := range trackSecrets {
		for _, e := range redacttest.Echoes(secret) {
			text := "key " + e.Form + " refused"
			for _, open := range []bool{true, false} {
				var setup []func(*githubtest.Server)
				if !open {
					setup = append(setup, openDriftIssue)
				}
				shown := publishEach(t, secret, "sync", outcome{
					exit: cli.ExitProblem, verdict: "drift: " + text, body: "the provider said: " + text + "\n",
					track: &tracking{label: "dnsparity-drift", title: "DNS drift: a provider differs from git", open: open},
				}, setup...)
				out := shown["issue"]
				if !strings.Contains(out, "refused") {
					t.Fatalf("%q %s (open %v): the test plants nothing: %q", secret, e.Name, open, out)
				}
				if l := redacttest.Leak(out, secret, e.Form); l != "" {
					t.Errorf("%q %s (open %v): the tracking issue shows %s", secret, e.Name, open, l)
				}
			}
		}
	}
}

// TestTrackingIssueSecretSplit: a secret split between the verdict's
// end and the report's start (each piece under redact.MinCut, so
// neither text masks its piece alone) leaves no piece of
// redact.MinSplit characters in the tracking issue's body, as it leaves
// none in the comment, which is redacted whole.
func TestTrackingIssueSecretSplit(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	for cut := redact.MinSplit; cut <= len(secret)-redact.MinSplit; cut++ {
		if cut >= redact.MinCut && len(secret)-cut >= redact.MinCut {
			continue // each piece a piece of MinCut: Replace alone masks them
		}
		shown := publishEach(t, secret, "sync", outcome{
			exit: cli.ExitProblem, verdict: "drift: key " + secret[:cut], body: secret[cut:] + " refused\n",
			track: &tracking{label: "dnsparity-drift", title: "DNS drift: a provider differs from git", open: true},
		})
		for _, path := range []string{"issue", "comment"} {
			out := shown[path]
			if !strings.Contains(out, "refused") {
				t.Fatalf("cut %d, %s: the test plants nothing: %q", cut, path, out)
			}
			if p := splitPiece(out, secret); p != "" {
				t.Errorf("cut %d: the %s holds %q:\n%s", cut, path, p, out)
			}
		}
	}
}

// splitPiece is the longest piece of secret of redact.MinSplit
// characters or more that out holds, or "".
func splitPiece(out, secret string) string {
	for n := len(secret); n >= redact.MinSplit; n-- {
		for i := 0; i+n <= len(secret); i++ {
			if strings.Contains(out, secret[i:i+n]) {
				return secret[i : i+n]
			}
		}
	}
	return ""
}

// openDriftIssue is the drift issue an earlier run opened, by the
// token's identity, which a run without drift closes.
func openDriftIssue(gh *githubtest.Server) {
	gh.AddIssue(githubtest.Issue{Title: "DNS drift: a provider differs from git", Body: "drift", Labels: []string{"dnsparity-drift"}, Author: github.ActionsBot})
}
