package main

import (
	"io"

	prog "github.com/dnsparity/dnsparity/internal/progress"
)

func isTerminal(w io.Writer) bool { return prog.IsTerminal(w) }
