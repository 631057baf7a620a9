package push

import (
	"context"
	"path/filepath"
	"sync"
)

// Kept are the plans one run of several push commands made, kept for
// the pushes that follow in the same process: the Action's sync checks
// every plan against the safety policy in a dry run before anything is
// sent, then pushes provider by provider (a part each). Each of those
// pushes takes the plan the dry run made of its provider × zone instead
// of reading the provider's zone and planning again: the zone is read
// once per provider (a cloud API's rate limit is shared by every zone),
// not twice. A plan kept is pushed at most once (taken), and what
// guards it against the zone changing meanwhile is what guards every
// push (Apply): the provider's own prerequisites (provider.Conditional),
// else the zone read again just before a change (recheck) — only the
// zones with something to change.
type Kept struct {
	mu    sync.Mutex
	plans map[keptKey]*Target
}

// keptKey is one provider × zone of one config, at one step (an IfUp
// step is planned apart: its failures are its own).
type keptKey struct {
	config, provider, zone string
	ifUp                   bool
}

type keptCtx struct{}

// WithKept returns ctx carrying k: every push.Setup under it keeps the
// plans it makes there and takes those kept before it.
func WithKept(ctx context.Context, k *Kept) context.Context {
	return context.WithValue(ctx, keptCtx{}, k)
}

func (pl *planner) keptKey(n, origin string, st Step) keptKey {
	path, err := filepath.Abs(pl.path)
	if err != nil {
		path = pl.path
	}
	return keptKey{config: path, provider: n, zone: origin, ifUp: st.IfUp}
}

// take returns the plan kept for key, and forgets it (nil: none).
func (k *Kept) take(key keptKey) *Target {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	t := k.plans[key]
	delete(k.plans, key)
	return t
}

// keep keeps t, a plan made (not one that failed or whose provider was
// down: those are made again), for the next push of key.
func (k *Kept) keep(key keptKey, t *Target) {
	if k == nil || t.Failed != nil || t.NotSynced != "" {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.plans == nil {
		k.plans = map[keptKey]*Target{}
	}
	k.plans[key] = t
}
