package zone

import (
	"runtime"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/fanout"
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
	workers := min(runtime.GOMAXPROCS(0), n)
	scratches := make([]*scratch, workers)
	fanout.Each(n, workers, func(w, i int) {
		if scratches[w] == nil {
			scratches[w] = newScratch()
		}
		file, o := at(i)
		o.Tree = trees.Of(file)
		o.scratch = scratches[w]
		z, err := Load(file, o)
		fn(i, z, err)
	})
}
