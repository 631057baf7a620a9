package parity

import (
	"sync"
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

// stage is a part of the run after the zone's questions (the client
// subnets' probes), for progress: its name, questions and servers.
type stage struct {
	name               string
	questions, servers int
}

// setStage starts a stage: progress counts its answers from 0.
// Progress is reported at once, so that every stage is seen.
func (r *runner) setStage(name string, questions, servers int) {
	r.answered.Store(0)
	r.stage.Store(&stage{name, questions, servers})
	if r.report != nil {
		r.report()
	}
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
	var mu sync.Mutex // one call of Progress at a time
	// The run's questions, counted once: an interrupted run keeps only
	// those every server answered (keepAnswered), which is not what the
	// answers so far were counted against.
	questions := len(r.qs)
	report := func() {
		mu.Lock()
		defer mu.Unlock()
		st := r.stage.Load()
		p := Progress{Questions: questions, Servers: len(r.servers), Answered: int(r.answered.Load()),
			Queries: int(r.queries.Load()), Elapsed: time.Since(start)}
		if st != nil {
			p.Stage, p.Questions, p.Servers = st.name, st.questions, st.servers
		}
		r.opts.Progress(p)
	}
	r.report = report
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
