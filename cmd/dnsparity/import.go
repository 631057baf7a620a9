package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/export"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
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
A provider's record holding one of the config's secrets (an API key pasted
into a TXT) is refused, as plan and push refuse one in a zone file: nothing
is written.

Exit 0 when every record was written, 1 when some were not (listed), 2 when
it could not run.`

func runImport(ctx context.Context, a *app, args []string) int {
	fs := a.newFlags("import", "--provider NAME --zone NAME [-o FILE] [--config F] [--force]", importHelp)
	prov := fs.String("provider", "", "provider name under providers: in the config")
	zname := fs.String("zone", "", "the zone's name (example.com.)")
	out := fs.String("o", "-", "output file (- for stdout)")
	cfgPath := fs.String("config", "", "config file (default: dnsparity.yaml found from the current directory up)")
	force := fs.Bool("force", false, "overwrite an existing output file")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(a.stderr, "dnsparity import: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	if *prov == "" || *zname == "" {
		fmt.Fprintln(a.stderr, "dnsparity import: --provider and --zone are required")
		return exitError
	}
	if _, ok := dns.IsDomainName(*zname); !ok {
		fmt.Fprintf(a.stderr, "dnsparity import: --zone %q is not a domain name\n", *zname)
		return exitError
	}
	origin := zone.CanonicalName(dns.Fqdn(*zname))
	if *out != "-" && !*force {
		if _, err := os.Stat(*out); err == nil {
			fmt.Fprintf(a.stderr, "dnsparity import: %s exists (use --force to overwrite)\n", *out)
			return exitError
		}
	}
	path := *cfgPath
	if path == "" {
		if path = config.Find("."); path == "" {
			fmt.Fprintf(a.stderr, "dnsparity import: %v\n", config.NotFound("."))
			return exitError
		}
	}
	cfg, err := a.loadConfig(path)
	if err != nil {
		fmt.Fprintf(a.stderr, "dnsparity import: %v\n", err)
		return exitError
	}
	p, err := provider.Open(cfg, a.getenv, *prov)
	if err != nil {
		fmt.Fprintf(a.stderr, "dnsparity import: %v\n", err)
		return exitError
	}
	pc := cfg.Providers[*prov]
	fmt.Fprintf(a.stderr, "dnsparity import: reading %s from provider %s (%s)\n", origin, *prov, pc.Type)
	var buf bytes.Buffer
	file := *out
	if file == "-" {
		file = "(stdout)"
	}
	res, features, err := export.FromProvider(ctx, &buf, p, *prov, pc.Type, origin, file, cfg.ShownSecret)
	if err != nil {
		// A provider that cannot list its zones (an RFC 2136 server):
		// the zone meant, from the config's zones, as every --zone.
		hint := ""
		if _, lists := p.(provider.ZoneLister); !lists && errors.Is(err, provider.ErrZoneNotFound) {
			if _, zerr := cfg.Zone(origin); zerr != nil {
				hint = fmt.Sprintf("; in %s: %s", cfg.Path, cfg.ZoneHint(origin))
			}
		}
		fmt.Fprintf(a.stderr, "dnsparity import: %v%s\n", err, hint)
		return exitError
	}
	if *out == "-" {
		if _, err := a.stdout.Write(buf.Bytes()); err != nil {
			fmt.Fprintf(a.stderr, "dnsparity import: %v\n", err)
			return exitError
		}
	} else if err := confine.WriteFileMaking(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintf(a.stderr, "dnsparity import: %v\n", err)
		return exitError
	}
	// Errors first: what was not written, then what needs a decision.
	for _, s := range res.Skipped {
		fmt.Fprintf(a.stderr, "not written: %s\n", s)
	}
	for _, f := range features {
		if !f.Omitted {
			fmt.Fprintf(a.stderr, "needs a decision: %s %s: %s: %s\n", f.Name, f.Type, f.Feature, f.Advice)
		}
	}
	syn := ""
	if len(res.Synthesized) > 0 {
		syn = fmt.Sprintf(", apex %v synthesized", res.Synthesized)
	}
	fmt.Fprintf(a.stderr, "dnsparity import: wrote %d records of %s to %s (%d with a decision comment%s), %d not written\n",
		res.Records, origin, file, res.Annotated, syn, len(res.Skipped))
	if len(res.Skipped) > 0 {
		return exitProblem
	}
	return exitOK
}
