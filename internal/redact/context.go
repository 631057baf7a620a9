package redact

import "context"

type setKey struct{}

// WithSecrets returns ctx carrying s, the run's redaction set: ServerText
// takes every secret of s out of what a server sends, and a secret the
// run learns on the way (credentials an exchange returns: an STS session,
// a container endpoint's keys, a shared credentials file's) is added to s
// by the call that learns it (FromContext(ctx).Add).
func WithSecrets(ctx context.Context, s *Secrets) context.Context {
	return context.WithValue(ctx, setKey{}, s)
}

// FromContext is the run's redaction set ctx carries (WithSecrets), nil
// without one. Secrets.Add on nil does nothing, so a caller that learns a
// secret adds it with FromContext(ctx).Add(secret) whether or not the
// context carries a set.
func FromContext(ctx context.Context) *Secrets {
	s, _ := ctx.Value(setKey{}).(*Secrets)
	return s
}
