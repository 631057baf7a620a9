package cutover

import (
	"fmt"
	"time"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/deadline"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// MoveSides are the sides a step that moves the delegation goes from and
// to: a flip from the old side to the new one, a rollback back from the
// new side to the old one. Every place that asks which side a move left
// (the trail's spans, the expiry of the delegation it replaced, the NS
// TTL the watch counts, LeftBehind, the report) asks this.
func MoveSides(command string) (from, to string) {
	if command == "rollback" {
		return "new", "old"
	}
	return "old", "new"
}

// Leaving is the step that moves the delegation away from side: a flip
// away from the old side, a rollback away from the new one (the step to
// run with --emergency when side is down).
func Leaving(side string) string {
	if side == "new" {
		return "rollback"
	}
	return "flip"
}

// Toward is the step that moves the delegation to side: a flip to the
// new side, a rollback back to the old one (the step that requires side
// to hold git).
func Toward(side string) string {
	if side == "old" {
		return "rollback"
	}
	return "flip"
}

// LeftBehind is the side an emergency step left behind, and that step:
// when the trail's last move of the delegation is `flip --emergency` (the
// old provider was down) the old side, when it is `rollback --emergency`
// (the new provider was down) the new side; "" and nil after a planned
// flip or rollback, a finish, or before any move.
func (t *Trail) LeftBehind() (string, *Entry) {
	stage, e := t.Stage()
	if e == nil || !e.Emergency || (stage != StageFlipped && stage != StageRolledBack) {
		return "", nil
	}
	from, _ := MoveSides(e.Command)
	return from, e
}

// LeftBehind says which side of a zone an emergency step left behind
// (Trail.LeftBehind: "old" after `flip --emergency`, "new" after
// `rollback --emergency`, "" otherwise) and why a push or sync takes it
// last, and only if it answers. The delegation points to the other side,
// which serves the zone, so git's changes go there first; but resolvers
// that cached the delegation before the emergency step still ask the side
// left behind until it expires (oldDelegationExpires; status watches:
// leftBehindStale), so a provider that answers again is brought up to
// date by the same run, and one still down is a note, retried by the next
// run (push.Steps decides; provider.Down says what "down" is). The step
// back requires it to hold git (a rollback's old-parity and old-complete,
// a flip's parity and drift): nothing edited during the outage is lost.
func LeftBehind(cfg *config.Config, zoneName string) (side, why string, err error) {
	origin := zone.CanonicalName(zoneName)
	tr, err := ReadTrail(TrailPathFor(cfg, origin), origin)
	if err != nil {
		return "", "", err
	}
	side, e := tr.LeftBehind()
	if side == "" {
		return "", "", nil
	}
	gates := GateOldParity + ", " + GateOldComplete
	if side == "new" {
		gates = GateParity + ", " + GateDrift
	}
	why = fmt.Sprintf("zone %s: the %s provider goes last, and only if it answers: it was down at the emergency %s of %s (audit trail), and resolvers that cached its delegation may ask it until %s; push it by name with `dnsparity push --provider %s --zone %s` (a %s requires it to hold git: gates %s)",
		origin, side, e.Command, flipTime(e).UTC().Format(time.RFC3339), deadline.Format(oldDelegationExpires(e)), shell.Quote(side), shell.Quote(origin), Toward(side), gates)
	return side, why, nil
}

// leftBehindStale is status's error when the side an emergency step left
// behind (LeftBehind) answers again and differs from the side the parent
// delegates to (g: status's parity gate) while resolvers that cached the
// delegation before that step may still ask it (oldDelegationExpires);
// "" otherwise. Sync and push bring it up to date once it answers; until
// one of them has run since it came back, clients that ask it get stale
// answers.
func leftBehindStale(tr *Trail, g Gate, now time.Time, origin string) string {
	side, e := tr.LeftBehind()
	if side == "" || g.OK || g.Err || g.unproven {
		return ""
	}
	until := oldDelegationExpires(e)
	if !now.Before(until) {
		return ""
	}
	_, to := MoveSides(e.Command)
	return fmt.Sprintf("the %s provider answers again after the emergency %s of %s and differs from the %s side (%s), while resolvers that cached its delegation before the %s may still ask it until %s: the next sync brings it up to date, or push it now: `dnsparity push --provider %s --zone %s`",
		side, e.Command, flipTime(e).UTC().Format(time.RFC3339), to, g.Detail, e.Command, deadline.Format(until), shell.Quote(side), shell.Quote(origin))
}
