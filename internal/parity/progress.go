package parity

import (
	"sync"
	"time"

	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/query"
)

// answered reports whether a is an answer that came back (not a question
// left when the run was interrupted).
func answered(a *query.Answer) bool { return a != nil && a.Err != query.ErrCanceled }

// anyCanceled reports whether a question was left unasked because the
// context ended (or would end before the rate limit allowed it).
func (r *runner) anyCanceled() bool {
	for si := range r.servers {
		for _, a := range r.res[si] {
			if a == nil || a.Err == query.ErrCanceled {
				return true
			}
		}
	}
	return false
}

// keepAnswered drops the questions some server has no answer to (after an
// interruption) and returns how many are left.
func (r *runner) keepAnswered() int {
	n := 0
	var cased map[int]string // the replayed names' spellings, renumbered
	if r.cased != nil {
		cased = map[int]string{}
	}
	to := make([]int, len(r.qs)) // each question's new index (-1: left out)
	for qi := range r.qs {
		all := true
		for si := range r.servers {
			all = all && answered(r.res[si][qi])
		}
		to[qi] = -1
		if !all {
			continue
		}
		to[qi] = n
		r.qs[n] = r.qs[qi]
		for si := range r.servers {
			r.res[si][n] = r.res[si][qi]
		}
		if name, ok := r.cased[qi]; ok {
			cased[n] = name
		}
		n++
	}
	r.qs, r.cased = r.qs[:n], cased
	for si := range r.servers {
		r.res[si] = r.res[si][:n]
	}
	r.over.renumber(to)
	return n
}

// startProgress shows the run's progress on Options.Progress (nil:
// none): a task for the zone's questions (its name the zone's, total
// questions × servers, in answers), then one for each stage after them
// (setStage). The workers count their answers in an atomic counter,
// never taking a lock; a ticker reads it every ProgressEvery (default a
// second, what a progress line shows at most: a knob for tests) into the
// task under way. stop ends it (once; later calls do nothing, and no
// stage starts after it), with the run's error when it failed
// (progress.End).
func (r *runner) startProgress() (stop func(error)) {
	if r.opts.Progress == nil {
		return func(error) {}
	}
	every := r.opts.ProgressEvery
	if every <= 0 {
		every = time.Second
	}
	// The run's questions, counted once: an interrupted run keeps only
	// those every server answered (keepAnswered), which is not what the
	// answers so far were counted against. (The ticker starts after
	// this: no lock needed.)
	r.task = progress.StartUnits(r.opts.Progress, r.z.Origin, len(r.qs)*len(r.servers), "answers")
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				r.progMu.Lock()
				r.task.Update(int(r.answered.Load()))
				r.progMu.Unlock()
			}
		}
	}()
	var once sync.Once
	return func(err error) {
		once.Do(func() {
			close(done)
			<-finished
			r.progMu.Lock()
			defer r.progMu.Unlock()
			r.task.Update(int(r.answered.Load()))
			progress.End(r.task, err)
			r.task = nil // setStage after it starts nothing, stops nothing twice
		})
	}
}

// setStage starts a stage of the run after the zone's questions (the
// client subnets' probes: name, its questions and the servers asked):
// its answers are counted from 0, and the progress ends the task under
// way and shows the stage as a task of its own ("ZONE: NAME").
func (r *runner) setStage(name string, questions, servers int) {
	r.progMu.Lock()
	defer r.progMu.Unlock()
	if r.task != nil {
		r.task.Update(int(r.answered.Load()))
		r.task.Stop()
		r.task = progress.StartUnits(r.opts.Progress, r.z.Origin+": "+name, questions*servers, "answers")
	}
	r.answered.Store(0)
}
