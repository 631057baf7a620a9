// Package dnssec checks that a delegation's DS records and the keys a side
// serves fit together, so that a flip never breaks validation: the cutover's
// dnssec gate and the ordered plan it prints when the gate fails.
package dnssec

import (
	"context"
	"errors"
	"time"
)

// Input is what the gate looks at.
type Input struct {
	Zone string // absolute
	// DS are the DS records at the parent, RDATA in presentation form
	// ("12345 13 2 ABCD..."); empty when the parent holds none.
	DS    []string
	DSTTL uint32
	// Servers are the nameserver addresses (host:port) of the side the
	// delegation is about to point to; each is asked directly, DO=1.
	Servers []string
	// Sample are owner/type pairs of the zone whose signed answers are
	// verified on every server ("www.example.test." "A").
	Sample  [][2]string
	Timeout time.Duration
	Now     time.Time
}

// Result is the gate's verdict.
type Result struct {
	OK bool `json:"ok"`
	// Situation: "unsigned" (no DS at the parent), "signed-match" (a served
	// DNSKEY matches a DS and verifies), "signed-mismatch".
	Situation string `json:"situation"`
	Detail    string `json:"detail"`
	// Plan is the ordered list of steps to make the flip safe when !OK.
	Plan []string `json:"plan,omitempty"`
}

// ErrNotImplemented is returned until the gate is built.
var ErrNotImplemented = errors.New("dnssec: gate not implemented yet")

// Gate checks in against the servers in.Servers.
func Gate(ctx context.Context, in Input) (Result, error) {
	return Result{}, ErrNotImplemented
}
