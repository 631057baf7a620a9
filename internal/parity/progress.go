package parity

import (
	"time"

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
	for qi := range r.qs {
		all := true
		for si := range r.servers {
			all = all && answered(r.res[si][qi])
		}
		if !all {
			continue
		}
		r.qs[n] = r.qs[qi]
		for si := range r.servers {
			r.res[si][n] = r.res[si][qi]
		}
		n++
	}
	r.qs = r.qs[:n]
	for si := range r.servers {
		r.res[si] = r.res[si][:n]
	}
	return n
}

// reportProgress calls opts.Progress every ProgressEvery until the
// returned function is called, which reports once more.
func (r *runner) reportProgress(start time.Time) (stop func()) {
	if r.opts.Progress == nil {
		return func() {}
	}
	every := r.opts.ProgressEvery
	if every <= 0 {
		every = 250 * time.Millisecond
	}
	report := func() {
		r.opts.Progress(Progress{Questions: len(r.qs), Servers: len(r.servers), Answered: int(r.answered.Load()),
			Queries: int(r.queries.Load()), Elapsed: time.Since(start)})
	}
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
				report()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		report()
	}
}
