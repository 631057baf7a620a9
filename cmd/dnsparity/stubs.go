package main

import "fmt"

// Commands not built yet. Each is replaced by its own file.

func (a *app) notYet(name string) int {
	fmt.Fprintf(a.stderr, "dnsparity %s: not implemented yet\n", name)
	return exitError
}
