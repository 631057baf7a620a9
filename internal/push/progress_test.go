package push

import (
	"context"
	"slices"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// creatingProv creates the zone and applies each change with a request
// of its own, reporting each to the task it is handed.
type creatingProv struct{}

func (creatingProv) Nameservers(context.Context, string) ([]string, error) { return nil, nil }
func (creatingProv) Records(context.Context, string) (*zone.Zone, error)   { return nil, nil }
func (creatingProv) Capabilities() provider.Capabilities                   { return provider.Capabilities{} }
func (creatingProv) CreateZone(context.Context, string, []string) error    { return nil }
func (creatingProv) Apply(_ context.Context, _ string, cs []provider.Change, task progress.Updater) (provider.Result, error) {
	var res provider.Result
	for _, c := range cs {
		res.Requests++
		res.Done(task, c)
	}
	return res, nil
}

// updates records every Update of the one task it starts.
type updates struct {
	total   int
	done    []int
	stopped int
}

func (u *updates) Start(_ string, total int) progress.Task { u.total = total; return u }
func (u *updates) Update(done int)                         { u.done = append(u.done, done) }
func (u *updates) Stop()                                   { u.stopped++ }

// TestApplyProgress: a push that creates the zone shows the changes the
// creation wrote, then the Apply's own count after them, of all the
// plan's changes; push, not the provider, stops the task.
func TestApplyProgress(t *testing.T) {
	ch := func(name string) plan.Change {
		return plan.Change{Action: provider.Create, Name: name, Type: dns.TypeA}
	}
	pl := &plan.Plan{Provider: "new", Zone: "example.test.", NewZone: true,
		WithZone: []plan.Change{{Action: provider.Create, Name: "example.test.", Type: dns.TypeSOA}, {Action: provider.Create, Name: "example.test.", Type: dns.TypeNS}},
		Changes:  []plan.Change{ch("a.example.test."), ch("b.example.test."), ch("c.example.test.")}}
	var u updates
	var e report.PlanEntry
	if _, err := Apply(context.Background(), &Target{Prov: creatingProv{}, Plan: pl}, &e, &u); err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 3, 4, 5}; u.total != 5 || !slices.Equal(u.done, want) || u.stopped != 1 {
		t.Errorf("progress %v of %d, stopped %d times; want %v of 5, stopped once", u.done, u.total, u.stopped, want)
	}
	if e.Applied != 5 || e.Requests != 4 {
		t.Errorf("entry: %d applied in %d requests, want 5 in 4", e.Applied, e.Requests)
	}
}
