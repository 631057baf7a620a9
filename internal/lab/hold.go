package lab

import (
	"errors"

	"github.com/dnsparity/dnsparity/internal/lab/addrlock"
)

// Hold takes the lock of a fixed loopback address (the same lock files as
// Addr), waiting while another test holds it, and keeps it until the test
// ends: for addresses a document names, such as the README's rehearsal
// (127.0.0.11 to .14), so that two runs of it never share them.
func Hold(t T, ip string) {
	t.Helper()
	f, err := pool.Lock(ip, false)
	if errors.Is(err, addrlock.ErrLocked) {
		t.Logf("lab: %s is held by another test (%s); waiting", ip, pool.Path(ip))
		f, err = pool.Lock(ip, true)
	}
	if err != nil {
		t.Fatalf("lab: hold %s: %v", ip, err)
	}
	t.Cleanup(owned(f))
}
