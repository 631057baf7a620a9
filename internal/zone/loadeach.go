package zone

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/dnsparity/dnsparity/internal/confine"
)

// LoadEach loads n zone files a few at a time (one zone in memory per
// core): the i-th from the file and options at(i) gives, its Tree set here
// so that each folder's repository is resolved once over all of them. fn
// gets each zone, or the error Load gave, as it is loaded (concurrently;
// it writes only to its own index). LoadEach returns when every fn has.
//
// Each of its goroutines loads file after file (in index order, taking
// the next one free) and reuses its scratch from one to the next: a run
// over thousands of small zones does not allocate a batch, and grow a
// goroutine's stack, per zone.
func LoadEach(n int, at func(i int) (string, Options), fn func(i int, z *Zone, err error)) {
	var trees confine.Trees
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := newScratch()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				file, o := at(i)
				o.Tree = trees.Of(file)
				o.scratch = sc
				z, err := Load(file, o)
				fn(i, z, err)
			}
		}()
	}
	wg.Wait()
}
