package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/cutover"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/shell"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// cutover runs a cutover command with --format json and shows its gates.
func (d *demo) cutover(ctx context.Context, args ...string) (cmdResult, *cutover.Report) {
	args = append(args, "--zone", exampleZone, "--config", d.config, "--format", "json")
	r := d.run(ctx, args...)
	var rep cutover.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		d.show(r.stdout+r.stderr, 20)
		return r, nil
	}
	for _, g := range rep.Gates {
		mark := "✓"
		if !g.OK {
			mark = "✗"
		}
		d.say("    │ gate %-18s %s %s", g.Name, mark, oneLine(g.Detail, 90))
	}
	d.say("    │ delegation: %s (NS TTL %d s) → points to %s; stage %s", strings.Join(rep.Delegation.NS, " "), rep.Delegation.NSTTL, rep.Delegation.PointsTo, rep.Stage)
	for _, n := range rep.Next {
		d.say("    │ next: %s, earliest %s", n.Step, n.Earliest.Format(time.RFC3339Nano))
	}
	d.show(r.stderr, 14)
	return r, &rep
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n-1] + "…"
	}
	return s
}

// unavailable is the step's failure when this build lacks a command.
func (d *demo) unavailable(name, cmd string, began time.Time) bool {
	d.say("    This build has no `dnsparity %s` yet (issue 8, the cutover): the step cannot run.", shell.Quote(cmd))
	return d.record(Step{Name: name, Detail: fmt.Sprintf("not available: dnsparity %s is not in this build", cmd), Facts: map[string]any{"unavailable": true}}, began)
}

// parentNS is the delegation as the parent's server has it now.
func (d *demo) parentNS(ctx context.Context) []string {
	m := new(dns.Msg)
	m.SetQuestion(exampleZone, dns.TypeNS)
	m.RecursionDesired = false
	r, _, err := (&dns.Client{Timeout: time.Second}).ExchangeContext(ctx, m, d.lab.Parent.Addrs[0])
	if err != nil {
		return nil
	}
	var out []string
	for _, rr := range append(r.Answer, r.Ns...) {
		if ns, ok := rr.(*dns.NS); ok && strings.EqualFold(ns.Hdr.Name, exampleZone) {
			out = append(out, strings.ToLower(ns.Ns))
		}
	}
	sort.Strings(out)
	return out
}

func sameNames(a, b []string) bool {
	x, y := append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(x)
	sort.Strings(y)
	return strings.Join(x, " ") == strings.Join(y, " ")
}

func (d *demo) stepFlipRefused(ctx context.Context) bool {
	began := d.header("Flip the delegation? Refused: the TTLs are not pre-staged")
	d.say("    The zone's TTLs are %d s (hours, in real life). Flip now, and resolvers would keep answers", longTTL)
	d.say("    from the old provider that long after the change; policy.prestage_ttl is %d s.", prestageTTL)
	if !d.cmds.Has("flip") {
		return d.unavailable("flip-refused", "flip", began)
	}
	before := d.parentNS(ctx)
	r, rep := d.cutover(ctx, "flip")
	after := d.parentNS(ctx)
	ok := r.code == cli.ExitProblem && rep != nil && gateOf(rep, "ttl-prestaged") != nil && !gateOf(rep, "ttl-prestaged").OK && sameNames(before, after) && sameNames(after, d.lab.Old.NS)
	detail := "refused (exit 1), gate ttl-prestaged unmet, the parent's NS untouched"
	if !ok {
		unmet := []string{}
		if rep != nil {
			unmet = unmetOf(rep)
		}
		detail = fmt.Sprintf("flip exited %d (want 1), unmet gates %v (want ttl-prestaged among them), parent NS %v → %v", r.code, unmet, before, after)
	}
	return d.record(Step{Name: "flip-refused", OK: ok, Exit: &r.code, Detail: detail, Facts: map[string]any{"unmet": unmetOf(rep)}}, began)
}

// unmetOf lists the gates that failed.
func unmetOf(rep *cutover.Report) []string {
	if rep == nil {
		return nil
	}
	var out []string
	for _, g := range rep.Gates {
		if !g.OK {
			out = append(out, g.Name)
		}
	}
	return out
}

// gateOf finds a gate by name (nil when the report has none).
func gateOf(rep *cutover.Report, name string) *cutover.Gate {
	for i := range rep.Gates {
		if rep.Gates[i].Name == name {
			return &rep.Gates[i]
		}
	}
	return nil
}

func (d *demo) stepTTLCap(ctx context.Context) bool {
	began := d.header("Pre-stage: cap every TTL in the zone file, and push")
	d.say("    ttl --cap rewrites the zone file in place ($TTL, explicit TTLs, the SOA's negative-caching")
	d.say("    field), keeping every other byte; in real life this is a pull request, and reverting it later")
	d.say("    restores the TTLs.")
	r := d.run(ctx, "ttl", "--cap", fmt.Sprint(prestageTTL), d.zone)
	d.show(r.stdout+r.stderr, 12)
	changes := strings.Count(r.stdout, "\n")
	if r.code != cli.ExitOK || changes == 0 {
		return d.record(Step{Name: "ttl-cap", Exit: &r.code, Detail: fmt.Sprintf("ttl exited %d with %s", r.code, plural.N(changes, "change", "changes"))}, began)
	}
	d.say("    Every RRset is replaced, but with the same records: a TTL-only change does not count")
	d.say("    against policy.max_change_percent, so no --force is needed.")
	p, applied := d.push(ctx, "old,new")
	ok := p.code == cli.ExitOK && applied["old"] > 0 && applied["new"] > 0
	return d.record(Step{Name: "ttl-cap", OK: ok, Exit: &p.code, Facts: map[string]any{"ttl_changes": changes, "applied": applied},
		Detail: pick(ok, fmt.Sprintf("%s lowered to %d s in the file, pushed to both providers", plural.N(changes, "TTL", "TTLs"), prestageTTL), fmt.Sprintf("push exited %d, applied %v", p.code, applied))}, began)
}

func (d *demo) stepWait(ctx context.Context) bool {
	began := d.header("The wait: until the old TTLs have run out of every cache")
	d.say("    Resolvers may still hold answers with the old %d s TTL; flip waits them out. status says", longTTL)
	d.say("    when. (Real life: a day or two; here, seconds.)")
	if !d.cmds.Has("status") {
		return d.unavailable("wait", "status", began)
	}
	r, rep := d.cutover(ctx, "status")
	if r.code != cli.ExitOK || rep == nil {
		return d.record(Step{Name: "wait", Exit: &r.code, Detail: fmt.Sprintf("status exited %d", r.code)}, began)
	}
	until := time.Now().Add(longTTL * time.Second)
	for _, n := range rep.Next {
		if n.Step == "flip" {
			until = n.Earliest
		}
	}
	if wait := time.Until(until); wait > 0 {
		if wait > 2*longTTL*time.Second {
			return d.record(Step{Name: "wait", Exit: &r.code, Detail: fmt.Sprintf("status says flip at %s, %.0f s away: more than twice the old TTL", until.Format(time.RFC3339), wait.Seconds())}, began)
		}
		d.say("    waiting %.1f s …", wait.Seconds())
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait + 200*time.Millisecond):
		}
	}
	dr, drep := d.cutover(ctx, "flip", "--dry-run")
	ok := dr.code == cli.ExitOK && drep != nil && len(unmetOf(drep)) == 0 && sameNames(d.parentNS(ctx), d.lab.Old.NS)
	return d.record(Step{Name: "wait", OK: ok, Exit: &dr.code, Facts: map[string]any{"unmet": unmetOf(drep)},
		Detail: pick(ok, "flip --dry-run: every gate passes now, and nothing was changed", fmt.Sprintf("flip --dry-run exited %d, unmet %v", dr.code, unmetOf(drep)))}, began)
}

// watchMove runs the client loop around fn (a flip or rollback) and until
// every resolver uses side, or the bound passes; it narrates who moved when.
func (d *demo) watchMove(ctx context.Context, side string, fn func() bool) (bool, clientCounts, time.Time) {
	z, err := zone.Load(d.zone, zone.Options{})
	if err != nil {
		return false, clientCounts{}, time.Time{}
	}
	c := newClients(d.lab, z)
	// Real resolvers learn a delegation at different moments (whenever a
	// client first asks after it expired): prime each at another moment of
	// the NS TTL, so that they move one after the other.
	step := time.Duration(nsTTL) * time.Second / time.Duration(len(d.lab.Resolvers))
	for i, r := range d.lab.Resolvers {
		if i > 0 {
			time.Sleep(step)
		}
		r.Flush()
		_, _ = r.Resolve(ctx, "www."+exampleZone, dns.TypeA)
	}
	lctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { c.run(lctx, 200*time.Millisecond); close(done) }()
	time.Sleep(200 * time.Millisecond) // a round before
	flipped := time.Now()
	ok := fn()
	bound := time.Now().Add((nsTTL + prestageTTL + 3) * time.Second)
	for ok && time.Now().Before(bound) {
		cc := c.counts()
		all := true
		for _, r := range d.lab.Resolvers {
			if cc.Sides[r.Name] != side {
				all = false
			}
		}
		if all {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a few rounds after
	stop()
	<-done
	cc := c.counts()
	for _, r := range d.lab.Resolvers {
		if t, ok := cc.Moved[r.Name]; ok {
			d.say("    │ %s moved to the %s provider %.1f s after the change", r.Name, cc.Sides[r.Name], t.Sub(flipped).Seconds())
		} else {
			d.say("    │ %s uses the %s provider", r.Name, cc.Sides[r.Name])
		}
	}
	d.say("    │ client loop: %d rounds, %d answers, %d differing from the zone file, %d mixed between resolvers, %d failed",
		cc.Rounds, cc.Answers, cc.Wrong, cc.Mixed, cc.Failures)
	for _, e := range cc.Examples {
		d.say("    │   e.g. %s", e)
	}
	return ok, cc, flipped
}

// allOn reports whether every resolver uses side.
func (d *demo) allOn(cc clientCounts, side string) bool {
	for _, r := range d.lab.Resolvers {
		if cc.Sides[r.Name] != side {
			return false
		}
	}
	return true
}

func (d *demo) stepFlip(ctx context.Context) bool {
	return d.flipLike(ctx, "flip", "Flip: every gate passes, the NS set is replaced at the parent, resolvers move", "new", d.lab.New.NS, "flip")
}

func (d *demo) stepRollback(ctx context.Context) bool {
	return d.flipLike(ctx, "rollback", "Rollback: one command puts the old delegation back", "old", d.lab.Old.NS, "rollback")
}

// flipLike runs flip or rollback with the client loop and checks the
// registrar change, the command's report and the resolvers' move.
func (d *demo) flipLike(ctx context.Context, name, title, side string, ns []string, args ...string) bool {
	began := d.header(title)
	if !d.cmds.Has(args[0]) {
		return d.unavailable(name, args[0], began)
	}
	if name == "flip" {
		d.say("    Meanwhile a client loop asks each resolver every question of the zone five times a second")
		d.say("    and compares the answers with the zone file and with each other. The resolvers learned the")
		d.say("    delegation at different moments, as real ones do, so they move one after the other.")
	}
	newQueries := d.lab.New.Auth.Queries()
	var r cmdResult
	var rep *cutover.Report
	ok, cc, _ := d.watchMove(ctx, side, func() bool {
		r, rep = d.cutover(ctx, args...)
		return r.code == cli.ExitOK
	})
	parent := d.parentNS(ctx)
	facts := map[string]any{"clients": cc, "parent_ns": parent, "unmet": unmetOf(rep)}
	switch {
	case !ok || rep == nil:
		return d.record(Step{Name: name, Exit: &r.code, Facts: facts, Detail: fmt.Sprintf("%s exited %d, unmet gates %v", args[0], r.code, unmetOf(rep))}, began)
	case !sameNames(parent, ns):
		return d.record(Step{Name: name, Exit: &r.code, Facts: facts, Detail: fmt.Sprintf("the parent has NS %v, want %v", parent, ns)}, began)
	case rep.Delegation.PointsTo != side:
		return d.record(Step{Name: name, Exit: &r.code, Facts: facts, Detail: fmt.Sprintf("%s reports the delegation points to %q, want %q", args[0], rep.Delegation.PointsTo, side)}, began)
	case !d.allOn(cc, side):
		return d.record(Step{Name: name, Exit: &r.code, Facts: facts, Detail: fmt.Sprintf("not every resolver moved to the %s provider: %v", side, cc.Sides)}, began)
	case cc.Wrong > 0 || cc.Mixed > 0 || cc.Failures > 0:
		return d.record(Step{Name: name, Exit: &r.code, Facts: facts, Detail: fmt.Sprintf("%d wrong, %d mixed, %d failed answers while the delegation moved", cc.Wrong, cc.Mixed, cc.Failures)}, began)
	}
	asked := d.lab.New.Auth.Queries() - newQueries
	facts["new_provider_queries"] = asked
	if side == "new" && asked == 0 {
		return d.record(Step{Name: name, Exit: &r.code, Facts: facts, Detail: "the new provider's servers were never asked"}, began)
	}
	if side == "new" {
		d.say("    │ the new provider's own servers answered %d queries since the flip began", asked)
	}
	return d.record(Step{Name: name, OK: true, Exit: &r.code, Facts: facts,
		Detail: fmt.Sprintf("the parent now delegates to the %s provider; %s; %d answers, none wrong or mixed", side, plural.All(len(d.lab.Resolvers), "resolver", "resolvers", "moved", "moved"), cc.Answers)}, began)
}

func (d *demo) stepStatus(ctx context.Context) bool {
	began := d.header("Status: where the cutover stands, asked of the parent's servers and the resolvers")
	if !d.cmds.Has("status") {
		return d.unavailable("status", "status", began)
	}
	r, rep := d.cutover(ctx, "status")
	ok := r.code == cli.ExitOK && rep != nil && rep.Delegation.PointsTo == "new"
	detail := "the delegation points to the new provider; the overlap runs"
	if !ok {
		pt := ""
		if rep != nil {
			pt = rep.Delegation.PointsTo
		}
		detail = fmt.Sprintf("status exited %d, points_to %q (want new)", r.code, pt)
	}
	return d.record(Step{Name: "status", OK: ok, Exit: &r.code, Detail: detail}, began)
}

func (d *demo) stepEmergency(ctx context.Context) bool {
	began := d.header("Emergency: the old provider goes down; flip --emergency to the pre-provisioned new one")
	d.say("    Parity cannot be proven against a dead side, so a plain flip is refused. --emergency")
	d.say("    changes the gates: every old server must be unreachable, and the new side must serve")
	d.say("    exactly the zone file.")
	if !d.cmds.Has("flip") {
		return d.unavailable("emergency", "flip", began)
	}
	d.lab.Old.Down()
	d.say("    (the old provider's servers are stopped)")
	r, rep := d.cutover(ctx, "flip")
	if r.code == cli.ExitOK || !sameNames(d.parentNS(ctx), d.lab.Old.NS) {
		return d.record(Step{Name: "emergency", Exit: &r.code, Facts: map[string]any{"unmet": unmetOf(rep)},
			Detail: fmt.Sprintf("a plain flip with the old provider down exited %d (want it refused, the parent untouched)", r.code)}, began)
	}
	d.say("    A plain flip did not go through (exit %d: the old side cannot be asked), the parent untouched.", r.code)
	d.say("    Now with --emergency:")
	var er cmdResult
	var erep *cutover.Report
	ok, cc, _ := d.watchMove(ctx, "new", func() bool {
		er, erep = d.cutover(ctx, "flip", "--emergency")
		return er.code == cli.ExitOK
	})
	facts := map[string]any{"clients": cc, "unmet": unmetOf(erep)}
	gatesOK := erep != nil && gateOf(erep, "old-down") != nil && gateOf(erep, "old-down").OK && gateOf(erep, "new-matches-git") != nil && gateOf(erep, "new-matches-git").OK
	switch {
	case !ok || !gatesOK:
		return d.record(Step{Name: "emergency", Exit: &er.code, Facts: facts, Detail: fmt.Sprintf("flip --emergency exited %d, gates old-down and new-matches-git passed: %v", er.code, gatesOK)}, began)
	case !sameNames(d.parentNS(ctx), d.lab.New.NS) || !d.allOn(cc, "new"):
		return d.record(Step{Name: "emergency", Exit: &er.code, Facts: facts, Detail: fmt.Sprintf("after flip --emergency the parent has %v and resolvers use %v", d.parentNS(ctx), cc.Sides)}, began)
	case cc.Wrong > 0 || cc.Mixed > 0:
		return d.record(Step{Name: "emergency", Exit: &er.code, Facts: facts, Detail: fmt.Sprintf("%d wrong and %d mixed answers", cc.Wrong, cc.Mixed)}, began)
	}
	d.say("    Answers that failed before a resolver moved are the outage itself; none was wrong.")
	return d.record(Step{Name: "emergency", OK: true, Exit: &er.code, Facts: facts,
		Detail: fmt.Sprintf("flip --emergency moved the delegation to the new provider; %d answers, none wrong, %d failed during the outage", cc.Answers, cc.Failures)}, began)
}

// byHand prints how to use the lab by hand (--keep), after the state
// the story left it in.
func (d *demo) byHand(ctx context.Context) {
	l := d.lab
	p := ""
	if l.Port != 53 {
		p = fmt.Sprintf(" -p %d", l.Port)
	}
	side := ""
	switch parent := d.parentNS(ctx); {
	case sameNames(parent, l.New.NS):
		side = "new"
	case sameNames(parent, l.Old.NS):
		side = "old"
	}
	if state := labState(side, d.ranEmergency()); len(state) > 0 {
		d.say("")
		for _, line := range state {
			d.say("%s", line)
		}
	}
	d.say("\nBy hand (the lab stays up):")
	d.say("  cd %s", d.dir)
	d.say("  export %s=$(cat tsig.secret)   # the lab's TSIG key, for push and the registrar", secretEnv)
	d.say("  dig @%s%s example.test. NS +norec        # the delegation at the parent", query.Host(l.Parent.Addrs[0]), p)
	d.say("  dig @%s%s www.example.test. A +norec      # the old provider", query.Host(l.Old.Addrs[0]), p)
	d.say("  dig @%s%s www.example.test. A +norec      # the new provider", query.Host(l.New.Addrs[0]), p)
	d.say("  dig @%s%s www.example.test. A             # a caching resolver", query.Host(l.Resolvers[0].Addr()), p)
	d.say("  dnsparity check zones/")
	d.say("  dnsparity plan --config dnsparity.yaml --provider old,new")
	d.say("  dnsparity push --config dnsparity.yaml --provider old,new")
	d.say("  dnsparity parity --config dnsparity.yaml")
	d.say("  dnsparity ttl --cap %d zones/", prestageTTL)
	for _, c := range []string{"status", "flip --dry-run", "flip", "rollback", "finish"} {
		d.say("  dnsparity %s --zone %s --config dnsparity.yaml", c, exampleZone)
	}
}

// ranEmergency reports whether the story's last step was the emergency
// flip, and it went through.
func (d *demo) ranEmergency() bool {
	return len(d.steps) > 0 && d.steps[len(d.steps)-1].Name == "emergency" && d.steps[len(d.steps)-1].OK
}

// labState says where the lab's delegation stands (side: "new", "old",
// "" when neither) and what to try first: the whole story ends flipped
// to the new side by the emergency step, where `flip --dry-run` has
// nothing to do and finish is refused while an apex NS names an old
// server (gate old-unreferenced).
func labState(side string, emergency bool) []string {
	switch side {
	case "new":
		how := "the flip"
		if emergency {
			how = "the emergency flip"
		}
		return []string{
			fmt.Sprintf("The lab now delegates to the new side (%s): `flip --dry-run` has nothing to do; try `status`, then `rollback --dry-run`.", how),
			"`finish` is refused until no apex NS names an old server (gate old-unreferenced: the zone file's and the old provider's still do; its plan says how).",
		}
	case "old":
		return []string{"The lab delegates to the old side: try `status`, then `flip --dry-run`."}
	}
	return nil
}
