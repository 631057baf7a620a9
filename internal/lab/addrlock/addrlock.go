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
	"path/filepath"
	"syscall"
)

// PoolSize is how many addresses a pool has: 127.N.0.1 to 127.N.255.254,
// no .0 or .255 in any /24.
const PoolSize = 256 * 254

// PoolAddr is address i (0 <= i < PoolSize) of the pool 127.N.0.0/16.
func PoolAddr(n, i int) string { return fmt.Sprintf("127.%d.%d.%d", n, i/254, i%254+1) }

// Pool is one lab's pool: the addresses 127.Net.0.0/16 (PoolAddr) and
// one lock file an address, Dir/IP.lock under os.TempDir(). Shared opens
// the folder and the lock files to every user (the folder sticky, like
// /tmp), for a lab run by root and by others in turn.
type Pool struct {
	Net    int
	Dir    string
	Shared bool
}

// LockDir is the folder of p's lock files.
func (p Pool) LockDir() string { return filepath.Join(os.TempDir(), p.Dir) }

// Addr is address i of p (PoolAddr).
func (p Pool) Addr(i int) string { return PoolAddr(p.Net, i) }

// Lock takes the lock file of ip (an address of p or any other address
// the lab reserves) at once, ErrLocked when another holder has it; wait:
// waiting for it instead. Release gives it back.
func (p Pool) Lock(ip string, wait bool) (*os.File, error) {
	if err := p.makeDir(); err != nil {
		return nil, err
	}
	return p.lock(ip, wait)
}

// makeDir makes the folder of p's lock files.
func (p Pool) makeDir() error {
	if err := os.MkdirAll(p.LockDir(), 0o777); err != nil {
		return fmt.Errorf("reserve address: %w", err)
	}
	if p.Shared {
		_ = os.Chmod(p.LockDir(), 0o1777)
	}
	return nil
}

// Path is the lock file of address ip.
func (p Pool) Path(ip string) string { return filepath.Join(p.LockDir(), ip+".lock") }

// lock is Lock, the folder made.
func (p Pool) lock(ip string, wait bool) (*os.File, error) {
	how := syscall.LOCK_EX | syscall.LOCK_NB
	if wait {
		how = syscall.LOCK_EX
	}
	path := p.Path(ip)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, ErrLocked
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if p.Shared {
		_ = f.Chmod(0o666) // whoever comes next, root or not, can lock it too
	}
	return f, nil
}

// Walk offers use, in pool order from index start on, each address ok
// accepts (nil: every one) whose lock it takes at once, with that lock
// (an address another holder has is passed over): use keeps the lock
// (keep; else Walk releases it) and ends the walk (done). An error
// taking a lock other than ErrLocked ends the walk and is returned.
func (p Pool) Walk(start int, ok func(ip string) bool, use func(ip string, f *os.File) (keep, done bool)) error {
	if err := p.makeDir(); err != nil {
		return err
	}
	for i := start; i < PoolSize; i++ {
		ip := p.Addr(i)
		if ok != nil && !ok(ip) {
			continue
		}
		f, err := p.lock(ip, false)
		if errors.Is(err, ErrLocked) {
			continue
		}
		if err != nil {
			return err
		}
		keep, done := use(ip, f)
		if !keep {
			Release(f)
		}
		if done {
			return nil
		}
	}
	return nil
}

// ErrLocked is Lock's error when another holder has the lock.
var ErrLocked = errors.New("address locked by another test")

// Release unlocks and closes a file Lock or Walk locked.
func Release(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	f.Close()
}
