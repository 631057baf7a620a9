// Package config loads and validates dnsparity.yaml. Secrets are never in the
// file: it names the environment variables that hold them, and Resolve reads
// them from the environment.
package config

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/suggest"
	"github.com/dnsparity/dnsparity/internal/zone"
	yaml "go.yaml.in/yaml/v3"
)

// FileName is the config's name at the repository root.
const FileName = "dnsparity.yaml"

// Config is dnsparity.yaml.
type Config struct {
	Zones     []Zone               `yaml:"zones"`
	Providers map[string]*Provider `yaml:"providers"`
	Registrar *Registrar           `yaml:"registrar"`
	Policy    Policy               `yaml:"policy"`
	Parity    Parity               `yaml:"parity"`
	Cutover   Cutover              `yaml:"cutover"`

	// Path is the file it was read from; Dir its directory (paths in the
	// file are relative to it).
	Path string `yaml:"-"`
	Dir  string `yaml:"-"`
}

// Zone is one zone under management.
type Zone struct {
	Name string `yaml:"name"`
	File string `yaml:"file"`
}

// Provider is one DNS provider ("old", "new"). Which fields apply depends on
// Type; each provider package validates its own.
type Provider struct {
	Type string `yaml:"type"`
	// Nameservers are the provider's authoritative servers (names or
	// addresses, optional :port) that parity queries and that a flip
	// delegates to.
	Nameservers []string `yaml:"nameservers"`

	// rfc2136: the primary to transfer from and update.
	Server string `yaml:"server"`
	TSIG   *TSIG  `yaml:"tsig"`
	// Flavor is the rfc2136 server's implementation (bind, knot,
	// powerdns, nsd; default generic): its known quirks, declared rather
	// than sniffed.
	Flavor string `yaml:"flavor"`

	// HTTP API providers (powerdns, cloudflare, ...).
	URL       string `yaml:"url"`
	ServerID  string `yaml:"server_id"`
	APIKeyEnv string `yaml:"api_key_env"`
	ZoneID    string `yaml:"zone_id"`
	// SecretKeyEnv names the variable holding the second half of a key
	// pair (dnsmadeeasy: the secret key that signs requests).
	SecretKeyEnv string `yaml:"secret_key_env"`
	// AuthID / SubAuthID: the API user (cloudns: auth-id or sub-auth-id;
	// api_key_env then holds its auth-password). Ids, not secrets.
	AuthID    string `yaml:"auth_id"`
	SubAuthID string `yaml:"sub_auth_id"`

	// ManageApex lets push change the apex NS names (never the SOA's
	// names and serial: they belong to the provider); off by default: the
	// provider's own apex NS names stand (their TTL still follows git).
	ManageApex bool `yaml:"manage_apex"`

	// Delegation are the NS names a flip sets at the parent for this side
	// (default: the provider's API, else its apex NS).
	Delegation []string `yaml:"delegation"`

	// AWS (route53): the region of the API's signing scope (default
	// us-east-1) and, optionally, static keys by environment variable
	// name; without them the standard AWS credential chain is used
	// (environment, shared files, web identity for GitHub OIDC, ...).
	AWS `yaml:",inline"`

	// Name is the key under providers (old, new). Set by Load.
	Name string `yaml:"-"`
	// TypePos is FILE:LINE of its type (else of its name) in the config,
	// for errors about the type. Set by Load.
	TypePos string `yaml:"-"`
	// APIKey is filled by Resolve from APIKeyEnv, SecretKey from
	// SecretKeyEnv.
	APIKey    Secret `yaml:"-"`
	SecretKey Secret `yaml:"-"`
}

// AWS are the settings of an AWS API client (route53 provider,
// route53domains registrar). Secrets only by environment variable name.
type AWS struct {
	Region             string `yaml:"region"`
	AccessKeyIDEnv     string `yaml:"access_key_id_env"`
	SecretAccessKeyEnv string `yaml:"secret_access_key_env"`
	SessionTokenEnv    string `yaml:"session_token_env"`

	// Filled by Resolve from the *_env names.
	AccessKeyID     Secret `yaml:"-"`
	SecretAccessKey Secret `yaml:"-"`
	SessionToken    Secret `yaml:"-"`
}

func (a *AWS) validate() error {
	for _, kv := range [][2]string{{"access_key_id_env", a.AccessKeyIDEnv}, {"secret_access_key_env", a.SecretAccessKeyEnv}, {"session_token_env", a.SessionTokenEnv}} {
		if kv[1] != "" && !envName.MatchString(kv[1]) {
			// The value is not repeated: it may be the secret itself.
			return fmt.Errorf("%s is not an environment variable name (it names the variable that holds the secret; the secret itself never goes in this file)", kv[0])
		}
	}
	if (a.AccessKeyIDEnv == "") != (a.SecretAccessKeyEnv == "") {
		return fmt.Errorf("access_key_id_env and secret_access_key_env go together")
	}
	return nil
}

// resolve reads the AWS secrets; where prefixes the keys in errors.
func (a *AWS) resolve(get func(where, env string) Secret, where string) {
	if a.AccessKeyIDEnv != "" {
		a.AccessKeyID = get(where+".access_key_id_env", a.AccessKeyIDEnv)
	}
	if a.SecretAccessKeyEnv != "" {
		a.SecretAccessKey = get(where+".secret_access_key_env", a.SecretAccessKeyEnv)
	}
	if a.SessionTokenEnv != "" {
		a.SessionToken = get(where+".session_token_env", a.SessionTokenEnv)
	}
}

// TSIG names a TSIG key; the secret comes from SecretEnv.
type TSIG struct {
	Name      string `yaml:"name"`
	Algorithm string `yaml:"algorithm"`
	SecretEnv string `yaml:"secret_env"`
	// Secret is filled by Resolve.
	Secret Secret `yaml:"-"`
}

// Registrar is where the delegation is flipped.
type Registrar struct {
	Type string `yaml:"type"`
	// parent: the parent zone we manage, and its provider (a name under
	// providers or an inline rfc2136 server).
	Zone     string `yaml:"zone"`
	Server   string `yaml:"server"`
	TSIG     *TSIG  `yaml:"tsig"`
	Provider string `yaml:"provider"`

	// route53domains: the API endpoint (default: the SDK's, or
	// AWS_ENDPOINT_URL_ROUTE_53_DOMAINS), region and keys.
	URL string `yaml:"url"`
	AWS `yaml:",inline"`

	// TypePos is FILE:LINE of its type in the config. Set by Load.
	TypePos string `yaml:"-"`
}

// Cutover configures status, flip, rollback and finish.
type Cutover struct {
	// Resolvers are the caching resolvers the propagation watch asks
	// (host:port).
	Resolvers []string `yaml:"resolvers"`
	// ParentServers are the parent zone's authoritative servers
	// (host:port); default: found by NS lookup from them or root hints.
	ParentServers []string `yaml:"parent_servers"`
	// StateDir holds the audit trail, one JSON file per zone (default
	// .dnsparity/cutover, relative to the config's directory).
	StateDir string `yaml:"state_dir"`
	// Watch bounds the propagation watch (default 15m).
	Watch Duration `yaml:"watch"`
}

// Policy is the safety policy.
type Policy struct {
	MaxChangePercent *float64 `yaml:"max_change_percent"`
	PrestageTTL      uint32   `yaml:"prestage_ttl"`
	Overlap          Duration `yaml:"overlap"`
}

// MaxChange returns max_change_percent (default 30).
func (p Policy) MaxChange() float64 {
	if p.MaxChangePercent == nil {
		return 30
	}
	return *p.MaxChangePercent
}

// Parity tunes the parity engine.
type Parity struct {
	// Resolver answers out-of-zone SPF includes (host:port); empty means
	// they are reported as unknown.
	Resolver    string   `yaml:"resolver"`
	RateLimit   float64  `yaml:"rate_limit"`  // queries per second in all; 0 = none
	Concurrency int      `yaml:"concurrency"` // in flight per server
	Timeout     Duration `yaml:"timeout"`
	Retries     *int     `yaml:"retries"` // nil: the default (2); 0 is allowed
	// AXFR transfers the zone from each provider (TSIG from its tsig
	// settings) to find records that are not in git.
	AXFR bool `yaml:"axfr"`
}

// Duration is a time.Duration written as "168h" or "7d".
type Duration struct{ time.Duration }

// UnmarshalYAML reads "168h", "30m" or "7d".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	s := strings.TrimSpace(n.Value)
	if strings.HasSuffix(s, "d") {
		var days int
		if _, err := fmt.Sscanf(s, "%dd", &days); err == nil {
			d.Duration = time.Duration(days) * 24 * time.Hour
			return nil
		}
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("line %d: bad duration %q (use e.g. 168h or 7d)", n.Line, s)
	}
	d.Duration = v
	return nil
}

// Secret holds a secret; it never prints itself.
type Secret string

func (s Secret) String() string { return "[redacted]" }

// GoString keeps %#v from printing it.
func (s Secret) GoString() string { return "[redacted]" }

// MarshalJSON keeps JSON from printing it.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// Value is the secret itself, for the one place that needs it.
func (s Secret) Value() string { return string(s) }

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Find looks for dnsparity.yaml in dir and its parents up to a .git
// directory; "" when there is none.
func Find(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; {
		p := filepath.Join(d, FileName)
		if _, err := os.Stat(p); err == nil {
			return p
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

// Load reads and validates a config file. Unknown keys are errors naming the
// line. Secrets are not read: call Resolve.
func Load(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(b, path)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Parse reads a config from bytes; path names it in errors.
func Parse(b []byte, path string) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(path, err)
	}
	c.Path = path
	c.Dir = filepath.Dir(path)
	c.typePositions(b)
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

// typePositions sets the TypePos of each provider and of the registrar
// from the file's YAML nodes (b decoded already without error).
func (c *Config) typePositions(b []byte) {
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil || len(doc.Content) == 0 {
		return
	}
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d", c.Path, n.Line) }
	// typeOf is the node of key "type" in mapping m, else m's key node k.
	typeOf := func(k, m *yaml.Node) *yaml.Node {
		if v := mapValue(m, "type"); v != nil {
			return v
		}
		return k
	}
	root := doc.Content[0]
	if provs := mapValue(root, "providers"); provs != nil && provs.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(provs.Content); i += 2 {
			if p := c.Providers[provs.Content[i].Value]; p != nil {
				p.TypePos = at(typeOf(provs.Content[i], provs.Content[i+1]))
			}
		}
	}
	if c.Registrar != nil {
		if r := mapValue(root, "registrar"); r != nil {
			c.Registrar.TypePos = at(typeOf(r, r))
		}
	}
}

// UnknownType is the error for a type no package registered: where it is
// (TypePos), which key (providers.old, registrar), the type, the registered
// type it was likely meant to be, and all of them.
func UnknownType(pos, where, typ string, known []string) error {
	msg := fmt.Sprintf("%s: unknown type %q (known: %s)", where, typ, strings.Join(known, ", "))
	if s := suggest.Closest(strings.ToLower(typ), nil, known); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	}
	if pos != "" {
		msg = pos + ": " + msg
	}
	return errors.New(msg)
}

// mapValue is the value node of key in mapping node m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func (c *Config) validate() error {
	var errs []error
	seen := map[string]bool{}
	for i, z := range c.Zones {
		if z.Name == "" {
			errs = append(errs, fmt.Errorf("zones[%d]: name is required", i))
		} else if _, ok := dns.IsDomainName(z.Name); !ok {
			errs = append(errs, fmt.Errorf("zones[%d]: %q is not a domain name", i, z.Name))
		}
		if z.File == "" {
			errs = append(errs, fmt.Errorf("zones[%d] (%s): file is required", i, z.Name))
		}
		n := zone.Fold(dns.Fqdn(z.Name))
		if seen[n] {
			errs = append(errs, fmt.Errorf("zones[%d]: %s listed twice", i, z.Name))
		}
		seen[n] = true
		c.Zones[i].Name = n
	}
	for name, p := range c.Providers {
		if p == nil {
			errs = append(errs, fmt.Errorf("providers.%s: empty", name))
			continue
		}
		p.Name = name
		if p.Type == "" {
			errs = append(errs, fmt.Errorf("providers.%s: type is required", name))
		}
		if p.APIKeyEnv != "" && !envName.MatchString(p.APIKeyEnv) {
			// The value is not repeated: it may be the secret itself.
			errs = append(errs, fmt.Errorf("providers.%s: api_key_env is not an environment variable name (it names the variable that holds the key; the secret itself never goes in this file)", name))
		}
		if p.SecretKeyEnv != "" && !envName.MatchString(p.SecretKeyEnv) {
			errs = append(errs, fmt.Errorf("providers.%s: secret_key_env is not an environment variable name (it names the variable that holds the key; the secret itself never goes in this file)", name))
		}
		if err := validateTSIG(p.TSIG); err != nil {
			errs = append(errs, fmt.Errorf("providers.%s: %w", name, err))
		}
		if err := p.AWS.validate(); err != nil {
			errs = append(errs, fmt.Errorf("providers.%s: %w", name, err))
		}
	}
	if c.Registrar != nil {
		if c.Registrar.Type == "" {
			errs = append(errs, fmt.Errorf("registrar: type is required"))
		}
		if err := validateTSIG(c.Registrar.TSIG); err != nil {
			errs = append(errs, fmt.Errorf("registrar: %w", err))
		}
		if err := c.Registrar.AWS.validate(); err != nil {
			errs = append(errs, fmt.Errorf("registrar: %w", err))
		}
		if c.Registrar.Provider != "" && c.Providers[c.Registrar.Provider] == nil {
			errs = append(errs, fmt.Errorf("registrar: provider %q is not under providers", c.Registrar.Provider))
		}
	}
	if r := c.Parity.Retries; r != nil && *r < 0 {
		errs = append(errs, fmt.Errorf("parity.retries: %d is negative", *r))
	}
	if c.Parity.RateLimit < 0 || c.Parity.Concurrency < 0 {
		errs = append(errs, fmt.Errorf("parity: rate_limit and concurrency must not be negative"))
	}
	if p := c.Policy.MaxChangePercent; p != nil && (*p < 0 || *p > 100) {
		errs = append(errs, fmt.Errorf("policy.max_change_percent: %v is not between 0 and 100", *p))
	}
	return errors.Join(errs...)
}

func validateTSIG(t *TSIG) error {
	if t == nil {
		return nil
	}
	if t.Name == "" {
		return fmt.Errorf("tsig: name is required")
	}
	if t.SecretEnv == "" {
		return fmt.Errorf("tsig: secret_env is required (the name of the environment variable holding the secret)")
	}
	if !envName.MatchString(t.SecretEnv) {
		// The value is not repeated: it may be the secret itself.
		return fmt.Errorf("tsig: secret_env is not an environment variable name (it names the variable that holds the secret; the secret itself never goes in this file)")
	}
	switch strings.ToLower(strings.TrimSuffix(t.Algorithm, ".")) {
	case "", "hmac-sha256", "hmac-sha1", "hmac-sha224", "hmac-sha384", "hmac-sha512", "hmac-md5", "hmac-md5.sig-alg.reg.int":
	default:
		return fmt.Errorf("tsig: unknown algorithm %q", t.Algorithm)
	}
	return nil
}

// checkSecret reports a secret that is not base64 (as tsig-keygen writes
// it), naming the variable and the key, never the value; an empty secret
// is reported by Resolve as unset.
func (t *TSIG) checkSecret(where string) error {
	if t.Secret == "" {
		return nil
	}
	if _, err := base64.StdEncoding.DecodeString(t.Secret.Value()); err != nil {
		return fmt.Errorf("%s: environment variable %s does not hold a base64 secret for TSIG key %s (the secret line of tsig-keygen's output)", where, t.SecretEnv, t.Name)
	}
	return nil
}

// TSIGAlgorithm is the key's algorithm as a miekg/dns name (default
// hmac-sha256).
func (t *TSIG) TSIGAlgorithm() string {
	switch strings.ToLower(strings.TrimSuffix(t.Algorithm, ".")) {
	case "", "hmac-sha256":
		return dns.HmacSHA256
	case "hmac-sha1":
		return dns.HmacSHA1
	case "hmac-sha224":
		return dns.HmacSHA224
	case "hmac-sha384":
		return dns.HmacSHA384
	case "hmac-sha512":
		return dns.HmacSHA512
	default:
		return dns.HmacMD5
	}
}

// Resolve reads the secrets of the named providers (all when none is named)
// and of the registrar from the environment. A variable that is unset or
// empty is an error naming it (never its value).
func (c *Config) Resolve(getenv func(string) string, providers ...string) error {
	if len(providers) == 0 {
		for n := range c.Providers {
			providers = append(providers, n)
		}
	}
	var errs []error
	get := func(where, env string) Secret {
		v := getenv(env)
		if v == "" {
			errs = append(errs, fmt.Errorf("%s: environment variable %s is not set", where, env))
		}
		return Secret(v)
	}
	for _, n := range providers {
		p := c.Providers[n]
		if p == nil {
			errs = append(errs, fmt.Errorf("no provider %q in %s", n, c.Path))
			continue
		}
		if p.APIKeyEnv != "" {
			p.APIKey = get("providers."+n+".api_key_env", p.APIKeyEnv)
		}
		if p.SecretKeyEnv != "" {
			p.SecretKey = get("providers."+n+".secret_key_env", p.SecretKeyEnv)
		}
		if p.TSIG != nil {
			p.TSIG.Secret = get("providers."+n+".tsig.secret_env", p.TSIG.SecretEnv)
			if err := p.TSIG.checkSecret("providers." + n + ".tsig.secret_env"); err != nil {
				errs = append(errs, err)
			}
		}
		p.AWS.resolve(get, "providers."+n)
	}
	return errors.Join(errs...)
}

// ResolveRegistrar reads the registrar's secrets.
func (c *Config) ResolveRegistrar(getenv func(string) string) error {
	if c.Registrar == nil {
		return nil
	}
	var errs []error
	get := func(where, env string) Secret {
		v := getenv(env)
		if v == "" {
			errs = append(errs, fmt.Errorf("%s: environment variable %s is not set", where, env))
		}
		return Secret(v)
	}
	if c.Registrar.TSIG != nil {
		c.Registrar.TSIG.Secret = get("registrar.tsig.secret_env", c.Registrar.TSIG.SecretEnv)
		if err := c.Registrar.TSIG.checkSecret("registrar.tsig.secret_env"); err != nil {
			errs = append(errs, err)
		}
	}
	c.Registrar.AWS.resolve(get, "registrar")
	return errors.Join(errs...)
}

// ZoneFile is a zone's file as a path usable from the working directory.
func (c *Config) ZoneFile(z Zone) string {
	if filepath.IsAbs(z.File) || c.Dir == "" {
		return z.File
	}
	return filepath.Join(c.Dir, z.File)
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

// ZoneProviders are the providers plan, push and the Action's sync use by
// default: old and new (DESIGN: only they are pushed and compared) when
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

var (
	yamlLineRE    = regexp.MustCompile(`^line (\d+): (.*)$`)
	yamlUnknownRE = regexp.MustCompile(`^field (\S+) not found in type (\S+)$`)
	yamlKindRE    = regexp.MustCompile("^cannot unmarshal !!\\w+ `(.*)` into (\\S+)$")
)

// yamlError turns a yaml.v3 error into PATH:LINE: message lines without Go
// type names ("unknown key max_change", not "field ... not found in type").
func yamlError(path string, err error) error {
	msgs := []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	}
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		line := ""
		if g := yamlLineRE.FindStringSubmatch(m); g != nil {
			line, m = g[1]+":", g[2]
		}
		if g := yamlUnknownRE.FindStringSubmatch(m); g != nil {
			m = fmt.Sprintf("unknown key %q", g[1])
			if s := suggestKey(g[1], knownKeys()[g[2]]); s != "" {
				m += fmt.Sprintf(" (did you mean %s?)", s)
			}
		} else if g := yamlKindRE.FindStringSubmatch(m); g != nil {
			m = fmt.Sprintf("%q is not %s", g[1], yamlKind(g[2]))
		}
		out = append(out, fmt.Sprintf("%s:%s %s", path, line, m))
	}
	return errors.New(strings.Join(out, "\n"))
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
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeOf(Config{}).PkgPath() {
			return
		}
		if _, done := out[t.String()]; done {
			return
		}
		out[t.String()] = nil
		var keys []string
		var fields func(t reflect.Type)
		fields = func(t reflect.Type) {
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
				switch {
				case name == "-":
				case opts == "inline":
					fields(f.Type)
				case name != "":
					keys = append(keys, name)
					visit(f.Type)
				}
			}
		}
		fields(t)
		sort.Strings(keys)
		out[t.String()] = keys
	}
	visit(reflect.TypeOf(Config{}))
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
