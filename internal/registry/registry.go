// Package registry is the one table of named factories behind the
// self-registering packages (providers, registrars): each registers its
// type from init(), the config names the type.
package registry

import (
	"sort"
	"sync"
)

// Registry maps type names to factories of kind F. It is safe for
// concurrent use.
type Registry[F any] struct {
	kind string // "provider", "registrar": for the panic message
	mu   sync.RWMutex
	m    map[string]F
}

// New makes an empty registry for factories of the named kind.
func New[F any](kind string) *Registry[F] {
	return &Registry[F]{kind: kind, m: map[string]F{}}
}

// Register makes a type available; registering a type twice panics (two
// packages claim one name: a programming error).
func (r *Registry[F]) Register(typ string, f F) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.m[typ]; dup {
		panic(r.kind + ": type " + typ + " registered twice")
	}
	r.m[typ] = f
}

// Types lists the registered types, sorted.
func (r *Registry[F]) Types() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.m))
	for t := range r.m {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Lookup is the factory registered for typ.
func (r *Registry[F]) Lookup(typ string) (F, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	f, ok := r.m[typ]
	return f, ok
}
