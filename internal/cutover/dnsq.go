package cutover

import (
	"context"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
)

// ask sends one query to server (IP:port) through the project's query
// engine: UDP, TCP when truncated, one retry, bounded by ctx and timeout.
// The few queries of status, the gates and the watch go through it.
func ask(ctx context.Context, server, name string, qtype uint16, rd bool, timeout time.Duration) (*dns.Msg, error) {
	return query.Msg(ctx, server, name, qtype, query.MsgOptions{Timeout: timeout, RD: rd})
}
