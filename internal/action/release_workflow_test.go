package action

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkflowRelease holds release.yml to what the README promises for a
// release tag: the multi-arch image published and action.yml pointed at
// it, and the binary for linux and darwin on amd64 and arm64, static and
// reproducible, with a SHA256SUMS file, published as the tag's release.
func TestWorkflowRelease(t *testing.T) {
	w, ok := loadWorkflows(t)["release"]
	if !ok {
		t.Fatal("no .github/workflows/release.yml")
	}
	push, _ := w.On["push"].(map[string]any)
	tags, _ := push["tags"].([]any)
	if len(tags) != 1 || tags[0] != "v*.*.*" {
		t.Errorf("release.yml: want push of tags v*.*.*, got %v", w.On)
	}
	var image, binaries *wfJob
	for name, j := range w.Jobs {
		j := j
		for _, s := range j.Steps {
			if strings.HasPrefix(s.Uses, "docker/build-push-action@") {
				image = &j
			}
			if strings.Contains(s.Run, "go build") {
				binaries = &j
			}
		}
		if j.Timeout == 0 {
			t.Errorf("release.yml: job %s has no timeout-minutes", name)
		}
	}
	if image == nil {
		t.Fatal("release.yml: no job builds and pushes the image")
	}
	var imageStep, moveStep bool
	for _, s := range image.Steps {
		if strings.HasPrefix(s.Uses, "docker/build-push-action@") {
			p, _ := s.With["platforms"].(string)
			imageStep = s.With["push"] == true && strings.Contains(p, "linux/amd64") && strings.Contains(p, "linux/arm64")
		}
		moveStep = moveStep || (strings.Contains(s.Run, "image: docker://") && strings.Contains(s.Run, "git tag -f") && strings.Contains(s.Run, "${TAG%%.*}"))
	}
	if !imageStep || !moveStep {
		t.Errorf("release.yml: image for amd64+arm64 pushed %v; action.yml pointed at it and the tags (v1.2.3, v1) moved %v", imageStep, moveStep)
	}

	if binaries == nil {
		t.Fatal("release.yml: no job builds the binaries")
	}
	var build, publish string
	for _, s := range binaries.Steps {
		if strings.Contains(s.Run, "go build") {
			build = s.Run
		}
		if strings.Contains(s.Run, "gh release") {
			publish = s.Run
			if s.Env["GH_TOKEN"] != "${{ github.token }}" {
				t.Errorf("release.yml: the publishing step's GH_TOKEN is %q, want the job's own token", s.Env["GH_TOKEN"])
			}
		}
	}
	for _, target := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64"} {
		if !strings.Contains(build, target) {
			t.Errorf("release.yml: no binary for %s", target)
		}
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "-X main.version=", "-X main.commit=", "./cmd/dnsparity", "sha256sum", "SHA256SUMS", ".tar.gz"} {
		if !strings.Contains(build, want) {
			t.Errorf("release.yml: the build step lacks %q:\n%s", want, build)
		}
	}
	for _, want := range []string{"gh release create", "--verify-tag", "gh release upload", "dist/SHA256SUMS", "dist/*.tar.gz"} {
		if !strings.Contains(publish, want) {
			t.Errorf("release.yml: the publishing step lacks %q:\n%s", want, publish)
		}
	}
}

// TestWorkflowReleasePinsDigest: the release points action.yml at the
// image it pushed by digest (docker://ghcr.io/OWNER/REPO@sha256:...), not
// by its tag, a name that can be pushed again: a user who pins the Action
// by commit would still run whatever image the tag names at run time, in
// the jobs holding the push and cutover secrets. The step's own script
// runs, in a repository whose origin is a local bare one: action.yml is
// rewritten to the build step's digest and the tags pushed; a build that
// gave no digest stops it before anything is committed.
func TestWorkflowReleasePinsDigest(t *testing.T) {
	rel := loadWorkflows(t)["release"].Jobs["image"]
	buildID := ""
	var move *wfStep
	for i, s := range rel.Steps {
		if strings.HasPrefix(s.Uses, "docker/build-push-action@") {
			buildID = s.ID
		}
		if strings.Contains(s.Run, "image: docker://") {
			move = &rel.Steps[i]
		}
	}
	if buildID == "" || move == nil {
		t.Fatalf("release.yml: build step id %q (the digest output needs one), a step that rewrites action.yml: %v", buildID, move != nil)
	}
	if move.Env["DIGEST"] != "${{ steps."+buildID+".outputs.digest }}" {
		t.Errorf("release.yml: the move step's DIGEST is %q, want the build step's digest output", move.Env["DIGEST"])
	}
	git := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	digest := "sha256:" + strings.Repeat("0123456789abcdef", 4)
	for _, tc := range []struct {
		digest string
		ok     bool
	}{{digest, true}, {"", false}, {"latest", false}} {
		dir, origin := t.TempDir(), t.TempDir()
		git(origin, "init", "-q", "--bare")
		git(dir, "init", "-q")
		git(dir, "config", "user.email", "t@example.test")
		git(dir, "config", "user.name", "t")
		if err := os.WriteFile(filepath.Join(dir, "action.yml"), []byte("runs:\n  using: docker\n  image: Dockerfile\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		git(dir, "add", "action.yml")
		git(dir, "commit", "-qm", "init")
		git(dir, "remote", "add", "origin", origin)
		cmd := exec.Command("bash", "-e", "-c", move.Run)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"IMAGE=ghcr.io/acme/dnsparity", "DIGEST="+tc.digest, "TAG=v1.2.3", "GH_TOKEN=ghs_release_test_token_0123456789")
		out, err := cmd.CombinedOutput()
		b, _ := os.ReadFile(filepath.Join(dir, "action.yml"))
		if !tc.ok {
			if err == nil || !strings.Contains(string(b), "image: Dockerfile") {
				t.Errorf("digest %q: the step went on (%v), action.yml:\n%s\n%s", tc.digest, err, b, out)
			}
			continue
		}
		if err != nil {
			t.Fatalf("the move step: %v\n%s", err, out)
		}
		if want := "  image: docker://ghcr.io/acme/dnsparity@" + tc.digest + "\n"; !strings.Contains(string(b), want) {
			t.Errorf("action.yml after the release:\n%s\nwant the line %q", b, want)
		}
		if tagged := git(origin, "show", "v1:action.yml"); !strings.Contains(tagged, "@"+tc.digest) {
			t.Errorf("origin's tag v1 does not run the digest:\n%s", tagged)
		}
	}
}
