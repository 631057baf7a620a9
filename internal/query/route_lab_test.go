package query_test

import (
	"context"
	"errors"
	"net"
	"syscall"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/query"
)

// TestRoute: an address this machine has no route to (lab.Unroutable: the
// kernel answers ENETUNREACH, as on a runner without IPv6) is ErrNoRoute
// with the errno; a loopback address nothing listens on is routable (a
// packet would leave; that nobody answers is the question's business),
// and so is ::1.
func TestRoute(t *testing.T) {
	lab.Require(t, "ip")
	ctx := context.Background()
	v6 := net.JoinHostPort(lab.Unroutable(t), "53")
	err := query.Route(ctx, v6)
	if !errors.Is(err, query.ErrNoRoute) || !errors.Is(err, syscall.ENETUNREACH) {
		t.Fatalf("Route(%s) = %v, want ErrNoRoute and ENETUNREACH", v6, err)
	}
	if got, want := err.Error(), "no route from this machine (network is unreachable)"; got != want {
		t.Errorf("Route(%s): %q, want %q", v6, got, want)
	}
	for _, a := range []string{net.JoinHostPort(lab.Addr(t), "53"), "[::1]:53"} {
		if err := query.Route(ctx, a); err != nil {
			t.Errorf("Route(%s) = %v, want nil (routable)", a, err)
		}
	}
}
