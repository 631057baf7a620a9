package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// The documents a new user copies dnsparity.yaml from. Their configs are
// read here, beside the provider and registrar packages the binary links
// (providers.go, registrars.go), which refuse each type's unknown keys as
// the file is read.
var configDocs = []string{"../../README.md", "../../docs/ACTION.md"}

// configTopKeys are dnsparity.yaml's top-level keys: a ```yaml block
// whose first key is one of them is a config (or part of one).
var configTopKeys = regexp.MustCompile(`^(zones|providers|registrar|policy|parity|cutover):`)

// globRE finds a zones entry's glob.
var globRE = regexp.MustCompile(`(?m)^\s*-? *files: *(\S+)`)

// TestConfigExamplesParse: every dnsparity.yaml the README and
// docs/ACTION.md show parses as written (no unknown key, no value of the
// wrong kind): a user who copies one gets no error from the example.
func TestConfigExamplesParse(t *testing.T) {
	n := 0
	for _, doc := range configDocs {
		b, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\n")
		for i := 0; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) != "```yaml" {
				continue
			}
			start := i + 1
			for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			}
			text := strings.Join(lines[start:i], "\n") + "\n"
			if !configTopKeys.MatchString(text) {
				continue
			}
			n++
			dir := t.TempDir()
			// A file for each glob to match (a glob that matches none is an
			// error): zones/**/*.zone gives zones/example.net.zone.
			for _, g := range globRE.FindAllStringSubmatch(text, -1) {
				f := filepath.Join(dir, strings.ReplaceAll(strings.ReplaceAll(g[1], "**/", ""), "*", "example.net"))
				if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, []byte("$ORIGIN example.net.\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := config.Parse([]byte(text), filepath.Join(dir, "dnsparity.yaml")); err != nil {
				t.Errorf("%s:%d: the example config does not parse: %v", doc, start+1, err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no example config found: the test reads nothing")
	}
}

// TestConfigTableKeysExist: every key the README's configuration table
// names (`policy.overlap`, `.files`, a provider type's `api_key_env`, a
// registrar type's `region`) is a key the config takes: a file with it
// alone gives no "unknown key" error.
func TestConfigTableKeysExist(t *testing.T) {
	b, err := os.ReadFile(configDocs[0])
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "| key | meaning | default |")
	if start < 0 {
		t.Fatal("no configuration table in README.md")
	}
	var keys []string
	code := regexp.MustCompile("`([^`]+)`")
	row := regexp.MustCompile(`^\| (?:([a-z0-9]+): )?(.*?) \| `)
	for _, line := range strings.Split(text[start:], "\n")[2:] {
		if !strings.HasPrefix(line, "| ") {
			break
		}
		m := row.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("README.md: a row of the configuration table without a key: %.60s", line)
			continue
		}
		kind, prev := m[1], ""
		for _, c := range code.FindAllStringSubmatch(m[2], -1) {
			for _, k := range expandKey(c[1]) {
				switch {
				case strings.HasPrefix(k, "."):
					k = prev[:strings.LastIndex(prev, ".")] + k
				case kind == "parent" || kind == "route53domains":
					if !strings.HasPrefix(k, "registrar.") {
						k = "registrar." + k
					}
				case kind != "":
					k = "providers.p." + k
				}
				prev = k
				keys = append(keys, kind+" "+k)
			}
		}
	}
	if len(keys) < 40 {
		t.Fatalf("only %d keys read from the table: %q", len(keys), keys)
	}
	// The test can fail: a key the config does not take is found so.
	for _, k := range []string{"zones[].nmae", "policy.delegation.min-ns", "providers.NAME.manage"} {
		if _, err := config.Parse([]byte(yamlOf("", k)), filepath.Join(t.TempDir(), "dnsparity.yaml")); err == nil || !strings.Contains(err.Error(), "unknown key") {
			t.Fatalf("%s: err %v, want an unknown key:\n%s", k, err, yamlOf("", k))
		}
	}
	if _, err := config.Parse([]byte(yamlOf("powerdns", "providers.p.region")), filepath.Join(t.TempDir(), "dnsparity.yaml")); err == nil || !strings.Contains(err.Error(), "unknown key") {
		t.Fatalf("a route53 key under a powerdns provider: err %v, want an unknown key", err)
	}
	for _, kk := range keys {
		kind, key, _ := strings.Cut(kk, " ")
		y := yamlOf(kind, key)
		_, err := config.Parse([]byte(y), filepath.Join(t.TempDir(), "dnsparity.yaml"))
		if err != nil && strings.Contains(err.Error(), "unknown key") {
			t.Errorf("README.md's configuration table names %s, which the config does not take: %v\n%s", key, err, y)
		}
	}
}

// expandKey is a table cell's key as paths: "tsig: {name, algorithm,
// secret_env}" is tsig.name, tsig.algorithm, tsig.secret_env.
func expandKey(s string) []string {
	name, inner, ok := strings.Cut(s, ": {")
	if !ok {
		return []string{s}
	}
	var out []string
	for _, k := range strings.Split(strings.TrimSuffix(inner, "}"), ",") {
		out = append(out, name+"."+strings.TrimSpace(k))
	}
	return out
}

// yamlOf is a config holding only key (a dotted path; NAME and [] as the
// table writes them) with a value of no particular kind, under a provider
// or registrar of type kind when the row is that type's (a provider "p").
func yamlOf(kind, key string) string {
	key = strings.ReplaceAll(key, ".NAME.", ".p.")
	parts := strings.Split(key, ".")
	var b strings.Builder
	indent := ""
	for i, p := range parts {
		if name, ok := strings.CutSuffix(p, "[]"); ok { // a list of mappings
			fmt.Fprintf(&b, "%s%s:\n%s  -\n", indent, name, indent)
			indent += "    "
			continue
		}
		if i == len(parts)-1 {
			fmt.Fprintf(&b, "%s%s: x\n", indent, p)
			break
		}
		fmt.Fprintf(&b, "%s%s:\n", indent, p)
		indent += "  "
		if i == 1 && parts[0] == "providers" && kind == "" {
			kind = "rfc2136" // a provider has a type; the keys of every type
		}
		if kind != "" && parts[len(parts)-1] != "type" && (i == 1 && parts[0] == "providers" || i == 0 && p == "registrar") {
			fmt.Fprintf(&b, "%stype: %s\n", indent, kind)
		}
	}
	return b.String()
}
