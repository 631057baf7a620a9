package cutover

import (
	"context"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/registrar"
)

// ask sends one query to server (IP:port), UDP with TCP on truncation,
// bounded by ctx and timeout. The few queries of status, the gates and the
// watch go through it.
func ask(ctx context.Context, server, name string, qtype uint16, rd bool, timeout time.Duration) (*dns.Msg, error) {
	return registrar.Exchange(ctx, server, name, qtype, rd, timeout)
}
