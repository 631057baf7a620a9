// Package cli is how programs built on dnsparity's commands (the GitHub
// Action, the demo) run them: in-process, through the entry point the
// binary hands them, with the same flags, exit codes and JSON reports as on
// the command line. Those programs cannot import the binary's package main;
// the binary gives them a Runner instead, so every report they read goes
// through the commands' JSON contract (docs/ARCHITECTURE.md).
package cli

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/redact"
)

// Exit codes of every command: 0 success (parity holds, nothing to do),
// 1 problems found or refused, 2 could not run.
const (
	ExitOK      = 0
	ExitProblem = 1
	ExitError   = 2
)

// IO is what one command run reads and writes.
type IO struct {
	Stdout, Stderr io.Writer
	// JSON, when set, also receives the command's JSON report whatever
	// --format says (check, plan, push, parity, status, flip, rollback,
	// finish).
	JSON io.Writer
	// Getenv reads the environment (secrets by the names the config
	// gives).
	Getenv func(string) string
	// Redact, when set, takes every secret the caller knows out of a text
	// (the Action's redact.Secrets): the commands apply it to what they
	// write themselves outside these writers (the audit trail).
	Redact func(string) string
	// Masked are the values the caller masks in all a command shows (the
	// Action's: every variable whose name says it holds a secret), by
	// variable name. Each command that loads a config takes them as
	// secrets it read (config.Config.Mask): one that stands in the
	// config's public text or in the records of a zone it loads is
	// refused, as the config's own secrets are; no caller checks them
	// again.
	Masked map[string]string
	// Configs reads every config a command loads (nil: each load reads
	// the file): the caller's, which read it first (the Action masks
	// what its variables hold), so that the command loads those bytes,
	// not the file read again.
	Configs *config.Loads
}

// HoldsSecret reports whether a variable the commands read through
// IO.Getenv may hold a secret: every one but those that say who runs the
// command (GITHUB_ACTOR, USER: the audit trail's actor), check's GC
// target (GOGC) and the Go runtime's settings (GODEBUG, which every
// command that reads secrets checks for http2debug). The commands read no
// other variable than those a config
// names (its *_env keys: secrets, ids, key names), and the config a
// command loads is whichever its flags name.
func HoldsSecret(name string) bool {
	switch name {
	case "GITHUB_ACTOR", "USER", "GOGC", "GODEBUG":
		return false
	}
	return true
}

// Runner runs dnsparity's commands in-process.
type Runner interface {
	// Run runs "dnsparity ARGS..." and returns its exit code.
	Run(ctx context.Context, args []string, io IO) int
	// Has reports whether this build has the command name.
	Has(name string) bool
}

// HTTP2Debug refuses a run of a command that reads secrets while GODEBUG
// turns on net/http's HTTP/2 debug log (http2debug=1 or 2): that log goes
// to stderr and holds every request's header fields as sent, the API
// keys and tokens among them (Authorization, X-API-Key, x-dnsme-apiKey,
// X-NSONE-Key, the AWS signature), and with 2 the frames' bytes too
// (ClouDNS's form with its auth-password, answers quoting keys), none of
// it through redaction. It cannot be stripped: net/http reads GODEBUG
// once, as the program starts (h2_bundle.go's init), so only a run
// without it is safe. Both the environment the command was given
// (getenv) and this process's own (own: in-process runs, the Action's,
// share the process) count. check, ttl, matrix, merge and version read
// no secret and run anyway (the caller's choice).
func HTTP2Debug(getenv, own func(string) string) error {
	for _, v := range []string{getenv("GODEBUG"), own("GODEBUG")} {
		if set := http2DebugSetting(v); set != "" {
			return fmt.Errorf("GODEBUG holds %s, which makes Go's HTTP/2 client print every request's headers, API keys and tokens among them, to stderr, past every redaction: refused before any secret is read (unset it, or set http2debug=0; check, ttl, matrix and merge run with it)", set)
		}
	}
	return nil
}

// http2DebugSetting is the http2debug setting of a GODEBUG value that
// turns the HTTP/2 debug log on, as it is written ("" when none does):
// net/http looks for "http2debug=1" and "http2debug=2" anywhere in the
// value (strings.Contains), so every http2debug= but a plain 0 counts.
func http2DebugSetting(godebug string) string {
	const key = "http2debug="
	for rest := godebug; ; {
		i := strings.Index(rest, key)
		if i < 0 {
			return ""
		}
		v := rest[i+len(key):]
		if j := strings.IndexByte(v, ','); j >= 0 {
			v = v[:j]
		}
		if v != "0" {
			return redact.Word(key + v)
		}
		rest = rest[i+len(key):]
	}
}

// Last is the last of vs ("" for none).
func Last(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// FlagValues are the values args give the flag name (-name V, --name V,
// --name=V), in order, before "--", read without parsing args.
func FlagValues(args []string, name string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			break
		}
		if !strings.HasPrefix(arg, "-") {
			continue
		}
		n, val, hasVal := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if n != name {
			continue
		}
		if !hasVal {
			if i+1 == len(args) {
				break
			}
			i++
			val = args[i]
		}
		out = append(out, val)
	}
	return out
}

// EnvNames lists the names of environ's variables that hold a value
// (environ: os.Environ's form, NAME=VALUE), sorted, never a value: what
// config.Loads.EnvNames takes, for the near name of a variable a config
// names that is unset. nil when environ is nil.
func EnvNames(environ func() []string) func() []string {
	if environ == nil {
		return nil
	}
	return func() []string {
		var names []string
		for _, kv := range environ() {
			if n, v, ok := strings.Cut(kv, "="); ok && n != "" && v != "" {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		return names
	}
}
