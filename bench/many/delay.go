package main

import (
	"io"
	"net"
	"sync"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/internal/lab"
)

// delayed puts a relay on a lab address of its own, port 53, in front of
// the DNS server at upstream ("IP:53"): each UDP message and each TCP read
// crosses it d later, each way (a round trip then costs 2d, as across a
// network; the servers and the loopback are as they are). It returns the
// relay's IP; the relay stops when s closes.
func delayed(s *benchrun.Bench, upstream string, d time.Duration) string {
	ip := lab.Addr(s)
	addr := net.JoinHostPort(ip, "53")
	pc, err := net.ListenPacket("udp", addr)
	s.Must(err)
	ln, err := net.Listen("tcp", addr)
	s.Must(err)
	s.Cleanup(func() { pc.Close(); ln.Close() })
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			msg := append([]byte(nil), buf[:n]...)
			go func() {
				time.Sleep(d)
				up, err := net.Dial("udp", upstream)
				if err != nil {
					return
				}
				defer up.Close()
				if _, err := up.Write(msg); err != nil {
					return
				}
				_ = up.SetReadDeadline(time.Now().Add(10 * time.Second))
				resp := make([]byte, 65535)
				n, err := up.Read(resp)
				if err != nil {
					return
				}
				time.Sleep(d)
				_, _ = pc.WriteTo(resp[:n], from)
			}()
		}
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				up, err := net.Dial("tcp", upstream)
				if err != nil {
					return
				}
				defer up.Close()
				var wg sync.WaitGroup
				wg.Go(func() { slowCopy(up, c, d); up.(*net.TCPConn).CloseWrite() })
				slowCopy(c, up, d)
				c.(*net.TCPConn).CloseWrite()
				wg.Wait()
			}()
		}
	}()
	return ip
}

// slowCopy copies from src to dst, each read d later.
func slowCopy(dst io.Writer, src io.Reader, d time.Duration) {
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			time.Sleep(d)
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
