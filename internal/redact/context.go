package redact

import "context"

type addKey struct{}

// WithAdd returns ctx carrying add, which registers a secret with the
// run's redaction set (the Action's Mask, the command line's Secrets.Add).
// A secret that no variable holds and that a command learns while it runs
// (credentials an exchange returns: an STS session, a container
// endpoint's keys, a shared credentials file's) reaches it through the
// context of the call that learns it (AddTo).
func WithAdd(ctx context.Context, add func(string)) context.Context {
	return context.WithValue(ctx, addKey{}, add)
}

// AddTo registers secret with the redaction set ctx carries (WithAdd);
// without one it does nothing.
func AddTo(ctx context.Context, secret string) {
	if add, ok := ctx.Value(addKey{}).(func(string)); ok && add != nil && secret != "" {
		add(secret)
	}
}
