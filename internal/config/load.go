package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/suggest"
	"github.com/dnsparity/dnsparity/internal/zone"
	yaml "go.yaml.in/yaml/v3"
)

// NotFound is the error of a command that needs dnsparity.yaml where Find
// found none from dir up: where it looked, and what to do.
func NotFound(dir string) error {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return fmt.Errorf("no %s in %s or a folder above it (up to the repository's root): run dnsparity in the repository that holds it, or give its path with --config FILE", FileName, dir)
}

// Find looks for dnsparity.yaml in dir and its parents up to a .git
// directory; "" when there is none. The path is named as a user would
// give it with --config: relative to the working directory when it lies
// in it or in a folder above it (dnsparity.yaml, ../dnsparity.yaml), so
// that every error about the file names it the same way either way
// (README: "dnsparity.yaml:12: ..."); else absolute.
func Find(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; {
		p := filepath.Join(d, FileName)
		if _, err := os.Stat(p); err == nil {
			return fromWorkingDir(p)
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// fromWorkingDir is the absolute path p relative to the working directory
// when p lies in it or in one of its parents; else p.
func fromWorkingDir(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil {
		return p
	}
	for d := filepath.Dir(rel); d != "."; d = filepath.Dir(d) {
		if filepath.Base(d) != ".." {
			return p
		}
	}
	return rel
}

// Load reads and validates a config file. Unknown keys are errors naming the
// line. The config and every path in it (zone files, cutover.state_dir)
// are confined to the repository holding it (LoadIn). Secrets are not
// read: call Resolve.
func Load(path string) (*Config, error) {
	return LoadIn(confine.Root(filepath.Dir(path)), path)
}

// Loads is what a run reads its config with: each file once (by the
// repository it is confined to and its absolute path), its bytes given
// to every later read and load of it (each load parses them into a
// Config of its own). A redacted run reads the secret variables its
// config names before the command starts (ReadSecretsOf; the Action:
// every variable the config names, masked), and the command then loads
// the same bytes, not the file read again: a file changed between two
// reads would have the redaction know one config's secrets and the
// command use another's. A nil *Loads reads the file each time. Safe
// for concurrent use; the zero value is ready.
//
// EnvNames, when set, lists the names (never the values) of the
// environment's variables that hold a value: the command layer's (the
// process environment's names). Every config loaded takes it: a variable
// a key names that is unset is then said with the set one whose name is
// near it (PDNS_APIKEY: did you mean PDNS_API_KEY?). nil: none known.
type Loads struct {
	EnvNames func() []string
	// Types, when set, checks each config loaded for provider and
	// registrar types no package registers (cmd: provider.KnownTypes and
	// registrar.KnownType; this package knows neither): such a config is
	// refused by every command that loads it, before it acts (parity,
	// matrix and ttl ran on one, and plan did with a bad registrar type).
	Types func(*Config) error

	mu    sync.Mutex
	files map[[2]string]readFile

	envMu sync.Mutex
	env   map[string]string
}

// Getenv is getenv reading each variable once for the run, as Read reads
// each file once: the value a redacted run reads before the command
// starts (ReadSecretsOf: what its redaction knows) is the one every
// later read gets (the command's own redaction set, each zone's step
// reading its providers' keys), not the variable read again, which a
// getenv whose value changes between reads (a secret a helper rotates,
// read from a file each time) would have the redaction know one value
// and the command send another. A nil *Loads gives getenv itself.
func (l *Loads) Getenv(getenv func(string) string) func(string) string {
	if l == nil || getenv == nil {
		return getenv
	}
	return func(k string) string {
		l.envMu.Lock()
		defer l.envMu.Unlock()
		if v, ok := l.env[k]; ok {
			return v
		}
		v := getenv(k)
		if l.env == nil {
			l.env = map[string]string{}
		}
		l.env[k] = v
		return v
	}
}

type readFile struct {
	b   []byte
	err error
}

// Read is the bytes of path, a file inside root (confine.ReadFile), read
// once.
func (l *Loads) Read(root, path string) ([]byte, error) {
	if l == nil {
		return confine.ReadFile(root, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return confine.ReadFile(root, path)
	}
	key := [2]string{root, abs}
	l.mu.Lock()
	defer l.mu.Unlock()
	if r, ok := l.files[key]; ok {
		return r.b, r.err
	}
	b, err := confine.ReadFile(root, path)
	if l.files == nil {
		l.files = map[[2]string]readFile{}
	}
	l.files[key] = readFile{b, err}
	return b, err
}

// Load is the config at path (Load), its file read once (Read).
func (l *Loads) Load(path string) (*Config, error) {
	return l.LoadIn(confine.Root(filepath.Dir(path)), path)
}

// LoadMasked is the config at path, or the one Find finds from the
// current directory up (none: NotFound), with the values the caller
// masks as its secrets (Mask): what a command loads.
func (l *Loads) LoadMasked(path string, masked map[string]string) (*Config, error) {
	if path == "" {
		if path = Find("."); path == "" {
			return nil, NotFound(".")
		}
	}
	cfg, err := l.Load(path)
	if err != nil {
		return nil, err
	}
	if err := cfg.Mask(masked); err != nil {
		return nil, err
	}
	return cfg, nil
}

// LoadIn is the config at path inside root (LoadIn), its file read once
// (Read).
func (l *Loads) LoadIn(root, path string) (*Config, error) {
	b, err := l.Read(root, path)
	if err != nil {
		return nil, fmt.Errorf("config %w", err)
	}
	c, err := loadBytes(b, root, path)
	if err != nil || l == nil {
		return c, err
	}
	c.envNames = l.EnvNames
	if l.Types != nil {
		if err := l.Types(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// LoadIn is Load with the repository root given (the Action's workspace):
// the config must lie inside it, not through a symlink out, not under
// .git; each zone file and the audit trail's folder must be relative to
// the config, stay inside root, not lead out through a symlink and not be
// under .git. A path outside is an error that says "outside the
// repository" (errors.Is confine.ErrOutside) and names the path.
func LoadIn(root, path string) (*Config, error) {
	return (*Loads)(nil).LoadIn(root, path)
}

// loadBytes is LoadIn of the config's bytes, b, read.
func loadBytes(b []byte, root, path string) (*Config, error) {
	c, err := parse(b, path, root)
	if err != nil {
		return nil, err
	}
	if errs := c.confinePaths(); len(errs) > 0 {
		return nil, fileErrors(path, errs)
	}
	return c, nil
}

// confinePaths checks every path in the config against the repository
// root (internal/confine).
func (c *Config) confinePaths() []error {
	var errs []error
	// One Tree for every zone file: the root and each folder resolved
	// once, not once per zone.
	tree := confine.NewTree(c.Root)
	for i, z := range c.Zones {
		if z.Pattern != "" {
			continue // a glob's file: confined as it was named (zone.PeekOrigin)
		}
		if _, err := tree.Resolve(c.Dir, z.File); err != nil {
			errs = append(errs, atLine(z.Line, err, "zones[%d].file: %v", i, err))
		}
	}
	if d := c.Cutover.StateDir; d != "" {
		if _, err := confine.Resolve(c.Root, c.Dir, d); err != nil {
			errs = append(errs, atLine(c.line("cutover", "state_dir"), err, "cutover.state_dir: %v", err))
		}
	}
	if q := c.Parity.Queries; q != "" {
		if _, err := confine.Resolve(c.Root, c.Dir, q); err != nil {
			errs = append(errs, atLine(c.line("parity", "queries"), err, "parity.queries: %v", err))
		}
	}
	return errs
}

// Parse reads a config from bytes; path names it in errors. Root is
// left empty (LoadIn sets it): the files a zones glob matches are
// confined to the git work tree holding each (zone.PeekOrigin).
func Parse(b []byte, path string) (*Config, error) {
	return parse(b, path, "")
}

// parse is Parse with the repository root (c.Root) known before the
// zones globs are expanded.
func parse(b []byte, path, root string) (*Config, error) {
	c, err := parseHead(b, path, root)
	if err != nil {
		return nil, err
	}
	// Globs after the entries by name are validated (they override).
	if errs := c.expandZones(zoneLines(c.root)); len(errs) > 0 {
		return nil, fileErrors(path, errs)
	}
	// After the globs: the public text is every zone's.
	if errs := c.readURLs(); len(errs) > 0 {
		return nil, fileErrors(path, errs)
	}
	return c, nil
}

// parseHead is parse without the zones globs expanded (nor any zone file
// read, or the URLs' credentials, which are checked against every zone's
// text): the settings as written, valid, which is what ReadSecretsOf
// needs of a config before a command loads it whole.
func parseHead(b []byte, path, root string) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(path, b, err)
	}
	c.Path = path
	c.Dir = filepath.Dir(path)
	c.Root = root
	var node yaml.Node
	if yaml.Unmarshal(b, &node) == nil {
		c.root = &node
	}
	c.typePositions()
	if errs := c.validate(); len(errs) > 0 {
		return nil, fileErrors(path, errs)
	}
	if err := c.Parity.ClientSubnets.validate(path); err != nil {
		return nil, err
	}
	return &c, nil
}

// keyError is a bad value at a key of the file, on the key's line (0:
// not known); err, when set, is what it wraps (confine.ErrOutside).
type keyError struct {
	line int
	msg  string
	err  error
}

func (e *keyError) Error() string { return e.msg }
func (e *keyError) Unwrap() error { return e.err }

// atLine is an error on line of the file: msg, wrapping err (nil: none).
func atLine(line int, err error, format string, args ...any) error {
	return &keyError{line: line, msg: fmt.Sprintf(format, args...), err: err}
}

// fileError is the errors of one config file, one a line, each as
// PATH:LINE: message (PATH: message when its line is not known); it
// wraps them (errors.Is finds confine.ErrOutside in it).
type fileError struct {
	text string
	errs []error
}

func (e *fileError) Error() string   { return e.text }
func (e *fileError) Unwrap() []error { return e.errs }

func fileErrors(path string, errs []error) error {
	lines := make([]string, len(errs))
	for i, e := range errs {
		var ke *keyError
		if errors.As(e, &ke) && ke.line > 0 {
			lines[i] = fmt.Sprintf("%s:%d: %s", path, ke.line, ke.msg)
		} else {
			lines[i] = path + ": " + e.Error()
		}
	}
	return &fileError{text: strings.Join(lines, "\n"), errs: errs}
}

// keyErr is an error about the value at the dotted key ("policy.overlap").
func (c *Config) keyErr(key, format string, args ...any) error {
	return &keyError{line: c.line(strings.Split(key, ".")...), msg: key + ": " + fmt.Sprintf(format, args...)}
}

// keyedErr is err, about a key of the block at where ("providers.old"),
// on that key's line: err's message starts with the key it is about
// ("tsig: unknown algorithm ...", "server: ...", "url \"x\" is not ..."),
// as Settings.Check's and TSIG.Check's do; a key not in the file puts it
// on the block's line.
func (c *Config) keyedErr(where string, err error) error {
	msg := err.Error()
	key := msg[:strings.IndexFunc(msg+" ", func(r rune) bool {
		return !(r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})]
	path := strings.Split(where, ".")
	if key != "" {
		path = append(path, strings.Split(key, ".")...)
	}
	return &keyError{line: c.line(path...), msg: where + ": " + msg}
}

// line is the line of the key at path in the file (0 when unknown).
func (c *Config) line(path ...string) int {
	n := c.root
	if n == nil {
		return 0
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, k := range path {
		// A number in the path is an item of a list ("nameservers.0"):
		// its own line (a list written on one line: that line).
		if i, err := strconv.Atoi(k); err == nil && n.Kind == yaml.SequenceNode {
			if i < 0 || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
			continue
		}
		if n.Kind != yaml.MappingNode {
			return line
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line, n, found = n.Content[i].Line, n.Content[i+1], true
				break
			}
		}
		if !found {
			return line
		}
	}
	return line
}

// validNumbers checks the numbers and durations that switch a guard off
// when NaN, infinite or negative.
func (c *Config) validNumbers() []error {
	var errs []error
	if c.Policy.Wave < 0 {
		errs = append(errs, c.keyErr("policy.wave", "%d is negative", c.Policy.Wave))
	}
	if p := c.Policy.MaxChangePercent; p != nil && (math.IsNaN(*p) || *p < 0 || *p > 100) {
		errs = append(errs, c.keyErr("policy.max_change_percent", "%v is not a number between 0 and 100", *p))
	}
	if r := c.Parity.RateLimit; math.IsNaN(r) || math.IsInf(r, 0) {
		errs = append(errs, c.keyErr("parity.rate_limit", "%v is not a finite number of queries per second", r))
	} else if r < 0 {
		errs = append(errs, c.keyErr("parity.rate_limit", "%v must not be negative", r))
	}
	if r := c.Parity.Retries; r != nil && *r < 0 {
		errs = append(errs, c.keyErr("parity.retries", "%d is negative", *r))
	}
	if n := c.Policy.Delegation.MinNS; n < 0 {
		errs = append(errs, c.keyErr("policy.delegation.min_ns", "%d is negative", n))
	}
	for _, kv := range []struct {
		key string
		v   int64
	}{{"parity.concurrency", int64(c.Parity.Concurrency)}, {"parity.max_queries", int64(c.Parity.MaxQueries)},
		{"parity.axfr_max_records", int64(c.Parity.AXFRMaxRecords)}, {"parity.axfr_max_bytes", c.Parity.AXFRMaxBytes}} {
		if kv.v < 0 {
			errs = append(errs, c.keyErr(kv.key, "%d is negative", kv.v))
		}
	}
	for _, kv := range []struct {
		key string
		d   Duration
	}{{"policy.overlap", c.Policy.Overlap}, {"cutover.watch", c.Cutover.Watch}, {"cutover.lock_wait", c.Cutover.LockWait},
		{"parity.timeout", c.Parity.Timeout}, {"parity.axfr_max_time", c.Parity.AXFRMaxTime}} {
		if why := kv.d.check(); why != "" {
			errs = append(errs, c.keyErr(kv.key, "%s", why))
		}
	}
	return errs
}

// typePositions sets the TypePos of each provider and of the registrar:
// the line of its type key, else of its own key.
func (c *Config) typePositions() {
	at := func(path ...string) string {
		if n := c.line(path...); n > 0 {
			return fmt.Sprintf("%s:%d", c.Path, n)
		}
		return ""
	}
	for name, p := range c.Providers {
		if p != nil {
			p.TypePos = at("providers", name, "type")
		}
	}
	if c.Registrar != nil {
		c.Registrar.TypePos = at("registrar", "type")
	}
}

// UnknownType is the error for a type no package registered: where it is
// (TypePos), which key (providers.old, registrar), the type, the registered
// type it was likely meant to be, and all of them.
func UnknownType(pos, where, typ string, known []string) error {
	msg := fmt.Sprintf("%s: unknown type %q (known: %s)", where, typ, strings.Join(known, ", "))
	if s, caseOnly := suggest.Meant(typ, known); caseOnly {
		msg += fmt.Sprintf("; did you mean %s? (types are lower case)", s)
	} else if s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	}
	if pos != "" {
		msg = pos + ": " + msg
	}
	return errors.New(msg)
}

func (c *Config) validate() []error {
	var errs []error
	type first struct {
		i       int
		written string
	}
	seen := map[string]first{} // each name's first entry, as written
	lines := zoneLines(c.root)
	for i, z := range c.Zones {
		if z.Files != "" {
			continue // a glob: expanded after validation
		}
		line := entryLine(lines, i)
		if z.Name == "" {
			errs = append(errs, atLine(line, nil, "zones[%d]: name is required", i))
		} else if _, ok := dns.IsDomainName(z.Name); !ok {
			errs = append(errs, atLine(line, nil, "zones[%d].name: %s is not a domain name", i, redact.Quote(z.Name)))
		}
		if z.File == "" {
			errs = append(errs, atLine(line, nil, "zones[%d] (%s): file is required", i, redact.Name(z.Name)))
		}
		n := zone.CanonicalName(z.Name)
		if f, ok := seen[n]; ok {
			// Which entry it repeats, and, written otherwise, that names
			// compare without case (RFC 4343 §3) and with or without
			// the final dot.
			where := fmt.Sprintf("line %d, zones[%d]", entryLine(lines, f.i), f.i)
			switch {
			case strings.TrimSuffix(f.written, ".") != strings.TrimSuffix(z.Name, "."):
				where += fmt.Sprintf(", as %s: names are compared without case", redact.Name(f.written))
			case f.written != z.Name:
				where += fmt.Sprintf(", as %s: a name with or without its final dot is the same zone", redact.Name(f.written))
			}
			errs = append(errs, atLine(line, nil, "zones[%d].name: %s listed twice (%s)", i, redact.Name(z.Name), where))
		} else {
			seen[n] = first{i, z.Name}
		}
		c.Zones[i].Name = n
	}
	for name, p := range c.Providers {
		if p == nil {
			errs = append(errs, fmt.Errorf("providers.%s: empty", name))
			continue
		}
		p.Name = name
		where := "providers." + name
		if p.Type == "" {
			errs = append(errs, c.keyedErr(where, errors.New("type is required")))
		}
		if p.TSIG != nil {
			if err := p.TSIG.Check(); err != nil {
				errs = append(errs, c.keyedErr(where, err))
			}
		}
		if p.Settings != nil {
			if err := p.Settings.Check(); err != nil {
				errs = append(errs, c.keyedErr(where, err))
			}
		}
		errs = append(errs, c.checkVars(where, p.vars())...)
	}
	if c.Registrar != nil {
		if c.Registrar.Type == "" {
			errs = append(errs, c.keyedErr("registrar", errors.New("type is required")))
		}
		if t := c.Registrar.TSIG; t != nil {
			if err := t.Check(); err != nil {
				errs = append(errs, c.keyedErr("registrar", err))
			}
		}
		if err := c.Registrar.AWS.Check(); err != nil {
			errs = append(errs, c.keyedErr("registrar", err))
		}
		if check := registrarType(c.Registrar).Check; check != nil {
			if err := check(c.Registrar); err != nil {
				errs = append(errs, c.keyedErr("registrar", err))
			}
		}
		errs = append(errs, c.checkVars("registrar", c.Registrar.vars())...)
		if c.Registrar.Provider != "" && c.Providers[c.Registrar.Provider] == nil {
			names := make([]string, 0, len(c.Providers))
			for n := range c.Providers {
				names = append(names, n)
			}
			sort.Strings(names)
			hint := " (providers: " + strings.Join(names, ", ") + ")"
			if s := suggest.Closest(c.Registrar.Provider, nil, names); s != "" {
				hint = ": did you mean " + s + "?"
			} else if len(names) == 0 {
				hint = ": there are none (the provider that changes the parent zone goes under providers:)"
			}
			errs = append(errs, c.keyedErr("registrar", fmt.Errorf("provider %q is not under providers%s", c.Registrar.Provider, hint)))
		}
		if p := c.Providers[c.Registrar.Provider]; c.Registrar.Provider != "" && p != nil {
			if check := registrarType(c.Registrar).CheckProvider; check != nil {
				if err := check(c.Registrar, p); err != nil {
					errs = append(errs, c.keyedErr("registrar", err))
				}
			}
		}
	}
	// Addresses the cutover and parity send to: never a name (the system
	// resolver is never used), said on the key's line when the file is
	// loaded, not at the first step that asks them.
	for _, a := range []struct {
		key   string
		addrs []string
	}{{"cutover.parent_servers", c.Cutover.ParentServers}, {"cutover.resolvers", c.Cutover.Resolvers}, {"parity.resolver", nonEmpty(c.Parity.Resolver)}} {
		for _, s := range a.addrs {
			if _, err := query.ParseAddr(s); err != nil {
				errs = append(errs, c.keyErr(a.key, "%v", err))
			}
		}
	}
	return append(errs, c.validNumbers()...)
}

var (
	yamlLineRE    = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlUnknownRE = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	yamlKindRE    = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")
)

// nonEmpty is s alone, or nothing when it is "".
func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// yamlError turns a yaml.v3 error into PATH:LINE: message lines without Go
// type names ("unknown key max_change", not "field ... not found in type"):
// a value of the wrong kind names its key (found in b, the file's text)
// and how to write it; an unknown key with no close match, the keys
// allowed there.
func yamlError(path string, b []byte, err error) error {
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else if g := yamlLineRE.FindStringSubmatch(msgs[0]); g != nil {
		from, _ := strconv.Atoi(g[1])
		msgs[0] = fmt.Sprintf("line %d: %s", syntaxErrorLine(b, g[2], from), g[2])
	}
	var root yaml.Node
	if yaml.Unmarshal(b, &root) != nil {
		root = yaml.Node{}
	}
	out := make([]string, 0, len(msgs))
	seen := map[string]int{} // values named so far, by line, kind and text
	for _, m := range msgs {
		line, n := "", 0
		if g := yamlLineRE.FindStringSubmatch(m); g != nil {
			line, m = g[1]+":", g[2]
			n, _ = strconv.Atoi(g[1])
		}
		if g := yamlUnknownRE.FindStringSubmatch(m); g != nil {
			m = fmt.Sprintf("unknown key %q", g[1])
			known := knownKeys()[g[2]]
			if env := g[1] + "_env"; slices.Contains(known, env) {
				// A secret written in the file: it goes in a variable.
				m += fmt.Sprintf(": secrets never go in the file; put the value in an environment variable (a CI secret) and name it here as %s: VARIABLE", env)
			} else if s := suggestKey(g[1], known); s != "" {
				m += fmt.Sprintf(" (did you mean %s?)", s)
			} else if len(known) > 0 {
				m += fmt.Sprintf(" (the keys here: %s)", strings.Join(known, ", "))
			}
		} else if g := yamlKindRE.FindStringSubmatch(m); g != nil {
			m = kindMessage(g[1], g[2], g[3])
			if known := knownKeys()[strings.TrimLeft(g[3], "*")]; len(known) > 0 && g[1] != "map" {
				// zones: - example.com.: a word where an entry's keys go.
				m += fmt.Sprintf(", its keys: %s", strings.Join(known, ", "))
			}
			// The nth error of one value on a line is the nth such
			// value there ("{name: [a], file: [b]}").
			at := fmt.Sprint(n, g[1], g[2])
			if keys := keysOfValue(&root, n, g[1], g[2]); len(keys) > 0 {
				m = keys[min(seen[at], len(keys)-1)] + ": " + m
			}
			seen[at]++
		} else if te == nil && tabIndented(b, n) {
			// yaml.v3 words it "found character that cannot start any
			// token" or "found a tab character that violates
			// indentation" (YAML 1.2 §6.1: tabs never indent).
			m += ": a tab in the indentation: YAML indents with spaces only; replace the tab with spaces"
		}
		out = append(out, fmt.Sprintf("%s:%s %s", path, line, m))
	}
	return errors.New(strings.Join(out, "\n"))
}

// tabIndented reports whether line n (from 1) of b has a tab among the
// blanks that start it.
func tabIndented(b []byte, n int) bool {
	for i := 1; i < n && len(b) > 0; i++ {
		_, b, _ = bytes.Cut(b, []byte("\n"))
	}
	l, _, _ := bytes.Cut(b, []byte("\n"))
	return n > 0 && bytes.IndexByte(l[:len(l)-len(bytes.TrimLeft(l, " \t"))], '\t') >= 0
}

// syntaxErrorLine is the line of b on which a YAML syntax error (problem,
// as yaml.v3 words it) appears: the first line from which on the file's
// text up to that line fails with that problem. yaml.v3 names instead the
// line where the enclosing mapping or list began (counted from 0 for a
// parser error), from: the error is on it or after it. A binary search
// (a part of the file cut inside a multi-line value could fail for another
// reason, so it is the same problem that is looked for): a few parses
// whatever the file's length. Without such a line, from.
func syntaxErrorLine(b []byte, problem string, from int) int {
	lines := bytes.SplitAfter(b, []byte("\n"))
	fails := func(n int) bool {
		var node yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines[:n], nil), &node)
		return err != nil && strings.HasSuffix(err.Error(), ": "+problem)
	}
	lo, hi := max(1, from), len(lines)
	if lo > hi || !fails(hi) {
		return from
	}
	for lo < hi {
		if mid := lo + (hi-lo)/2; fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// kindMessage says that a value of yaml kind tag (str, int, seq, map, ...;
// value its text as yaml.v3 quotes it, "" for a list or mapping) is not
// the Go type goType a key takes, and how to write one.
func kindMessage(tag, value, goType string) string {
	want := yamlKind(goType)
	if tag == "seq" || tag == "map" {
		what := map[string]string{"seq": "a list", "map": "a mapping"}[tag]
		m := fmt.Sprintf("%s, not %s", what, want)
		switch want {
		case "a string", "a number", "true or false":
			m += " (write one value)"
		case "a list":
			// zones: with name: and file: below it, the "- " left out.
			m += ` (one "- " line per item below the key; an item of several keys: "- " before its first, the others indented as it)`
		}
		return m
	}
	if tag == "str" && quotedKind(value, want) {
		// "true" or '300': a quoted string, which the key does not take.
		return fmt.Sprintf("%q is quoted, so a string, not %s: write it without the quotes", value, want)
	}
	m := fmt.Sprintf("%q is not %s", value, want)
	switch want {
	case "a number":
		m += " (write it as digits, without a unit)"
	case "a list":
		m += ` (write [A, B], or one "- A" line per item below the key)`
	}
	return m
}

// quotedKind reports whether value, a string in the file, would be of the
// kind want (yamlKind's words) written without quotes.
func quotedKind(value, want string) bool {
	switch want {
	case "true or false":
		switch strings.ToLower(value) {
		case "true", "false":
			return true
		}
	case "a number":
		_, err := strconv.ParseFloat(value, 64)
		return err == nil
	}
	return false
}

// keysOfValue are the dotted keys ("providers.old.nameservers",
// "zones[0].file") whose value of yaml kind tag yaml.v3 may have reported
// on line: the scalars whose text is value (yaml.v3 shortens a long one to
// its first 7 characters and "..."), or the lists or mappings starting on
// that line, in the order yaml.v3 decodes them; a value inside another
// that matches too (an entry written on one line, "- {name: [a]}") comes
// first: the one at fault is the innermost (it was "zones").
func keysOfValue(root *yaml.Node, line int, tag, value string) []string {
	match := func(n *yaml.Node) bool {
		if n.Line != line {
			return false
		}
		switch tag {
		case "seq":
			return n.Kind == yaml.SequenceNode
		case "map":
			return n.Kind == yaml.MappingNode
		}
		if n.Kind != yaml.ScalarNode {
			return false
		}
		if short, ok := strings.CutSuffix(value, "..."); ok && len(n.Value) > 10 {
			return strings.HasPrefix(n.Value, short)
		}
		return n.Value == value
	}
	var keys []string
	var walk func(n *yaml.Node, key string)
	walk = func(n *yaml.Node, key string) {
		if n.Kind == yaml.DocumentNode {
			for _, c := range n.Content {
				walk(c, key)
			}
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i].Value
				if key != "" {
					k = key + "." + k
				}
				walk(n.Content[i+1], k)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", key, i))
			}
		}
		if key != "" && match(n) {
			keys = append(keys, key)
		}
	}
	walk(root, "")
	return keys
}

// suggestKey is the known key a typo was meant to be: one edit away, else
// the one known key that starts with it ("max_change" → max_change_percent).
func suggestKey(key string, known []string) string {
	if s := suggest.Closest(key, nil, known); s != "" {
		return s
	}
	var match []string
	for _, k := range known {
		if strings.HasPrefix(k, key) {
			match = append(match, k)
		}
	}
	if len(match) == 1 {
		return match[0]
	}
	return ""
}

// knownKeys maps each struct type of the file (as yaml.v3 names it in
// "field x not found in type config.Policy") to its keys, inline fields'
// keys included.
var knownKeys = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	var visit func(t reflect.Type)
	var settings map[reflect.Type]bool // the providers' own keys (RegisterSettings)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeOf(Config{}).PkgPath() && !settings[t] {
			return
		}
		if _, done := out[t.String()]; done {
			return
		}
		out[t.String()] = nil
		var keys []string
		for k, ft := range yamlKeys(t) {
			keys = append(keys, k)
			visit(ft)
		}
		if settings[t] {
			// A provider's own keys sit beside the common ones.
			for k := range commonKeys {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		out[t.String()] = keys
	}
	visit(reflect.TypeOf(Config{}))
	settings = map[reflect.Type]bool{}
	for _, typ := range settingsTypes.Types() {
		if f, ok := settingsTypes.Lookup(typ); ok {
			t := reflect.TypeOf(f())
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			settings[t] = true
			visit(t)
		}
	}
	return out
})

func yamlKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"), strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "bool":
		return "true or false"
	case goType == "string", strings.HasSuffix(goType, "Secret"):
		return "a string"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	}
	return "a mapping (key: value lines)"
}
