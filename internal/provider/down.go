package provider

import (
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
)

// Down says whether err means the provider did not answer at all: it
// could not be reached (ErrUnavailable, a refused or reset connection, no
// route), a request timed out, or its API answered a server error (5xx,
// from an error with an HTTPStatus method, as StatusError, or the AWS
// SDK's HTTPStatusCode). Credentials refused, a zone
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
	if errors.As(err, &st) {
		return st.HTTPStatus() >= 500
	}
	var sdk interface{ HTTPStatusCode() int }
	return errors.As(err, &sdk) && sdk.HTTPStatusCode() >= 500
}

// StatusError is an API's error answer that keeps its HTTP status (for
// Down), worded as the provider words it.
type StatusError struct {
	Status int
	Msg    string
}

func (e *StatusError) Error() string { return e.Msg }

// HTTPStatus is the answer's status.
func (e *StatusError) HTTPStatus() int { return e.Status }

// StatusErrorf is a StatusError with the message format gives.
func StatusErrorf(status int, format string, args ...any) error {
	return &StatusError{Status: status, Msg: fmt.Sprintf(format, args...)}
}
