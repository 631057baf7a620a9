package dnssec

import (
	"context"
	"fmt"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// defaultTimeout bounds one exchange when Input.Timeout is zero.
const defaultTimeout = 3 * time.Second

// asker sends DO=1 questions straight to one server address (never the
// system resolver) through the project's query engine: UDP, TCP when the
// answer is truncated, only responses to the question asked.
type asker struct {
	timeout time.Duration
}

// ask sends name/qtype to addr with the DO bit and RD clear.
func (a asker) ask(ctx context.Context, addr, name string, qtype uint16) (*dns.Msg, error) {
	timeout := a.timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	r, err := query.Msg(ctx, addr, name, qtype, query.MsgOptions{Timeout: timeout, Tries: 1, DO: true})
	if err != nil {
		return nil, fmt.Errorf("ask: %w", err)
	}
	return r, nil
}
