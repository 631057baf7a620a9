package dnssec

import (
	"context"
	"fmt"
	"time"

	"github.com/miekg/dns"
)

// defaultTimeout bounds one exchange when Input.Timeout is zero.
const defaultTimeout = 3 * time.Second

// asker sends DO=1 questions straight to one server address (never the
// system resolver), retrying over TCP when the UDP answer is truncated.
type asker struct {
	timeout time.Duration
}

// ask sends name/qtype to addr with the DO bit and RD clear.
func (a asker) ask(ctx context.Context, addr, name string, qtype uint16) (*dns.Msg, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), qtype)
	m.RecursionDesired = false
	m.SetEdns0(1232, true)
	timeout := a.timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	r, err := a.exchange(ctx, "udp", addr, m, timeout)
	if err == nil && r.Truncated {
		r, err = a.exchange(ctx, "tcp", addr, m, timeout)
	}
	if err != nil {
		return nil, fmt.Errorf("ask %s %s %s: %w", addr, name, dns.TypeToString[qtype], err)
	}
	if r.Id != m.Id || len(r.Question) != 1 || !equalName(r.Question[0].Name, m.Question[0].Name) || r.Question[0].Qtype != qtype {
		return nil, fmt.Errorf("ask %s %s %s: the answer does not match the question", addr, name, dns.TypeToString[qtype])
	}
	return r, nil
}

func (a asker) exchange(ctx context.Context, network, addr string, m *dns.Msg, timeout time.Duration) (*dns.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := &dns.Client{Net: network, Timeout: timeout, UDPSize: 1232}
	r, _, err := c.ExchangeContext(ctx, m, addr)
	if err != nil {
		return nil, fmt.Errorf("over %s: %w", network, err)
	}
	return r, nil
}
