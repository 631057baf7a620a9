package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/github"
)

// containerImage is the image .ci/container-test.sh built
// (DNSPARITY_CONTAINER_IMAGE) and the docker binary (DNSPARITY_DOCKER);
// the test is skipped without an image (go test ./... alone builds none).
func containerImage(t *testing.T) (image, docker string) {
	t.Helper()
	image = os.Getenv("DNSPARITY_CONTAINER_IMAGE")
	if image == "" {
		t.Skip("DNSPARITY_CONTAINER_IMAGE is not set: run .ci/container-test.sh, which builds the image and runs this test")
	}
	docker = os.Getenv("DNSPARITY_DOCKER")
	if docker == "" {
		docker = "docker"
	}
	return image, docker
}

// TestContainerAction runs the Action's image as GitHub's runner runs a
// Docker action. .ci/container-test.sh builds the image from the project's
// Dockerfile and sets DNSPARITY_CONTAINER_IMAGE; without it there is no
// image to run (go test ./... alone does not build one).
func TestContainerAction(t *testing.T) {
	image, docker := containerImage(t)
	e := newLabAction(t, acmeZone, acmeZone)
	temp := t.TempDir() // the runner's _temp
	for _, d := range []string{"_github_home", "_github_workflow", "_runner_file_commands"} {
		os.MkdirAll(filepath.Join(temp, d), 0o755)
	}
	ev, _ := os.ReadFile(e.env["GITHUB_EVENT_PATH"])
	os.WriteFile(filepath.Join(temp, "_github_workflow", "event.json"), ev, 0o644)

	run := func(t *testing.T, step string, extra ...string) (int, string, string, map[string]string) {
		t.Helper()
		outFile := "set_output_" + step
		sumFile := "step_summary_" + step
		os.WriteFile(filepath.Join(temp, "_runner_file_commands", outFile), nil, 0o644)
		os.WriteFile(filepath.Join(temp, "_runner_file_commands", sumFile), nil, 0o644)
		e.serveBaseConfig() // the image has no git: the pr command reads the base config through the contents API
		env := map[string]string{
			"INPUT_COMMAND": "pr", "INPUT_CONFIG": "dnsparity.yaml", "INPUT_ARGS": "", "INPUT_ZONE": "",
			"INPUT_GITHUB-TOKEN": botToken, "INPUT_COMMENT": "true", "INPUT_FAIL-ON": "error",
			"HOME": "/github/home", "CI": "true", "GITHUB_ACTIONS": "true",
			"GITHUB_WORKSPACE": "/github/workspace", "GITHUB_EVENT_PATH": "/github/workflow/event.json",
			"GITHUB_OUTPUT": "/github/file_commands/" + outFile, "GITHUB_STEP_SUMMARY": "/github/file_commands/" + sumFile,
			"GITHUB_EVENT_NAME": "pull_request", "GITHUB_REPOSITORY": "acme/dns", "GITHUB_SHA": e.env["GITHUB_SHA"],
			"GITHUB_API_URL": e.gh.URL, "GITHUB_SERVER_URL": "https://github.com", "GITHUB_RUN_ID": "4242",
			"GITHUB_WORKFLOW": "dns", "GITHUB_JOB": "pr", "RUNNER_TEMP": "/home/runner/work/_temp",
			"OLD_TSIG_SECRET": pushKey.Secret, "NEW_TSIG_SECRET": pushKey.Secret,
		}
		args := []string{"run", "--rm", "--network", "host", "--workdir", "/github/workspace",
			"-v", filepath.Join(temp, "_github_home") + ":/github/home",
			"-v", filepath.Join(temp, "_github_workflow") + ":/github/workflow",
			"-v", filepath.Join(temp, "_runner_file_commands") + ":/github/file_commands",
			"-v", e.ws + ":/github/workspace"}
		for i := 0; i+1 < len(extra); i += 2 {
			if extra[i+1] == "" {
				delete(env, extra[i])
			} else {
				env[extra[i]] = extra[i+1]
			}
		}
		for k, v := range env {
			args = append(args, "-e", k+"="+v)
		}
		args = append(args, image)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		var stdout, stderr bytes.Buffer
		cmd := exec.CommandContext(ctx, docker, args...)
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("docker run: %v\n%s", err, stderr.String())
		}
		sum, _ := os.ReadFile(filepath.Join(temp, "_runner_file_commands", sumFile))
		raw, _ := os.ReadFile(filepath.Join(temp, "_runner_file_commands", outFile))
		outs := map[string]string{}
		sc := bufio.NewScanner(bytes.NewReader(raw))
		for sc.Scan() {
			k, v, _ := strings.Cut(sc.Text(), "=")
			outs[k] = v
		}
		t.Logf("docker run exit %d; stderr:\n%s", code, stderr.String())
		return code, stdout.String(), string(sum), outs
	}

	t.Run("version", func(t *testing.T) {
		out, err := exec.Command(docker, "run", "--rm", image, "version").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "dnsparity container-test (commit ") {
			t.Errorf("version in the image: %v %q", err, out)
		}
	})

	t.Run("clean pull request", func(t *testing.T) {
		code, stdout, summary, outs := run(t, "clean")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, stdout)
		}
		cs := e.ownComments(github.ActionsBot)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, "dnsparity pr: ✅ passed") {
			t.Errorf("comments = %+v", cs)
		}
		runs := e.gh.CheckRuns()
		if len(runs) != 1 || runs[0].Conclusion != "success" || runs[0].HeadSHA != headSHA {
			t.Errorf("check runs = %+v", runs)
		}
		if outs["result"] != "ok" || outs["exit-code"] != "0" || outs["report"] != ".dnsparity/pr.json" {
			t.Errorf("outputs = %v", outs)
		}
		if _, err := os.Stat(filepath.Join(e.ws, ".dnsparity", "pr.json")); err != nil {
			t.Errorf("JSON report not in the workspace: %v", err)
		}
		if !strings.Contains(summary, "dnsparity pr: ✅ passed") || !strings.Contains(summary, "| parity | ✅") {
			t.Errorf("summary:\n%s", summary)
		}
		if strings.Count(stdout+summary, pushKey.Secret) != strings.Count(stdout, "::add-mask::"+pushKey.Secret) {
			t.Errorf("a secret reached the log unmasked")
		}
	})

	t.Run("parity errors", func(t *testing.T) {
		e.pushOutOfBand(t, "new", strings.Replace(acmeZone, "@     A    192.0.2.10", "@     A    192.0.2.99", 1))
		code, stdout, summary, outs := run(t, "errors")
		if code != 1 || outs["result"] != "problems" {
			t.Fatalf("exit %d, outputs %v\n%s", code, outs, stdout)
		}
		cs := e.ownComments(github.ActionsBot)
		if len(cs) != 1 || !strings.Contains(cs[0].Body, "❌ problems found") || !strings.Contains(cs[0].Body, "192.0.2.99") {
			t.Errorf("comment not updated in place with the error: %+v", cs)
		}
		runs := e.gh.CheckRuns()
		last := runs[len(runs)-1]
		if last.Conclusion != "failure" || len(last.Annotations) == 0 {
			t.Errorf("check run = %+v", last)
		}
		for _, a := range last.Annotations {
			if a.Path != "zones/acme.test.zone" {
				t.Errorf("annotation path %q: want it relative to the workspace", a.Path)
			}
		}
		if !strings.Contains(summary, "### ❌ Errors") {
			t.Errorf("summary:\n%s", summary)
		}
	})

	t.Run("fork", func(t *testing.T) {
		e.pullRequest(t, true)
		ev, _ := os.ReadFile(e.env["GITHUB_EVENT_PATH"])
		os.WriteFile(filepath.Join(temp, "_github_workflow", "event.json"), ev, 0o644)
		e.pushOutOfBand(t, "new", acmeZone) // parity holds again
		before := len(e.gh.CheckRuns())
		code, stdout, summary, outs := run(t, "fork", "INPUT_GITHUB-TOKEN", forkToken, "OLD_TSIG_SECRET", "", "NEW_TSIG_SECRET", "")
		if code != 0 || outs["result"] != "ok" {
			t.Fatalf("exit %d, outputs %v\n%s", code, outs, stdout)
		}
		for _, want := range []string{"| plan | ⏭️ skipped: a pull request from a fork", "| parity | ✅", "may not create check runs", "comment could not be posted"} {
			if !strings.Contains(summary, want) {
				t.Errorf("summary lacks %q:\n%s", want, summary)
			}
		}
		if len(e.gh.CheckRuns()) != before {
			t.Errorf("a check run was created with the fork's read-only token")
		}
	})
	e.noRejected(t)
}
