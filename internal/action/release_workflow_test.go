package action

import (
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
