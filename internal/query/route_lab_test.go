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

// TestNotFromHere: the one decision every gate takes about a configured
// server: asked (""), not asked because the kernel has no route to it, or
// not asked on purpose (IPv6 with noIPv6); a routable IPv4 address is
// asked whatever noIPv6 says.
func TestNotFromHere(t *testing.T) {
	lab.Require(t, "ip")
	ctx := context.Background()
	v6 := net.JoinHostPort(lab.Unroutable(t), "53")
	v4 := net.JoinHostPort(lab.Addr(t), "53")
	for _, tc := range []struct {
		server    string
		noIPv6    bool
		why       string
		onPurpose bool
	}{
		{v4, false, "", false},
		{v4, true, "", false},
		{"[::1]:53", false, "", false},
		{"[::1]:53", true, "IPv6 left out on purpose: policy.delegation.ipv6 is false", true},
		{v6, false, "no route from this machine (network is unreachable)", false},
		{v6, true, "IPv6 left out on purpose: policy.delegation.ipv6 is false", true},
	} {
		why, onPurpose := query.NotFromHere(ctx, tc.server, tc.noIPv6)
		if why != tc.why || onPurpose != tc.onPurpose {
			t.Errorf("NotFromHere(%s, noIPv6 %v) = %q, %v; want %q, %v", tc.server, tc.noIPv6, why, onPurpose, tc.why, tc.onPurpose)
		}
	}
}
