package dnssec

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/query"
)

// defaultTimeout bounds one exchange when Input.Timeout is zero.
const defaultTimeout = 3 * time.Second

// asker sends DO=1 questions straight to one server address (never the
// system resolver) through the project's query engine: UDP, TCP when the
// answer is truncated, only responses to the question asked.
type asker struct {
	timeout time.Duration
	// run, when set, keeps the answers of one gate run: each question
	// goes to each server once, and every check of the run (the parent's
	// DS set, a held one, the CDS reading) judges the same answers.
	run *run
}

// run is what one gate run asked: the answers by server and question,
// and the random name its denial checks ask.
type run struct {
	mu      sync.Mutex
	answers map[question]answer
	probe   string
}

type question struct {
	addr, name string
	qtype      uint16
}

type answer struct {
	msg *dns.Msg
	err error
}

// newRun is the asker of one gate run.
func newRun(timeout time.Duration) asker {
	return asker{timeout: timeout, run: &run{answers: map[question]answer{}}}
}

// ask sends name/qtype to addr with the DO bit and RD clear; within a
// run, a question asked before is answered from the run.
func (a asker) ask(ctx context.Context, addr, name string, qtype uint16) (*dns.Msg, error) {
	q := question{addr, dns.CanonicalName(name), qtype}
	if a.run != nil {
		a.run.mu.Lock()
		got, ok := a.run.answers[q]
		a.run.mu.Unlock()
		if ok {
			return got.msg, got.err
		}
	}
	timeout := a.timeout
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	r, err := query.Msg(ctx, addr, name, qtype, query.MsgOptions{Timeout: timeout, Tries: 1, DO: true})
	if err != nil {
		err = fmt.Errorf("ask: %w", err)
	}
	if a.run != nil && ctx.Err() == nil {
		a.run.mu.Lock()
		a.run.answers[q] = answer{r, err}
		a.run.mu.Unlock()
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// askWorkers bounds the questions prefetch has in flight to one server.
const askWorkers = 16

// prefetch asks addr each owner/type pair of qs (an Input.Sample), up to
// askWorkers at a time, so that the checks that judge them one by one
// (in order: their verdicts and problems read the same as before) take
// each answer from the run instead of waiting for it in turn: a zone's
// every RRset costs about one round trip per askWorkers questions. A
// question's error is kept as its answer, and judged where it is asked.
// Without a run (nothing to keep them in) it does nothing.
func (a asker) prefetch(ctx context.Context, addr string, qs [][2]string) {
	if a.run == nil || len(qs) < 2 {
		return
	}
	fanout.Each(len(qs), askWorkers, func(_, i int) {
		if ctx.Err() == nil {
			_, _ = a.ask(ctx, addr, qs[i][0], typeOf(qs[i][1]))
		}
	})
}

// probe is a random name below zone ("dnsparity-<hex>.ZONE") for the
// denial check: one per run, so that every check of the run asks the same.
func (a asker) probe(zone string) (string, error) {
	if a.run != nil {
		a.run.mu.Lock()
		defer a.run.mu.Unlock()
		if a.run.probe != "" {
			return a.run.probe, nil
		}
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random name: %w", err)
	}
	name := "dnsparity-" + hex.EncodeToString(b[:]) + "." + zone
	if a.run != nil {
		a.run.probe = name
	}
	return name, nil
}
