package cutover

import (
	"context"
	"time"

	"github.com/miekg/dns"
)

// ask sends one query to server (IP:port): UDP, TCP when the answer is
// truncated, one retry, bounded by ctx and timeout. The few queries of
// status, the gates and the watch go through it (internal/query will
// replace it).
func ask(ctx context.Context, server, name string, qtype uint16, rd bool, timeout time.Duration) (*dns.Msg, error) {
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = rd
	m.SetEdns0(1232, false)
	var lastErr error
	for try := 0; try < 2; try++ {
		c := &dns.Client{Net: "udp", Timeout: timeout}
		r, _, err := c.ExchangeContext(ctx, m, server)
		if err == nil && r.Truncated {
			c.Net = "tcp"
			r, _, err = c.ExchangeContext(ctx, m, server)
		}
		if err == nil {
			return r, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return nil, lastErr
}
