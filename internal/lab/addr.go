package lab

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/dnsparity/dnsparity/internal/lab/addrlock"
)

// pool is the lab's addresses, 127.53.0.0/16, with one lock file per
// reserved address under os.TempDir()/dnsparity-lab.
var pool = addrlock.Pool{Net: 53, Dir: "dnsparity-lab"}

// Addr reserves a loopback address in 127.53.0.0/16 that no other test (in
// this process or another one) holds, and releases it in Cleanup. The
// reservation is an flock on pool.LockDir()/IP.lock, held while the test runs;
// the kernel drops it when the process dies. An address whose port 53 (UDP
// or TCP) or 8081 is taken, e.g. by a leftover server, is passed over.
func Addr(t T) string {
	t.Helper()
	ip, release, err := reserve()
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	t.Cleanup(release)
	return ip
}

// AddrOtherNet is Addr, in a /24 none of the given addresses is in: for
// servers that must be in different networks (RFC 2182 §3.1, the
// delegation gate's ns-diversity check).
func AddrOtherNet(t T, others ...string) string {
	t.Helper()
	nets := map[string]bool{}
	for _, o := range others {
		if ip := net.ParseIP(o).To4(); ip != nil {
			nets[ip.Mask(net.CIDRMask(24, 32)).String()] = true
		}
	}
	return AddrWhere(t, func(ip string) bool { return !nets[net.ParseIP(ip).Mask(net.CIDRMask(24, 32)).String()] })
}

// AddrWhere is Addr, the first free address ok accepts.
func AddrWhere(t T, ok func(ip string) bool) string {
	t.Helper()
	ip, release, err := reserveWhere(ok)
	if err != nil {
		t.Fatalf("lab: %v", err)
	}
	t.Cleanup(release)
	return ip
}

// reserve takes the first free address of the pool, so that the same few
// lock files are reused.
func reserve() (string, func(), error) { return reserveWhere(nil) }

// reserveWhere takes the first free address of the pool that ok accepts.
func reserveWhere(ok func(ip string) bool) (string, func(), error) {
	var got string
	var held *os.File
	var lastErr error
	err := pool.Walk(0, ok, func(ip string, f *os.File) (keep, done bool) {
		if err := portsFree(ip); err != nil {
			lastErr = err
			return false, false
		}
		got, held = ip, f
		return true, true
	})
	if err != nil {
		return "", nil, err
	}
	if held == nil {
		return "", nil, fmt.Errorf("reserve address: no free address in 127.53.0.0/16 (last: %v)", lastErr)
	}
	return got, owned(held), nil
}

// lockAddr takes the lock file of ip without waiting (addrlock.ErrLocked
// when another holder has it).
func lockAddr(ip string) (func(), error) {
	f, err := pool.Lock(ip, false)
	if err != nil {
		return nil, err
	}
	return owned(f), nil
}

// owned writes this process's id into a lock file it holds (for whoever
// looks at who holds an address) and is its release.
func owned(f *os.File) func() {
	_ = f.Truncate(0)
	_, _ = fmt.Fprintf(f, "%d\n", os.Getpid())
	return func() { addrlock.Release(f) }
}

// portsFree checks that nothing listens on ip port 53 (UDP, TCP) or 8081 (TCP).
func portsFree(ip string) error {
	u, err := net.ListenPacket("udp4", net.JoinHostPort(ip, "53"))
	if err != nil {
		return fmt.Errorf("%s udp/53: %w", ip, err)
	}
	u.Close()
	for _, port := range []string{"53", "8081"} {
		l, err := net.Listen("tcp4", net.JoinHostPort(ip, port))
		if err != nil {
			return fmt.Errorf("%s tcp/%s: %w", ip, port, err)
		}
		l.Close()
	}
	return nil
}

// addToLo puts ip/32 on lo (BIND listens only on interface addresses) and
// removes it in Cleanup, unless it was there already.
func addToLo(t T, ip string) {
	t.Helper()
	err := runErr("ip", "addr", "add", ip+"/32", "dev", "lo")
	if err != nil {
		if strings.Contains(err.Error(), "File exists") || strings.Contains(err.Error(), "already assigned") {
			return
		}
		t.Fatalf("lab: %v", err)
	}
	t.Cleanup(func() {
		if err := runErr("ip", "addr", "del", ip+"/32", "dev", "lo"); err != nil {
			t.Logf("lab: %v", err)
		}
	})
}

// Unroutable reserves an IPv6 documentation address (2001:db8:53::N, RFC
// 3849) that this machine cannot send to at all: a policy rule `ip -6 rule
// add to ADDR/128 unreachable` makes the kernel refuse every packet to it
// with ENETUNREACH at connect or send, as a machine without IPv6 (a
// GitHub-hosted runner) refuses every IPv6 address, whatever routes the
// host has; nothing leaves the machine. The reservation is an flock like
// Addr's; the rule is removed in Cleanup. The test fails when the kernel
// still has a route to the address.
func Unroutable(t T) string {
	t.Helper()
	for i := 1; i < 0xffff; i++ {
		ip := fmt.Sprintf("2001:db8:53::%x", i)
		release, err := lockAddr(ip)
		if errors.Is(err, addrlock.ErrLocked) {
			continue
		}
		if err != nil {
			t.Fatalf("lab: %v", err)
		}
		t.Cleanup(release)
		rule := []string{"-6", "rule", "add", "to", ip + "/128", "unreachable"}
		if err := runErr("ip", rule...); err != nil && !strings.Contains(err.Error(), "File exists") {
			t.Fatalf("lab: %v", err)
		}
		t.Cleanup(func() {
			rule[2] = "del"
			if err := runErr("ip", rule...); err != nil {
				t.Logf("lab: %v", err)
			}
		})
		c, err := net.Dial("udp", net.JoinHostPort(ip, "53"))
		if err == nil {
			c.Close()
			t.Fatalf("lab: %s is still routable after ip %s", ip, strings.Join(rule, " "))
		}
		if !errors.Is(err, syscall.ENETUNREACH) {
			t.Fatalf("lab: %s: want ENETUNREACH, got %v", ip, err)
		}
		return ip
	}
	t.Fatalf("lab: no free address in 2001:db8:53::/112")
	return ""
}

// PortV6 is a port on [::1], the IPv6 loopback address, that nothing
// listens on over UDP or TCP: a server there (Options{IP: "::1", Port:
// PortV6(t)}) is one at an address outside 127.0.0.0/8 that this machine
// reaches (the lab's IPv6-only world, or a server at an address that is
// not globally reachable under a parent on 127.53.x.y).
func PortV6(t T) int {
	t.Helper()
	for i := 0; i < 20; i++ {
		u, err := net.ListenPacket("udp6", "[::1]:0")
		if err != nil {
			t.Fatalf("lab: %v", err)
		}
		port := u.LocalAddr().(*net.UDPAddr).Port
		l, err := net.Listen("tcp6", fmt.Sprintf("[::1]:%d", port))
		u.Close()
		if err != nil {
			continue
		}
		l.Close()
		return port
	}
	t.Fatalf("lab: no free port on [::1]")
	return 0
}

// PortWildcard is a port free for a wildcard server socket (0.0.0.0 and
// [::], UDP and TCP: UnboundOptions.Wildcard), chosen below the kernel's
// ephemeral range (/proc/sys/net/ipv4/ip_local_port_range): a wildcard
// bind fails on a port any socket holds at any address, and PortV6's
// ports are ephemeral ones, which the client sockets of every query on
// the machine (other test processes' too) are given at random; in CI one
// took the port between PortV6 and Unbound's bind ("Address already in
// use for 0.0.0.0"). Below that range only a server binding it on
// purpose can.
func PortWildcard(t T) int {
	t.Helper()
	low := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > 11000 {
				low = n
			}
		}
	}
	for i := 0; i < 50; i++ {
		port := 10000 + rand.IntN(low-10000)
		if wildcardFree(port) {
			return port
		}
	}
	t.Fatalf("lab: no port free on every address below %d", low)
	return 0
}

// wildcardFree: port can be bound on every address, UDP and TCP, v4 and
// v6.
func wildcardFree(port int) bool {
	for _, n := range []string{"udp4", "udp6", "tcp4", "tcp6"} {
		host := "0.0.0.0"
		if strings.HasSuffix(n, "6") {
			host = "::"
		}
		addr := net.JoinHostPort(host, strconv.Itoa(port))
		var c interface{ Close() error }
		var err error
		if strings.HasPrefix(n, "udp") {
			c, err = net.ListenPacket(n, addr)
		} else {
			c, err = net.Listen(n, addr)
		}
		if err != nil {
			return false
		}
		c.Close()
	}
	return true
}

// NotOnLo: ip is not an address of the loopback interface (BIND's, added
// by addToLo, or one a crashed test left). The kernel sends to an address
// on lo from that address itself, and to any other 127/8 address from
// 127.0.0.1: what a wildcard server answers from (UnboundOptions.Wildcard)
// depends on it.
func NotOnLo(ip string) bool {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		return false
	}
	addrs, err := lo.Addrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(net.ParseIP(ip)) {
			return false
		}
	}
	return true
}
