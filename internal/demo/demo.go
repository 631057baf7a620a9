// Package demo is the story behind "dnsparity demo": the whole migration
// on the embedded lab (internal/lab/inproc), in this process, with no DNS
// server installed. Each step narrates, runs the real dnsparity commands
// through the cli.Runner the binary hands it, and records whether it
// behaved as the story expects.
package demo

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

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/lab/inproc"
	"github.com/dnsparity/dnsparity/zones"
)

// Step is the outcome of one step of the story.
type Step struct {
	Name    string         `json:"name"`
	OK      bool           `json:"ok"`
	Detail  string         `json:"detail"`
	Exit    *int           `json:"exit,omitempty"` // of the dnsparity command the step ran
	Seconds float64        `json:"seconds"`
	Facts   map[string]any `json:"facts,omitempty"`
}

// Result is what --format json prints.
type Result struct {
	OK      bool    `json:"ok"`
	Failed  string  `json:"failed,omitempty"` // the first step that did not behave
	Steps   []Step  `json:"steps"`
	Seconds float64 `json:"seconds"`
	Dir     string  `json:"dir"`
	Port    int     `json:"port"`
}

// Options are the demo's flags and surroundings.
type Options struct {
	// Commands runs dnsparity's commands (the binary hands them).
	Commands       cli.Runner
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Keep leaves the lab running until ctx ends or Ctrl-C, and prints how
	// to use it by hand.
	Keep bool
	// Dir is the working directory for the zone copy, the config and the
	// audit trail ("": a temporary one, removed at the end).
	Dir string
	// Zones is a folder holding your own example.test.zone ("": the one
	// built into the binary).
	Zones string
	// JSON prints the outcome of each step as JSON on Stdout; the story
	// goes to Stderr.
	JSON bool
}

// Run runs the story and returns the exit code: 0 when every step behaved
// as expected, 1 when one did not, 2 when the lab could not start.
func Run(ctx context.Context, o Options) int {
	src, text, err := zoneSource(o.Zones)
	if err != nil {
		fmt.Fprintf(o.Stderr, "dnsparity demo: %v\n", err)
		return cli.ExitError
	}
	work := o.Dir
	if work == "" {
		if work, err = os.MkdirTemp("", "dnsparity-demo-"); err != nil {
			fmt.Fprintf(o.Stderr, "dnsparity demo: %v\n", err)
			return cli.ExitError
		}
		defer os.RemoveAll(work) // with --keep too: the lab ends with the process
	}
	story := o.Stdout
	if o.JSON {
		story = o.Stderr
	}
	d := &demo{cmds: o.Commands, env: o.Getenv, out: story, dir: work, zoneSrc: src, zoneText: text, start: time.Now()}
	lab, err := inproc.Start(inproc.Options{Parent: "test.", Zone: exampleZone, NSTTL: nsTTL, SOATTL: longTTL, Resolvers: 3})
	if err != nil {
		fmt.Fprintf(o.Stderr, "dnsparity demo: %v\n", err)
		return cli.ExitError
	}
	defer lab.Close()
	d.lab = lab
	d.story(ctx)

	res := Result{OK: d.failed == "", Failed: d.failed, Steps: d.steps, Seconds: time.Since(d.start).Seconds(), Dir: work, Port: lab.Port}
	if o.JSON {
		enc := json.NewEncoder(o.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(o.Stderr, "dnsparity demo: %v\n", err)
			return cli.ExitError
		}
	}
	if o.Keep {
		// The emergency step took the old provider down: bring it back, so
		// that every command printed below works against both sides.
		if d.lab != nil && d.lab.Old != nil && !d.lab.Old.Auth.Listening() {
			if err := d.lab.Old.Up(); err != nil {
				fmt.Fprintf(o.Stderr, "dnsparity demo: bringing the old provider back: %v\n", err)
			} else {
				fmt.Fprintln(story, "\n(The old provider, stopped for the emergency step, is serving again.)")
			}
		}
		d.byHand(ctx)
		fmt.Fprintln(story, "\nThe lab keeps running; Ctrl-C ends it.")
		sig, stop := signal.NotifyContext(ctx, os.Interrupt)
		<-sig.Done()
		stop()
	}
	if !res.OK {
		return cli.ExitProblem
	}
	return cli.ExitOK
}

// builtIn names the zone built into the binary, in the story.
const builtIn = "the built-in zones/" + exampleZone + "zone"

// zoneSource is the zone the story migrates and where it comes from:
// example.test.zone in dir (--zones), else the copy built into the
// binary (zones.ExampleTest), so that the demo runs from any directory.
func zoneSource(dir string) (from string, text []byte, err error) {
	if dir == "" {
		return builtIn, zones.ExampleTest, nil
	}
	p := filepath.Join(dir, exampleZone+"zone")
	b, err := os.ReadFile(p)
	if err != nil {
		return "", nil, fmt.Errorf("--zones: %w", err)
	}
	return p, b, nil
}

// demo runs the story: each step narrates, runs real dnsparity commands
// in-process against the lab, and records its outcome.
type demo struct {
	cmds     cli.Runner
	env      func(string) string // the real environment
	out      io.Writer
	dir      string
	zoneSrc  string // where the zone comes from (a path, or builtIn)
	zoneText []byte
	lab      *inproc.Lab
	start    time.Time
	steps    []Step
	failed   string
	n        int
	zone     string // the working copy of the zone file
	config   string // the lab's dnsparity.yaml
}

// say narrates.
func (d *demo) say(format string, args ...any) {
	fmt.Fprintf(d.out, format+"\n", args...)
}

// header starts a step: it prints its title and returns when the step
// began (for record).
func (d *demo) header(title string) time.Time {
	began := time.Now()
	d.n++
	fmt.Fprintf(d.out, "\n%2d. %s  [%4.1f s]\n", d.n, title, time.Since(d.start).Seconds())
	return began
}

// record keeps a step's outcome; the first failure names the demo's.
func (d *demo) record(s Step, began time.Time) bool {
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
	if k == secretEnv {
		return d.lab.Key.Secret
	}
	return d.env(k)
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
	d.say("    $ dnsparity %s", strings.Join(d.shortArgs(args), " "))
	code := d.cmds.Run(ctx, args, cli.IO{Stdout: &out, Stderr: &errb, JSON: &js, Getenv: d.getenv})
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
