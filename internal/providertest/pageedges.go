package providertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// PageEdges: a zone read at every size from the apex alone to a little
// over two pages (h.PageSize) reads back whole, the empty page, the page
// exactly full, the page and one more and every size between: a listing
// that stops early or asks past its end at one boundary loses records or
// fails there alone. Each size is pushed (one A RRset more than the last),
// read back RRset by RRset, nothing else read (notInGit), and planned empty.
func PageEdges(t *testing.T, h Harness) {
	p := h.New(t, h.Secret)
	head := Head(h.ZoneFile)
	var body strings.Builder
	for k := 0; k <= 2*h.PageSize+2; k++ {
		if k > 0 {
			fmt.Fprintf(&body, "e%02d 300 A 192.0.2.%d\n", k-1, k)
		}
		d := Desired(t, h.Origin, head+body.String())
		Push(t, p, d)
		got, err := p.Records(context.Background(), h.Origin)
		if err != nil {
			t.Fatalf("%d A RRsets beside the apex: %v", k, err)
		}
		for i := range k {
			name := fmt.Sprintf("e%02d.%s", i, h.Origin)
			if got.Get(name, 1) == nil {
				t.Errorf("%d A RRsets beside the apex at %d a page: %s not read", k, h.PageSize, name)
			}
		}
		notInGit(t, got, d)
		converged(t, p, d, fmt.Sprintf("%d A RRsets beside the apex pushed", k))
	}
}
