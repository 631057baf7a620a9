package shard

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseExpect reads the value of --expect N: how many shards the matrix
// had, 0 for the N the reports name, at most Max. A value that is not a
// whole number, or is out of range, is an error naming it.
func ParseExpect(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		return 0, fmt.Errorf("--expect %q: not a whole number of shards (want 1 to %d)", v, Max)
	}
	return n, CheckExpect(n)
}

// CheckExpect refuses an --expect N out of range (0 stands for "the N the
// reports name").
func CheckExpect(n int) error {
	if n < 0 || n > Max {
		return fmt.Errorf("--expect %d: want 1 to %d", n, Max)
	}
	return nil
}
