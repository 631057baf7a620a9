package main

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// manyProgress shows a run over many zones on stderr: zones done of all,
// the rate and the time left, redrawn on a terminal, a plain line every
// few seconds otherwise (CI logs). Off, it shows nothing.
type manyProgress struct {
	w     io.Writer
	cmd   string
	total int
	tty   bool
	start time.Time
	n     atomic.Int64
	stop  chan struct{}
	wg    sync.WaitGroup
}

func newManyProgress(w io.Writer, cmd string, total int, on bool) *manyProgress {
	p := &manyProgress{w: w, cmd: cmd, total: total, tty: isTerminal(w), start: time.Now()}
	if !on {
		return p
	}
	p.stop = make(chan struct{})
	every := 2 * time.Second
	if p.tty {
		every = 200 * time.Millisecond
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.draw()
			}
		}
	}()
	return p
}

// zoneDone counts a zone done.
func (p *manyProgress) zoneDone() { p.n.Add(1) }

func (p *manyProgress) draw() {
	n := p.n.Load()
	el := time.Since(p.start)
	line := fmt.Sprintf("%s: %d/%d zones, %.1f zones/s", p.cmd, n, p.total, float64(n)/el.Seconds())
	if n > 0 && int(n) < p.total {
		left := time.Duration(float64(el) * float64(int64(p.total)-n) / float64(n))
		line += ", ETA " + left.Round(time.Second).String()
	}
	if p.tty {
		fmt.Fprintf(p.w, "\r%s\033[K", line)
		return
	}
	fmt.Fprintln(p.w, line)
}

// done stops the display and prints the last state.
func (p *manyProgress) done() {
	if p.stop == nil {
		return
	}
	close(p.stop)
	p.wg.Wait()
	p.stop = nil
	p.draw()
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
