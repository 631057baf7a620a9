// Package addrlock is the pool of loopback addresses each lab takes its
// servers' addresses from, internal/lab (127.53.0.0/16) and
// internal/lab/inproc (127.54.0.0/16), and the lock of one address: an
// flock on a lock file of that address, held by one process at a time and
// dropped by the kernel when the process dies, so that parallel test
// processes never share an address. It imports nothing of either lab.
package addrlock

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// PoolSize is how many addresses a pool has: 127.N.0.1 to 127.N.255.254,
// no .0 or .255 in any /24.
const PoolSize = 256 * 254

// PoolAddr is address i (0 <= i < PoolSize) of the pool 127.N.0.0/16.
func PoolAddr(n, i int) string { return fmt.Sprintf("127.%d.%d.%d", n, i/254, i%254+1) }

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
