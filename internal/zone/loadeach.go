package zone

import (
	"runtime"

	"golang.org/x/sync/errgroup"

	"github.com/dnsparity/dnsparity/internal/confine"
)

// LoadEach loads n zone files a few at a time (one zone in memory per
// core): the i-th from the file and options at(i) gives, its Tree set here
// so that each folder's repository is resolved once over all of them. fn
// gets each zone, or the error Load gave, as it is loaded (concurrently;
// it writes only to its own index). LoadEach returns when every fn has.
func LoadEach(n int, at func(i int) (string, Options), fn func(i int, z *Zone, err error)) {
	var trees confine.Trees
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n {
		g.Go(func() error {
			file, o := at(i)
			o.Tree = trees.Of(file)
			z, err := Load(file, o)
			fn(i, z, err)
			return nil
		})
	}
	g.Wait()
}
