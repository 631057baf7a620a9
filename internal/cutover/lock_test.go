package cutover

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain lets the test binary hold a zone's lock as another process
// would (DNSPARITY_TEST_HOLD_LOCK=TRAIL): it takes the lock, says so on
// stdout and keeps it until stdin closes.
func TestMain(m *testing.M) {
	if path := os.Getenv("DNSPARITY_TEST_HOLD_LOCK"); path != "" {
		unlock, err := LockZone(context.Background(), path, "example.test.", Holder{Command: "flip", Actor: "bob"}, 5*time.Second, nil)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("locked")
		bufio.NewReader(os.Stdin).ReadString('\n')
		unlock()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestLockZoneProcesses: a lock another process holds makes LockZone wait
// its bound and fail naming that process; it is free again once the
// process ends (the kernel releases an flock, so no stale lock is left).
func TestLockZoneProcesses(t *testing.T) {
	path := TrailPath(t.TempDir(), "example.test.")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "DNSPARITY_TEST_HOLD_LOCK="+path)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "locked" {
		t.Fatalf("helper: %q", line)
	}
	start := time.Now()
	_, err := LockZone(context.Background(), path, "example.test.", Holder{Command: "status", Actor: "carol"}, 400*time.Millisecond, nil)
	var le *LockedError
	if !errors.As(err, &le) || le.Holder.PID != cmd.Process.Pid || le.Holder.Actor != "bob" || le.Holder.Command != "flip" || time.Since(start) < 400*time.Millisecond {
		t.Fatalf("lock held by pid %d: %v after %s", cmd.Process.Pid, err, time.Since(start))
	}
	host, _ := os.Hostname()
	if !strings.Contains(err.Error(), fmt.Sprintf("flip by bob (pid %d on host %s) since ", cmd.Process.Pid, host)) {
		t.Errorf("error: %v", err)
	}
	// The holder dies without unlocking: the lock is free at once.
	cmd.Process.Kill()
	cmd.Wait()
	stdin.Close()
	unlock, err := LockZone(context.Background(), path, "example.test.", Holder{Command: "status", Actor: "carol"}, 2*time.Second, nil)
	if err != nil {
		t.Fatalf("after the holder died: %v", err)
	}
	unlock()
	if _, err := os.Stat(lockPath(path)); err != nil || filepath.Dir(lockPath(path)) != filepath.Dir(path) || !strings.HasPrefix(filepath.Base(lockPath(path)), ".") {
		t.Errorf("lock file %s: %v", lockPath(path), err)
	}
}

// TestTrailAppendRereads: appends from many writers at once, each with a
// trail read before the others wrote, all end up in the file.
func TestTrailAppendRereads(t *testing.T) {
	path := TrailPath(t.TempDir(), "example.test.")
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		tr, err := ReadTrail(path, "example.test.")
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := tr.Append(path, Entry{Time: time.Now(), Command: "push", Actor: fmt.Sprint(i), Result: ResultDone}); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	tr, err := ReadTrail(path, "example.test.")
	if err != nil || len(tr.Entries) != n {
		t.Fatalf("%d entries after %d appends: %v", len(tr.Entries), n, err)
	}
}
