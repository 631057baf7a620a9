package export

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/fanout"
	"github.com/dnsparity/dnsparity/internal/provider"
)

// ImportOptions say what `dnsparity import` reads and where it writes.
type ImportOptions struct {
	// Name is the provider's name in Config; Prov is it opened.
	Name   string
	Prov   provider.Provider
	Config *config.Config
	// Zones are the zones read (canonical names) and Files where each
	// goes ("-": stdout), as Outputs gives them.
	Zones, Files []string
	// Listed says where a zone of a --zones-from file is listed: a zone
	// the provider does not hold is said at that line.
	Listed config.ZoneArgs
	// Stdout and Stderr receive a zone written to "-", and the progress,
	// what was not written and what needs a decision.
	Stdout, Stderr io.Writer
}

// imported is one zone's import as it ended: the text written to stdout,
// the lines its report prints, and its exit code.
type imported struct {
	text  []byte
	lines []string
	code  int
}

// Import reads each zone of o from the provider and writes it
// (FromProvider), several zones at once (each provider's API budget is
// shared by them), each zone's report on stderr in zone order as soon as
// the zones before it are done: what was not written, what needs a
// decision, then what was written. The exit code is the worst zone's: 0
// every record written, 1 some not (listed), 2 a zone could not be read
// or written.
func Import(ctx context.Context, o ImportOptions) int {
	pc := o.Config.Providers[o.Name]
	if a, ok := o.Prov.(provider.ZonesAhead); ok {
		a.ExpectZones(len(o.Zones)) // found from one listing of the account's where it can
	}
	var mu sync.Mutex // the zones at once share stderr
	say := func(lines ...string) {
		mu.Lock()
		defer mu.Unlock()
		for _, l := range lines {
			fmt.Fprintln(o.Stderr, l)
		}
	}
	exit := cli.ExitOK
	n := fanout.Ordered(ctx, len(o.Zones), fanout.Options{Limit: 8}, func(ctx context.Context, i int) imported {
		say(fmt.Sprintf("dnsparity import: reading %s from provider %s (%s)", o.Zones[i], o.Name, pc.Type))
		return importZone(ctx, o, pc, o.Zones[i], o.Files[i])
	}, func(i int, r imported) bool {
		if r.text != nil {
			if _, err := o.Stdout.Write(r.text); err != nil {
				r.lines, r.code = []string{"dnsparity import: " + err.Error()}, cli.ExitError
			}
		}
		say(r.lines...)
		exit = max(exit, r.code)
		return true
	})
	if n < len(o.Zones) {
		say(fmt.Sprintf("dnsparity import: interrupted: %d of %d zones not imported: %s", len(o.Zones)-n, len(o.Zones), strings.Join(o.Zones[n:], " ")))
		exit = cli.ExitError
	}
	return exit
}

// importZone reads origin and writes it to file ("-": returned, for
// stdout).
func importZone(ctx context.Context, o ImportOptions, pc *config.Provider, origin, file string) imported {
	var buf bytes.Buffer
	shown := file
	if shown == "-" {
		shown = "(stdout)"
	}
	fail := func(err error) imported {
		return imported{lines: []string{"dnsparity import: " + err.Error()}, code: cli.ExitError}
	}
	res, features, err := FromProvider(ctx, &buf, o.Prov, o.Name, pc.Type, origin, shown, o.Config.ShownSecret)
	if err != nil {
		// A provider that cannot list its zones (an RFC 2136 server):
		// the zone meant, from the config's zones, as every --zone.
		if _, lists := o.Prov.(provider.ZoneLister); !lists && errors.Is(err, provider.ErrZoneNotFound) {
			if _, zerr := o.Config.Zone(origin); zerr != nil {
				err = fmt.Errorf("%w; in %s: %s", err, o.Config.Path, o.Config.ZoneHint(origin))
			}
		}
		if at := o.Listed.At(origin); at != "" && errors.Is(err, provider.ErrZoneNotFound) {
			err = fmt.Errorf("%s%w", at, err)
		}
		return fail(err)
	}
	var r imported
	if file == "-" {
		r.text = buf.Bytes()
	} else if err := confine.WriteFileMaking(file, buf.Bytes(), 0o644); err != nil {
		return fail(err)
	}
	// Errors first: what was not written, then what needs a decision.
	for _, s := range res.Skipped {
		r.lines = append(r.lines, fmt.Sprintf("not written: %s", s))
	}
	for _, f := range features {
		if !f.Omitted {
			r.lines = append(r.lines, fmt.Sprintf("needs a decision: %s %s: %s: %s", f.Name, f.Type, f.Feature, f.Advice))
		}
	}
	syn := ""
	if len(res.Synthesized) > 0 {
		syn = fmt.Sprintf(", apex %v synthesized", res.Synthesized)
	}
	r.lines = append(r.lines, fmt.Sprintf("dnsparity import: wrote %d records of %s to %s (%d with a decision comment%s), %d not written",
		res.Records, origin, shown, res.Annotated, syn, len(res.Skipped)))
	if len(res.Skipped) > 0 {
		r.code = cli.ExitProblem
	}
	return r
}
