package redact

import (
	"context"
	"sync"
)

type runKey struct{}

// run is what a context carries: the run's redaction set, how a secret
// learned on the way is registered with it, and the secrets registered
// through the context (AddTo), for ServerText.
type run struct {
	set *Secrets
	add func(string)

	mu      sync.Mutex
	learned []string
}

// WithSecrets returns ctx carrying s, the run's redaction set: ServerText
// takes every secret of s out of what a server sends, and AddTo registers
// a secret learned on the way with add (the Action's Mask, which also
// masks it in the log), or with s when add is nil.
func WithSecrets(ctx context.Context, s *Secrets, add func(string)) context.Context {
	return context.WithValue(ctx, runKey{}, &run{set: s, add: add})
}

// WithAdd returns ctx carrying add, which registers a secret with the
// run's redaction set (the Action's Mask, the command line's Secrets.Add).
// A secret that no variable holds and that a command learns while it runs
// (credentials an exchange returns: an STS session, a container
// endpoint's keys, a shared credentials file's) reaches it through the
// context of the call that learns it (AddTo). WithSecrets also lets
// ServerText see the set's secrets; with WithAdd it sees those AddTo
// registered.
func WithAdd(ctx context.Context, add func(string)) context.Context {
	return WithSecrets(ctx, nil, add)
}

// AddTo registers secret with the redaction set ctx carries (WithSecrets,
// WithAdd); without one it does nothing.
func AddTo(ctx context.Context, secret string) {
	r, ok := ctx.Value(runKey{}).(*run)
	if !ok || secret == "" {
		return
	}
	r.mu.Lock()
	r.learned = append(r.learned, secret)
	r.mu.Unlock()
	switch {
	case r.add != nil:
		r.add(secret)
	case r.set != nil:
		r.set.Add(secret)
	}
}

// Carries reports whether ctx carries a redaction set (WithSecrets,
// WithAdd).
func Carries(ctx context.Context) bool {
	_, ok := ctx.Value(runKey{}).(*run)
	return ok
}

// secretsIn are the secrets ctx carries: its set's and those AddTo
// registered.
func secretsIn(ctx context.Context) []string {
	r, ok := ctx.Value(runKey{}).(*run)
	if !ok {
		return nil
	}
	var out []string
	if r.set != nil {
		out = r.set.Values()
	}
	r.mu.Lock()
	out = append(out, r.learned...)
	r.mu.Unlock()
	return out
}
