// Package progresstest records what long work reports to a
// progress.Progress, for the tests of the work that reports (parity, the
// cutover's gates).
package progresstest

import (
	"slices"
	"sync"

	"github.com/dnsparity/dnsparity/internal/progress"
)

// Recorder is a progress.Progress that keeps every task started on it,
// in order; safe for concurrent use.
type Recorder struct {
	mu    sync.Mutex
	tasks []Task
}

// Task is a task as recorded.
type Task struct {
	Label string
	Total int
	Unit  string // from progress.StartUnits ("" from Start)
	// Updates are the figures Update was given, in order; Late counts
	// those given after Stop.
	Updates []int
	Late    int
	// Stops counts the calls of Stop (1 for a task ended once); Failed:
	// it was ended by progress.End with an error.
	Stops  int
	Failed bool
	// FailedUnits is the last figure progress.Failed gave (units that
	// failed, counted apart from the done).
	FailedUnits int
}

// Last is the last figure the task was given (0: none).
func (t Task) Last() int {
	if len(t.Updates) == 0 {
		return 0
	}
	return t.Updates[len(t.Updates)-1]
}

// Start records a task of total units.
func (r *Recorder) Start(label string, total int) progress.Task {
	return r.StartUnits(label, total, "")
}

// StartUnits records a task of total units named unit.
func (r *Recorder) StartUnits(label string, total int, unit string) progress.Task {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tasks = append(r.tasks, Task{Label: label, Total: total, Unit: unit})
	return &task{r: r, i: len(r.tasks) - 1}
}

// Tasks are the tasks started so far, as they are now (copies).
func (r *Recorder) Tasks() []Task {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.tasks)
	for i := range out {
		out[i].Updates = slices.Clone(out[i].Updates)
	}
	return out
}

// task is the progress.Task of the Recorder's task i.
type task struct {
	r *Recorder
	i int
}

func (t *task) Update(done int) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	rt := &t.r.tasks[t.i]
	rt.Updates = append(rt.Updates, done)
	if rt.Stops > 0 {
		rt.Late++
	}
}

func (t *task) Stop() {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	t.r.tasks[t.i].Stops++
}

// FailedUnits is what progress.Failed calls.
func (t *task) FailedUnits(n int) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	t.r.tasks[t.i].FailedUnits = n
}

// Fail is what progress.End calls before Stop when the work failed.
func (t *task) Fail() {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	t.r.tasks[t.i].Failed = true
}
