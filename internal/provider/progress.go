package provider

import "context"

// ProgressFunc hears how far an Apply has got: done of total changes.
type ProgressFunc func(done, total int)

type progressKey struct{}

// WithProgress returns a context whose Apply calls report their progress
// to f (after each change request that succeeded).
func WithProgress(ctx context.Context, f ProgressFunc) context.Context {
	return context.WithValue(ctx, progressKey{}, f)
}

// report tells done of total changes to the context's ProgressFunc, if
// any (Result.Done).
func report(ctx context.Context, done, total int) {
	if f, ok := ctx.Value(progressKey{}).(ProgressFunc); ok && f != nil {
		f(done, total)
	}
}

// Done records cs as applied and reports how far the Apply has got
// (len(r.Applied) of total) to the context's ProgressFunc: every
// provider's Apply calls it after each change request that succeeded.
func (r *Result) Done(ctx context.Context, total int, cs ...Change) {
	r.Applied = append(r.Applied, cs...)
	report(ctx, len(r.Applied), total)
}
