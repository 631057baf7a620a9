// Package cli is how programs built on dnsparity's commands (the GitHub
// Action, the demo) run them: in-process, through the entry point the
// binary hands them, with the same flags, exit codes and JSON reports as on
// the command line. Those programs cannot import the binary's package main;
// the binary gives them a Runner instead, so every report they read goes
// through the commands' JSON contract (docs/ARCHITECTURE.md).
package cli

import (
	"context"
	"io"
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
