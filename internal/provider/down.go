package provider

import (
	"errors"
	"net"
	"os"
	"syscall"
)

// Down says whether err means the provider did not answer at all: it
// could not be reached (ErrUnavailable, a refused or reset connection, no
// route), a request timed out, or its API answered a server error (5xx,
// from an error with an HTTPStatus method). Credentials refused, a zone
// missing, a conflict or a request the provider turned down are answers:
// not Down. After an emergency flip, push tries the old provider last and
// calls it "still down" when Down (push.Steps).
func Down(err error) bool {
	if err == nil || errors.Is(err, ErrAuth) || errors.Is(err, ErrConflict) || errors.Is(err, ErrZoneNotFound) {
		return false
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	for _, e := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EHOSTUNREACH, syscall.ENETUNREACH} {
		if errors.Is(err, e) {
			return true
		}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var st interface{ HTTPStatus() int }
	return errors.As(err, &st) && st.HTTPStatus() >= 500
}
