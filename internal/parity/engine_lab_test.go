package parity_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityLargeAnswers: an RRset too large for a 1232-octet UDP answer
// comes back truncated; the engine must ask again over TCP and compare the
// whole set (a partial set would differ from git).
func TestParityLargeAnswers(t *testing.T) {
	var b strings.Builder
	b.WriteString(fixture(t))
	for i := range 80 {
		fmt.Fprintf(&b, "big IN TXT \"record %03d with enough text to fill a UDP answer quickly\"\n", i)
	}
	text := b.String()
	z := loadText(t, text)
	for _, pair := range [][2]string{{"knot", "bind"}, {"pdns", "knot"}} {
		t.Run(pair[0]+"-"+pair[1], func(t *testing.T) {
			rep := run(t, z, []string{serve(t, pair[0], text)}, []string{serve(t, pair[1], text)})
			check(t, rep, nil, []string{"big.parity.test."})
		})
	}
}

// TestParityCanceled: a canceled run stops with the context's error (not
// "server does not answer") and leaves no goroutine behind.
func TestParityCanceled(t *testing.T) {
	text := fixture(t)
	z := loadText(t, text)
	addr := serve(t, "knot", text)
	before := runtime.NumGoroutine()
	for _, delay := range []time.Duration{0, time.Millisecond} {
		ctx, cancel := context.WithCancel(context.Background())
		if delay == 0 {
			cancel()
		} else {
			time.AfterFunc(delay, cancel)
		}
		// A slow rate keeps the run going long enough to be canceled.
		_, err := parity.Run(ctx, z, []parity.Target{{Addr: addr}}, []parity.Target{{Addr: addr}},
			parity.Options{Timeout: time.Second, Retries: 1, Rate: 20})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("canceled after %s: err = %v, want context.Canceled", delay, err)
		}
	}
	// Goroutines end when Run returns (allow the runtime a moment).
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after the runs, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
