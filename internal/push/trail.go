package push

import (
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/report"
)

// RecordApplied records in each zone's audit trail what the push
// applied to each side (entries as Run left them): the cutover's
// ttl-expired gate counts the largest TTL pushed and replaced.
func RecordApplied(cfg *config.Config, entries []report.PlanEntry, command, actor string, at time.Time) error {
	applied := map[string]map[string][]plan.Change{}
	for _, e := range entries {
		for _, c := range e.Plan.All() {
			if e.Done[c.Key()] {
				if applied[e.Plan.Zone] == nil {
					applied[e.Plan.Zone] = map[string][]plan.Change{}
				}
				applied[e.Plan.Zone][e.Plan.Provider] = append(applied[e.Plan.Zone][e.Plan.Provider], c)
			}
		}
	}
	return cutover.RecordPushes(cfg, applied, command, actor, at)
}
