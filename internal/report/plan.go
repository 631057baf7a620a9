package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/plan"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// PlanEntry is one provider × zone plan with what became of it.
type PlanEntry struct {
	Plan *plan.Plan
	// Blocked: why push refuses it (unsupported records, unsafe without
	// --force).
	Blocked []string
	// Warnings: unsafe changes let through by --force, notes.
	Warnings []string
	// Applied is the number of changes done by push (-1: not pushed).
	Applied int
	// Done are the RRsets push changed (nil: not pushed); a provider
	// may apply changes in another order than listed.
	Done map[zone.Key]bool
	// Requests is the number of change requests push sent.
	Requests int
	// Error is why the plan or the push failed.
	Error string
	// NotSynced says why a provider pushed only if it answers (the side
	// an emergency step left behind: the old one after an emergency flip,
	// the new one after an emergency rollback; push.Steps) was not synced: it is
	// still down. A warning, not a failure: the next run tries again.
	NotSynced string
	// Features are the provider-only features in the zone at the
	// provider (see provider.FeatureReporter).
	Features []provider.Feature
}

// PlanJSON is the JSON shape of `plan --format json`.
type PlanJSON struct {
	// Error says why the command could not run or stopped (exit 2), or
	// why a push was refused half-way (exit 1).
	Error string `json:"error,omitempty"`
	// Problems are the zone files' errors when nothing was planned.
	Problems []ProblemJSON  `json:"problems,omitempty"`
	Plans    []PlanZoneJSON `json:"plans"`
}

// ProblemJSON is a zone file problem, as in check's JSON.
type ProblemJSON struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

// PlanZoneJSON is one provider × zone.
type PlanZoneJSON struct {
	Provider    string            `json:"provider"`
	Zone        string            `json:"zone"`
	NewZone     bool              `json:"new_zone,omitempty"`
	Summary     map[string]int    `json:"summary"`
	WithZone    string            `json:"with_zone,omitempty"` // where a new zone's apex NS come from
	Percent     float64           `json:"percent"`
	Changes     []ChangeJSON      `json:"changes"`
	Unsupported []UnsupportedJSON `json:"unsupported,omitempty"`
	Blocked     []string          `json:"blocked,omitempty"`
	Warnings    []string          `json:"warnings,omitempty"`
	Applied     *int              `json:"applied,omitempty"`
	Requests    *int              `json:"requests,omitempty"`
	Error       string            `json:"error,omitempty"`
	// NotSynced: the provider was still down and is tried again by the
	// next run (PlanEntry.NotSynced).
	NotSynced string `json:"not_synced,omitempty"`

	// Features: provider-only behaviour (proxied, alias, ...).
	Features []provider.Feature `json:"features,omitempty"`
}

// ChangeJSON is one RRset change.
type ChangeJSON struct {
	Action string   `json:"action"`
	Name   string   `json:"name"`
	Type   string   `json:"type"`
	File   string   `json:"file,omitempty"`
	Line   int      `json:"line,omitempty"`
	Old    *SetJSON `json:"old,omitempty"`
	New    *SetJSON `json:"new,omitempty"`
	// WithZone: written by the zone's creation (its SOA and apex NS).
	WithZone bool `json:"with_zone,omitempty"`
	// Done: push applied it (push only).
	Done *bool `json:"done,omitempty"`
	// Over: a replace or delete of a record the provider holds that no
	// zone file expresses (a Route 53 alias; "old" is absent), which the
	// push replaces with "new" or deletes (plan.Change.Over).
	Over *provider.Feature `json:"over,omitempty"`
}

// SetJSON is an RRset's TTL and values (presentation form, sorted).
type SetJSON struct {
	TTL    uint32   `json:"ttl"`
	Values []string `json:"values"`
}

// UnsupportedJSON is a record the provider cannot hold.
type UnsupportedJSON struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

func setJSON(s *zone.RRSet) *SetJSON {
	if s == nil {
		return nil
	}
	return &SetJSON{TTL: s.TTL, Values: rdataStrings(s)}
}

// rdataStrings is the presentation form of each record's RDATA, sorted;
// RFC 3597 types as \# LEN HEX (zone.RRSet.Strings prints their header).
func rdataStrings(s *zone.RRSet) []string {
	var out []string
	for _, rr := range s.RRs() {
		if u, ok := rr.(*dns.RFC3597); ok {
			out = append(out, fmt.Sprintf("\\# %d %s", len(u.Rdata)/2, u.Rdata))
			continue
		}
		out = append(out, zone.RdataString(rr))
	}
	sort.Strings(out)
	return out
}

// ToJSON converts entries to their JSON shape.
func ToJSON(entries []PlanEntry) PlanJSON {
	out := PlanJSON{Plans: []PlanZoneJSON{}}
	for _, e := range entries {
		out.Plans = append(out.Plans, entryJSON(e))
	}
	return out
}

// entryJSON is one entry's JSON shape.
func entryJSON(e PlanEntry) PlanZoneJSON {
	{
		p := e.Plan
		c, r, d := p.Count()
		j := PlanZoneJSON{
			Provider: p.Provider, Zone: p.Zone, NewZone: p.NewZone,
			Summary:  map[string]int{"create": c + len(p.WithZone), "replace": r, "delete": d},
			WithZone: p.WithZoneNote,
			Percent:  p.Percent(), Changes: []ChangeJSON{},
			Blocked: e.Blocked, Warnings: e.Warnings, Error: e.Error, NotSynced: e.NotSynced,
		}
		j.Features = e.Features
		for i, ch := range p.All() {
			cj := ChangeJSON{Action: ch.Action.String(), Name: ch.Name, Type: dns.Type(ch.Type).String(), Old: setJSON(ch.Old), New: setJSON(ch.New), WithZone: i < len(p.WithZone), Over: ch.Over}
			if e.Done != nil {
				done := e.Done[ch.Key()]
				cj.Done = &done
			}
			if ch.New != nil {
				cj.File, cj.Line = ch.New.Pos().File, ch.New.Pos().Line
			}
			j.Changes = append(j.Changes, cj)
		}
		for _, u := range p.Unsupported {
			j.Unsupported = append(j.Unsupported, UnsupportedJSON{Name: u.Set.Name, Type: dns.Type(u.Set.Type).String(), File: u.Set.Pos().File, Line: u.Set.Pos().Line, Reason: u.Reason})
		}
		if e.Applied >= 0 {
			a, rq := e.Applied, e.Requests
			j.Applied, j.Requests = &a, &rq
		}
		return j
	}
}

// WritePlanJSON writes entries as indented JSON.
func WritePlanJSON(w io.Writer, entries []PlanEntry) error {
	return WritePlanJSONError(w, entries, "", nil)
}

// WritePlanJSONError writes entries as indented JSON with the error that
// stopped the command and the zone files' problems.
func WritePlanJSONError(w io.Writer, entries []PlanEntry, msg string, problems []zone.Problem) error {
	return WritePlanJSONStream(w, entries, msg, problems, nil)
}

// WritePlanJSONStream is WritePlanJSONError writing the plans one at a
// time (the report of ten thousand zones is never held whole), with more
// top-level keys after them (extra: a struct or nil; --shard adds "shard"
// and "exit"). The bytes are those an indenting encoder writes.
func WritePlanJSONStream(w io.Writer, entries []PlanEntry, msg string, problems []zone.Problem, extra any) error {
	head := PlanJSON{Error: msg, Plans: []PlanZoneJSON{}}
	for _, p := range problems {
		head.Problems = append(head.Problems, ProblemJSON{File: p.Pos.File, Line: p.Pos.Line, Severity: string(p.Severity), Message: p.Message})
	}
	var inner []byte
	if extra != nil {
		xb, err := json.MarshalIndent(extra, "", "  ")
		if err != nil {
			return err
		}
		// The extra object's keys, after the plans.
		inner = bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimPrefix(bytes.TrimSpace(xb), []byte("{")), []byte("}")))
	}
	err := writeArrayStreamed(w, head, "plans", len(entries), func(k int) any { return entryJSON(entries[k]) }, true, inner)
	if errors.Is(err, errNoArrayKey) {
		return fmt.Errorf("plan JSON: no plans key")
	}
	return err
}

// PlanCounts is "C to create, R to replace, D to delete" of p.
func PlanCounts(p *plan.Plan) string {
	c, r, d := p.Count()
	return fmt.Sprintf("%d to create, %d to replace, %d to delete", c, r, d)
}

func summary(p *plan.Plan) string {
	s := PlanCounts(p)
	if p.NewZone {
		s = fmt.Sprintf("zone to be created with %d RRsets; then %s", len(p.WithZone), s)
	}
	return s
}

func values(s *zone.RRSet) string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf("%d %s", s.TTL, strings.Join(rdataStrings(s), " | "))
}

// oldValues are what a change replaces or deletes: the old RRset's
// values, or the provider-only record a replace goes over ("[alias]
// ALIAS d111111abcdef8.cloudfront.net.").
func oldValues(c plan.Change) string {
	if c.Old == nil && c.Over != nil {
		return fmt.Sprintf("[%s] %s", c.Over.Feature, c.Over.Value)
	}
	return values(c.Old)
}

// WritePlanText writes entries for a terminal: one block per provider ×
// zone, one line per RRset change with old → new values; the blocks
// errors first (PlanRank, ErrorsFirstBy, as the Markdown's), each rank in
// the order given: a zone that could not be planned is not found below a
// screenful of other zones' changes.
func WritePlanText(w io.Writer, entries []PlanEntry) {
	entries = append([]PlanEntry(nil), entries...)
	ErrorsFirstBy(entries, PlanRank)
	for i, e := range entries {
		if i > 0 {
			fmt.Fprintln(w)
		}
		p := e.Plan
		head := summary(p)
		switch {
		case e.NotSynced != "":
			// Nothing was read from it: no count to give.
			head = "not synced: the provider does not answer"
		case e.Error != "" && len(p.All()) == 0 && !p.NewZone:
			// No plan was made (the zone not read from the provider):
			// "0 to create, ..." would read as a zone in sync.
			head = "not planned (the error below)"
		}
		fmt.Fprintf(w, "provider %s, zone %s: %s\n", p.Provider, p.Zone, head)
		// Errors first, then what blocks the push, then warnings, then
		// the changes.
		if e.Error != "" {
			fmt.Fprintf(w, "  error: %s\n", e.Error)
		}
		if e.NotSynced != "" {
			fmt.Fprintf(w, "  not synced: %s\n", e.NotSynced)
		}
		for _, u := range p.Unsupported {
			fmt.Fprintf(w, "  ! cannot push: %s\n", u)
		}
		for _, b := range e.Blocked {
			fmt.Fprintf(w, "  blocked: %s\n", b)
		}
		for _, x := range e.Warnings {
			fmt.Fprintf(w, "  warning: %s\n", x)
		}
		if r := plan.Redirects(p); len(r) > 0 {
			fmt.Fprintf(w, "  review: sends resolvers to other servers: %s\n", strings.Join(r, ", "))
		}
		writeFeaturesText(w, e.Features)
		if p.WithZoneNote != "" {
			fmt.Fprintf(w, "  new zone's apex NS: %s\n", p.WithZoneNote)
		}
		for i, ch := range p.All() {
			pos := ""
			if ch.New != nil && ch.New.Pos().File != "" {
				pos = "  (" + ch.New.Pos().String() + ")"
			}
			if i < len(p.WithZone) {
				pos += "  [with the zone]"
			}
			if e.Done != nil && !e.Done[ch.Key()] {
				pos += "  [not applied]"
			}
			fmt.Fprintf(w, "  %s %s %s%s\n", ch.Action.Symbol(), ch.Name, dns.Type(ch.Type), pos)
			switch ch.Action.String() {
			case "create":
				fmt.Fprintf(w, "      %s\n", values(ch.New))
			case "delete":
				fmt.Fprintf(w, "      %s\n", oldValues(ch))
			default:
				fmt.Fprintf(w, "      %s\n   -> %s\n", oldValues(ch), values(ch.New))
			}
			if x := plan.Explain(p.Zone, ch); x != "" {
				fmt.Fprintf(w, "      %s\n", x)
			}
		}
		if e.Applied >= 0 && e.NotSynced == "" {
			fmt.Fprintf(w, "  pushed: %d of %d changes in %s\n", e.Applied, len(p.All()), plural.N(e.Requests, "change request", "change requests"))
		}
	}
	if len(entries) > 1 {
		fmt.Fprintf(w, "\n%s\n", planClosing(entries))
	}
}

// planClosing is the last line of a text report over several provider ×
// zone: those with an error, not synced, blocked, with changes (not
// pushed), pushed (each named, at most 20, in its worst class only),
// worst first, then how many are unchanged. The blocks above are in provider and zone order, so one
// that needs attention can stand anywhere among hundreds.
func planClosing(entries []PlanEntry) string {
	classes := []string{"with an error", "not synced", "blocked", "with changes", "pushed"}
	named := make([][]string, len(classes))
	unchanged := 0
	for _, e := range entries {
		k := -1
		switch {
		case e.Error != "":
			k = 0
		case e.NotSynced != "":
			k = 1
		case len(e.Blocked) > 0 || len(e.Plan.Unsupported) > 0:
			k = 2
		case !e.Plan.Empty() && e.Applied > 0:
			k = 4
		case !e.Plan.Empty():
			k = 3
		default:
			unchanged++
			continue
		}
		named[k] = append(named[k], e.Plan.Provider+" "+e.Plan.Zone)
	}
	var parts []string
	for k, c := range classes {
		if n := named[k]; len(n) > 0 {
			parts = append(parts, fmt.Sprintf("%d %s (%s)", len(n), c, strings.Join(plural.FirstN(n, 20), ", ")))
		}
	}
	parts = append(parts, fmt.Sprintf("%d unchanged", unchanged))
	return fmt.Sprintf("%d provider×zone: %s", len(entries), strings.Join(parts, "; "))
}

// WritePlanMarkdown writes entries as Markdown under the heading
// "dnsparity TITLE" (what ran: "plan", "push"): a summary table, a row
// per provider × zone with its worst line (the error, what blocks the
// push, the first warning, or the counts); then every provider × zone's
// errors and what blocks the push, then every one's warnings, each line
// naming its zone and provider (planLines); then per zone the rest (what
// to review, provider-only features, notes) and the changes collapsed in
// <details>. Rows and lines are errors first (PlanRank, ErrorsFirstBy),
// across zones: a report over thousands of zones cut line by line at a
// size limit never drops an error and keeps a lesser line (one zone's
// changes or warnings before another zone's second error). Zone content
// goes through MarkdownText.
func WritePlanMarkdown(w io.Writer, title string, entries []PlanEntry) {
	fmt.Fprintf(w, "## dnsparity %s\n", MarkdownText(title))
	fmt.Fprintln(w)
	entries = append([]PlanEntry(nil), entries...)
	ErrorsFirstBy(entries, PlanRank)
	fmt.Fprintln(w, "| zone | provider | create | replace | delete | status |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---|")
	for _, e := range entries {
		c, r, d := e.Plan.Count()
		fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %s |\n", MarkdownText(e.Plan.Zone), MarkdownText(e.Plan.Provider), c, r, d, planStatus(e))
	}
	fmt.Fprintln(w)
	for rank, heading := range []string{"### Errors", "### Warnings"} {
		written := false
		for _, e := range entries {
			for _, l := range planLines(e)[rank] {
				if !written {
					fmt.Fprintf(w, "%s\n\n", heading)
					written = true
				}
				fmt.Fprintf(w, "- %s %s (%s at %s)\n", l.icon, l.text, MarkdownText(e.Plan.Zone), MarkdownText(e.Plan.Provider))
			}
		}
		if written {
			fmt.Fprintln(w)
		}
	}
	for _, e := range entries {
		prov := e.Plan.Provider
		p := e.Plan
		redirects := plan.Redirects(p)
		if len(p.All()) == 0 && len(redirects) == 0 && len(e.Features) == 0 && p.WithZoneNote == "" {
			continue
		}
		fmt.Fprintf(w, "#### %s at %s: %s\n\n", MarkdownText(p.Zone), MarkdownText(prov), summary(p))
		if len(redirects) > 0 {
			fmt.Fprintf(w, "- :eyes: **review:** sends resolvers to other servers: %s (the names below them are answered by the servers these NS records name)\n", MarkdownText(strings.Join(redirects, ", ")))
		}
		writeFeaturesMarkdown(w, e.Features)
		if p.WithZoneNote != "" {
			fmt.Fprintf(w, "- new zone's apex NS: %s\n", MarkdownText(p.WithZoneNote))
		}
		if len(p.All()) > 0 {
			if len(redirects)+len(e.Features) > 0 || p.WithZoneNote != "" {
				fmt.Fprintln(w)
			}
			fmt.Fprintf(w, "<details><summary>%s</summary>\n\n", plural.N(len(p.All()), "change", "changes"))
			fmt.Fprintln(w, "| | name | type | old | new | source |")
			fmt.Fprintln(w, "|---|---|---|---|---|---|")
			for i, ch := range p.All() {
				src := ""
				if ch.New != nil {
					src = ch.New.Pos().String()
				}
				if i < len(p.WithZone) {
					src = strings.TrimSpace(src + " (with the zone)")
				}
				if e.Done != nil && !e.Done[ch.Key()] {
					src = strings.TrimSpace(src + " (not applied)")
				}
				fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", ch.Action.Symbol(), MarkdownText(ch.Name), MarkdownText(dns.Type(ch.Type).String()),
					MarkdownText(oldValues(ch)), MarkdownText(values(ch.New)), MarkdownText(src))
			}
			fmt.Fprintln(w, "\n</details>")
		}
		fmt.Fprintln(w)
	}
}

// planLine is one line of a provider × zone's errors or warnings in the
// Markdown report: its icon and its text, escaped.
type planLine struct{ icon, text string }

// planLines are a provider × zone's lines by rank: its errors (the error,
// records the provider cannot hold, what blocks the push), then its
// warnings (not synced, warnings).
func planLines(e PlanEntry) [RankRest][]planLine {
	var ls [RankRest][]planLine
	if e.Error != "" {
		ls[RankError] = append(ls[RankError], planLine{":x:", "error: " + MarkdownText(e.Error)})
	}
	for _, u := range e.Plan.Unsupported {
		ls[RankError] = append(ls[RankError], planLine{":x:", "cannot push " + MarkdownText(u.String())})
	}
	for _, b := range e.Blocked {
		ls[RankError] = append(ls[RankError], planLine{":no_entry:", MarkdownText(b)})
	}
	if e.NotSynced != "" {
		ls[RankWarning] = append(ls[RankWarning], planLine{":warning:", "not synced: " + MarkdownText(e.NotSynced)})
	}
	for _, x := range e.Warnings {
		ls[RankWarning] = append(ls[RankWarning], planLine{":warning:", MarkdownText(x)})
	}
	return ls
}

// PlanRank is where a provider × zone stands in a plan's report
// (ErrorsFirstBy): an error, a record the provider cannot hold or what
// blocks the push first, then not synced or warnings, then the rest.
func PlanRank(e PlanEntry) int {
	switch {
	case e.Error != "" || len(e.Plan.Unsupported) > 0 || len(e.Blocked) > 0:
		return RankError
	case e.NotSynced != "" || len(e.Warnings) > 0:
		return RankWarning
	}
	return RankRest
}

// planStatus is a provider × zone's row in the Markdown summary table:
// its worst line (PlanRank's order), escaped.
func planStatus(e PlanEntry) string {
	more := func(first string, n int) string {
		if n > 1 {
			first += fmt.Sprintf(" (and %d more)", n-1)
		}
		return MarkdownText(first)
	}
	switch {
	case e.Error != "":
		return "error: " + MarkdownText(e.Error)
	case len(e.Plan.Unsupported) > 0:
		return "cannot push: " + more(e.Plan.Unsupported[0].String(), len(e.Plan.Unsupported))
	case len(e.Blocked) > 0:
		return "blocked: " + more(e.Blocked[0], len(e.Blocked))
	case e.NotSynced != "":
		return "not synced: still down"
	}
	pushed := ""
	if e.Applied >= 0 {
		pushed = fmt.Sprintf("pushed %d in %d requests", e.Applied, e.Requests)
	}
	switch {
	case len(e.Warnings) > 0:
		return strings.TrimPrefix(pushed+"; warning: ", "; ") + more(e.Warnings[0], len(e.Warnings))
	case pushed != "":
		return pushed
	case !e.Plan.Empty():
		return "changes pending"
	}
	return "in sync"
}

// Count is the number of changes: the summary's creates, replaces and
// deletes.
func (p PlanZoneJSON) Count() int {
	return p.Summary["create"] + p.Summary["replace"] + p.Summary["delete"]
}
