package cutover

import (
	"fmt"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// OldAfterEmergency says why a push or sync of a zone takes the old side
// last, and only if it answers; "" when it does not: the audit trail's
// last step that moved the delegation is an emergency flip (`flip
// --emergency`: the old provider was down, the parent delegates to it no
// more). Git's changes go first to the new side, which serves the zone;
// but resolvers that cached the old delegation before the flip still ask
// the old servers until it expires (oldDelegationExpires; status watches:
// oldBackStale), so an old provider that answers again is brought up to
// date by the same run, and one still down is a note, retried by the next
// run (push.Steps decides; provider.Down says what "down" is). A rollback's
// gates old-parity (old-matches-git for rollback --emergency) and
// old-complete refuse until it holds git: nothing edited during the outage
// is lost. An emergency rollback (`rollback --emergency`: the new provider
// was down) is not this: the parent delegates to the old side again, so
// the old side is pushed first as normally (each failure stopping the run;
// a new side still down fails its push, after the old side took git).
func OldAfterEmergency(cfg *config.Config, zoneName string) (string, error) {
	origin := zone.CanonicalName(zoneName)
	tr, err := ReadTrail(TrailPathFor(cfg, origin), origin)
	if err != nil {
		return "", err
	}
	return tr.oldAfterEmergency(origin), nil
}

// oldAfterEmergency is OldAfterEmergency on the zone's trail t.
func (t *Trail) oldAfterEmergency(origin string) string {
	stage, e := t.Stage()
	if stage != StageFlipped || !e.Emergency {
		return ""
	}
	return fmt.Sprintf("zone %s: the old provider goes last, and only if it answers: it was down at the emergency flip of %s (audit trail), and resolvers that cached its delegation may ask it until %s; push it by name with `dnsparity push --provider old --zone %s` (a rollback requires it to hold git: gates %s, %s)",
		origin, flipTime(e).UTC().Format(time.RFC3339), oldDelegationExpires(e).UTC().Format(time.RFC3339), origin, GateOldParity, GateOldComplete)
}

// oldBackStale is status's error when, after an emergency flip, the old
// provider answers again and differs from the new side (g: status's
// parity gate) while resolvers that cached its delegation before the flip
// may still ask it (oldDelegationExpires); "" otherwise. Sync and push
// bring it up to date once it answers (OldAfterEmergency); until one of
// them has run since it came back, clients that ask it get stale answers.
func oldBackStale(tr *Trail, g Gate, now time.Time, origin string) string {
	stage, e := tr.Stage()
	if stage != StageFlipped || !e.Emergency || g.OK || g.Err || g.unproven {
		return ""
	}
	until := oldDelegationExpires(e)
	if !now.Before(until) {
		return ""
	}
	return fmt.Sprintf("the old provider answers again after the emergency flip of %s and differs from the new side (%s), while resolvers that cached its delegation before the flip may still ask it until %s: the next sync brings it up to date, or push it now: `dnsparity push --provider old --zone %s`",
		flipTime(e).UTC().Format(time.RFC3339), g.Detail, until.UTC().Format(time.RFC3339), origin)
}
