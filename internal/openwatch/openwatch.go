//go:build linux

// Package openwatch is a test kit: which files of a folder a piece of
// code opens, seen by the kernel (inotify IN_OPEN), so that a test can
// hold code to reading only the files it needs (a refusal from the
// arguments alone opens none).
package openwatch

import (
	"bytes"
	"errors"
	"syscall"
	"testing"
	"unsafe"
)

// Watch watches folder (not its subfolders) and returns a function that
// says which files in it were opened since it was last called: the
// kernel queues each event before open(2) returns, so nothing opened is
// missed. The watch ends with the test.
func Watch(t testing.TB, folder string) func() []string {
	t.Helper()
	fd, err := syscall.InotifyInit1(syscall.IN_NONBLOCK | syscall.IN_CLOEXEC)
	if err != nil {
		t.Fatalf("inotify: %v", err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if _, err := syscall.InotifyAddWatch(fd, folder, syscall.IN_OPEN); err != nil {
		t.Fatalf("inotify watch %s: %v", folder, err)
	}
	return func() []string {
		var names []string
		buf := make([]byte, 64<<10)
		for {
			n, err := syscall.Read(fd, buf)
			if errors.Is(err, syscall.EAGAIN) {
				return names
			}
			if err != nil {
				// Errorf: the reader may be called from a subtest of t,
				// where t's FailNow would panic.
				t.Errorf("inotify read: %v", err)
				return names
			}
			for off := 0; off+syscall.SizeofInotifyEvent <= n; {
				ev := (*syscall.InotifyEvent)(unsafe.Pointer(&buf[off]))
				end := off + syscall.SizeofInotifyEvent + int(ev.Len)
				if s := string(bytes.TrimRight(buf[off+syscall.SizeofInotifyEvent:end], "\x00")); s != "" {
					names = append(names, s)
				}
				off = end
			}
		}
	}
}
