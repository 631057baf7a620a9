package push

import "github.com/dnsparity/dnsparity/internal/cli"

const (
	exitOK      = cli.ExitOK
	exitProblem = cli.ExitProblem
	exitError   = cli.ExitError
)
