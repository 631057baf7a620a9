package action

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/github"
)

// pr checks the zone files, plans both providers (not on forks) and proves
// parity of what the providers serve against the pull request's files.
func (ac *invocation) pr(ctx context.Context) outcome {
	cfgPath, cfg, res, ok := ac.loadConfig(ctx)
	if !ok {
		return res
	}
	var c composed
	c.planTitle = planTitle("pr")
	js := composedJSON{}
	// done is the run's outcome, the composed parts' verdict with its
	// JSON report.
	done := func() outcome {
		res := c.report(js)
		res.checkRun = true
		return res
	}
	if ac.shard == nil {
		// The zones the pull request changes (every zone when the
		// config does); a shard's zones are its own.
		c.parts = append(c.parts, ac.prScope(ctx, cfgPath, cfg))
	}
	if ac.shard == nil || ac.shard.I == 1 {
		// Its changes to the audit trail (once, in the first shard).
		ac.trailPart(ctx, cfgPath, cfg, &c)
	}
	if ac.shard == nil {
		why := "the pull request changes no zone file, nor a setting or zone entry of " + filepath.Base(cfgPath)
		if res, ok := ac.noZones(why); ok && c.trailStatus() == "" {
			res.checkRun = true
			res.body = c.markdown(false)
			return res
		} else if ok {
			// Only the audit trail: its verdict is the run's.
			c.parts = append(c.parts, part{"check", "skipped", why})
			return done()
		}
	}

	chk := ac.checkZones(ctx, cfgPath, cfg, &c)
	js.Check = &chk
	ci := len(c.parts) - 1 // the check part

	pr, _ := ac.r.PullRequest()
	// Provider endpoints, the variables that hold credentials and the
	// policy come from the base branch: a pull request that points a
	// provider's url elsewhere must not send the key there.
	trusted, note, cleanup := ac.baseConfig(ctx, cfgPath, pr)
	defer cleanup()
	if note.md != "" {
		c.notes = append(c.notes, note)
	}
	if c.parts[ci].Status == "problems" && trusted != "" && !pr.Fork {
		// Zone file errors: plan refuses to plan (the part says so,
		// "not run: the zone files have errors"), but says first what
		// else stops it, an unset secret, as sync's dry run does: the
		// run after the zone's fix would fail on it otherwise.
		js.Plan = ac.planPart(ctx, &c, "plan", "plan", "--config", trusted, "--format", "json")
		c.parts = append(c.parts, part{"parity", "skipped", "not run: the zone files have errors (see check)"})
	} else if c.parts[ci].Status != "ok" {
		why := "not run: the zone files have errors (see check)"
		if c.parts[ci].Status == "error" {
			why = "not run: the check could not run"
		}
		c.parts = append(c.parts, part{"plan", "skipped", why}, part{"parity", "skipped", why})
	} else if trusted == "" {
		why := "skipped: the base branch's provider settings could not be used (see the note above); the plan runs after merge"
		c.parts = append(c.parts, part{"plan", "skipped", why}, part{"parity", "skipped", why})
	} else if pr.Fork {
		c.parts = append(c.parts, part{"plan", "skipped", "skipped: a pull request from a fork gets no secrets and a read-only token (the plan runs after merge, or from a branch of this repository)"})
	} else {
		js.Plan = ac.planPart(ctx, &c, "plan", "plan", "--config", trusted, "--format", "json")
	}
	if c.parts[ci].Status == "ok" && trusted != "" {
		var extra []string
		if pr.Fork {
			// No secrets on a fork: parity asks the public nameservers only,
			// without the config's signed zone transfers and without the
			// providers' own features (their APIs need the secrets: a
			// warning on every fork's run, which fail-on: warning made a
			// failure no fork could clear).
			extra = append(extra, "--axfr=false", "--features=false")
		}
		js.Parity = ac.parityPart(ctx, &c, trusted, extra...)
		if pr.Fork {
			ac.forkUnchecked(&c, trusted)
		}
	}
	return done()
}

// forkUnchecked says, in the parity part of a fork's run, what that
// parity could not compare without secrets (--axfr=false
// --features=false): a green part alone read as parity proven whole,
// while the names only a signed transfer lists and what a provider
// serves by a feature of its own (an alias, a flattened CNAME, geo
// routing, read through its API) were never asked. The transfers are
// named when the base's config (trusted) turns them on.
func (ac *invocation) forkUnchecked(c *composed, trusted string) {
	what := "the providers' own features read through their APIs"
	if cfg, err := ac.loadConfigAt(trusted); err == nil && cfg.Parity.AXFR {
		what = "the signed zone transfers (parity.axfr: names only a transfer lists), " + what
	}
	for i := range c.parts {
		if c.parts[i].Name == "parity" && c.parts[i].Status != "error" {
			c.parts[i].Detail += "; not compared on a fork (no secrets): " + what + "; the sync after merge compares them"
		}
	}
}

// trailStatus is the status of the run's trail part ("" for none).
func (c *composed) trailStatus() string {
	for _, p := range c.parts {
		if p.Name == "trail" {
			return p.Status
		}
	}
	return ""
}

// loadConfigAt loads the config at p, confined as readConfig reads it (root).
func (ac *invocation) loadConfigAt(p string) (*config.Config, error) {
	return ac.configs.LoadIn(ac.root(p), p)
}

// loadConfig loads the config for the composed commands.
func (ac *invocation) loadConfig(ctx context.Context) (string, *config.Config, outcome, bool) {
	p := ac.configPath()
	if p == "" {
		return "", nil, ac.errorResult("no " + config.FileName + " (config input) in the workspace"), false
	}
	cfg, err := ac.loadConfigAt(p)
	if err == nil {
		// Its zones' names and files are shown before any command runs
		// (the pull request's scope): a masked value there is refused
		// first, as the commands refuse it.
		err = cfg.Mask(ac.masked)
	}
	if err != nil {
		return "", nil, ac.errorResult(err.Error()), false
	}
	split := cfg
	if ac.shard != nil && ac.command == "pr" {
		// pr-many.yml's shard: its shard of the split of the zones the
		// pull request changes, as the matrix split them.
		split, _, _ = ac.pullRequestScope(ctx, p, cfg)
	}
	ac.limitToShard(split)
	if ac.shard != nil {
		if res, ok := ac.noZones(fmt.Sprintf("shard %s holds no zone", ac.shard)); ok {
			return "", nil, res, false
		}
	}
	return p, cfg, outcome{}, true
}

// baseConfig is the config that the plan and parity of a pull request
// use: the pull request's zones (the data under review), with everything
// else (providers and their endpoints, the variables holding credentials,
// registrar, policy, parity, cutover) from the base branch's config at the
// event's base commit, read with git from the checkout, else through
// GitHub's contents API (the container has no git). A pull request that
// changes those settings gets a note: they take effect after merge. When
// the base has no config, or it cannot be read, trusted is "" and the
// plan and parity do not run. Outside a pull request (or outside
// Actions) the config is used as it is.
func (ac *invocation) baseConfig(ctx context.Context, cfgPath string, pr github.PullRequest) (trusted string, note runNote, cleanup func()) {
	cleanup = func() {}
	if pr.Number == 0 || ac.ws == "" || (pr.BaseSHA == "" && pr.BaseRef == "") {
		return cfgPath, runNote{}, cleanup
	}
	ch := ac.configChange(ctx, cfgPath, pr)
	rel, base, d, err := ch.rel, ch.base, ch.diff, ch.err
	switch ch.failed {
	case atFind:
		return "", ac.errNote("The base branch's config could not be found: ", err, ""), cleanup
	case atBase:
		if errors.Is(err, github.ErrNoFile) {
			return "", mdNote(fmt.Sprintf("The base branch has no `%s`: plan and parity, which use its provider settings, run after merge.", codeText(rel))), cleanup
		}
		return "", ac.errNote("The base branch's `"+codeText(rel)+"` could not be read (", err, "): plan and parity, which use its provider settings, were not run."), cleanup
	case atHead:
		return "", ac.errNote("The config could not be read: ", err, ""), cleanup
	case atDiff:
		return "", ac.errNote("The base branch's `"+codeText(rel)+"` is not a config: ", err, "; plan and parity were not run."), cleanup
	}
	// The variables the base names hold the secrets the commands read.
	ac.maskConfig(base)
	f, err := os.CreateTemp(filepath.Dir(cfgPath), ".dnsparity-base-*.yaml")
	if err != nil {
		return "", ac.errNote("The base branch's config could not be used: ", err, ""), cleanup
	}
	_, werr := f.Write(d.merged)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	cleanup = func() { os.Remove(f.Name()); ac.alias = nil }
	// Its messages name the config as the reader knows it: the file
	// itself is gone when they read them, and its lines are neither
	// branch's.
	ac.alias = newFileAlias(f.Name(), rel+" (its settings from the base branch)")
	if werr != nil {
		return "", ac.errNote("The base branch's config could not be used: ", werr, ""), cleanup
	}
	if d.settings {
		md := "This pull request changes the provider settings of `" + codeText(rel) + "` (" + codeList(d.changed) + "): " +
			"the plan and parity below used the base branch's; the new settings take effect after merge."
		if dc := delegationChanges(d.changed); len(dc) > 0 {
			md += " **Review with care:** " + codeList(dc) + " decide what the flip, rollback and finish gates believe about the live delegation " +
				"(the parent's servers, the resolvers they watch and look names up through, the registrar they change) or which of their checks refuse (the delegation gate's policy): settings that point them at servers of someone else's, or accept what they find, make every gate pass. " +
				"Check each address against the parent zone's published servers, and each accepted check, before merging."
		}
		note = mdNote(md)
	}
	return f.Name(), note, cleanup
}

// changeStep is the step of configChange that failed (none: it did not).
type changeStep int

const (
	atNone changeStep = iota
	atFind            // the config's path from the workspace
	atBase            // reading the base branch's config (readBase)
	atHead            // reading the pull request's (readConfig)
	atDiff            // comparing them (diffConfig)
)

// configChange is a pull request's change to its config, as both its
// scope (configScope) and the config its plan and parity use (baseConfig)
// see it: the base branch's config, read at the event's base commit
// (readBase), compared with the pull request's (diffConfig: the merged
// config and whether a setting besides zones changed).
type configChange struct {
	rel    string // the config's path from the workspace, slash-separated
	base   []byte // the base branch's config
	diff   configDiff
	failed changeStep // the step that failed, with err
	err    error
}

// configChange reads the base branch's config and compares it with the
// pull request's (at cfgPath) once per run; pr must have a base (BaseSHA
// or BaseRef) and the run a workspace.
func (ac *invocation) configChange(ctx context.Context, cfgPath string, pr github.PullRequest) configChange {
	if ch, ok := ac.changes[cfgPath]; ok {
		return ch
	}
	ch := ac.compareWithBase(ctx, cfgPath, pr)
	if ac.changes == nil {
		ac.changes = map[string]configChange{}
	}
	ac.changes[cfgPath] = ch
	return ch
}

// compareWithBase is configChange's work, each time.
func (ac *invocation) compareWithBase(ctx context.Context, cfgPath string, pr github.PullRequest) (ch configChange) {
	rel, ok := ac.wsRel(cfgPath)
	if !ok {
		return configChange{failed: atFind, err: fmt.Errorf("%s is not in the workspace", filepath.Base(cfgPath))}
	}
	ch.rel = rel
	var err error
	if ch.base, err = ac.readBase(ctx, ch.rel, pr); err != nil {
		ch.failed, ch.err = atBase, err
		return ch
	}
	head, err := ac.readConfig(cfgPath)
	if err != nil {
		ch.failed, ch.err = atHead, err
		return ch
	}
	if ch.diff, err = diffConfig(ch.base, head, nil); err != nil {
		ch.failed, ch.err = atDiff, err
	}
	return ch
}

// readBase reads path (slash-separated, from the workspace) as the base
// branch has it: with git from the checkout when git and the base commit
// are there, else through the contents API; once per run.
func (ac *invocation) readBase(ctx context.Context, path string, pr github.PullRequest) ([]byte, error) {
	if f, ok := ac.bases[path]; ok {
		return f.b, f.err
	}
	b, err := ac.readBaseOnce(ctx, path, pr)
	if ac.bases == nil {
		ac.bases = map[string]baseFile{}
	}
	ac.bases[path] = baseFile{b, err}
	return b, err
}

func (ac *invocation) readBaseOnce(ctx context.Context, path string, pr github.PullRequest) ([]byte, error) {
	var refs []string
	onto := ac.mergedOnto(ctx, pr)
	if onto != "" {
		refs = append(refs, onto)
	}
	if pr.BaseSHA != "" {
		refs = append(refs, pr.BaseSHA)
	}
	if pr.BaseRef != "" {
		refs = append(refs, "origin/"+pr.BaseRef)
	}
	if _, err := exec.LookPath("git"); err == nil {
		for _, ref := range refs {
			var out, errOut bytes.Buffer
			cmd := exec.CommandContext(ctx, "git", "-c", "safe.directory="+ac.ws, "-C", ac.ws, "show", ref+":"+path)
			cmd.Stdout, cmd.Stderr = &out, &errOut
			cmd.Env = gitEnv(os.Environ())
			if cmd.Run() == nil {
				return out.Bytes(), nil
			}
			if msg := errOut.String(); strings.Contains(msg, "does not exist in") || strings.Contains(msg, "exists on disk, but not in") {
				return nil, fmt.Errorf("%s at %s: %w", path, ref, github.ErrNoFile)
			}
		}
	}
	owner, repo := ac.r.Repo()
	if ac.token == "" || owner == "" {
		return nil, errors.New("the base commit is not in the checkout and there is no github-token to read it with")
	}
	c, err := ac.r.Client(ac.token)
	if err != nil {
		return nil, err
	}
	ref := cmp.Or(onto, pr.BaseSHA, pr.BaseRef)
	return c.File(ctx, owner, repo, path, ref)
}

// mergedOnto is the base commit the checkout merged the pull request onto:
// the first parent of HEAD when HEAD is GitHub's merge of the pull
// request (the checkout of a pull_request run: its second parent is the
// pull request's head), else "". That merge holds what the base branch
// gained after the event's base commit (pr.BaseSHA: a sync run's trail
// entries, every ten minutes): compared with the event's base, it would
// count as the pull request's own change. The parents are read from the
// commit object itself, which a shallow checkout (fetch-depth 1) has
// though it lacks the parents' trees. Asked once a run.
func (ac *invocation) mergedOnto(ctx context.Context, pr github.PullRequest) string {
	if ac.onto == nil {
		onto := ""
		if pr.HeadSHA != "" {
			if _, err := exec.LookPath("git"); err == nil {
				var out bytes.Buffer
				cmd := exec.CommandContext(ctx, "git", "-c", "safe.directory="+ac.ws, "-C", ac.ws, "cat-file", "commit", "HEAD")
				cmd.Stdout, cmd.Env = &out, gitEnv(os.Environ())
				if cmd.Run() == nil {
					var parents []string
					for _, l := range strings.Split(out.String(), "\n") {
						if l == "" {
							break // the headers end; the message follows
						}
						if p, ok := strings.CutPrefix(l, "parent "); ok {
							parents = append(parents, p)
						}
					}
					if len(parents) == 2 && strings.EqualFold(parents[1], pr.HeadSHA) {
						onto = parents[0]
					}
				}
			}
		}
		ac.onto = &onto
	}
	return *ac.onto
}

// gitEnv is the environment git is run with: of environ, only what it
// needs to find its configuration and write its messages (PATH, HOME,
// the XDG config directory, TMPDIR, the locale). The rest of the step's
// environment (the GitHub token, every provider's key, whatever their
// variables are called) is no other program's to hold.
func gitEnv(environ []string) []string {
	var out []string
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "PATH", k == "HOME", k == "XDG_CONFIG_HOME", k == "TMPDIR", k == "LANG", k == "LANGUAGE", strings.HasPrefix(k, "LC_"):
			out = append(out, kv)
		}
	}
	return out
}

// configDiff is what a pull request changes in the config: the base
// branch's against its own.
type configDiff struct {
	// merged is the base's config with the pull request's zones: every
	// other top-level key is the base's.
	merged []byte
	// settings: a key besides zones differs (providers, registrar,
	// policy, parity, cutover).
	settings bool
	// changed are the settings that differ, each as its key and, under a
	// mapping, the key below it (providers.new, cutover.parent_servers),
	// sorted.
	changed []string
	// zones are the pull request's zones whose entry differs from the
	// base's: a zone the base does not have (an entry or a glob added),
	// another file, an entry by name added or dropped over a glob's file.
	// Only with the pull request's config given and settings unchanged.
	zones map[string]bool
}

// diffConfig compares the base branch's config with the pull request's
// (head, loaded as headCfg when given). The base's zones are resolved as
// the pull request's are, against the checkout (its globs name the files
// there), so a zone whose file changed is the file list's business, not
// the config's.
func diffConfig(base, head []byte, headCfg *config.Config) (configDiff, error) {
	var d configDiff
	var b, h yaml.Node
	if err := yaml.Unmarshal(base, &b); err != nil {
		return d, err
	}
	if err := yaml.Unmarshal(head, &h); err != nil {
		return d, err
	}
	bm, hm := topMapping(&b), topMapping(&h)
	if bm == nil {
		return d, errors.New("not a mapping of keys")
	}
	out := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(bm.Content); i += 2 {
		if bm.Content[i].Value != "zones" {
			out.Content = append(out.Content, bm.Content[i], bm.Content[i+1])
		}
	}
	if hm != nil {
		for i := 0; i+1 < len(hm.Content); i += 2 {
			if hm.Content[i].Value == "zones" {
				out.Content = append(out.Content, hm.Content[i], hm.Content[i+1])
			}
		}
	}
	merged, err := yaml.Marshal(out)
	if err != nil {
		return d, err
	}
	d.merged = merged
	var bv, hv map[string]any
	_ = yaml.Unmarshal(base, &bv)
	_ = yaml.Unmarshal(head, &hv)
	delete(bv, "zones")
	delete(hv, "zones")
	d.settings = !reflect.DeepEqual(bv, hv)
	d.changed = changedKeys(bv, hv)
	if headCfg == nil || d.settings {
		return d, nil
	}
	d.zones, err = changedZones(base, headCfg)
	return d, err
}

// changedKeys are the keys whose values differ between two configs'
// settings: a top-level key, or, where both sides hold a mapping under
// it, the keys below it, to three levels ("cutover.parent_servers",
// "providers.new.delegation"), sorted.
func changedKeys(base, head map[string]any) []string {
	return changedBelow("", base, head, 3)
}

func changedBelow(prefix string, base, head map[string]any, depth int) []string {
	var out []string
	for _, k := range unionKeys(base, head) {
		b, h := base[k], head[k]
		if reflect.DeepEqual(b, h) {
			continue
		}
		bm, bok := b.(map[string]any)
		hm, hok := h.(map[string]any)
		// A mapping one side does not have: its keys are all changed.
		bok, hok = bok || (b == nil && hok), hok || (h == nil && bok)
		if !bok || !hok || depth == 1 {
			out = append(out, prefix+k)
			continue
		}
		out = append(out, changedBelow(prefix+k+".", bm, hm, depth-1)...)
	}
	return out
}

// unionKeys are the keys of a and b, sorted.
func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[k] = true
	}
	for k := range b {
		seen[k] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// delegationSettings are the settings from which the cutover's gates
// learn what the live delegation is and where resolvers go: a pull
// request that points them elsewhere (a parent server of its own, a
// resolver that answers as it likes) can make every gate pass, so the
// pull request's report names them for review.
// (The trail's folder, state_dir, too: another one starts the cutover
// afresh.) A provider's are its delegation and nameservers: where a flip
// points the parent, and what parity asks. And its manage_apex: with it a push
// sets the apex NS the side serves from git, which is the flip's
// delegation where providers.<side>.delegation is not set (and what the
// delegation gate's child-ns compares it with); a pull request turning it
// on beside an apex NS of its own changes where the parent is pointed. parity.resolver is the first
// resolver the gates look NS names up through (before cutover.resolvers:
// an old server's other name, a sibling's NS, a new name's zone). The
// delegation gate's policy decides which of its failed checks refuse
// (accept), how many NS names it needs (min_ns) and whether IPv6
// addresses are checked at all (ipv6).
var delegationSettings = []string{"cutover.parent_servers", "cutover.resolvers", "cutover.state_dir", "registrar",
	"providers.*.delegation", "providers.*.nameservers", "providers.*.manage_apex", "parity.resolver", "policy.delegation"}

// delegationChanges are the settings of changed that delegationSettings
// names (a key or one below it; * is any one key).
func delegationChanges(changed []string) []string {
	var out []string
	for _, c := range changed {
		if slices.ContainsFunc(delegationSettings, func(d string) bool { return matchKey(d, c) }) {
			out = append(out, c)
		}
	}
	return out
}

// matchKey reports whether key is pattern, or below it; a * part of
// pattern matches any one part of key.
func matchKey(pattern, key string) bool {
	ps, ks := strings.Split(pattern, "."), strings.Split(key, ".")
	if len(ks) < len(ps) {
		// A whole mapping that changed (one side is no mapping, or
		// absent) holds the setting.
		ps = ps[:len(ks)]
	}
	for i, p := range ps {
		if p != "*" && p != ks[i] {
			return false
		}
	}
	return true
}

// changedZones are the zones of the pull request's config (headCfg) whose
// entry differs from the base's (configDiff.zones).
func changedZones(base []byte, headCfg *config.Config) (map[string]bool, error) {
	bc, err := config.Parse(base, headCfg.Path)
	if err != nil {
		return nil, err
	}
	was := map[string]string{}
	for _, z := range bc.Zones {
		was[z.Name] = filepath.Clean(bc.ZoneFile(z))
	}
	zones := map[string]bool{}
	for _, z := range headCfg.Zones {
		if f, ok := was[z.Name]; !ok || f != filepath.Clean(headCfg.ZoneFile(z)) {
			zones[z.Name] = true
		}
	}
	return zones, nil
}

func topMapping(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		n = n.Content[0]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// codeList is names as code spans, separated by commas.
func codeList(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = "`" + codeText(n) + "`"
	}
	return strings.Join(parts, ", ")
}
