package cutover

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/progress"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// ZoneError is a zone file that fails `dnsparity check`: nothing is
// checked or changed.
type ZoneError struct{ Problems []zone.Problem }

func (e *ZoneError) Error() string {
	var lines []string
	for _, p := range e.Problems {
		lines = append(lines, p.String())
	}
	return fmt.Sprintf("the zone file has %s; fix them first:\n%s", plural.N(len(e.Problems), "error", "errors"), strings.Join(lines, "\n"))
}

// FromConfig builds a step's Config for the zone named zoneName from
// dnsparity.yaml: the zone file, both sides (providers old and new, their
// nameservers and delegation names), the registrar, the parent's servers
// and the resolvers. Secrets come from getenv; log is the step's log
// (Config.Log, and the registrar's output). Config.Progress is left for
// the caller to set.
func FromConfig(ctx context.Context, cfg *config.Config, zoneName string, getenv func(string) string, log io.Writer) (*Config, error) {
	return (&Shared{}).FromConfig(ctx, cfg, zoneName, getenv, log)
}

// StatusFromConfig is FromConfig for status, which only reads: the
// delegation comes from the parent's own servers, so the registrar is not
// made and its secrets (a key that can change the parent zone, kept in
// the protected environment) are not read. The watch after a flip runs
// status with read-only credentials (cutover-watch.yml).
func StatusFromConfig(ctx context.Context, cfg *config.Config, zoneName string, getenv func(string) string, log io.Writer) (*Config, error) {
	return (&Shared{}).StatusFromConfig(ctx, cfg, zoneName, getenv, log)
}

// FromConfig is FromConfig with what the steps of one run share (sh).
func (sh *Shared) FromConfig(ctx context.Context, cfg *config.Config, zoneName string, getenv func(string) string, log io.Writer) (*Config, error) {
	return sh.fromConfig(ctx, cfg, zoneName, getenv, log, true)
}

// StatusFromConfig is StatusFromConfig with what the steps of one run
// share (sh).
func (sh *Shared) StatusFromConfig(ctx context.Context, cfg *config.Config, zoneName string, getenv func(string) string, log io.Writer) (*Config, error) {
	return sh.fromConfig(ctx, cfg, zoneName, getenv, log, false)
}

func (sh *Shared) fromConfig(ctx context.Context, cfg *config.Config, zoneName string, getenv func(string) string, log io.Writer, withRegistrar bool) (*Config, error) {
	zc, err := cfg.Zone(zoneName)
	if err != nil {
		return nil, err
	}
	origin := zc.Name
	z, err := zone.Load(cfg.ZoneLoad(zc))
	if err != nil {
		return nil, fmt.Errorf("zone %s: %w", origin, err)
	}
	// The zone's own checks of `dnsparity check` (zone.Check: an empty
	// file has no SOA and no NS): a zone git cannot hold is not flipped to
	// or from. Its mail records are judged by the parity gate as the sides
	// serve them (a flip changes no record), so a broken SPF record in git
	// does not hold up an emergency flip.
	var bad []zone.Problem
	ps, _ := cfg.OriginChecked(z, zc.Name, cfg.ZoneFile(zc), zone.Check(z))
	for _, p := range ps {
		if p.Severity == zone.Error {
			bad = append(bad, p)
		}
	}
	if len(bad) > 0 {
		return nil, &ZoneError{Problems: bad}
	}
	// What the config lacks for any step (old and new, their servers,
	// the parent's servers or resolvers), each on its line, before a
	// secret is read or a server asked.
	if err := cfg.CutoverErrors(withRegistrar); err != nil {
		return nil, err
	}
	names := []string{"old", "new"}
	if withRegistrar && cfg.Registrar != nil && cfg.Registrar.Provider != "" {
		names = append(names, cfg.Registrar.Provider)
	}
	sides, err := provider.Sides(cfg, getenv, names...)
	if err != nil {
		return nil, err
	}
	if err := provider.ReadSecrets(sides...); err != nil {
		return nil, err
	}
	if withRegistrar {
		if err := cfg.ResolveRegistrar(getenv); err != nil {
			return nil, err
		}
	}
	// A secret that stands in a record would be shown by where its mask
	// falls: refused before anything is sent.
	if err := cfg.ShownSecret(z.Texts()); err != nil {
		return nil, fmt.Errorf("zone %s: %w", origin, err)
	}
	c := &Config{Zone: z, Log: log, Root: cfg.Dir, Cuts: cfg.CutoverCuts(z.Origin), ConfigZones: sh.configZones(cfg), GitZones: &sh.GitZones, Referrals: &sh.Referrals, Stages: &sh.Stages}
	for i, dst := range []*Side{&c.Old, &c.New} {
		s, err := sideFromConfig(ctx, sides[i], z)
		if err != nil {
			return nil, err
		}
		*dst = s
	}
	if registrar.SameNS(sortedNames(c.Old.Delegation), sortedNames(c.New.Delegation)) {
		// A migration that keeps the NS names and moves their addresses
		// (vanity nameservers) changes host objects and glue, not the
		// delegation: nothing would tell old from new at the parent.
		return nil, fmt.Errorf("%s: providers.old and providers.new are delegated to the same nameservers (%s): the cutover changes the NS set at the parent, so each side needs its own names (a move that keeps the names and changes their addresses is not a cutover dnsparity can gate)", cfg.Path, strings.Join(c.New.Delegation, " "))
	}
	if withRegistrar {
		reg, err := registrar.New(cfg.Registrar, registrar.Env{Config: cfg, Getenv: getenv})
		if err != nil {
			return nil, err
		}
		if o, ok := reg.(interface{ SetOutput(io.Writer) }); ok {
			o.SetOutput(log)
		}
		c.Registrar = reg
	}
	if cfg.Registrar != nil {
		c.ParentZone = cfg.Registrar.Zone
	}
	if c.ParentZone == "" {
		labels := dns.SplitDomainName(origin)
		c.ParentZone = dns.Fqdn(strings.Join(labels[1:], "."))
	}
	c.ParentZone = zone.CanonicalName(c.ParentZone)
	if c.Resolvers, err = query.ParseAddrs("cutover.resolvers", cfg.Cutover.Resolvers); err != nil {
		return nil, err
	}
	if c.ParentServers, err = query.ParseAddrs("cutover.parent_servers", cfg.Cutover.ParentServers); err != nil {
		return nil, err
	}
	if len(c.ParentServers) == 0 {
		if c.ParentServers, err = sh.parentServers(ctx, c.ParentZone, c.Resolvers); err != nil {
			return nil, err
		}
	} else if c.ParentServers, err = sh.walk.Walk(ctx, c.ParentServers, origin, 2*time.Second); err != nil {
		// cutover.parent_servers are the parent's servers, or root hints
		// to walk down from.
		return nil, fmt.Errorf("%scutover.parent_servers: %w", cfg.At("cutover.parent_servers"), err)
	}
	if c.Delegation, err = DelegationPolicy(cfg); err != nil {
		return nil, err
	}
	c.PrestageTTL = cfg.Policy.Prestage()
	c.Overlap = cfg.Policy.Overlap.Duration
	c.Watch = cfg.Cutover.Watch.Duration
	c.LockWait = cfg.Cutover.LockWait.Duration
	c.TrailPath = TrailPathFor(cfg, origin)
	c.Actor = Actor(getenv)
	// Exactly the options `dnsparity parity` uses (parity.axfr and the
	// TSIG keys, the client subnets and the query log included): a gate
	// proves what that command proves.
	if c.Parity, err = parity.FromConfig(cfg, parity.Settings{}, getenv); err != nil {
		return nil, err
	}
	return c, nil
}

// SetupReport is the report of a step that could not start (a zone file
// that fails its checks, a bad config, a missing secret or server): result
// error, exit 2. It carries every key of the contract, so that a JSON
// reader always gets a report.
func SetupReport(zoneName, command string, err error) *Report {
	return &Report{Zone: zone.CanonicalName(zoneName), Command: command, Result: ResultError, Errors: strings.Split(err.Error(), "\n"),
		Warnings: []string{}, Stage: "unknown", Delegation: DelegationView{NS: []string{}, DS: []string{}, PointsTo: "unknown"},
		Gates: []Gate{}, Actions: []string{"nothing was checked or changed"}, Next: []Next{}}
}

// nsFromGit says where a side's NS set, read from its apex (no
// providers.SIDE.delegation), comes from when git's zone file chose it
// (Side.NSFromGit; "" when it did not): push writes git's apex NS there
// (manage_apex), or push created the zone with git's apex NS and the
// side still serves that very set (a provider that creates zones with
// the names it is given, provider.ZoneCreator: newZone's default when
// providers.SIDE.nameservers names none, as a cutover's config, whose
// nameservers are addresses, never does). A provider that assigns its
// own names (Cloudflare, Route 53, NS1, DNS Made Easy, ClouDNS), or a
// server whose zone push never made (rfc2136), serves names git can only
// copy: the same set in git is no choice of git's.
func nsFromGit(pc *config.Provider, p provider.Provider, z *zone.Zone, served []string, server string) string {
	fileNS := z.Get(z.Origin, dns.TypeNS)
	_, creates := p.(provider.ZoneCreator)
	switch {
	case pc.ManageApex && fileNS != nil:
		return fmt.Sprintf("the apex NS %s serves, which push writes from git's apex NS (%s; providers.%s.manage_apex: true, no providers.%s.delegation)", server, fileNS.Pos(), pc.Name, pc.Name)
	case pc.ManageApex:
		return fmt.Sprintf("the apex NS %s serves, which push writes from git's zone file (providers.%s.manage_apex: true, no providers.%s.delegation)", server, pc.Name, pc.Name)
	case creates && fileNS != nil && registrar.SameNS(sortedNames(served), sortedNames(provider.ApexNS(z))):
		return fmt.Sprintf("the apex NS %s serves, which is git's apex NS (%s), the set push creates the zone with (no providers.%s.delegation or nameservers names)", server, fileNS.Pos(), pc.Name)
	}
	return ""
}

// sideFromConfig is a side of the cutover: its servers (addresses only:
// the cutover never resolves a server name through the system resolver),
// its provider, its delegation names and their glue.
func sideFromConfig(ctx context.Context, side *provider.Side, z *zone.Zone) (Side, error) {
	pc := side.Config
	s := Side{Name: pc.Name, ManageApex: pc.ManageApex}
	var err error
	if s.Servers, err = side.Servers(); err != nil {
		return s, err
	}
	if len(s.Servers) == 0 {
		return s, fmt.Errorf("providers.%s.nameservers: the addresses of its authoritative servers are required for a cutover", pc.Name)
	}
	p, err := side.Provider()
	if err != nil {
		return s, err
	}
	s.Provider = p
	// A hidden primary (not among the servers the parent names) is
	// where the side's data comes from: status compares serials with it.
	if pr, ok := p.(provider.Primary); ok && !slices.Contains(s.Servers, pr.Primary()) {
		s.Primary = pr.Primary()
	}
	for _, n := range pc.Delegation {
		if _, ok := dns.IsDomainName(n); !ok {
			return s, fmt.Errorf("providers.%s.delegation: %q is not a domain name", pc.Name, n)
		}
		s.Delegation = append(s.Delegation, zone.CanonicalName(n))
	}
	if len(s.Delegation) == 0 {
		// Default: the apex NS the side serves itself.
		r, err := ask(ctx, s.Servers[0], z.Origin, dns.TypeNS, false, 2*time.Second)
		if err != nil {
			return s, fmt.Errorf("providers.%s: no delegation: configured and its apex NS cannot be read from %s: %w", pc.Name, s.Servers[0], err)
		}
		for _, rr := range r.Answer {
			if ns, ok := rr.(*dns.NS); ok {
				s.Delegation = append(s.Delegation, zone.CanonicalName(ns.Ns))
			}
		}
		if len(s.Delegation) == 0 {
			return s, fmt.Errorf("providers.%s: no delegation configured and %s serves no apex NS", pc.Name, s.Servers[0])
		}
		s.NSFromGit = nsFromGit(pc, p, z, s.Delegation, s.Servers[0])
	}
	glue, err := Glue(z.Origin, s.Delegation, s.Servers, z)
	if err != nil {
		return s, fmt.Errorf("providers.%s: %w", pc.Name, err)
	}
	s.Glue = glue
	return s, nil
}

// Glue gives each in-bailiwick delegation name its addresses, from the
// side's nameserver addresses: paired in order when there are as many
// names as addresses, all of them for a single name; otherwise from the
// name's A/AAAA records in the zone file.
func Glue(origin string, names, servers []string, z *zone.Zone) (map[string][]string, error) {
	var in []string
	for _, n := range names {
		if registrar.InBailiwick(n, origin) {
			in = append(in, n)
		}
	}
	glue := map[string][]string{}
	if len(in) == 0 {
		return glue, nil
	}
	ips := make([]string, len(servers))
	for i, s := range servers {
		ips[i] = query.Host(s)
	}
	switch {
	case len(in) == len(names) && len(names) == len(ips):
		for i, n := range names {
			glue[n] = []string{ips[i]}
		}
		return glue, nil
	case len(names) == 1:
		glue[names[0]] = ips
		return glue, nil
	}
	var missing []string
	for _, n := range in {
		if a := z.Addrs(n); len(a) > 0 {
			glue[n] = a
		}
		if len(glue[n]) == 0 {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("in-bailiwick delegation names %s need glue: list one nameserver address per delegation name, in the same order, or give them A/AAAA records in the zone", strings.Join(missing, ", "))
	}
	return glue, nil
}

// findParentServers asks the resolvers for the parent zone's NS and their
// addresses, when cutover.parent_servers is not set.
func findParentServers(ctx context.Context, parent string, resolvers []string) ([]string, error) {
	if len(resolvers) == 0 {
		return nil, errors.New("cutover.parent_servers is not set and there are no cutover.resolvers to find the parent's servers with")
	}
	var lastErr error
	for _, res := range resolvers {
		r, err := ask(ctx, res, parent, dns.TypeNS, true, 2*time.Second)
		if err != nil {
			lastErr = err
			continue
		}
		var out []string
		for _, rr := range r.Answer {
			ns, ok := rr.(*dns.NS)
			if !ok {
				continue
			}
			a, err := ask(ctx, res, ns.Ns, dns.TypeA, true, 2*time.Second)
			if err != nil {
				continue
			}
			for _, arr := range a.Answer {
				if v, ok := arr.(*dns.A); ok {
					out = append(out, net.JoinHostPort(v.A.String(), "53"))
				}
			}
		}
		if len(out) > 0 {
			return out, nil
		}
		lastErr = fmt.Errorf("%s: no NS with an address for %s", res, parent)
	}
	return nil, fmt.Errorf("cannot find the parent zone %s's servers through %s (set cutover.parent_servers): %w", parent, strings.Join(resolvers, ", "), lastErr)
}

// StepOptions are what a command line adds to a step set up from the
// config (Shared.Step).
type StepOptions struct {
	// Getenv reads the secrets; Log is the step's log (Config.Log).
	Getenv func(string) string
	Log    io.Writer
	// Watch, when over 0, bounds the propagation watch (flip, rollback
	// --watch), over cutover.watch.
	Watch time.Duration
	// DryRun, Emergency and FromCurrent: flip's and rollback's flags
	// (Config.FromCurrent).
	DryRun, Emergency, FromCurrent bool
	// Redact and Progress: Config's.
	Redact   func(string) string
	Progress progress.Progress
}

// Step sets up the cutover of the zone named zoneName from cfg
// (FromConfig; status: StatusFromConfig, which makes no registrar, nor
// reads its secrets) and runs the step cmd (status, flip, rollback or
// finish) on it. status also warns of a DS at the parent that a
// provider no longer signs with (provider.StaleDSWarnings: ClouDNS
// leaves it behind when DNSSEC is turned off there). err is the setup's
// (a *ZoneError: the zone file fails check); the report is then nil.
func (sh *Shared) Step(ctx context.Context, cmd string, cfg *config.Config, zoneName string, o StepOptions) (*Report, error) {
	setup := sh.FromConfig
	if cmd == "status" {
		setup = sh.StatusFromConfig
	}
	c, err := setup(ctx, cfg, zoneName, o.Getenv, o.Log)
	if err != nil {
		return nil, err
	}
	if o.Watch > 0 {
		c.Watch = o.Watch
	}
	c.FromCurrent, c.Redact, c.Progress = o.FromCurrent, o.Redact, o.Progress
	switch cmd {
	case "status":
		rep := Status(ctx, c)
		if len(rep.Delegation.DS) > 0 {
			rep.Warnings = append(rep.Warnings, provider.StaleDSWarnings(ctx, cfg, o.Getenv, c.Zone.Origin, rep.Delegation.DS)...)
		}
		return rep, nil
	case "flip":
		return Flip(ctx, c, o.DryRun, o.Emergency), nil
	case "rollback":
		return Rollback(ctx, c, o.DryRun, o.Emergency), nil
	case "finish":
		return Finish(ctx, c), nil
	}
	return nil, fmt.Errorf("no cutover step %q", cmd)
}
