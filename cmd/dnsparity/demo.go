package main

import (
	"context"

	"github.com/dnsparity/dnsparity/internal/demo"
)

const demoHelp = `
Run the whole migration story on an embedded lab, in this process, with no
DNS server installed: a parent zone test. delegating example.test. to an old
provider, a new provider, and caching resolvers that follow the delegation and
honour TTLs (all on 127.54.x.y, port 53 when allowed, else a high port).

The story, narrated: check the zone (zones/example.test.zone of the
repository, built into the binary; --zones DIR takes your own), push it to
both providers, find what was changed by hand at the old provider with
parity, fix it with a push, prove parity; then the cutover: flip refused
(TTLs not pre-staged), ttl --cap, the wait, flip with its gates while a
client loop watches the resolvers move with no mixed answers, status,
rollback, and the emergency failover with the old provider down. TTLs are
seconds, not hours.

Exit 0 when every step behaved as expected, 1 naming the step that did not,
2 when the lab could not start. --keep leaves the lab running and prints how
to query it and run each command by hand.`

func runDemo(ctx context.Context, a *app, args []string) int {
	fl := a.newFlags("demo", "[--keep] [--dir DIR] [--zones DIR] [--format text|json]", demoHelp)
	keep := fl.Bool("keep", false, "leave the lab running (until Ctrl-C) and print how to use it by hand")
	dir := fl.String("dir", "", "working directory for the zone copy, config and audit trail (default: a temporary one)")
	zonesDir := fl.String("zones", "", "a folder holding your own example.test.zone (default: the one built into dnsparity)")
	format := textJSONFlag{"text"}
	fl.Var(&format, "format", "text (the narrated story) or json (the outcome of each step; the story goes to stderr)")
	if code, ok := a.parseFlags(fl, args); !ok {
		return code
	}
	return demo.Run(ctx, demo.Options{Commands: inProcess{}, Stdout: a.stdout, Stderr: a.stderr, Getenv: a.getenv,
		Keep: *keep, Dir: *dir, Zones: *zonesDir, JSON: format.formatFlag == "json"})
}
