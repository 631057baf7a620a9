package cutover

import (
	"context"
	"strings"
	"testing"
)

// TestNoResolversWarnedLab: with cutover.resolvers empty, status warns
// that which side resolvers answer from cannot be told and that a flip's
// or rollback's watch has nothing to ask, before the flip and after it,
// and the flip's own report warns that its watch asked nobody. Status
// said nothing about it.
func TestNoResolversWarnedLab(t *testing.T) {
	l := newReviewLab(t, 5)
	ctx := context.Background()
	warned := func(what string, rep *Report) {
		t.Helper()
		for _, w := range rep.Warnings {
			if strings.Contains(w, "cutover.resolvers") {
				return
			}
		}
		t.Errorf("%s: no warning names cutover.resolvers: %q", what, rep.Warnings)
	}
	c := l.mk()
	if len(c.Resolvers) != 0 {
		t.Fatalf("the lab configures resolvers: %v", c.Resolvers)
	}
	warned("status before the flip", Status(ctx, c))
	_, rep, _ := l.flip(t, ctx)
	warned("flip", rep)
	warned("status after the flip", Status(ctx, l.mk()))
}
