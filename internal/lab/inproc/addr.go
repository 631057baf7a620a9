package inproc

import (
	"fmt"
	"net"
	"os"
	"strconv"

	"github.com/dnsparity/dnsparity/internal/lab/addrlock"
)

// pool: addresses come from 127.54.0.0/16 (the real lab uses
// 127.53.0.0/16), one lock file each under os.TempDir()/dnsparity-inproc
// so that parallel runs never share one; root and other users share it.
var pool = addrlock.Pool{Net: 54, Dir: "dnsparity-inproc", Shared: true}

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
	if n <= 0 {
		return nil, nil
	}
	var out []string
	err := pool.Walk(start, nil, func(ip string, f *os.File) (keep, done bool) {
		addr := net.JoinHostPort(ip, strconv.Itoa(port))
		if !free(addr) {
			return false, false
		}
		r.files = append(r.files, f)
		out = append(out, addr)
		return true, len(out) >= n
	})
	if err != nil {
		return nil, err
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
