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
// --emergency`: the old provider was down, the parent delegates to it no
// more; resolvers that cached its delegation may still ask it until it
// expires, which status watches: oldBackStale).
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
	return fmt.Sprintf("zone %s: the old provider is skipped: it was down at the emergency flip of %s (audit trail) and the parent no longer delegates to it (resolvers that cached its delegation may ask it until %s); bring it back in sync with `dnsparity push --provider old --zone %s` once it is up (a rollback requires it: gates %s, %s)",
		origin, flipTime(e).UTC().Format(time.RFC3339), oldDelegationExpires(e).UTC().Format(time.RFC3339), origin, GateOldParity, GateOldComplete), nil
}

// oldBackStale is status's error when, after an emergency flip, the old
// provider answers again and differs from the new side (g: status's
// parity gate) while resolvers that cached its delegation before the flip
// may still ask it (oldDelegationExpires); "" otherwise. Push and sync
// skip it since the flip (OldSkipped), so nothing else brings it back in
// sync before someone pushes it by name.
func oldBackStale(tr *Trail, g Gate, now time.Time, origin string) string {
	stage, e := tr.Stage()
	if stage != StageFlipped || !e.Emergency || g.OK || g.Err || g.unproven {
		return ""
	}
	until := oldDelegationExpires(e)
	if !now.Before(until) {
		return ""
	}
	return fmt.Sprintf("the old provider answers again after the emergency flip of %s and differs from the new side (%s), while resolvers that cached its delegation before the flip may still ask it until %s: push and sync skip it since the flip, so push it by name now: `dnsparity push --provider old --zone %s`",
		flipTime(e).UTC().Format(time.RFC3339), g.Detail, until.UTC().Format(time.RFC3339), origin)
}
