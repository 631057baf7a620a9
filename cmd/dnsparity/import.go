package main

import (
	"context"
	"fmt"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/export"
	"github.com/dnsparity/dnsparity/internal/provider"
)

const importHelp = `
Read a provider's live zone (its API, or AXFR for rfc2136) and write it as a
BIND zone file that 'dnsparity check' accepts and that round-trips: 'plan'
against the same provider is then empty. Records that need a decision before
the migration (provider-only features: proxied records, alias records, TTL
"automatic", routing policies) carry a "; dnsparity:" comment; records a zone
file cannot hold are written as comments and listed on stderr, never dropped.
An apex SOA or NS the provider's API does not list is synthesized (push never
changes either unless manage_apex). A zone the provider does not hold is
said so, with the zone meant ("did you mean example.com.?") where the
provider lists its zones (every API provider), else among the config's
zones (an RFC 2136 server). -o creates the folders it names.
Several zones (--zone repeated, or --zones-from FILE) are read a few at
once in one run, each written to NAME.zone in the folder -o names, each
one's report on stderr in the order given; an output file that exists
stops the run before anything is read (unless --force); with --force, so
does one holding what import never writes ($INCLUDE, $GENERATE, comments in
a file import did not write) unless --discard-edits, which says what is lost.
A provider's record holding one of the config's secrets (an API key pasted
into a TXT) is refused, as plan and push refuse one in a zone file: nothing
is written.

Exit 0 when every record was written, 1 when some were not (listed), 2 when
it could not run (several zones: the worst zone's).`

func runImport(ctx context.Context, a *app, args []string) int {
	fs := a.newFlags("import", "--provider NAME --zone NAME... | --zones-from FILE [-o FILE|FOLDER] [--config F] [--force [--discard-edits]]", importHelp)
	prov := fs.String("provider", "", "provider name under providers: in the config")
	var zones multiFlag
	fs.Var(&zones, "zone", "the zone's name (example.com.; repeatable: several zones, read at once, each to FOLDER/NAME.zone)")
	zonesFrom := fs.String("zones-from", "", "a file listing the zones, one a line (# comments)")
	out := fs.String("o", "-", "output file (- for stdout); with several zones, the folder each zone's NAME.zone is written in")
	cfgPath := fs.String("config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	force := fs.Bool("force", false, "overwrite existing output files (but one with $INCLUDE, $GENERATE or, not written by import, comments: see --discard-edits)")
	discard := fs.Bool("discard-edits", false, "with --force: overwrite such a file too, saying what is lost")
	if code, ok := a.parseFlags(fs, args); !ok {
		return code
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(a.stderr, "dnsparity import: "+format+"\n", args...)
		return exitError
	}
	if msg := strayArgs(fs); msg != "" {
		return fail("%s", msg)
	}
	for _, z := range zones {
		if _, ok := dns.IsDomainName(z); !ok {
			return fail("--zone %q is not a domain name", z)
		}
	}
	listed, err := config.ReadZoneArgs(zones, *zonesFrom)
	origins := listed.Names
	switch {
	case err != nil:
		return fail("%v", err)
	case *prov == "" || len(origins) == 0:
		return fail("--provider and --zone are required")
	}
	files, err := export.Outputs(origins, *out, export.OutputOptions{Force: *force, DiscardEdits: *discard, Warn: a.stderr})
	if err != nil {
		return fail("%v", err)
	}
	cfg, err := a.loadConfig(*cfgPath)
	if err != nil {
		return fail("%v", err)
	}
	p, err := provider.Open(cfg, a.getenv, *prov)
	if err != nil {
		return fail("%v", err)
	}
	return export.Import(ctx, export.ImportOptions{Name: *prov, Prov: p, Config: cfg, Zones: origins, Listed: listed, Files: files, Stdout: a.stdout, Stderr: a.stderr})
}
