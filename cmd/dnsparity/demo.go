package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab/inproc"
)

const demoHelp = `
Run the whole migration story on an embedded lab, in this process, with no
DNS server installed: a parent zone test. delegating example.test. to an old
provider, a new provider, and caching resolvers that follow the delegation and
honour TTLs (all on 127.54.x.y, port 53 when allowed, else a high port).

The story, narrated: check the zone from zones/, push it to both providers,
find what was changed by hand at the old provider with parity, fix it with a
push, prove parity; then the cutover: flip refused (TTLs not pre-staged),
ttl --cap, the wait, flip with its gates while a client loop watches the
resolvers move with no mixed answers, status, rollback, and the emergency
failover with the old provider down. TTLs are seconds, not hours.

Exit 0 when every step behaved as expected, 1 naming the step that did not,
2 when the lab could not start. --keep leaves the lab running and prints how
to query it and run each command by hand.`

// demoStep is the outcome of one step of the story.
type demoStep struct {
	Name    string         `json:"name"`
	OK      bool           `json:"ok"`
	Detail  string         `json:"detail"`
	Exit    *int           `json:"exit,omitempty"` // of the dnsparity command the step ran
	Seconds float64        `json:"seconds"`
	Facts   map[string]any `json:"facts,omitempty"`
}

// demoResult is what --format json prints.
type demoResult struct {
	OK      bool       `json:"ok"`
	Failed  string     `json:"failed,omitempty"` // the first step that did not behave
	Steps   []demoStep `json:"steps"`
	Seconds float64    `json:"seconds"`
	Dir     string     `json:"dir"`
	Port    int        `json:"port"`
}

func runDemo(ctx context.Context, a *app, args []string) int {
	fl := a.newFlags("demo", "[--keep] [--dir DIR] [--format text|json]", demoHelp)
	keep := fl.Bool("keep", false, "leave the lab running (until Ctrl-C) and print how to use it by hand")
	dir := fl.String("dir", "", "working directory for the zone copy, config and audit trail (default: a temporary one)")
	zonesDir := fl.String("zones", "", "where example.test.zone is (default: zones/ found from the current directory up)")
	format := formatFlag("text")
	fl.Var(&format, "format", "text (the narrated story) or json (the outcome of each step; the story goes to stderr)")
	if code, ok := parseFlags(fl, args); !ok {
		return code
	}
	if format == "markdown" {
		fmt.Fprintln(a.stderr, "dnsparity demo: --format is text or json")
		return exitError
	}
	src, err := demoZoneSource(*zonesDir)
	if err != nil {
		fmt.Fprintf(a.stderr, "dnsparity demo: %v\n", err)
		return exitError
	}
	work := *dir
	if work == "" {
		if work, err = os.MkdirTemp("", "dnsparity-demo-"); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity demo: %v\n", err)
			return exitError
		}
		defer os.RemoveAll(work) // with --keep too: the lab ends with the process
	}
	story := io.Writer(a.stdout)
	if format == "json" {
		story = a.stderr
	}
	d := &demo{app: a, out: story, dir: work, zoneSrc: src, start: time.Now()}
	lab, err := inproc.Start(inproc.Options{Parent: "test.", Zone: demoZone, NSTTL: demoNSTTL, SOATTL: demoLongTTL, Resolvers: 3})
	if err != nil {
		fmt.Fprintf(a.stderr, "dnsparity demo: %v\n", err)
		return exitError
	}
	defer lab.Close()
	d.lab = lab
	d.story(ctx)

	res := demoResult{OK: d.failed == "", Failed: d.failed, Steps: d.steps, Seconds: time.Since(d.start).Seconds(), Dir: work, Port: lab.Port}
	if format == "json" {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity demo: %v\n", err)
			return exitError
		}
	}
	if *keep {
		// The emergency step took the old provider down: bring it back, so
		// that every command printed below works against both sides.
		if d.lab != nil && d.lab.Old != nil && !d.lab.Old.Auth.Listening() {
			if err := d.lab.Old.Up(); err != nil {
				fmt.Fprintf(a.stderr, "dnsparity demo: bringing the old provider back: %v\n", err)
			} else {
				fmt.Fprintln(story, "\n(The old provider, stopped for the emergency step, is serving again.)")
			}
		}
		d.byHand()
		fmt.Fprintln(story, "\nThe lab keeps running; Ctrl-C ends it.")
		sig, stop := signal.NotifyContext(ctx, os.Interrupt)
		<-sig.Done()
		stop()
	}
	if !res.OK {
		return exitProblem
	}
	return exitOK
}

// demoZoneSource finds zones/example.test.zone from dir or the current
// directory up.
func demoZoneSource(dir string) (string, error) {
	if dir != "" {
		p := filepath.Join(dir, demoZone+"zone")
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("--zones: %w", err)
		}
		return p, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "zones", demoZone+"zone")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("zones/%szone not found from %s up (run the demo inside the repository, or give --zones)", demoZone, wd)
		}
	}
}

// demo runs the story: each step narrates, runs real dnsparity commands
// in-process against the lab, and records its outcome.
type demo struct {
	app     *app
	out     io.Writer
	dir     string
	zoneSrc string
	lab     *inproc.Lab
	start   time.Time
	steps   []demoStep
	failed  string
	n       int
	zone    string // the working copy of the zone file
	config  string // the lab's dnsparity.yaml
}

// say narrates.
func (d *demo) say(format string, args ...any) {
	fmt.Fprintf(d.out, format+"\n", args...)
}

// header starts a step.
func (d *demo) header(title string) {
	d.n++
	fmt.Fprintf(d.out, "\n%2d. %s  [%4.1f s]\n", d.n, title, time.Since(d.start).Seconds())
}

// record keeps a step's outcome; the first failure names the demo's.
func (d *demo) record(s demoStep, began time.Time) bool {
	s.Seconds = time.Since(began).Seconds()
	d.steps = append(d.steps, s)
	if s.OK {
		d.say("    ✓ %s", s.Detail)
		return true
	}
	d.say("    ✗ %s: %s", s.Name, s.Detail)
	if d.failed == "" {
		d.failed = s.Name
	}
	return false
}

// getenv gives the commands the lab's TSIG secret; everything else from
// the real environment.
func (d *demo) getenv(k string) string {
	if k == demoSecretEnv {
		return d.lab.Key.Secret
	}
	return d.app.getenv(k)
}

// cmdResult is what a dnsparity command printed and returned.
type cmdResult struct {
	code           int
	stdout, stderr string
	json           []byte // the report from jsonOut (check, plan, push, parity)
}

// run runs "dnsparity ARGS" in-process and shows it as typed.
func (d *demo) run(ctx context.Context, args ...string) cmdResult {
	var out, errb, js bytes.Buffer
	sub := &app{stdout: &out, stderr: &errb, getenv: d.getenv, jsonOut: &js}
	d.say("    $ dnsparity %s", strings.Join(d.shortArgs(args), " "))
	code := sub.main(ctx, args)
	r := cmdResult{code: code, stdout: out.String(), stderr: errb.String(), json: js.Bytes()}
	return r
}

// show prints command output indented, at most max lines.
func (d *demo) show(text string, max int) {
	text = strings.ReplaceAll(text, d.dir+string(filepath.Separator), "")
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return
	}
	for i, l := range lines {
		if i == max {
			d.say("    │ … (%d more lines)", len(lines)-max)
			break
		}
		d.say("    │ %s", l)
	}
}

// shortArgs writes paths in the working directory relative to it.
func (d *demo) shortArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if rel, err := filepath.Rel(d.dir, a); err == nil && filepath.IsAbs(a) && !strings.HasPrefix(rel, "..") {
			a = rel
		}
		out[i] = a
	}
	return out
}
