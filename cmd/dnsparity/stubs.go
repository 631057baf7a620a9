package main

import (
	"context"
	"fmt"
)

// Commands not built yet. Each is replaced by its own file.

func runCheck(_ context.Context, a *app, _ []string) int  { return a.notYet("check") }
func runPlan(_ context.Context, a *app, _ []string) int   { return a.notYet("plan") }
func runPush(_ context.Context, a *app, _ []string) int   { return a.notYet("push") }
func runParity(_ context.Context, a *app, _ []string) int { return a.notYet("parity") }

func (a *app) notYet(name string) int {
	fmt.Fprintf(a.stderr, "dnsparity %s: not implemented yet\n", name)
	return exitError
}
