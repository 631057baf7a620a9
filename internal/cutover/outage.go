package cutover

import (
	"fmt"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// OldSkipped says why a push or sync that was not told which providers to
// push leaves the old side of a zone out, "" when it does not: the audit
// trail's last step that moved the delegation is an emergency flip (`flip
// --emergency`: the old provider was down, nothing delegates to it now).
// Git's changes then go to the new side alone, which serves the zone, and
// the old provider is brought back in sync by hand once it is up
// (`dnsparity push --provider old`, naming it explicitly) before a
// rollback, whose gates old-parity and old-complete refuse until it is:
// nothing edited during the outage is lost.
func OldSkipped(cfg *config.Config, zoneName string) (string, error) {
	origin := zone.CanonicalName(zoneName)
	tr, err := ReadTrail(TrailPathFor(cfg, origin), origin)
	if err != nil {
		return "", err
	}
	stage, e := tr.Stage()
	if stage != StageFlipped || !e.Emergency {
		return "", nil
	}
	return fmt.Sprintf("zone %s: the old provider is skipped: it was down at the emergency flip of %s (audit trail) and nothing delegates to it; bring it back in sync with `dnsparity push --provider old --zone %s` once it is up (a rollback requires it: gates %s, %s)",
		origin, flipTime(e).UTC().Format(time.RFC3339), origin, GateOldParity, GateOldComplete), nil
}
