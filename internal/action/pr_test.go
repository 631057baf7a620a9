package action

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
)

// TestDiffConfig: a pull request's change to dnsparity.yaml takes every
// zone when a setting besides zones changed, else the zones whose entries
// changed (resolved against the checkout, as the pull request's are),
// none when every entry is as it was.
func TestDiffConfig(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"zones/a.test.zone", "zones/b.test.zone", "zones/c.test.zone", "zones/eu/d.test.zone", "special/b.db"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f), ".zone"), ".db")
		if name == "b" {
			name = "b.test"
		}
		text := "$ORIGIN " + name + ".\n@ 3600 SOA ns.x. h.x. 1 7200 900 1209600 300\n@ 3600 NS ns.x.\n"
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const providers = "providers:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:53\n  new:\n    type: rfc2136\n    server: 127.0.0.2:53\n"
	const policy = "policy:\n  max_change_percent: 50\n"
	base := "zones:\n  - files: zones/*.zone\n" + providers + policy
	tests := []struct {
		name     string
		head     string
		settings bool
		zones    string // the changed zones, sorted
	}{
		{"the same", base, false, ""},
		{"a comment and another order of keys", "# zones by glob\n" + policy + "zones:\n  - files: zones/*.zone # all\n" + providers, false, ""},
		{"an entry added", "zones:\n  - files: zones/*.zone\n  - name: d.test.\n    file: zones/eu/d.test.zone\n" + providers + policy, false, "d.test."},
		{"a glob widened", "zones:\n  - files: zones/**/*.zone\n" + providers + policy, false, "d.test."},
		{"an override", "zones:\n  - files: zones/*.zone\n  - name: b.test.\n    file: special/b.db\n" + providers + policy, false, "b.test."},
		{"an override of the same file", "zones:\n  - files: zones/*.zone\n  - name: b.test\n    file: ./zones/b.test.zone\n" + providers + policy, false, ""},
		{"a zone dropped", "zones:\n  - name: a.test.\n    file: zones/a.test.zone\n  - name: c.test.\n    file: zones/c.test.zone\n" + providers + policy, false, ""},
		{"the policy", "zones:\n  - files: zones/*.zone\n" + providers + "policy:\n  max_change_percent: 90\n", true, ""},
		{"a provider", "zones:\n  - files: zones/**/*.zone\n" + strings.Replace(providers, "127.0.0.2", "127.0.0.3", 1) + policy, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "dnsparity.yaml")
			head, err := config.Parse([]byte(tt.head), path)
			if err != nil {
				t.Fatal(err)
			}
			d, err := diffConfig([]byte(base), []byte(tt.head), head)
			if err != nil {
				t.Fatal(err)
			}
			if d.settings != tt.settings {
				t.Errorf("settings changed %v, want %v", d.settings, tt.settings)
			}
			if tt.settings {
				if d.zones != nil {
					t.Errorf("zones %v with the settings changed: every zone is taken", d.zones)
				}
				return
			}
			if d.zones == nil {
				t.Fatal("no zone comparison")
			}
			var got []string
			for z := range d.zones {
				got = append(got, z)
			}
			sort.Strings(got)
			if strings.Join(got, " ") != tt.zones {
				t.Errorf("changed zones %q, want %q", strings.Join(got, " "), tt.zones)
			}
			// The merge: the base's settings with the pull request's zones.
			m, err := config.Parse(d.merged, path)
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Zones) != len(head.Zones) || m.Policy.MaxChange() != 50 {
				t.Errorf("merged: %d zones (want %d), max_change %v", len(m.Zones), len(head.Zones), m.Policy.MaxChange())
			}
		})
	}
}

// TestConfigChange: a pull request's scope (configScope) and the config
// its plan and parity use (baseConfig) come from one comparison of the
// base branch's config with the pull request's (configChange), made once
// per run: each says what it makes of the same change, and the second
// reads nothing again (the checkout's git is gone by then).
func TestConfigChange(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	const providers = "providers:\n  old:\n    type: rfc2136\n    server: 127.0.0.1:53\n  new:\n    type: rfc2136\n    server: 127.0.0.2:53\n"
	const base = "zones:\n  - files: zones/*.zone\n" + providers
	for _, tt := range []struct {
		name     string
		path     string // the pull request's config ("dnsparity.yaml")
		head     string
		baseText string // the base's config ("": base)
		failed   changeStep
		scope    string // the changed zones, sorted, or configScope's why
		trusted  bool   // baseConfig gives a config to plan with
		note     string // in baseConfig's note
		settings bool
	}{
		{"the same", "", base, "", atNone, "", true, "", false},
		{"an entry added", "", "zones:\n  - files: zones/*.zone\n  - name: b.test.\n    file: special/b.db\n" + providers, "", atNone, "b.test.", true, "", false},
		{"a provider", "", "zones:\n  - files: zones/*.zone\n" + strings.Replace(providers, "127.0.0.2", "127.0.0.9", 1), "", atNone, "its settings besides zones changed", true, "changes the provider settings of `dnsparity.yaml` (`providers.new.server`)", true},
		{"the parent's servers", "", base + "cutover:\n  parent_servers: ['127.0.0.66:53']\n", "", atNone, "its settings besides zones changed", true, "**Review with care:** `cutover.parent_servers` decide", true},
		{"no config on the base", "other.yaml", base, "", atBase, "the base branch has none", false, "The base branch has no `other.yaml`", false},
		{"the base's is no mapping", "", base, "- zones\n- providers\n", atDiff, "could not be compared with it (not a mapping of keys)", false, "is not a config: not a mapping of keys", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ws := t.TempDir()
			git := func(args ...string) string {
				t.Helper()
				out, err := exec.Command("git", append([]string{"-C", ws, "-c", "user.name=t", "-c", "user.email=t@t"}, args...)...).CombinedOutput()
				if err != nil {
					t.Fatalf("git %v: %v\n%s", args, err, out)
				}
				return strings.TrimSpace(string(out))
			}
			write := func(f, text string) {
				t.Helper()
				p := filepath.Join(ws, f)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, z := range []string{"a", "b"} {
				text := "$ORIGIN " + z + ".test.\n@ 3600 SOA ns.x. h.x. 1 7200 900 1209600 300\n@ 3600 NS ns.x.\n"
				write("zones/"+z+".test.zone", text)
				write("special/"+z+".db", text)
			}
			write("dnsparity.yaml", base)
			if tt.baseText != "" {
				write("dnsparity.yaml", tt.baseText)
			}
			git("init", "-q")
			git("add", ".")
			git("commit", "-q", "-m", "base")
			sha := git("rev-parse", "HEAD")
			path := "dnsparity.yaml"
			if tt.path != "" {
				path = tt.path
			}
			write(path, tt.head)
			cfgPath := filepath.Join(ws, path)
			cfg, err := config.Parse([]byte(tt.head), cfgPath)
			if err != nil {
				t.Fatal(err)
			}
			r, err := github.New(func(string) string { return "" }, io.Discard, nil)
			if err != nil {
				t.Fatal(err)
			}
			ac := &invocation{ws: ws, r: r, getenv: func(string) string { return "" }}
			pr := github.PullRequest{Number: 7, BaseSHA: sha}
			ctx := context.Background()

			zones, why := ac.configScope(ctx, cfgPath, cfg, pr)
			// The comparison is made: baseConfig must not need git again.
			if err := os.RemoveAll(filepath.Join(ws, ".git")); err != nil {
				t.Fatal(err)
			}
			trusted, n, cleanup := ac.baseConfig(ctx, cfgPath, pr)
			note := n.md
			defer cleanup()

			if ch := ac.configChange(ctx, cfgPath, pr); ch.failed != tt.failed || ch.diff.settings != tt.settings {
				t.Errorf("configChange: failed at %d (%v), settings %v; want %d, %v", ch.failed, ch.err, ch.diff.settings, tt.failed, tt.settings)
			}
			var got []string
			for z := range zones {
				got = append(got, z)
			}
			sort.Strings(got)
			if zones == nil {
				got = []string{why}
			}
			if g := strings.Join(got, " "); !strings.Contains(g, tt.scope) || (tt.scope == "" && g != "") {
				t.Errorf("configScope: %q, want %q", g, tt.scope)
			}
			if strings.Contains(note, "Review with care") != strings.Contains(tt.note, "Review with care") {
				t.Errorf("baseConfig's note calls for review: %v, want %v: %q", !strings.Contains(tt.note, "Review with care"), strings.Contains(tt.note, "Review with care"), note)
			}
			if (trusted != "") != tt.trusted || !strings.Contains(note, tt.note) || (tt.note == "" && note != "") {
				t.Errorf("baseConfig: trusted %q, note %q; want a config %v, a note with %q", trusted, note, tt.trusted, tt.note)
			}
			if tt.trusted {
				m, err := config.LoadIn(ws, trusted)
				if err != nil || len(m.Zones) != len(cfg.Zones) || m.Providers["new"] == nil {
					t.Fatalf("the trusted config (%v): %+v", err, m)
				}
			}
		})
	}
}

// TestDelegationChanges: the settings a pull request changes, to three
// levels, and those among them from which the cutover's gates learn the
// live delegation, or which decide what of it they refuse (named for
// review): the resolver every gate looks NS names up through
// (parity.resolver, before cutover.resolvers: one that answers as it
// likes makes an old server's other name look like no old server's), and
// the delegation gate's policy (its accept list, which turns a failed
// check into no refusal; min_ns; ipv6 false, which leaves every IPv6
// address unchecked). On the code before, those two passed unnamed.
func TestDelegationChanges(t *testing.T) {
	const base = "providers:\n  old: {type: rfc2136, server: 127.0.0.1:53}\n  new: {type: rfc2136, server: 127.0.0.2:53, delegation: [ns1.new.test.]}\ncutover:\n  parent_servers: ['127.0.0.10:53']\n  watch: 15m\npolicy:\n  overlap: 168h\n  delegation: {min_ns: 2}\nparity:\n  resolver: 127.0.0.53:53\n"
	for _, tt := range []struct {
		name, from, to  string
		changed, review string
	}{
		{"nothing", "", "", "", ""},
		{"a server", "127.0.0.2:53", "127.0.0.9:53", "providers.new.server", ""},
		{"the watch", "watch: 15m", "watch: 5m", "cutover.watch", ""},
		{"the overlap", "overlap: 168h", "overlap: 1h", "policy.overlap", ""},
		{"the parent's servers", "127.0.0.10:53", "127.0.0.66:53", "cutover.parent_servers", "cutover.parent_servers"},
		{"the new side's delegation", "ns1.new.test.", "ns1.evil.test.", "providers.new.delegation", "providers.new.delegation"},
		{"the apex NS from git", "delegation: [ns1.new.test.]}", "delegation: [ns1.new.test.], manage_apex: true}", "providers.new.manage_apex", "providers.new.manage_apex"},
		{"nameservers added", "server: 127.0.0.1:53}", "server: 127.0.0.1:53, nameservers: [127.0.0.7]}", "providers.old.nameservers", "providers.old.nameservers"},
		{"a registrar added", "policy:", "registrar: {type: manual}\npolicy:", "registrar.type", "registrar.type"},
		{"the trail's folder", "watch: 15m", "watch: 15m\n  state_dir: elsewhere", "cutover.state_dir", "cutover.state_dir"},
		{"the resolver names are looked up through", "127.0.0.53:53", "127.0.0.66:53", "parity.resolver", "parity.resolver"},
		{"a gate's accept list", "{min_ns: 2}", "{min_ns: 2, accept: [glue-consistent]}", "policy.delegation.accept", "policy.delegation.accept"},
		{"fewer NS names", "{min_ns: 2}", "{min_ns: 1}", "policy.delegation.min_ns", "policy.delegation.min_ns"},
		{"the cutover section dropped", "cutover:\n  parent_servers: ['127.0.0.10:53']\n  watch: 15m\n", "", "cutover.parent_servers cutover.watch", "cutover.parent_servers"},
		{"the cutover section a list", "cutover:\n  parent_servers: ['127.0.0.10:53']\n  watch: 15m\n", "cutover: [x]\n", "cutover", "cutover"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b, h map[string]any
			if err := yaml.Unmarshal([]byte(base), &b); err != nil {
				t.Fatal(err)
			}
			if err := yaml.Unmarshal([]byte(strings.Replace(base, tt.from, tt.to, 1)), &h); err != nil {
				t.Fatal(err)
			}
			changed := changedKeys(b, h)
			if got := strings.Join(changed, " "); got != tt.changed {
				t.Errorf("changed %q, want %q", got, tt.changed)
			}
			if got := strings.Join(delegationChanges(changed), " "); got != tt.review {
				t.Errorf("named for review %q, want %q", got, tt.review)
			}
		})
	}
}
