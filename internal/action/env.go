package action

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/report"
)

// mdText escapes text that may hold zone content (or anything not ours)
// for Markdown.
func mdText(s string) string { return report.MarkdownText(s) }

// configPath is the config the commands use: the config input when that
// file exists (relative to the working directory, else the workspace),
// "" to let each command find dnsparity.yaml itself.
func (ac *invocation) configPath() string {
	c := ac.config
	if c == "" {
		c = config.FileName
	}
	if _, err := os.Stat(c); err == nil {
		return c
	}
	if ac.ws != "" && !filepath.IsAbs(c) {
		if p := filepath.Join(ac.ws, c); fileExists(p) {
			return p
		}
	}
	if ac.config != "" && ac.config != config.FileName {
		return ac.config // named but missing: the command says so
	}
	return config.Find(".")
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// maskConfigSecrets masks the value of every environment variable the
// config names (every key ending in _env, in any provider, registrar or
// future section), before any command runs or prints.
func (ac *invocation) maskConfigSecrets() {
	p := ac.configPath()
	if p == "" {
		return
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return // the command reports it
	}
	var root yaml.Node
	if yaml.Unmarshal(b, &root) != nil {
		return
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if strings.HasSuffix(k.Value, "_env") && v.Kind == yaml.ScalarNode {
					ac.r.Mask(ac.getenv(v.Value))
				}
				walk(v)
			}
			return
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&root)
}

// maskingGetenv is getenv for the commands: a variable whose name says it
// holds a secret is masked as it is read.
func (ac *invocation) maskingGetenv(k string) string {
	v := ac.getenv(k)
	if v != "" && secretName(k) {
		ac.r.Mask(v)
	}
	return v
}

func secretName(k string) bool {
	u := strings.ToUpper(k)
	for _, p := range []string{"GITHUB_", "RUNNER_", "INPUT_", "DNSPARITY_"} {
		if strings.HasPrefix(u, p) {
			return strings.Contains(u, "TOKEN")
		}
	}
	for _, s := range []string{"SECRET", "TOKEN", "KEY", "PASSWORD", "PASSWD", "CREDENTIAL", "TSIG"} {
		if strings.Contains(u, s) {
			return true
		}
	}
	return false
}

// subRun is one command run in-process for the Action.
type subRun struct {
	name string
	code int
	out  []byte // stdout (as --format asked)
	js   []byte // the JSON report (cli.IO.JSON), when the command writes one
	errs string // stderr
}

// sub runs a command in-process; its stderr also goes to the log.
func (ac *invocation) sub(ctx context.Context, name string, args ...string) subRun {
	fmt.Fprintf(ac.stderr, "dnsparity action: %s: running %s %s\n", ac.command, name, strings.Join(args, " "))
	var out, js, errs bytes.Buffer
	code := ac.cmds.Run(ctx, append([]string{name}, args...),
		cli.IO{Stdout: &out, Stderr: io.MultiWriter(&errs, github.Guard(ac.stderr)), JSON: &js, Getenv: ac.maskingGetenv})
	return subRun{name: name, code: code, out: out.Bytes(), js: js.Bytes(), errs: errs.String()}
}

// why is the last lines a failed command printed, for the report.
func (s subRun) why() string {
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(s.errs), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return "exit code " + strconv.Itoa(s.code) + ", no message"
	}
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, "; ")
}
