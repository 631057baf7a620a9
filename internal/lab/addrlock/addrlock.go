// Package addrlock is the lock of one loopback address that both labs
// take, internal/lab (127.53.0.0/16) and internal/lab/inproc (127.54.0.0/16):
// an flock on a lock file of that address, held by one process at a time
// and dropped by the kernel when the process dies, so that parallel test
// processes never share an address. It imports nothing of either lab.
package addrlock

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrLocked is Take's error when another holder has the lock.
var ErrLocked = errors.New("address locked by another test")

// Take locks the file at path (made when missing) without waiting;
// ErrLocked when another holder has it. Release gives it back.
func Take(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f, nil
}

// Release unlocks and closes a file Take locked.
func Release(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	f.Close()
}
