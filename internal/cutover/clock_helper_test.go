package cutover

import (
	"sync"
	"time"
)

// steppingClock is a Config.Now whose every reading is step after the
// one before (the first: from plus step): a step that reads the clock
// twice where it means one instant gets two times step apart, whatever
// the machine's speed, so a test sees it every run, not only when a
// slow run crosses a second boundary.
func steppingClock(from time.Time, step time.Duration) func() time.Time {
	var mu sync.Mutex
	at := from
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		at = at.Add(step)
		return at
	}
}

// splitClock is a Config.Now that reads before for its first n readings
// and after from then on; reads counts them.
type splitClock struct {
	mu            sync.Mutex
	n, reads      int
	before, after time.Time
}

func (s *splitClock) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads++
	if s.reads <= s.n {
		return s.before
	}
	return s.after
}
