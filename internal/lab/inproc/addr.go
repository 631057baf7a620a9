package inproc

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/lab/addrlock"
)

// Addresses come from 127.54.0.0/16 (the real lab uses 127.53.0.0/16), one
// lock file each under LockDir so that parallel runs never share one.

// LockDir holds one lock file per reserved address.
func LockDir() string { return filepath.Join(os.TempDir(), "dnsparity-inproc") }

// poolAddr is address i of the pool 127.54.0.0/16.
func poolAddr(i int) string { return addrlock.PoolAddr(54, i) }

// reservation is a set of addresses held by this process.
type reservation struct {
	files []*os.File
}

func (r *reservation) release() {
	for _, f := range r.files {
		addrlock.Release(f)
	}
	r.files = nil
}

// choosePort is 53 when this process may bind it (root, or
// CAP_NET_BIND_SERVICE), else a free high port found on probe.
func choosePort(probe string) (int, error) {
	pc, err := net.ListenPacket("udp", net.JoinHostPort(probe, "53"))
	if err == nil {
		pc.Close()
		return 53, nil
	}
	pc, err = net.ListenPacket("udp", net.JoinHostPort(probe, "0"))
	if err != nil {
		return 0, fmt.Errorf("no port to listen on at %s: %w", probe, err)
	}
	defer pc.Close()
	return pc.LocalAddr().(*net.UDPAddr).Port, nil
}

// take reserves n addresses whose port (UDP and TCP) is free; it returns
// them as IP:PORT, each checked by binding it once.
func (r *reservation) take(n, port int) ([]string, error) { return r.takeFrom(n, port, 0) }

// takeFrom is take, from pool index start on.
func (r *reservation) takeFrom(n, port, start int) ([]string, error) {
	if err := os.MkdirAll(LockDir(), 0o777); err != nil {
		return nil, fmt.Errorf("reserve addresses: %w", err)
	}
	_ = os.Chmod(LockDir(), 0o1777) // shared by root and other users (sticky, like /tmp)
	var out []string
	for i := start; i < addrlock.PoolSize && len(out) < n; i++ {
		ip := poolAddr(i)
		f, err := addrlock.Take(filepath.Join(LockDir(), ip+".lock"))
		if errors.Is(err, addrlock.ErrLocked) {
			continue
		}
		if err != nil {
			return nil, err
		}
		_ = f.Chmod(0o666) // whoever comes next, root or not, can lock it too
		addr := net.JoinHostPort(ip, strconv.Itoa(port))
		if !free(addr) {
			addrlock.Release(f)
			continue
		}
		r.files = append(r.files, f)
		out = append(out, addr)
	}
	if len(out) < n {
		return nil, fmt.Errorf("reserve addresses: only %d free of %d needed in 127.54.0.0/16 on port %d", len(out), n, port)
	}
	return out, nil
}

func free(addr string) bool {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return false
	}
	pc.Close()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return false
	}
	l.Close()
	return true
}
