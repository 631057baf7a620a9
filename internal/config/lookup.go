package config

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/suggest"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// QueriesFile is parity.queries as a path usable from the working directory
// ("" when unset).
func (c *Config) QueriesFile() string {
	q := c.Parity.Queries
	if q == "" || filepath.IsAbs(q) || c.Dir == "" {
		return q
	}
	return filepath.Join(c.Dir, q)
}

// Zone is the zone named name under zones: (in any case, with or without
// the final dot); an error names it, the config and the zones there are.
// It looks the name up in the index SetZones built (Load calls it). Zones
// assigned around SetZones leave the index describing other zones: that
// is an error (a bug of the caller), never an answer from a stale index.
func (c *Config) Zone(name string) (Zone, error) {
	n := zone.CanonicalName(name)
	if !c.indexed() {
		return Zone{}, fmt.Errorf("config %s: zones were replaced without SetZones (looking up %s): an internal error", c.Path, n)
	}
	i, ok := c.byName[n]
	if !ok {
		at, ok := c.listedAt[n]
		if !ok {
			at = c.atOrFirst("zones")
		}
		return Zone{}, fmt.Errorf("%szone %s is not under zones: in %s (%s)", at, n, c.Path, c.ZoneHint(n))
	}
	return c.Zones[i], nil
}

// SetZones replaces the config's zones (a run that takes only some of
// them: a shard, --zone) and rebuilds the index Zone looks names up in.
// Every change of Zones goes through it. The index is a new map: a copy
// of the config made before (check keeps one of every zone) keeps its own.
func (c *Config) SetZones(zs []Zone) {
	c.Zones = zs
	c.byName = make(map[string]int, len(zs))
	for i, z := range zs {
		c.byName[z.Name] = i
	}
	c.byNameOf = zs
}

// indexed says whether the index is of Zones as they are: the same slice
// SetZones was given (same first element and length).
func (c *Config) indexed() bool {
	if len(c.Zones) != len(c.byNameOf) {
		return false
	}
	return len(c.Zones) == 0 || &c.Zones[0] == &c.byNameOf[0]
}

// zoneListMax is how many zone names ZoneHint lists at most.
const zoneListMax = 10

// ZoneHint says, for a zone name that is not under zones:, the zone a
// typo was likely meant to be ("did you mean example.com.?"), else the
// zones there are (at most zoneListMax of them named: a config of
// thousands would print them all).
func (c *Config) ZoneHint(name string) string {
	n := zone.CanonicalName(name)
	names := c.ZoneNames()
	if s := suggest.Closest(n, nil, names); s != "" {
		return "did you mean " + s + "?"
	}
	switch {
	case len(names) == 0:
		return "it has no zones"
	case len(names) <= zoneListMax:
		return "zones: " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("zones: %s and %d more", strings.Join(names[:zoneListMax], ", "), len(names)-zoneListMax)
}

// CutoverCuts are the configured zones whose delegation lives in the
// zone named parent, sorted: with a registrar that changes delegations in
// a parent zone (RegistrarType.ParentZone: type parent's registrar.zone)
// and that zone parent, every other configured zone below it. The
// cutover changes their NS, glue and DS there (flip, rollback), so a
// push of the parent zone leaves them as its provider serves them. None
// for any other zone or registrar type.
func (c *Config) CutoverCuts(parent string) []string {
	if c.Registrar == nil {
		return nil
	}
	of := registrarType(c.Registrar).ParentZone
	if of == nil || of(c.Registrar) == "" {
		return nil
	}
	p := zone.CanonicalName(parent)
	if zone.CanonicalName(of(c.Registrar)) != p {
		return nil
	}
	var out []string
	for _, z := range c.Zones {
		if z.Name != p && dns.IsSubDomain(p, z.Name) {
			out = append(out, z.Name)
		}
	}
	sort.Strings(out)
	return out
}

// ZoneNames are the names of the zones, in the file's order.
func (c *Config) ZoneNames() []string {
	out := make([]string, len(c.Zones))
	for i, z := range c.Zones {
		out[i] = z.Name
	}
	return out
}

// ZoneFile is a zone's file as a path usable from the working directory.
func (c *Config) ZoneFile(z Zone) string {
	if filepath.IsAbs(z.File) || c.Dir == "" {
		return z.File
	}
	return filepath.Join(c.Dir, z.File)
}

// ZoneLoad is how a zone of the config is loaded: its file (ZoneFile),
// and the options naming its origin and, for an entry by name, the
// config's line that names the file (a missing file's error says where
// to correct it). Callers add what is theirs (a Tree, MaxProblems).
func (c *Config) ZoneLoad(z Zone) (string, zone.Options) {
	opt := zone.Options{Origin: z.Name}
	if z.Line > 0 && c.Path != "" {
		opt.Named = &zone.NamedIn{At: fmt.Sprintf("%s:%d", c.Path, z.Line), Config: c.Path, Dir: c.Dir, File: z.File, Root: c.Root}
	}
	return c.ZoneFile(z), opt
}

// LoadEach loads every zone of the config a few at a time (zone.LoadEach,
// as ZoneLoad says), keeping one problem of each: for a look at what a
// zone holds (its RRsets, the files its $INCLUDEs read), not a check of
// it. each is handed the zone's index in Zones.
func (c *Config) LoadEach(each func(i int, z *zone.Zone, err error)) {
	zone.LoadEach(len(c.Zones), func(i int) (string, zone.Options) {
		file, opt := c.ZoneLoad(c.Zones[i])
		opt.MaxProblems = 1
		return file, opt
	}, each)
}

// ProviderNames lists the providers in migration order: old, new, then any
// others by name.
func (c *Config) ProviderNames() []string {
	rank := func(n string) int {
		switch n {
		case "old":
			return 0
		case "new":
			return 1
		}
		return 2
	}
	out := make([]string, 0, len(c.Providers))
	for n := range c.Providers {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool {
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		return out[i] < out[j]
	})
	return out
}

// NoProvider is the error for a provider name (--provider, registrar.provider)
// that is not under providers:: it lists those that are, and the one a
// typo was likely meant to be.
func (c *Config) NoProvider(name string) error {
	names := c.ProviderNames()
	if len(names) == 0 {
		return fmt.Errorf("%sno provider %q in %s (it has no providers: section)", c.atOrFirst("providers"), name, c.Path)
	}
	hint := ""
	if s := suggest.Closest(name, nil, names); s != "" {
		hint = "; did you mean " + s + "?"
	}
	return fmt.Errorf("%sno provider %q in %s (providers: %s%s)", c.atOrFirst("providers"), name, c.Path, strings.Join(names, ", "), hint)
}

// ZoneProviders are the providers plan, push and the Action's sync use by
// default: old and new (docs/ARCHITECTURE.md: only they are pushed and compared) when
// the config has either; otherwise every provider but the one the
// registrar uses for the parent zone.
func (c *Config) ZoneProviders() []string {
	var out []string
	for _, n := range c.ProviderNames() {
		if n == "old" || n == "new" {
			out = append(out, n)
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, n := range c.ProviderNames() {
		if c.Registrar == nil || n != c.Registrar.Provider {
			out = append(out, n)
		}
	}
	return out
}

// NoNameservers is parity's error for a side that has no server to ask:
// none given on the command line (--SIDE) and none in the config, said
// at the line of providers.SIDE, else of providers:, else line 1, as
// the cutover steps say what they lack.
func (c *Config) NoNameservers(side string) error {
	at := c.at("providers." + side)
	if at == "" {
		at = c.atOrFirst("providers")
	}
	return fmt.Errorf("%sno --%s and no providers.%s.nameservers in %s", at, side, side, c.Path)
}

// OriginMismatch is the error of a zone file (path, from which z was
// loaded) that the config names as the zone name but whose origin
// ($ORIGIN, or an absolute SOA owner) is another: on the line that gives
// it, saying what to correct; nil when they match, or name is "" (a file
// named on the command line), or c is nil. check, plan, push, parity and
// the cutover's steps refuse the zone on it.
//
// A file with no $ORIGIN is loaded at the config's name (the loader
// prefers it to the SOA owner), so an absolute SOA owner of another name
// leaves the zone without its SOA, every record out of it: a zone with no
// SOA at its apex has its file's head read again (zone.PeekOrigin, a few
// lines) for the origin it names, so that the error says that, not "the
// file holds no records" of a file that holds them.
func (c *Config) OriginMismatch(z *zone.Zone, name, path string) *zone.Problem {
	if c == nil || name == "" {
		return nil
	}
	origin := z.Origin
	if origin == name && z.Get(name, dns.TypeSOA) != nil {
		return nil
	}
	named, line, err := zone.PeekOrigin(path, "")
	if origin == name {
		if err != nil || named == "" || named == name {
			return nil
		}
		origin = named
	}
	return &zone.Problem{Pos: zone.Pos{File: path, Line: line}, Severity: zone.Error,
		Message: fmt.Sprintf("origin %s does not match the zone %s in %s: correct the file's $ORIGIN (or its SOA owner), or the zone's name in %s", origin, name, c.Path, c.Path)}
}

// OriginChecked is ps, the problems of z (loaded from path as the zone
// name of c), with OriginMismatch's error first when there is one, and ok
// false. It is the first cause of the problems of a file loaded at the
// config's name whose SOA owner names another (no $ORIGIN): the records
// all lie outside the zone loaded, which has no SOA and no NS; those
// (zone.Zone.OriginBound) are left out, and the one error says what to
// correct (a file with no NS at its SOA's owner either keeps its no-NS
// error: correcting the origin leaves it). A file whose $ORIGIN names
// another zone was loaded at that origin: its own problems are kept.
func (c *Config) OriginChecked(z *zone.Zone, name, path string, ps []zone.Problem) (out []zone.Problem, ok bool) {
	out, _, ok = c.OriginCheckedCount(z, name, path, ps, zone.Tally{})
	return out, ok
}

// OriginCheckedCount is OriginChecked of ps and t, their tally
// (zone.CheckCount, bounded by Options.MaxProblems): what is left out is
// not counted either, the problems not shown among it too.
func (c *Config) OriginCheckedCount(z *zone.Zone, name, path string, ps []zone.Problem, t zone.Tally) ([]zone.Problem, zone.Tally, bool) {
	p := c.OriginMismatch(z, name, path)
	if p == nil {
		return ps, t, true
	}
	if z.Origin == name {
		ps, t = z.WithoutOriginBound(ps, t)
	}
	t.Errors++
	return append([]zone.Problem{*p}, ps...), t, false
}
