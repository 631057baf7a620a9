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
	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/github"
	"github.com/dnsparity/dnsparity/internal/redact"
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

// repoPath is a file a command's report names, as GitHub wants it (an
// annotation's path, a table's file:line): from the repository's root. A
// command names a zone file relative to its config's folder (as the
// config's zones are written), so a relative one is joined to that folder
// (the config input's, or the one args give with --config).
func (ac *invocation) repoPath(f string) string {
	if f == "" || filepath.IsAbs(f) {
		return ac.r.RelPath(f)
	}
	cfg := ac.configPath()
	if given := argValues(ac.r.Input("args"), "config"); len(given) > 0 {
		cfg = given[len(given)-1]
	}
	if cfg != "" {
		f = filepath.Join(filepath.Dir(cfg), f)
	}
	return ac.r.RelPath(f)
}

// confineConfig refuses a config outside the workspace (the config input
// absolute elsewhere, .. out, a symlink out, under .git): every command
// would read it, and its zone files, from there.
func (ac *invocation) confineConfig() error {
	p := ac.configPath()
	if p == "" || ac.ws == "" {
		return nil
	}
	if _, err := confine.Check(ac.ws, p); err != nil {
		return fmt.Errorf("config input: %w", err)
	}
	return nil
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
	b, err := ac.readConfig(p)
	if err != nil {
		return // the command reports it
	}
	ac.maskConfig(b)
}

// readPlainEnvs sets ac.plain: the variables the config input reads as no
// secret (a TSIG key's name, an id: config.PlainEnvs), which are not
// masked, so that a key named after its zone does not turn the zone's
// name into *** everywhere. None when the config cannot be read or args
// name a config of their own (whose keys may read them as secrets);
// maskConfig takes out of it every variable another config (the base
// branch's, in pr) reads as a secret.
func (ac *invocation) readPlainEnvs() {
	ac.plain = nil
	p := ac.configPath()
	if p == "" || len(argValues(ac.r.Input("args"), "config")) > 0 {
		return
	}
	b, err := ac.readConfig(p)
	if err != nil {
		return
	}
	names, err := config.PlainEnvs(b)
	if err != nil {
		return
	}
	ac.plain = map[string]bool{}
	for _, n := range names {
		ac.plain[n] = true
	}
}

// readConfig reads the config's text, a file inside the workspace (the
// pull request's checkout decides what it is: a symlink out of it, or a
// FIFO that would block the read, is refused before it is opened).
func (ac *invocation) readConfig(p string) ([]byte, error) {
	return ac.configs.Read(ac.root(p), p)
}

// root is the repository the config at p is confined to: the workspace,
// else the repository holding p (confine.Root).
func (ac *invocation) root(p string) string {
	if ac.ws != "" {
		return ac.ws
	}
	return confine.Root(filepath.Dir(p))
}

// maskConfig masks what the *_env keys of a config's text name, and the
// credentials a URL in it carries (https://user:password@host/: a secret
// written in the file by mistake, config.URLCredentialsOf, read from the
// tree parsed here). A variable this config and the config input both
// read as no secret (ac.plain: a TSIG key's name) is not masked; any
// other one is, and is no longer plain.
func (ac *invocation) maskConfig(b []byte) {
	var root yaml.Node
	if yaml.Unmarshal(b, &root) != nil {
		ac.plain = nil
		return
	}
	here := map[string]bool{}
	if names, err := config.PlainEnvs(b); err == nil {
		for _, n := range names {
			here[n] = true
		}
	}
	for _, c := range config.URLCredentialsOf(&root) {
		ac.r.Mask(c)
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if strings.HasSuffix(k.Value, "_env") && v.Kind == yaml.ScalarNode {
					if !here[v.Value] || !ac.plain[v.Value] {
						ac.maskEnv(v.Value)
						delete(ac.plain, v.Value)
					}
					if config.ShownEnvName(v.Value) == "" {
						// Not written as a variable's name: it may be
						// the secret itself, pasted in its place.
						ac.r.Mask(v.Value)
					}
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

// maskEnvironment masks every variable of the environment whose name says
// it holds a secret (also those no command reads through getenv), and the
// well-known ones by name when the environment cannot be listed.
func (ac *invocation) maskEnvironment(environ func() []string) {
	names := []string{"GITHUB_TOKEN", "INPUT_GITHUB-TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
		"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}
	if environ != nil {
		for _, kv := range environ() {
			if k, _, ok := strings.Cut(kv, "="); ok {
				names = append(names, k)
			}
		}
	}
	for _, k := range names {
		if secretName(k) && !ac.plain[k] {
			ac.maskEnv(k)
		}
	}
}

// maskEnv masks the value of the variable k before anything runs, and
// keeps it by name for the commands (cli.IO.Masked): each refuses one
// that stands in what it shows anyway (config.Config.Mask).
func (ac *invocation) maskEnv(k string) {
	v := ac.getenv(k)
	ac.r.Mask(v)
	if v != "" {
		if ac.masked == nil {
			ac.masked = map[string]string{}
		}
		ac.masked[k] = v
	}
}

// maskingGetenv is getenv for the commands: every variable they read that
// may hold a secret (cli.HoldsSecret) is masked as it is read. The config
// a command loads need not be the config input, whose variables
// maskConfigSecrets masked: args may give --config, and its variables'
// names need not say they hold a secret.
func (ac *invocation) maskingGetenv(k string) string {
	v := ac.getenv(k)
	if v != "" && cli.HoldsSecret(k) && !ac.plain[k] {
		ac.r.Mask(v)
	}
	return v
}

// secretName: the variable's name says it holds a secret. A name ending
// in _NAME holds a name (OLD_TSIG_NAME: a TSIG key's, often the zone's
// own), not a secret; a command that reads it still masks it unless the
// config reads it as no secret (maskingGetenv, ac.plain).
func secretName(k string) bool {
	u := strings.ToUpper(k)
	if strings.HasSuffix(u, "_NAME") {
		return false // a name (OLD_TSIG_NAME), not the secret it names
	}
	if strings.HasPrefix(u, "ACTIONS_") && strings.HasSuffix(u, "_URL") {
		// The runner's endpoints (ACTIONS_ID_TOKEN_REQUEST_URL, on
		// *.actions.githubusercontent.com, beside its secret
		// ACTIONS_ID_TOKEN_REQUEST_TOKEN): addresses, not secrets. Taken
		// for one, 12 characters of it in a zone (a CNAME under
		// githubusercontent.com) refused the run.
		return false
	}
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

// sub runs a command in-process; its stderr also goes to the log (secrets
// taken out, through Guard). What it printed is redacted before anything
// reads, escapes or writes it.
func (ac *invocation) sub(ctx context.Context, name string, args ...string) subRun {
	var out bytes.Buffer
	r := ac.subTo(ctx, name, &out, args...)
	r.out = ac.alias.apply(ac.r.Secrets().ReplaceBytes(out.Bytes()))
	return r
}

// subTo is sub with the command's stdout written to out (what reads it
// takes the secrets out of what it keeps: redacted), its JSON report
// held as sub holds it.
func (ac *invocation) subTo(ctx context.Context, name string, out io.Writer, args ...string) subRun {
	var js bytes.Buffer
	r := ac.run(ctx, name, out, &js, args...)
	r.js = ac.alias.apply(ac.r.Secrets().ReplaceBytes(js.Bytes()))
	return r
}

// run runs a command in-process, its stdout to out and its JSON report to
// js (nil: none); its stderr also goes to the log (secrets taken out,
// through Guard) and, redacted, to the subRun.
func (ac *invocation) run(ctx context.Context, name string, out, js io.Writer, args ...string) subRun {
	ac.logf("dnsparity action: %s: running %s %s\n", ac.command, name, strings.Join(args, " "))
	var errs bytes.Buffer
	log := redact.NewWriter(ac.r.Secrets(), github.Guard(ac.stderr))
	// Secrets a command learns as it runs (credentials an exchange
	// returns) are added to the run's set, and so masked too.
	ctx = redact.WithSecrets(ctx, ac.r.Secrets())
	code := ac.cmds.Run(ctx, append([]string{name}, args...),
		cli.IO{Stdout: out, Stderr: io.MultiWriter(&errs, log), JSON: js, Getenv: ac.maskingGetenv, Redact: ac.r.Redact, Masked: ac.masked, Configs: ac.configs})
	log.Flush()
	return subRun{name: name, code: code, errs: string(ac.alias.apply([]byte(ac.r.Secrets().Replace(errs.String()))))}
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
