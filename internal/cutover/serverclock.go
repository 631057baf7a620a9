package cutover

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/httpretry"
)

// watchDates is ctx with the step's record of the clocks of the HTTPS
// servers it asks (a provider's or the registrar's API: c.dates), which
// serverClock compares with the step's own.
func (c *Config) watchDates(ctx context.Context) context.Context {
	ctx, c.dates = httpretry.WatchDates(ctx)
	return ctx
}

// serverClock is an error when the step's clock (c.Now) differs by more
// than TrailClockSkew from the Date of the answers of any HTTPS server
// the step asked (nil when none answered over HTTPS with a Date:
// httpretry.ObserveDate counts no plain-HTTP answer, whose Date anyone on
// the path may set). Any, not every: a server that agrees with a wrong
// clock (a self-hosted API on the same box, or its NTP) does not vouch
// for it against a registrar's or a vendor's that disagrees; a server
// whose own clock is off costs a refusal naming it (an emergency step
// goes on: clockStops), never an entry dated by a wrong clock. A clock
// days ahead would date the trail's entries, and count the overlap and
// every wait, ahead of real time: finish passing early, and every step on
// a correct clock refused after it (trailClock). Only where the step
// makes an HTTPS call anyway: a step that asks DNS servers alone is not
// checked.
func (c *Config) serverClock() error {
	if c.dates == nil {
		return nil
	}
	offs := c.dates.Offsets()
	if len(offs) == 0 {
		return nil
	}
	// The step's clock minus this machine's: c.Now may be floored at
	// the trail's last entry (trailClock), or set by a test.
	ahead := time.Until(c.Now())
	var off []string
	for _, o := range offs {
		// Date has whole seconds, a second low at most.
		if (ahead - o.Off).Abs() > TrailClockSkew+time.Second {
			off = append(off, fmt.Sprintf("%s's Date %s", o.Host, time.Now().Add(o.Off).UTC().Format(time.RFC3339)))
		}
	}
	if len(off) == 0 {
		return nil
	}
	now := c.Now().UTC()
	return fmt.Errorf("this step's clock (%s) differs by more than %s from the HTTPS servers it asked (%s): it would date the audit trail and count the overlap and every wait by a wrong clock; set the clock right (NTP), or the server's, then run the step again", now.Format(time.RFC3339), TrailClockSkew, strings.Join(off, ", "))
}

// clockStops is serverClock's error for a step to stop on (nil: go on).
// An emergency step (the way out of an outage) goes on: the error is a
// warning of its report.
func (c *Config) clockStops(rep *Report) error {
	err := c.serverClock()
	if err != nil && rep.Emergency {
		rep.warnOnce(err.Error() + " (an emergency step goes on)")
		return nil
	}
	return err
}

// warnOnce adds w to rep's warnings unless it is there already (the
// clock is judged before the registrar change and again at the record).
func (rep *Report) warnOnce(w string) {
	if !slices.Contains(rep.Warnings, w) {
		rep.Warnings = append(rep.Warnings, w)
	}
}

// clockRefused makes rep the error of a step whose clock is not the
// servers' (err; what: what was not done). Nothing is recorded: an entry
// dated by that clock would stop every step on a correct one
// (trailClock).
func clockRefused(rep *Report, err error, what string) *Report {
	rep.Result = ResultError
	rep.Errors = append(rep.Errors, err.Error())
	rep.Actions = append(rep.Actions, what+": this machine's clock is not the servers', and nothing was recorded in the audit trail (an entry dated by it would stop every step on a correct clock)")
	return rep
}
