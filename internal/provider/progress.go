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

// Progress reports done of total changes to the context's ProgressFunc,
// if any; providers call it after each change request.
func Progress(ctx context.Context, done, total int) {
	if f, ok := ctx.Value(progressKey{}).(ProgressFunc); ok && f != nil {
		f(done, total)
	}
}
