package readme

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const doc = "# Title\n" +
	"```sh\n" +
	"go run ./cmd/dnsparity demo   # the demo\n" +
	"```\n" +
	"## Install\n" +
	"<!-- not run by the README test: downloads -->\n" +
	"```sh\n" +
	"curl -fsSLO https://example.net/x\n" +
	"```\n" +
	"```yaml\n" +
	"a: 1\n" +
	"```\n" +
	"## Rehearse\n" +
	"```sh\n" +
	"export A=1 \\\n" +
	"  B=2\n" +
	"cat > f <<EOF   # a here-document\n" +
	"\\$TTL 5\n" +
	"# not a comment: here-document text\n" +
	"EOF\n" +
	"for s in a b; do\n" +
	"  case $s in a) x=1;; b) x=2;; esac\n" +
	"  echo \"done $s\" &\n" +
	"done\n" +
	"\n" +
	"# a comment line\n" +
	"dnsparity flip --zone example.test.   # exit 1: \"refused\", prints \"ttl-prestaged\" and \"the parent untouched\"\n" +
	"echo '# not a comment' \"#nor this\" x#y   # exit 2\n" +
	"```\n"

func TestParse(t *testing.T) {
	secs, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 3 || secs[0].Heading != "" || secs[1].Heading != "Install" || secs[2].Heading != "Rehearse" {
		t.Fatalf("sections: %+v", secs)
	}
	if len(secs[1].Blocks) != 1 || secs[1].Blocks[0].Skip != "downloads" {
		t.Errorf("the skipped block (the yaml block is no sh block): %+v", secs[1].Blocks)
	}
	b := secs[2].Blocks[0]
	var got []string
	for _, s := range b.Steps {
		got = append(got, s.Text)
	}
	want := []string{
		"export A=1 \\\n  B=2",
		"cat > f <<EOF   # a here-document\n\\$TTL 5\n# not a comment: here-document text\nEOF",
		"for s in a b; do\n  case $s in a) x=1;; b) x=2;; esac\n  echo \"done $s\" &\ndone",
		"dnsparity flip --zone example.test.   # exit 1: \"refused\", prints \"ttl-prestaged\" and \"the parent untouched\"",
		"echo '# not a comment' \"#nor this\" x#y   # exit 2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("steps:\n%q\nwant\n%q", got, want)
	}
	flip := b.Steps[3]
	if flip.Line != 27 || flip.Exit != 1 || flip.Command != "dnsparity flip --zone example.test." ||
		!reflect.DeepEqual(flip.Output, []string{"ttl-prestaged", "the parent untouched"}) {
		t.Errorf("flip step: %+v", flip)
	}
	if e := b.Steps[4]; e.Exit != 2 || e.Command != `echo '# not a comment' "#nor this" x#y` {
		t.Errorf("quoted #: %+v", e)
	}
	if s := secs[0].Blocks[0].Steps[0]; s.Exit != 0 || s.Line != 3 {
		t.Errorf("first step: %+v", s)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"```sh\ncat <<EOF\nx\n```\n", "here-document EOF not closed"},
		{"```sh\nfor a in b; do\necho $a\n```\n", "not closed at the end of its block"},
		{"```sh\necho 'open\n```\n", "line 2: a quote"},
		{"```sh\necho a\ndone\n```\n", "closes nothing"},
		{"```sh\necho a\n", "not closed"},
		{"<!-- not run by the README test: -->\n```sh\necho a\n```\n", "needs a reason"},
	} {
		if _, err := Parse(tc.doc); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.doc, err, tc.want)
		}
	}
}

// TestScript runs a generated script with bash: each step's exit code and
// output are recorded, state carries over, a here-document reaches its
// command.
func TestScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	steps, err := Split([]string{
		"X=hello",
		"cat <<EOF",
		"$X from a here-document",
		"EOF",
		"false   # exit 1",
		"echo skipped",
		"for i in 1 2; do",
		"  echo \"$i\"",
		"done; exit_code_is_kept=yes",
		"sh -c 'exit 2'",
	}, 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := Script(steps, func(s Step) bool { return s.Command != "echo skipped" })
	cmd := exec.Command(bash, "-c", script)
	cmd.Env = append(os.Environ(), "README_TEST_OUT="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s\n%s", err, out, script)
	}
	status, _ := os.ReadFile(filepath.Join(dir, "status"))
	if string(status) != "0 0\n1 0\n2 1\n4 0\n5 2\n" {
		t.Errorf("status:\n%s\nscript:\n%s", status, script)
	}
	if out, _ := os.ReadFile(filepath.Join(dir, "1")); string(out) != "hello from a here-document\n" {
		t.Errorf("here-document step printed %q", out)
	}
	if out, _ := os.ReadFile(filepath.Join(dir, "4")); string(out) != "1\n2\n" {
		t.Errorf("loop step printed %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "3")); err == nil {
		t.Errorf("the skipped step ran")
	}
}
