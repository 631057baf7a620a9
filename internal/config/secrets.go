package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/confine"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/suggest"
	yaml "go.yaml.in/yaml/v3"
)

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

// Check validates the key's settings (errors start "tsig: "); whether
// its *_env keys name variables is checked with its Vars.
func (t *TSIG) Check() error {
	switch {
	case t.Name == "" && t.NameEnv == "":
		return fmt.Errorf("tsig: name (or name_env, the variable holding it) is required")
	case t.Name != "" && t.NameEnv != "":
		return fmt.Errorf("tsig: name and name_env: give one of them")
	}
	if t.SecretEnv == "" {
		return fmt.Errorf("tsig: secret_env is required (the name of the environment variable holding the secret)")
	}
	a := strings.ToLower(strings.TrimSuffix(t.Algorithm, "."))
	if a == "" || a == "hmac-md5.sig-alg.reg.int" || slices.Contains(tsigAlgorithms, a) {
		return nil
	}
	meant := suggest.Closest(a, nil, tsigAlgorithms)
	if meant == "" && a != "" {
		var in []string
		for _, n := range tsigAlgorithms {
			if strings.Contains(n, a) {
				in = append(in, n)
			}
		}
		if len(in) == 1 {
			meant = in[0] // "sha256" → hmac-sha256
		}
	}
	hint := "the algorithms: " + strings.Join(tsigAlgorithms, ", ")
	if meant != "" {
		hint = "did you mean " + meant + "? " + hint
	}
	return fmt.Errorf("tsig: unknown algorithm %q (%s)", t.Algorithm, hint)
}

// tsigAlgorithms are the TSIG algorithms a key may name (hmac-md5 also as
// hmac-md5.sig-alg.reg.int), the default first.
var tsigAlgorithms = []string{"hmac-sha256", "hmac-sha1", "hmac-sha224", "hmac-sha384", "hmac-sha512", "hmac-md5"}

// Vars are the key's variables: its name (name_env) and its secret; key
// is the key's place ("tsig"), "" for keys relative to it.
func (t *TSIG) Vars(key string) []Var {
	if key != "" {
		key += "."
	}
	name := Var{Key: key + "name_env", Env: t.NameEnv, Holds: "the key's name", Set: func(v Secret) error {
		if _, ok := dns.IsDomainName(v.Value()); !ok {
			return fmt.Errorf("the value of %s is not a domain name (a TSIG key's name)", ShownEnvName(t.NameEnv))
		}
		t.Name = dns.Fqdn(v.Value())
		return nil
	}}
	secret := Var{Key: key + "secret_env", Env: t.SecretEnv, Holds: "the secret", Secret: true, Set: func(v Secret) error {
		t.Secret = v
		return t.checkSecret()
	}}
	return []Var{name, secret}
}

// checkSecret reports a secret that is not base64 (as tsig-keygen writes
// it), naming the variable and the key, never the value.
func (t *TSIG) checkSecret() error {
	if _, err := base64.StdEncoding.DecodeString(t.Secret.Value()); err != nil {
		env := ShownEnvName(t.SecretEnv)
		if env == "" {
			env = "(its name is not shown)"
		}
		return fmt.Errorf("environment variable %s does not hold a base64 secret for TSIG key %s (the secret line of tsig-keygen's output)", env, t.Name)
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
// and of the registrar from the environment, and the names and ids given
// by variable (tsig.name_env, auth_id_env, sub_auth_id_env). A variable
// that is unset or empty is an error naming it (never its value).
func (c *Config) Resolve(getenv func(string) string, providers ...string) error {
	if len(providers) == 0 {
		providers = c.ProviderNames() // old, new, then the others: errors in one order
	}
	var errs []error
	for _, n := range providers {
		p := c.Providers[n]
		if p == nil {
			errs = append(errs, c.NoProvider(n))
			continue
		}
		errs = append(errs, resolveVars(getenv, "providers."+n, p.vars(), c)...)
	}
	return errors.Join(errs...)
}

// SecretEnvs are the variables the config's keys name for secrets (a
// provider's or the registrar's API key or password, TSIG secret, AWS
// keys; not the ids and key names also given by variable), each once:
// the providers in ProviderNames order, then the registrar's.
func (c *Config) SecretEnvs() []string {
	var vars []Var
	for _, n := range c.ProviderNames() {
		vars = append(vars, c.Providers[n].vars()...)
	}
	if c.Registrar != nil {
		vars = append(vars, c.Registrar.vars()...)
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range vars {
		if v.Secret && v.Env != "" && !seen[v.Env] {
			seen[v.Env] = true
			out = append(out, v.Env)
		}
	}
	return out
}

// PlainEnvs reads the *_env keys of a config's text, without validating
// the rest of it, and returns the variables it reads as no secret (a TSIG
// key's name, an id: Var.Secret false) and never as one: a variable also
// named for a secret is not among them. Keys of a provider type this
// build does not know are not read (their variables are not returned). An
// error means the providers or the registrar could not be read.
func PlainEnvs(b []byte) ([]string, error) {
	var c struct {
		Providers map[string]*Provider `yaml:"providers"`
		Registrar *Registrar           `yaml:"registrar"`
	}
	if err := yaml.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	var vars []Var
	for _, p := range c.Providers {
		if p != nil {
			vars = append(vars, p.vars()...)
		}
	}
	if c.Registrar != nil {
		vars = append(vars, c.Registrar.vars()...)
	}
	secret := map[string]bool{}
	for _, v := range vars {
		if v.Secret {
			secret[v.Env] = true
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, v := range vars {
		if !v.Secret && v.Env != "" && !secret[v.Env] && !seen[v.Env] {
			seen[v.Env] = true
			out = append(out, v.Env)
		}
	}
	sort.Strings(out)
	return out, nil
}

// ResolveRegistrar reads the registrar's secrets.
func (c *Config) ResolveRegistrar(getenv func(string) string) error {
	if c.Registrar == nil {
		return nil
	}
	return errors.Join(resolveVars(getenv, "registrar", c.Registrar.vars(), c)...)
}

// Resolve reads the key's secret (SecretEnv) and, with NameEnv, its name
// from the environment; where is the key's place in the config
// (providers.old.tsig) for errors, which name variables, never values.
// c is the config it is in (nil: none), whose public text the secret
// must not stand in (resolveVars).
func (t *TSIG) Resolve(getenv func(string) string, where string, c *Config) error {
	return errors.Join(resolveVars(getenv, where, t.Vars(""), c)...)
}

// ErrUnset is what UnsetError's errors are (errors.Is): a variable a key
// names is unset or empty, so nothing was read from it.
var ErrUnset = errors.New("environment variable not set")

// unsetError is a variable that is unset or empty: its message, and
// ErrUnset.
type unsetError struct{ msg string }

func (e *unsetError) Error() string        { return e.msg }
func (e *unsetError) Is(target error) bool { return target == ErrUnset }

// UnsetError is the error for a variable named at where (a *_env key)
// that is unset or empty: it names the variable only as ShownEnvName
// allows. It is ErrUnset.
func UnsetError(where, env string) error {
	if n := ShownEnvName(env); n != "" {
		// In a workflow, a secret that does not exist (or a fork's run,
		// which gets none) sets the variable to "": it is there, empty.
		return &unsetError{fmt.Sprintf("%s: environment variable %s is not set or is empty (in GitHub Actions: a secret that does not exist, or a run from a fork, gives an empty value)", where, n)}
	}
	return &unsetError{fmt.Sprintf("%s: the environment variable it names is not set or is empty (its name is not shown: it is not written as variable names are, in capitals, digits and underscores, or it reads as a generated key, and may be the secret itself)", where)}
}

// unsetError is UnsetError, and, when the environment's names are known
// (Loads.EnvNames) and one that holds a value is one edit from env
// (PDNS_APIKEY, PDNS_API_KEY), that name as a suggestion: a name only
// (as ShownEnvName allows both), never a value. c may be nil.
func (c *Config) unsetError(where, env string) error {
	err := UnsetError(where, env)
	if c == nil || c.envNames == nil || ShownEnvName(env) == "" {
		return err
	}
	var near []string
	for _, n := range c.envNames() {
		if n != env && ShownEnvName(n) != "" && suggest.OneEdit(env, n) {
			near = append(near, n)
		}
	}
	if len(near) == 0 {
		return err
	}
	sort.Strings(near)
	return &unsetError{fmt.Sprintf("%s; did you mean %s? (set in the environment)", err.Error(), strings.Join(near, " or "))}
}

// OnlyUnset reports whether err (one error, or several joined, as
// Resolve returns them) is only variables that are unset or empty
// (ErrUnset): no value was refused, so none is left unmasked, and what
// needs no secret (a zone file's checks) can still be reported.
func OnlyUnset(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := err.(*unsetError); ok {
		return true
	}
	// Through every wrap: errors.Is would find an unset one in a
	// joined error wrapped with context (parity's "parity.axfr: %w")
	// beside a value refused.
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if !OnlyUnset(e) {
				return false
			}
		}
		return true
	case interface{ Unwrap() error }:
		return OnlyUnset(u.Unwrap())
	}
	return false
}

// ShortSecretError is the error for a secret (the value of the variable
// named at where) of fewer than redact.MinLen characters, blanks aside.
//
// Such a secret is refused, not masked. Masking works by replacing the
// secret's text wherever it appears in what a run prints: "ab1" would
// replace those letters inside zone names, record data and words, garble
// every report, and, by where the masks land, show what the secret is;
// that is why redact.Secrets ignores values under MinLen. Refusing costs
// nothing real: no API token, password or access key is that short, and
// tsig-keygen writes a TSIG secret as long as its hash, 16 bytes or more
// (24 base64 characters; RFC 2104 section 3 discourages HMAC keys shorter
// than the hash output). A run with such a value is
// a mistake in the variable (a placeholder, a truncated paste), so it
// stops before anything is sent, naming the key and the variable, never
// the value or its length.
func ShortSecretError(where, env string) error {
	return shortSecretError(where, envHolder(env))
}

// shortSecretError is ShortSecretError for the secret holder holds (an
// environment variable, envHolder; a key of a file).
func shortSecretError(where, holder string) error {
	return fmt.Errorf("%s: %s holds a secret of fewer than %d characters, which dnsparity refuses: it could not be masked in what a run prints without garbling it, and no real API key, password or TSIG secret is that short (a placeholder or a truncated value?)", where, holder, redact.MinLen)
}

// envHolder is "environment variable NAME", the name as ShownEnvName
// allows.
func envHolder(env string) string {
	n := ShownEnvName(env)
	if n == "" {
		n = "(its name is not shown)"
	}
	return "environment variable " + n
}

// PublicSecretError is the error for a secret (the value of the variable
// named at where) that stands in text a run shows anyway: a zone's name,
// a file's path, a record of a zone file (redact.InPublic).
//
// Such a secret is refused, not masked: the mask would fall inside that
// text, and where it falls says what the secret is (with a key "acme",
// the zone file zones/acme.test.zone is shown as zones/***.test.zone next
// to the zone acme.test.). The run stops before anything is sent or
// printed, naming the key and the variable, never the value or the text
// it stands in.
func PublicSecretError(where, env string) error {
	return publicSecretError(where, envHolder(env))
}

// publicSecretError is PublicSecretError for the secret holder holds (an
// environment variable, envHolder; a key of a file).
func publicSecretError(where, holder string) error {
	return fmt.Errorf("%s: %s holds a secret that stands in what a run shows anyway (a zone's name, a file's path or a zone's record), which dnsparity refuses: masking it there would show what it is (a placeholder or a value pasted from the wrong place?)", where, holder)
}

// readSecret is a secret the config's keys read (Resolve): its key,
// what holds it (envHolder, or a key of a file) and its value.
type readSecret struct{ key, holder, value string }

// ShownSecret is PublicSecretError for the first secret Resolve read
// that stands in one of texts (a zone's records, as a run shows them),
// or nil.
func (c *Config) ShownSecret(texts iter.Seq[string]) error {
	if i := c.shown.In(texts); i >= 0 {
		return publicSecretError(c.read[i].key, c.read[i].holder)
	}
	return nil
}

// Mask takes the values a caller masks in all a run shows (the Action's:
// every variable whose name says it holds a secret), by variable name, as
// secrets this config read: one that stands in the config's public text
// (Public: a zone's name, a file's path) is refused here
// (PublicSecretError, naming the variable and "the environment"), and
// ShownSecret refuses one that stands in a zone's records as it refuses
// the config's own. Call it once the config is loaded, before its zones
// are narrowed to a run's: the public text is every zone's.
func (c *Config) Mask(vars map[string]string) error {
	if len(vars) == 0 {
		return nil
	}
	names := make([]string, 0, len(vars))
	for k, v := range vars {
		if v != "" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	more := make([]readSecret, len(names))
	values := make([]string, len(names))
	for i, k := range names {
		more[i] = readSecret{key: "the environment", holder: envHolder(k), value: vars[k]}
		values[i] = vars[k]
	}
	if i := redact.InPublic(values, c.Public()); i >= 0 {
		return PublicSecretError("the environment", names[i])
	}
	c.readNow(more)
	return nil
}

// MaskedFiles is a config of zone files named without one (check PATH,
// parity --file): those zones alone, with the values the caller masks as
// its secrets (Mask: refused in the files' paths; ShownSecret: in their
// records). Nil when nothing is masked.
func MaskedFiles(zs []Zone, masked map[string]string) (*Config, error) {
	if len(masked) == 0 {
		return nil, nil
	}
	c := &Config{}
	c.SetZones(zs)
	if err := c.Mask(masked); err != nil {
		return nil, err
	}
	return c, nil
}

// readNow keeps the secrets Resolve read (c.read) for ShownSecret: the
// forms of all of them, and what finds them, are made once, not for every
// zone it is asked about.
func (c *Config) readNow(more []readSecret) {
	if len(more) == 0 {
		return
	}
	c.read = append(c.read, more...)
	values := make([]string, len(c.read))
	for i, r := range c.read {
		values[i] = r.value
	}
	c.shown = redact.NewPublic(values)
}

// Public is the config's text that a run shows as it is: the config's
// path, each zone's name (as written and without its final dot) and
// file (as written and as resolved), the providers' nameservers,
// delegation names and TSIG key names, the registrar's zone, server and
// key name. A secret must not stand in it (PublicSecretError).
func (c *Config) Public() iter.Seq[string] {
	return func(yield func(string) bool) {
		texts := []string{c.Path}
		for _, z := range c.Zones {
			texts = append(texts, z.Name, strings.TrimSuffix(z.Name, "."), z.File, c.ZoneFile(z))
		}
		tsig := func(t *TSIG) {
			if t != nil {
				texts = append(texts, t.Name)
			}
		}
		for _, p := range c.Providers {
			if p == nil {
				continue
			}
			texts = append(texts, p.Nameservers...)
			texts = append(texts, p.Delegation...)
			tsig(p.TSIG)
		}
		if r := c.Registrar; r != nil {
			texts = append(texts, r.Zone, r.Server)
			tsig(r.TSIG)
		}
		for _, t := range texts {
			if t != "" && !yield(t) {
				return
			}
		}
	}
}

// conventionalEnv is how variable names are written (POSIX reserves
// capitals, digits and underscores for them).
var conventionalEnv = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

// ShownEnvName is a variable's name as a message may show it: itself
// when it is written as variable names are, else "": a value in a *_env
// key written otherwise (lower case, base64, hex) may be the secret that
// belongs in the variable, pasted where its name belongs. So may one
// written in capitals and digits that reads as a generated key (base32,
// upper-case hex: keyLike).
func ShownEnvName(env string) string {
	if conventionalEnv.MatchString(env) && !keyLike(env) {
		return env
	}
	return ""
}

// keyLike reports whether a name written as variable names are reads as
// a generated key instead (JBSWY3DPEHPK3PXP, 9F86D081884C7D65...): 16
// characters or more, no underscore between words, and two digits or
// more among the letters. Names are words (PDNS_API_KEY, CLOUDFLARETOKEN,
// TOKEN2).
func keyLike(s string) bool {
	if len(s) < 16 || strings.Contains(s, "_") {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			digits++
		}
	}
	return digits >= 2
}

// Secrets is a redaction set of the values of the variables c names for
// secrets (SecretEnvs) that are set, read through getenv (a redacting
// run's getenv adds each to its own set as it reads it).
func (c *Config) Secrets(getenv func(string) string) *redact.Secrets {
	var s redact.Secrets
	for _, n := range c.SecretEnvs() {
		s.Add(getenv(n))
	}
	return &s
}

// ReadSecretsOf reads, through getenv, the secret variables of the
// config a command line names (--config, the last one, else the one
// Find finds from dir), so that a redacting getenv knows them before the
// command reads anything; loads is what the command then loads the
// config with (the same bytes, parsed again: not the file read again).
// Only the settings are parsed (parseHead): no zones glob is expanded,
// no zone file read, which the command's own load does once. A config
// whose settings do not parse reads nothing: the command reports it. It
// returns the credentials the config's text writes into a URL
// (URLCredentialsOf), which the run masks as the Action does: of a
// config that does not load too (its error may quote a value), its text
// parsed once.
func ReadSecretsOf(loads *Loads, path, dir string, getenv func(string) string) []string {
	if path == "" {
		path = Find(dir)
	}
	if path == "" {
		return nil
	}
	root := confine.Root(filepath.Dir(path))
	b, err := loads.Read(root, path)
	if err != nil {
		return nil
	}
	if cfg, err := parseHead(b, path, root); err == nil { // masked even with a bad type
		for _, n := range cfg.SecretEnvs() {
			getenv(n)
		}
		return URLCredentialsOf(cfg.root)
	}
	var tree yaml.Node
	if yaml.Unmarshal(b, &tree) != nil {
		return nil
	}
	return URLCredentialsOf(&tree)
}

// URLCredentialsOf are the credentials each value of a config's YAML
// tree (tree, as yaml.Unmarshal gives it; nil: none) writes into a URL
// (https://user:password@host/ in a provider's url:, a secret written
// in the file by mistake: redact.URLCredentials), in the order written.
// net/http sends them as HTTP Basic, which a server may echo: the
// Action masks them, and so does the command line where it redacts (a
// step log, a terminal); a config that shows one anyway is refused
// (readURLs).
func URLCredentialsOf(tree *yaml.Node) []string {
	var out []string
	for _, r := range urlSecrets(tree) {
		out = append(out, r.value)
	}
	return out
}

// urlSecrets are URLCredentialsOf's credentials, each with its dotted
// key ("providers.old.url", an item of a list by its index) and what
// holds it (urlHolder).
func urlSecrets(tree *yaml.Node) []readSecret {
	var out []readSecret
	var walk func(n *yaml.Node, key string)
	walk = func(n *yaml.Node, key string) {
		switch n.Kind {
		case yaml.ScalarNode:
			for _, c := range redact.URLCredentials(n.Value) {
				out = append(out, readSecret{key: key, holder: urlHolder(key), value: c})
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], dotted(key, n.Content[i].Value)) // values, not keys
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, dotted(key, strconv.Itoa(i)))
			}
		default:
			for _, c := range n.Content {
				walk(c, key)
			}
		}
	}
	if tree != nil {
		walk(tree, "")
	}
	return out
}

func dotted(key, k string) string {
	if key == "" {
		return k
	}
	return key + "." + k
}

// urlHolder is what holds the credentials of the URL at the dotted
// key, as an error names it: "the url: of provider old".
func urlHolder(key string) string {
	if p := strings.Split(key, "."); len(p) == 3 && p[0] == "providers" && p[2] == "url" {
		return "the url: of provider " + p[1]
	}
	if key == "registrar.url" {
		return "the url: of the registrar"
	}
	return "the URL at " + key
}

// readURLs keeps the credentials the file writes into URLs (urlSecrets)
// as secrets the config read, as Resolve keeps its variables': the run
// masks them (URLCredentialsOf), so one too short to be masked
// (redact.TooShort: a password of 3 characters) or that stands in the
// config's public text (Public: a zone's name, a file's path) is refused
// here, naming its holder, and ShownSecret refuses one that stands in a zone's
// records or the path of a file its $INCLUDE reads, as it refuses a
// variable's (with a password "acme", the zone acme.test. would show as
// ***.test.).
func (c *Config) readURLs() []error {
	read := urlSecrets(c.root)
	if len(read) == 0 {
		return nil
	}
	var errs []error
	for i := 0; i < len(read); {
		j := i + 1
		for j < len(read) && read[j].key == read[i].key {
			j++
		}
		values := make([]string, 0, j-i)
		var err error
		for _, r := range read[i:j] {
			values = append(values, r.value)
			if redact.TooShort(r.value) && err == nil {
				err = shortSecretError(r.key, r.holder)
			}
		}
		if err == nil && redact.InPublic(values, c.Public()) >= 0 {
			err = publicSecretError(read[i].key, read[i].holder)
		}
		if err != nil {
			errs = append(errs, &keyError{line: c.line(strings.Split(read[i].key, ".")...), msg: err.Error()})
		}
		i = j
	}
	if len(errs) == 0 {
		c.readNow(read)
	}
	return errs
}
