package readme

// TestREADME runs the shell examples of README.md and fails when a command
// exits otherwise than the text says, or does not print what it says.
//
// The README states what each command should do in the comment on its first
// line, in a form this test reads (see the package doc):
//
//	dnsparity check zones/          # no comment: exit 0
//	dnsparity flip --zone z.        # exit 1: refused, the parent untouched
//	dig @127.0.0.13 z. NS +norec    # prints "ns1.newprovider.test." (in its output)
//
// Every ```sh block runs, section by section (a "## " heading), each section
// in one bash session started in a copy of the repository (its tracked and
// untracked, not ignored files), unless the line before the fence is
// <!-- not run by the README test: REASON -->. What the test does instead of
// the README, so that it can run anywhere the lab runs (root, Debian's
// BIND, PowerDNS, Unbound) and twice at once:
//
//   - `apt-get` is not run: every package it would install must be
//     installed (.ci/run installs them);
//   - `go test` is not run: this test is part of it;
//   - `go install` installs into a folder of the test, first on PATH;
//   - a path /tmp/NAME is the test's own folder NAME, so runs never share
//     files;
//   - every 127.x.y.z address a section names is held (lab.Hold) while it
//     runs, and addresses it added to lo and left there are removed after;
//   - every process a section leaves running is ended (its process group).
//
// It needs root and the servers the README's rehearsal starts; it takes a
// few minutes (the demo, the rehearsal's waits) and is skipped by -short.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
)

func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the README's examples take minutes")
	}
	lab.Require(t, "bash", "named", "pdns_server", "unbound", "dig", "nsupdate", "tsig-keygen", "sqlite3", "ip")
	if os.Geteuid() != 0 {
		if os.Getenv(lab.RequireEnv) == "1" {
			t.Fatal("the README's rehearsal needs root (ip addr add, port 53)")
		}
		t.Skip("the README's rehearsal needs root (ip addr add, port 53)")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	secs, err := Parse(string(b))
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	tmp := t.TempDir()
	repo := copyRepo(t, root, filepath.Join(tmp, "repo"))
	gobin := filepath.Join(tmp, "gobin")
	env := append(os.Environ(),
		"GOBIN="+gobin,
		"PATH="+gobin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -buildvcs=false"),
	)
	ran := 0
	for _, sec := range secs {
		var steps []Step
		for _, bl := range sec.Blocks {
			if bl.Skip != "" {
				t.Logf("README.md:%d: not run (%s)", bl.Line, bl.Skip)
				continue
			}
			steps = append(steps, bl.Steps...)
		}
		if len(steps) == 0 {
			continue
		}
		name := sec.Heading
		if name == "" {
			name = "top"
		}
		t.Run(name, func(t *testing.T) {
			ran += runSection(t, steps, repo, tmp, env)
		})
	}
	if ran == 0 {
		t.Fatal("README.md: no shell block ran")
	}
}

var (
	tmpPathRE  = regexp.MustCompile(`/tmp/([A-Za-z0-9._-]+)`)
	loopbackRE = regexp.MustCompile(`\b127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\b`)
)

// runSection runs one section's steps in one bash session and checks each
// step's exit code and output. It returns how many steps ran.
func runSection(t *testing.T, steps []Step, repo, tmp string, env []string) int {
	// What the README does, adapted (see the comment at the top).
	var addrs []string
	seen := map[string]bool{}
	for i, st := range steps {
		steps[i].Text = tmpPathRE.ReplaceAllString(st.Text, tmp+"/$1")
		for _, a := range loopbackRE.FindAllString(st.Text, -1) {
			if !seen[a] && a != "127.0.0.1" {
				seen[a] = true
				addrs = append(addrs, a)
			}
		}
	}
	sort.Strings(addrs)
	for _, a := range addrs {
		lab.Hold(t, a)
	}
	onLo := loAddrs(t)
	defer func() {
		for _, a := range addrs {
			if !onLo[a] && loAddrs(t)[a] {
				t.Logf("removing %s/32 from lo, which the section left there", a)
				_ = exec.Command("ip", "addr", "del", a+"/32", "dev", "lo").Run()
			}
		}
	}()
	runs := map[int]bool{} // by line: the steps that run
	for _, st := range steps {
		switch {
		case word(st.Command, 0) == "apt-get":
			checkInstalled(t, st)
		case word(st.Command, 0) == "go" && word(st.Command, 1) == "test":
		default:
			runs[st.Line] = true
		}
	}
	run := func(st Step) bool { return runs[st.Line] }
	out := filepath.Join(tmp, fmt.Sprintf("out-%d", steps[0].Line))
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	script := Script(steps, run)
	if err := os.WriteFile(filepath.Join(out, "script.sh"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(out, "script.sh"))
	cmd.Dir = repo
	cmd.Env = append(env, "README_TEST_OUT="+out)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = 10 * time.Second
	start := time.Now()
	err := cmd.Run()
	if cmd.Process != nil {
		// Whatever the section left running (its servers, when a step
		// failed before the README stops them).
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		time.Sleep(200 * time.Millisecond)
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	t.Logf("ran %d steps in %.0f s", len(steps), time.Since(start).Seconds())
	if err != nil {
		t.Fatalf("bash: %v (%s)\n%s", err, ctx.Err(), log.String())
	}

	codes := map[int]int{}
	status, _ := os.ReadFile(filepath.Join(out, "status"))
	for _, l := range strings.Split(strings.TrimSpace(string(status)), "\n") {
		var i, c int
		if _, err := fmt.Sscan(l, &i, &c); err == nil {
			codes[i] = c
		}
	}
	ran := 0
	for i, st := range steps {
		if !run(st) {
			continue
		}
		ran++
		output, _ := os.ReadFile(filepath.Join(out, strconv.Itoa(i)))
		code, ok := codes[i]
		switch {
		case !ok:
			t.Errorf("README.md:%d: %s\n  did not run (the session ended before it)", st.Line, st.Command)
		case code != st.Exit:
			t.Errorf("README.md:%d: %s\n  exit %d, the README says %d; its output:\n%s", st.Line, st.Command, code, st.Exit, tail(output, 25))
		default:
			for _, want := range st.Output {
				if !bytes.Contains(output, []byte(want)) {
					t.Errorf("README.md:%d: %s\n  does not print %q, as the README says; its output:\n%s", st.Line, st.Command, want, tail(output, 25))
				}
			}
		}
	}
	return ran
}

// checkInstalled stands for an apt-get step: every package it would install
// is installed.
func checkInstalled(t *testing.T, st Step) {
	t.Helper()
	fields := strings.Fields(strings.ReplaceAll(st.Text, "\\\n", " "))
	install := false
	for _, f := range fields {
		switch {
		case f == "install":
			install = true
		case f == "&&" || f == ";" || f == "apt-get" || strings.HasPrefix(f, "-") || strings.HasPrefix(f, "#"):
			if strings.HasPrefix(f, "#") {
				return
			}
		case install:
			out, err := exec.Command("dpkg-query", "-W", "-f=${Status}", f).Output()
			if err != nil || !strings.Contains(string(out), "install ok installed") {
				t.Errorf("README.md:%d: package %s, which the README installs, is not installed here", st.Line, f)
			}
		}
	}
	if !install {
		t.Errorf("README.md:%d: an apt-get step that installs nothing: %s", st.Line, st.Command)
	}
}

// loAddrs are the IPv4 addresses on lo.
func loAddrs(t *testing.T) map[string]bool {
	out, err := exec.Command("ip", "-4", "-o", "addr", "show", "dev", "lo").Output()
	if err != nil {
		t.Logf("ip addr show dev lo: %v", err)
	}
	m := map[string]bool{}
	for _, a := range loopbackRE.FindAllString(string(out), -1) {
		m[a] = true
	}
	return m
}

// copyRepo copies the repository's files (tracked, and untracked but not
// ignored) to dst, a git repository of its own, so that nothing the README
// runs changes the working tree.
func copyRepo(t *testing.T, root, dst string) string {
	t.Helper()
	out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	for _, f := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, f)
		st, err := os.Lstat(src)
		if err != nil || !st.Mode().IsRegular() {
			continue // deleted in the working tree, or a symlink
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dst, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("git", "-C", dst, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	return dst
}

// word is the n-th word of a command line.
func word(cmd string, n int) string {
	f := strings.Fields(cmd)
	if n < len(f) {
		return f[n]
	}
	return ""
}

func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"    ..."}, lines[len(lines)-n:]...)
	}
	return "    " + strings.Join(lines, "\n    ")
}
