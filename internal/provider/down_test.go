package provider

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

// sdkStatus is an error as the AWS SDK's ResponseError shows its status.
type sdkStatus int

func (s sdkStatus) Error() string       { return fmt.Sprintf("status %d", int(s)) }
func (s sdkStatus) HTTPStatusCode() int { return int(s) }

// TestDown: what counts as a provider that did not answer (after an
// emergency flip, the old side is then "not synced", not a failure).
func TestDown(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	timeout := &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}
	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"unavailable", fmt.Errorf("GET /zones: %w: dial tcp: connection refused", ErrUnavailable), true},
		{"connection refused", fmt.Errorf("listing: %w", refused), true},
		{"timeout", fmt.Errorf("listing: %w", timeout), true},
		{"API 503 after tries", fmt.Errorf("zone: %w", StatusErrorf(503, "GET zones: HTTP 503 after 6 tries: busy")), true},
		{"API 500", &StatusError{Status: 500, Msg: "HTTP 500"}, true},
		{"SDK 502", fmt.Errorf("route53: %w", sdkStatus(502)), true},
		{"API 429 after tries", StatusErrorf(429, "HTTP 429 after 6 tries"), false},
		{"API 400", StatusErrorf(400, "HTTP 400: bad record"), false},
		{"SDK 400", sdkStatus(400), false},
		{"credentials refused", AuthError("credentials refused: the API key (HTTP 401)"), false},
		{"unavailable but credentials refused", fmt.Errorf("%w: %w", ErrUnavailable, ErrAuth), false},
		{"conflict", fmt.Errorf("refused: %w", ErrConflict), false},
		{"zone missing", fmt.Errorf("%w (HTTP 404)", ErrZoneNotFound), false},
		{"other", errors.New("bad JSON answer"), false},
	} {
		if got := Down(c.err); got != c.want {
			t.Errorf("%s: Down(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
	if got := StatusErrorf(503, "GET x: HTTP %d after %d tries: %s", 503, 6, "busy").Error(); got != "GET x: HTTP 503 after 6 tries: busy" {
		t.Errorf("StatusErrorf's message: %q", got)
	}
}
