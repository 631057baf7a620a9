package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/report"
	"github.com/dnsparity/dnsparity/internal/ttlcap"
)

const (
	exampleZone = "example.test."
	secretEnv   = "DEMO_TSIG_SECRET"
	nsTTL       = 2 // the parent's NS TTL, seconds (a TLD's is often 172,800)
	longTTL     = 6 // the zone's TTLs in demo time (an hour or a day in real life)
	prestageTTL = 2 // policy.prestage_ttl in demo time (300 s in real life)
)

// story runs the steps in order and stops at the first that did not behave.
func (d *demo) story(ctx context.Context) {
	steps := []func(context.Context) bool{
		d.stepLab, d.stepCheck, d.stepPush, d.stepHandEdit, d.stepParityFinds, d.stepFix, d.stepParityClean,
		d.stepFlipRefused, d.stepTTLCap, d.stepWait, d.stepFlip, d.stepStatus, d.stepRollback, d.stepEmergency,
	}
	var missing []string
	for _, s := range steps {
		if ctx.Err() != nil {
			break
		}
		if s(ctx) {
			continue
		}
		last := d.steps[len(d.steps)-1]
		if last.Facts["unavailable"] != true {
			d.say("\nThe demo stopped at step %q: it did not behave as the story expects (above).", last.Name)
			return
		}
		missing = append(missing, last.Name) // go on: later steps may still run
	}
	if len(missing) > 0 {
		d.say("\nNot available in this build: %s. The story is incomplete, so the demo fails (first: %q).", strings.Join(missing, ", "), d.failed)
		return
	}
	d.say("\nEvery step behaved as expected, in %.1f s.", time.Since(d.start).Seconds())
}

func (d *demo) stepLab(_ context.Context) bool {
	began := d.header("The lab: a parent zone, two providers, three resolvers — all in this process")
	l := d.lab
	d.say("    parent zone test.          %s  (the registry: it holds the delegation of example.test.)", strings.Join(l.Parent.Addrs, " "))
	d.say("    old provider               %s  (%s)", strings.Join(l.Old.Addrs, " "), strings.Join(l.Old.NS, " "))
	d.say("    new provider               %s  (%s)", strings.Join(l.New.Addrs, " "), strings.Join(l.New.NS, " "))
	d.say("    caching resolvers          %s", strings.Join(l.ResolverAddrs(), " "))
	d.say("    Each provider serves example.test. with only its own SOA and NS, as a fresh zone at a provider")
	d.say("    does; both take zone transfers and RFC 2136 updates signed with a TSIG key, which is how")
	d.say("    dnsparity's rfc2136 provider talks to BIND, Knot or PowerDNS. Time is compressed: TTLs are")
	d.say("    seconds (the parent's NS TTL is %d s, the zone's TTLs %d s) where real ones are hours.", nsTTL, longTTL)
	if l.Port != 53 {
		d.say("    (port 53 needs root here, so every server listens on port %d; the resolvers ask delegated", l.Port)
		d.say("    servers on that port, since glue carries no port.)")
	}
	// The working copy: the zone (built in, or from --zones), time
	// compressed, and a config pointing at the lab.
	if err := os.MkdirAll(filepath.Join(d.dir, "zones"), 0o755); err != nil {
		return d.record(Step{Name: "lab", Detail: err.Error()}, began)
	}
	d.zone = filepath.Join(d.dir, "zones", exampleZone+"zone")
	err := os.WriteFile(d.zone, d.zoneText, 0o644)
	if err == nil {
		_, err = ttlcap.Cap(d.zone, longTTL, ttlcap.Options{})
		var inv *ttlcap.InvalidError
		if errors.As(err, &inv) {
			err = nil // left as it is: the check step names its errors
		}
	}
	if err == nil {
		d.config = filepath.Join(d.dir, "dnsparity.yaml")
		err = os.WriteFile(d.config, []byte(d.configText()), 0o644)
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(d.dir, "tsig.secret"), []byte(d.lab.Key.Secret+"\n"), 0o600)
	}
	if err != nil {
		return d.record(Step{Name: "lab", Detail: err.Error()}, began)
	}
	d.say("    Working directory %s: zones/%szone (copied from %s, every TTL capped at %d s), dnsparity.yaml.", d.dir, exampleZone, d.zoneSrc, longTTL)
	return d.record(Step{Name: "lab", OK: true, Detail: fmt.Sprintf("lab up on port %d", l.Port),
		Facts: map[string]any{"port": l.Port, "parent": l.Parent.Addrs, "old": l.Old.Addrs, "new": l.New.Addrs, "resolvers": l.ResolverAddrs()}}, began)
}

// configText is the lab's dnsparity.yaml.
func (d *demo) configText() string {
	l := d.lab
	tsig := fmt.Sprintf("{name: %s, algorithm: hmac-sha256, secret_env: %s}", l.Key.Name, secretEnv)
	side := func(addrs, ns []string) string {
		return fmt.Sprintf(`    type: rfc2136
    server: %s
    nameservers: [%s]
    delegation: [%s]
    tsig: %s
`, addrs[0], strings.Join(addrs, ", "), strings.Join(ns, ", "), tsig)
	}
	return fmt.Sprintf(`# dnsparity.yaml for the demo's embedded lab (written by dnsparity demo).
zones:
  - name: %s
    file: zones/%szone
providers:
  old:
%s  new:
%s  parent:
    type: rfc2136
    server: %s
    tsig: %s
registrar:
  type: parent
  zone: test.
  provider: parent
policy:
  max_change_percent: 50
  prestage_ttl: %d
  overlap: 10s
cutover:
  resolvers: [%s]
  parent_servers: [%s]
  state_dir: .dnsparity/cutover
  watch: 8s
`, exampleZone, exampleZone, side(l.Old.Addrs, l.Old.NS), side(l.New.Addrs, l.New.NS),
		l.Parent.Addrs[0], tsig, prestageTTL, strings.Join(l.ResolverAddrs(), ", "), l.Parent.Addrs[0])
}

func (d *demo) stepCheck(ctx context.Context) bool {
	began := d.header("Check the zone file, as the pull request workflow does")
	d.say("    The zone lives in git as a BIND zone file; check validates it the way named-checkzone does.")
	r := d.run(ctx, "check", "--format", "text", d.zone)
	d.show(r.stdout+r.stderr, 10)
	var rep report.CheckJSON
	_ = json.Unmarshal(r.json, &rep)
	ok := r.code == cli.ExitOK && len(rep.Problems) == 0
	return d.record(Step{Name: "check", OK: ok, Exit: &r.code, Detail: pick(ok, "the zone is valid: no problems", fmt.Sprintf("check exited %d with %s", r.code, plural.N(len(rep.Problems), "problem", "problems")))}, began)
}

// pushed runs push for old and new and returns how many changes each got.
func (d *demo) push(ctx context.Context, providers string, extra ...string) (cmdResult, map[string]int) {
	r := d.run(ctx, append([]string{"push", "--config", d.config, "--provider", providers}, extra...)...)
	d.show(summaryLines(r.stdout, "provider ")+r.stderr, 14)
	var rep report.PlanJSON
	_ = json.Unmarshal(r.json, &rep)
	got := map[string]int{}
	for _, p := range rep.Plans {
		got[p.Provider] += 0 // present even when nothing was applied
		if p.Applied != nil {
			got[p.Provider] += *p.Applied
		}
	}
	return r, got
}

func (d *demo) stepPush(ctx context.Context) bool {
	began := d.header("Push the zone to both providers")
	d.say("    push lists each provider's zone (AXFR), compares it with git on canonical wire form, and sends")
	d.say("    the difference as TSIG-signed RFC 2136 UPDATEs. The providers' own SOA and apex NS stay theirs.")
	r, applied := d.push(ctx, "old,new")
	ok := r.code == cli.ExitOK && applied["old"] > 0 && applied["new"] > 0 && applied["old"] == applied["new"]
	return d.record(Step{Name: "push", OK: ok, Exit: &r.code, Facts: map[string]any{"applied": applied},
		Detail: pick(ok, fmt.Sprintf("both providers now hold the zone (%d RRset changes each)", applied["new"]),
			fmt.Sprintf("push exited %d, changes applied %v", r.code, applied))}, began)
}

// The hand edits made at the old provider behind git's back.
var handEdits = struct{ del, add string }{
	del: `mail2026._domainkey.example.test. 0 IN TXT "set"
example.test. 0 IN MX 0 set.
example.test. 0 IN TXT "set"`,
	add: `mail2026._domainkey.example.test. 6 IN TXT "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoD7IgcegN67riRUf7Rm/HjIaprMBgDV6GJr6yl66m7vEMpO8e0hQp0UCnOtiZZF+dmh+GOIS1pTJ+ayJxJllo2zUX2MaXoJyYIVT0cmdUGnfXLdeXw9WvOEP/9OPBs/nk7w+HT1glW3bpH7DDAzKf6VP" "OvFvlxBOaFQpvgU8rhrRGsyXUNCB9PBgrdcW0x6KDmialzTRarqfaDSdYSxZ8s2a9yZpyfmsLyTWebMym2d6uqo3VvG5vpFZ9mHndvd4c5SjEpD5BVGeCCcMQTfHTVOIaAk8aPG5nRC8dKs/Nytep45W5u5H0THsrRbKTD93IE99e9yDxObYgePsImVz5QIDAQAB"
example.test. 6 IN MX 10 mx1.example.test.
example.test. 6 IN MX 20 mx-legacy.example.test.
mx-legacy.example.test. 6 IN A 203.0.113.25
example.test. 6 IN TXT "v=spf1 mx include:_spf.example.test include:_spf-legacy.example.test ~all"
_spf-legacy.example.test. 6 IN TXT "v=spf1 a:mx1.example.test a:mx2.example.test a:web.example.test a:api.example.test a:mx-legacy.example.test mx:example.test a:example.test include:_spf.example.test ~all"`,
}

func (d *demo) stepHandEdit(ctx context.Context) bool {
	began := d.header("Meanwhile, someone edits the old provider by hand (its web console, behind git's back)")
	d.say("    Three changes, each common in real migrations (simulated here with a signed UPDATE):")
	d.say("    - the DKIM key pasted again, its two strings split at another point than in git;")
	d.say("    - the second MX pointed at mx-legacy, a mail server git retired;")
	d.say("    - an SPF include for the legacy server added, which takes SPF over 10 DNS lookups.")
	del, err := parseRRs(handEdits.del)
	var add []dns.RR
	if err == nil {
		add, err = parseRRs(handEdits.add)
	}
	if err == nil {
		err = d.lab.Update(ctx, d.lab.Old, exampleZone, del, add)
	}
	return d.record(Step{Name: "hand-edit", OK: err == nil, Detail: pick(err == nil, "the old provider now differs from git in three places", fmt.Sprint(err))}, began)
}

func parseRRs(text string) ([]dns.RR, error) {
	var out []dns.RR
	for _, l := range strings.Split(text, "\n") {
		rr, err := dns.NewRR(l)
		if err != nil {
			return nil, fmt.Errorf("demo record %q: %w", l, err)
		}
		out = append(out, rr)
	}
	return out, nil
}

func (d *demo) parity(ctx context.Context) (cmdResult, []parity.Finding) {
	r := d.run(ctx, "parity", "--config", d.config)
	d.show(r.stdout+r.stderr, 40)
	var rep parity.Report // one zone: one object
	_ = json.Unmarshal(r.json, &rep)
	return r, rep.Findings
}

func (d *demo) stepParityFinds(ctx context.Context) bool {
	began := d.header("Parity: ask both providers every question a resolver can ask, compare the answers")
	r, fs := d.parity(ctx)
	find := func(name, typ string, sev ...string) *parity.Finding {
		for i, f := range fs {
			if strings.EqualFold(f.Name, name) && f.Type == typ && (len(sev) == 0 || f.Severity == sev[0]) {
				return &fs[i]
			}
		}
		return nil
	}
	dkim := find("mail2026._domainkey.example.test.", "TXT", "info")
	mx := find(exampleZone, "MX", "error")
	var spf *parity.Finding
	for i, f := range fs {
		if strings.HasPrefix(f.Kind, "spf") && f.Severity == "error" {
			spf = &fs[i]
		}
	}
	d.say("    What parity found, and why it matters:")
	if dkim != nil {
		d.say("    - DKIM split differently: info. Verifiers join the strings (RFC 6376 §3.6.2.2), so mail")
		d.say("      keeps validating either way; parity says so instead of crying wolf.")
	}
	if mx != nil {
		d.say("    - The stale MX: error. During the flip, senders whose resolver still asks the old provider")
		d.say("      deliver to mx-legacy, the others to mx2: mail splits between two servers at random.")
	}
	if spf != nil {
		d.say("    - SPF over 10 lookups on the old side: error. RFC 7208 §4.6.4 makes receivers answer")
		d.say("      permerror, so SPF fails for everyone who still reaches the old provider.")
	}
	ok := r.code == cli.ExitProblem && dkim != nil && mx != nil && spf != nil
	kinds := []string{}
	for _, f := range fs {
		kinds = append(kinds, f.Severity+":"+f.Name+"/"+f.Type+"/"+f.Kind)
	}
	missing := []string{}
	for what, f := range map[string]*parity.Finding{"DKIM split (info)": dkim, "stale MX (error)": mx, "SPF lookups (error)": spf} {
		if f == nil {
			missing = append(missing, what)
		}
	}
	return d.record(Step{Name: "parity-finds", OK: ok, Exit: &r.code, Facts: map[string]any{"findings": kinds, "dkim_info": dkim != nil, "mx_error": mx != nil, "spf_error": spf != nil},
		Detail: pick(ok, "parity found all three, and refused (exit 1)", fmt.Sprintf("parity exited %d; not found: %s", r.code, strings.Join(missing, ", ")))}, began)
}

func (d *demo) stepFix(ctx context.Context) bool {
	began := d.header("The fix: push again, and git wins at the old provider too")
	r, applied := d.push(ctx, "old,new")
	ok := r.code == cli.ExitOK && applied["old"] > 0 && applied["new"] == 0
	return d.record(Step{Name: "fix", OK: ok, Exit: &r.code, Facts: map[string]any{"applied": applied},
		Detail: pick(ok, fmt.Sprintf("%d RRsets put back at the old provider, nothing to do at the new one", applied["old"]), fmt.Sprintf("push exited %d, applied %v", r.code, applied))}, began)
}

func (d *demo) stepParityClean(ctx context.Context) bool {
	began := d.header("Parity again: it holds")
	r, fs := d.parity(ctx)
	errs := 0
	for _, f := range fs {
		if f.Severity == "error" {
			errs++
		}
	}
	ok := r.code == cli.ExitOK && errs == 0
	return d.record(Step{Name: "parity-clean", OK: ok, Exit: &r.code, Facts: map[string]any{"errors": errs, "findings": len(fs)},
		Detail: pick(ok, "no error: a resolver cannot tell the providers apart", fmt.Sprintf("parity exited %d with %s", r.code, plural.N(errs, "error finding", "error findings")))}, began)
}

// summaryLines keeps the lines that start with prefix.
func summaryLines(text, prefix string) string {
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

func pick(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}
