package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/shard"
)

const matrixHelp = `
Split the zones of dnsparity.yaml into at most N shards of about equal
size (the bytes loading each zone reads: its file and the files its
$INCLUDEs read, a line end one byte in LF and CRLF checkouts alike; the
split scans them and parses no zone, so every --shard run makes it again
at little cost; at most 256, GitHub's jobs per
matrix, and never more shards than zones) and print the JSON
strategy.matrix takes ("rrsets": the RRsets each shard holds):

  {"include": [{"shard": "1/16", "zones": ["a.example.", ...], "rrsets": 1234,
    "artifact": "dnsparity-shard-1-of-16"}, ...]}

Each job then runs its shard: dnsparity parity --shard 1/16 (or check,
plan, push; in the Action, command sync, drift or pr with shard:
${{ matrix.shard }}, uploading its report as ${{ matrix.artifact }});
dnsparity merge (the Action's command merge) combines their JSON reports. The
split is computed again, the same way, by every --shard run: the jobs
must check out the same commit.

--zone NAME (repeatable) splits only those zones of the config: the
Action's matrix in a pull request splits the zones the pull request
changes, as each shard job and the merge split them again.

A zone file that cannot be read (missing, outside the repository) is
named on stderr, with its shard, whose job will fail on it; the matrix is
printed all the same.

Exit: 0 printed, 2 could not run (no config, a bad config, a --zone not
in it).`

// shardFlag is --shard I/N.
type shardFlag struct{ spec *shard.Spec }

func (f *shardFlag) String() string {
	if f.spec == nil {
		return ""
	}
	return f.spec.String()
}

func (f *shardFlag) Set(v string) error {
	s, err := shard.Parse(v)
	if err != nil {
		return err
	}
	f.spec = &s
	return nil
}

// shardUsage is --shard's help line.
const shardUsage = "run only shard I of N of the config's zones (I/N, as dnsparity matrix prints; the split is by the bytes each zone loads, its $INCLUDEs too, and parses no zone)"

func runMatrix(_ context.Context, a *app, args []string) int {
	fl := a.newFlags("matrix", "[--shards N] [--config FILE] [--zone NAME]...", matrixHelp)
	n := fl.Int("shards", 16, "at most this many shards (1 to 256)")
	var names multiFlag
	fl.Var(&names, "zone", "split only this zone of the config (repeatable)")
	cfgPath := fl.String("config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	if code, ok := a.parseFlags(fl, args); !ok {
		return code
	}
	fail := func(msg string) int {
		fmt.Fprintf(a.stderr, "dnsparity matrix: %s\n", msg)
		return exitError
	}
	if msg := strayArgs(fl); msg != "" {
		return fail(msg)
	}
	if *n < 1 || *n > shard.Max {
		return fail(fmt.Sprintf("--shards %d: want 1 to %d (GitHub runs at most %d jobs per matrix)", *n, shard.Max, shard.Max))
	}
	cfg, err := a.loadConfig(*cfgPath)
	if err != nil {
		return fail(err.Error())
	}
	if len(cfg.Zones) == 0 {
		return fail(cfg.Path + " lists no zones")
	}
	if len(names) > 0 {
		zs, err := shard.Select(cfg, nil, names)
		if err != nil {
			return fail(err.Error())
		}
		cfg.SetZones(zs)
	}
	m := shard.NewMatrix(cfg, *n)
	b, err := json.Marshal(m)
	if err != nil {
		return fail(err.Error())
	}
	fmt.Fprintln(a.stdout, string(b))
	for _, u := range m.Unreadable {
		fmt.Fprintf(a.stderr, "dnsparity matrix: warning: zone %s (shard %s): %v: its shard's job will fail on it\n", u.Zone, u.Shard, u.Err)
	}
	sizes := make([]string, 0, len(m.Include))
	for _, e := range m.Include {
		sizes = append(sizes, fmt.Sprintf("%d", e.RRsets))
	}
	fmt.Fprintf(a.stderr, "dnsparity matrix: %s in %s of %s RRsets\n", plural.N(len(cfg.Zones), "zone", "zones"), plural.N(len(m.Include), "shard", "shards"), strings.Join(sizes, ", "))
	return exitOK
}

// loadConfig loads the config at path, or the one found from the current
// directory up, with the values the caller masks as its secrets.
func (a *app) loadConfig(path string) (*config.Config, error) {
	return a.configs.LoadMasked(path, a.masked)
}
