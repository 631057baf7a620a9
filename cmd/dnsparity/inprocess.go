package main

import (
	"context"

	"github.com/dnsparity/dnsparity/internal/cli"
)

// inProcess runs this binary's commands in-process for the programs built
// on them (the Action, the demo): cli.Runner.
type inProcess struct{}

func (inProcess) Run(ctx context.Context, args []string, io cli.IO) int {
	sub := &app{stdout: io.Stdout, stderr: io.Stderr, getenv: io.Getenv, jsonOut: io.JSON, redact: io.Redact, masked: io.Masked, configs: io.Configs}
	return sub.main(ctx, args)
}

func (inProcess) Has(name string) bool {
	for _, c := range commands() {
		if c.name == name {
			return true
		}
	}
	return false
}
