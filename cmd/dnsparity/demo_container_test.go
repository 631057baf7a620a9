package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os/exec"
	"testing"

	"github.com/dnsparity/dnsparity/internal/demo"
)

// TestContainerDemo runs `docker run IMAGE demo` as a new user would: the
// image holds the binary alone (no zones/ folder), so the story runs on the
// zone built into it. The container gets no network but its own loopback,
// where the embedded lab listens (.ci/container-test.sh builds the image).
func TestContainerDemo(t *testing.T) {
	image, docker := containerImage(t)
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(docker, "run", "--rm", "--network", "none", image, "demo", "--format", "json")
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	code := exitOK
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("docker run: %v", err)
		}
		code = ee.ExitCode()
	}
	var res demo.Result
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("exit %d, demo JSON: %v\n%s\nstory:\n%s", code, err, stdout.String(), stderr.String())
	}
	if code != exitOK || !res.OK || len(res.Steps) != len(demoStory) {
		t.Errorf("exit %d, ok %v, failed %q, %d of %d steps\nstory:\n%s", code, res.OK, res.Failed, len(res.Steps), len(demoStory), stderr.String())
	}
}
