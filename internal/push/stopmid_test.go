package push

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// midProv fails zone b. once zone c. is being applied; c. finishes its
// change a moment after b. failed, unless its context ends first.
type midProv struct{ cStarted chan struct{} }

func (midProv) Nameservers(context.Context, string) ([]string, error) { return nil, nil }
func (midProv) Records(context.Context, string) (*zone.Zone, error)   { return nil, nil }
func (midProv) Capabilities() provider.Capabilities                   { return provider.Capabilities{} }
func (midProv) ChecksOld()                                            {} // no re-read before Apply
func (m midProv) Apply(ctx context.Context, z string, cs []provider.Change, task progress.Updater) (provider.Result, error) {
	var res provider.Result
	switch z {
	case "b.test.":
		<-m.cStarted
		return res, errors.New("b.test.: HTTP 400")
	case "c.test.":
		close(m.cStarted)
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(300 * time.Millisecond): // well after b. failed
		}
	}
	res.Requests++
	res.Done(task, cs...)
	return res, nil
}

// TestRunStopLetsZonesUnderWayFinish: a zone that fails stops the push
// (no zone starts after it), but a zone already being pushed finishes
// the provider it is at, as Run's doc says: its change is not cut off
// in the middle (a batch sent and its answer never read). On the code
// before, fanout canceled the running zone's context when b. failed:
// c. ended "context canceled", neither done nor known undone.
func TestRunStopLetsZonesUnderWayFinish(t *testing.T) {
	p := midProv{cStarted: make(chan struct{})}
	var targets []*Target
	for _, z := range []string{"a.test.", "b.test.", "c.test."} {
		targets = append(targets, &Target{Prov: p, Config: &config.Provider{}, Plan: &plan.Plan{Provider: "new", Zone: z,
			Changes: []plan.Change{{Action: provider.Create, Name: "www." + z, Type: dns.TypeA}}}})
	}
	entries := make([]report.PlanEntry, len(targets))
	for i, t := range targets {
		entries[i].Plan = t.Plan
	}
	exit, msg := Run(context.Background(), targets, entries, Options{Command: "push"})
	if exit == 0 || !strings.Contains(msg, "stopped after provider new, zone b.test. failed") {
		t.Errorf("exit %d, msg %q: want a failure stopped after b.test.", exit, msg)
	}
	if e := entries[2]; e.Error != "" || e.Applied != 1 {
		t.Errorf("c.test., under way when b.test. failed: error %q, %d applied; want its change done", e.Error, e.Applied)
	}
	if e := entries[0]; e.Applied != 1 {
		t.Errorf("a.test.: %d applied, want 1", e.Applied)
	}
}
