package lab

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Hold takes the lock of a fixed loopback address (the same lock files as
// Addr), waiting while another test holds it, and keeps it until the test
// ends: for addresses a document names, such as the README's rehearsal
// (127.0.0.11 to .14), so that two runs of it never share them.
func Hold(t T, ip string) {
	t.Helper()
	if err := os.MkdirAll(LockDir(), 0o777); err != nil {
		t.Fatalf("lab: hold %s: %v", ip, err)
	}
	path := filepath.Join(LockDir(), ip+".lock")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		t.Fatalf("lab: hold %s: %v", ip, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Logf("lab: %s is held by another test (%s); waiting", ip, path)
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			t.Fatalf("lab: hold %s: %v", ip, err)
		}
	}
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	t.Cleanup(func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
}
