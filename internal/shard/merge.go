package shard

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/dnsparity/dnsparity/internal/cli"
	"github.com/dnsparity/dnsparity/internal/config"
	"github.com/dnsparity/dnsparity/internal/plural"
)

// Info is what a command run with --shard adds to its JSON report:
// "shard": {"name": "I/N", "zones": [...]}, and "exit" (its exit code).
type Info struct {
	Name  string   `json:"name"`
	Zones []string `json:"zones"`
}

// InfoOf is what a report of shard spec says about it, zones its zones
// (nil without --shard: spec nil).
func InfoOf(spec *Spec, zones []config.Zone) *Info {
	if spec == nil {
		return nil
	}
	in := &Info{Name: spec.String(), Zones: []string{}}
	for _, z := range zones {
		in.Zones = append(in.Zones, z.Name)
	}
	return in
}

// Report is what a command run with --shard adds to its JSON report
// (Merge reads it): "shard": {"name", "zones"} and "exit".
type Report struct {
	Shard *Info `json:"shard"`
	Exit  int   `json:"exit"`
}

// Shards is what a merged report says about its shards: how many were
// expected and reported, which are missing (no report: the job died or
// its artifact is gone) or failed (exit 2), and which zones more than one
// shard reported (the jobs split different configs).
type Shards struct {
	Expected   int         `json:"expected"`
	Reported   int         `json:"reported"`
	Missing    []string    `json:"missing"`
	Failed     []string    `json:"failed"`
	Duplicates []Duplicate `json:"duplicates,omitempty"`
	// MissingZones are the zones of the missing shards, when the merge
	// knows the split (the config).
	MissingZones []string `json:"missing_zones,omitempty"`
	// Mismatched are the shards whose report claims other zones than
	// the split gives them (Claims), when the merge knows the split, and
	// leaves out a zone no other report claims (Uncovered): a report that
	// leaves zones out is not that shard's whole run. Zones that moved
	// between shards (a push during the run: the shards split another
	// commit than the merge reads) are no mismatch when another report
	// claims them.
	Mismatched []string `json:"mismatched,omitempty"`
	// Foreign are the zones a shard's report has results for without
	// claiming them ("zone (shard I/N)"); those results are left out.
	Foreign []string `json:"foreign,omitempty"`
	// Misplaced are the reports found in the artifact of another shard's
	// job ("artifact X holds shard Y's report": Misplaced). They count as
	// no shard's: the artifact's own shard is missing unless reported
	// elsewhere.
	Misplaced []string `json:"misplaced,omitempty"`
	// Contradicted are the shards whose report's "exit" is better than
	// its contents (Judge): an exit 0 with an error finding, a check
	// error or a plan that could not be made. The merge does not take
	// the word of such a report: it refuses it.
	Contradicted []string `json:"contradicted,omitempty"`
	// Unreported are the zones a shard report claims and gives no result
	// for ("zone (shard I/N)", Unreported), which make it contradicted,
	// for the text summary.
	Unreported []string `json:"-"`
	// Problems are the shards merged whose report found problems (exit
	// 1), for the text summary; the merged report holds what they found.
	Problems []string `json:"-"`
	// ProblemsAt are where the merged results that found problems are
	// (Judge): each one's zone, else its zone file and line (a check
	// problem), in merge order, each once.
	ProblemsAt []string `json:"-"`
}

// Duplicate is a zone reported by more than one shard; the first shard's
// report of it is kept.
type Duplicate struct {
	Zone   string   `json:"zone"`
	Shards []string `json:"shards"`
}

// OK reports whether every expected shard reported, none failed and no
// zone was reported twice.
func (s Shards) OK() bool {
	return len(s.Missing) == 0 && len(s.Failed) == 0 && len(s.Duplicates) == 0 && len(s.Mismatched) == 0 && len(s.Foreign) == 0 && len(s.Misplaced) == 0 && len(s.Contradicted) == 0 && s.Reported == s.Expected
}

// Claims says how the zones a report of shard name claims differ from
// those split gives that shard: fewer (a shard that failed on some, made
// to look passed), more, or others. Nothing when they are the same.
func Claims(name string, zones []string, split func(Spec) []string) []string {
	spec, err := Parse(name)
	if err != nil {
		return []string{err.Error()}
	}
	want := map[string]bool{}
	for _, z := range split(spec) {
		want[z] = true
	}
	got := map[string]bool{}
	var extra, lacking []string
	for _, z := range zones {
		got[z] = true
		if !want[z] {
			extra = append(extra, z)
		}
	}
	for z := range want {
		if !got[z] {
			lacking = append(lacking, z)
		}
	}
	sort.Strings(lacking)
	var out []string
	if len(lacking) > 0 {
		out = append(out, fmt.Sprintf("shard %s's report lacks %s the config gives it: %s", name, plural.N(len(lacking), "zone", "zones"), strings.Join(plural.FirstN(lacking, 20), ", ")))
	}
	if len(extra) > 0 {
		out = append(out, fmt.Sprintf("shard %s's report claims %s the config does not give it: %s", name, plural.N(len(extra), "zone", "zones"), strings.Join(plural.FirstN(extra, 20), ", ")))
	}
	return out
}

// ExitUnknown is the exit code of a shard report that gives none (no
// "exit" key, or "exit" twice): such a shard counts as failed, never as
// passed. So does one whose "exit" is no code a command returns (below 0,
// above 2).
const ExitUnknown = -1

// Failed says whether a shard report's exit code fails its shard: 2
// (could not run), above 2, or not a code a command returns
// (ExitUnknown, below 0).
func Failed(exit int) bool { return exit >= 2 || exit < 0 }

// input is one shard report as read in the first pass.
type input struct {
	path string
	info Info
	spec Spec
	exit int
	keys []string // top-level keys, in order
	err  string   // the report's "error"
	// judged is the least exit code the report's contents call for
	// (Judge over its elements; 1 for a top-level "error").
	judged int
	// results are the zones the report has a result for under a key
	// that holds one per zone (PerZone), once such a key is read.
	results map[string]bool
}

// WriteFailure writes the JSON of a merge that could not run (no report
// given, one that cannot be read, a config that cannot be): {"error",
// "exit": 2}, the keys Merge's report has for it, so that a JSON reader
// gets an object whatever happened.
func WriteFailure(w io.Writer, msg string) error {
	b, err := json.MarshalIndent(struct {
		Error string `json:"error"`
		Exit  int    `json:"exit"`
	}{msg, 2}, "", "  ")
	if err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Merge reads shard reports (the JSON of one command run with --shard on
// each shard) and writes one report of the same shape without the shard
// keys, plus "shards" and "exit": every array (problems, plans, reports
// ...) concatenated in shard order, element by element (no report is held
// whole), the "error" texts joined, exit the worst. expected is the number
// of shards (0: the N the reports name); split, when set, names each
// shard's zones (for the missing ones). The returned exit code is the
// worst shard's, or 2 when a shard is missing or failed, or reported a
// zone another did too.
func Merge(w io.Writer, paths []string, expected int, split func(Spec) []string) (Shards, int, error) {
	var ins []*input
	for _, p := range paths {
		in, err := readMeta(p)
		if err != nil {
			return Shards{}, 2, err
		}
		ins = append(ins, in)
	}
	if len(ins) == 0 && expected == 0 {
		return Shards{}, 2, errors.New("no shard report to merge (and no --expect N)")
	}
	parts := make([]Part, len(ins))
	for i, in := range ins {
		parts[i] = Part{Name: in.info.Name, Zones: in.info.Zones, Exit: in.exit, From: in.path}
	}
	sh, owner, kept, err := Tally(parts, expected, split)
	if err != nil {
		return Shards{}, 2, err
	}
	exit := 0
	var keptIns []*input
	var strays Strays
	for _, k := range kept {
		in := ins[k]
		exit = max(exit, in.exit)
		if in.exit == 1 {
			sh.Problems = append(sh.Problems, in.info.Name)
		}
		strays.Claim(in.info.Name, in.info.Zones)
		keptIns = append(keptIns, in)
	}
	if !sh.OK() {
		exit = 2
	}
	ins = keptIns

	bw := bufio.NewWriter(w)
	if err := writeMerged(bw, ins, owner, &strays, &sh, &exit); err != nil {
		return sh, 2, err
	}
	return sh, exit, bw.Flush()
}

// readMeta reads a report's shard, exit and error, and its keys, without
// holding its arrays.
func readMeta(path string) (*input, error) {
	in := &input{path: path}
	var err error
	in.exit, err = WalkReport(path, func(key string, dec *json.Decoder) error {
		in.keys = append(in.keys, key)
		switch key {
		case "exit":
			return nil // read by WalkReport
		case "shard":
			return dec.Decode(&in.info)
		case "error":
			if err := dec.Decode(&in.err); err != nil {
				return err
			}
			if in.err != "" {
				in.judged = max(in.judged, 1)
			}
			return nil
		}
		return Skip(dec)
	})
	if err != nil {
		return nil, err
	}
	if in.info.Name == "" {
		return nil, fmt.Errorf("%s: not a shard report (no \"shard\": run the command with --shard I/N and --format json)", path)
	}
	spec, err := Parse(in.info.Name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	in.spec = spec
	return in, nil
}

// writeMerged writes the merged object: the keys in the order the reports
// have them (arrays concatenated, "error" joined, other values from the
// first report that has them), then "shards" and "exit" last, as results
// a report has for zones it does not claim are left out (strays) on the
// way and then named in sh.Foreign (exit then 2).
func writeMerged(w *bufio.Writer, ins []*input, owner Owners, strays *Strays, sh *Shards, exit *int) error {
	var keys []string
	has := map[string]bool{"shard": true, "exit": true, "shards": true}
	for _, in := range ins {
		for _, k := range in.keys {
			if !has[k] {
				has[k] = true
				keys = append(keys, k)
			}
		}
	}
	w.WriteString("{")
	var comma Comma
	field := func(k string) {
		kb, _ := json.Marshal(k)
		comma.Next(w, "\n  ")
		w.Write(kb)
		w.WriteString(": ")
	}
	for _, k := range keys {
		if k == "error" {
			var errs []string
			for _, in := range ins {
				if in.err != "" {
					errs = append(errs, "shard "+in.info.Name+": "+in.err)
				}
			}
			if len(errs) == 0 {
				continue
			}
			field(k)
			b, _ := json.Marshal(strings.Join(errs, "; "))
			w.Write(b)
			continue
		}
		field(k)
		if err := writeKey(w, ins, k, owner, strays, sh); err != nil {
			return err
		}
	}
	sh.Foreign = strays.List()
	if len(sh.Foreign) > 0 {
		*exit = 2
	}
	for _, in := range ins {
		var unreported []string
		if !Failed(in.exit) && in.err == "" {
			unreported = Unreported(in.info.Zones, in.results)
			for _, z := range unreported {
				sh.Unreported = append(sh.Unreported, z+" (shard "+in.info.Name+")")
			}
		}
		if !Failed(in.exit) && (in.judged > in.exit || len(unreported) > 0) {
			sh.Contradicted = append(sh.Contradicted, in.info.Name)
			*exit = 2
		}
	}
	field("shards")
	b, _ := json.MarshalIndent(sh, "  ", "  ")
	w.Write(b)
	field("exit")
	fmt.Fprintf(w, "%d", *exit)
	w.WriteString("\n}\n")
	return nil
}

// writeKey writes key k's merged value: the elements of every report's
// array in shard order (an element about a zone another shard reported
// first is left out, and one about a zone its report does not claim,
// noted in strays), or the first report's value when it is not an array;
// where a kept element found problems goes to sh.ProblemsAt.
func writeKey(w *bufio.Writer, ins []*input, k string, owner Owners, strays *Strays, sh *Shards) error {
	n := 0
	isArray := false
	for _, in := range ins {
		done := false
		err := Walk(in.path, func(key string, dec *json.Decoder) error {
			if key != k || done {
				return Skip(dec)
			}
			done = true
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			if tok != json.Delim('[') {
				if isArray || n > 0 {
					return fmt.Errorf("%s: %q is not an array as in the other reports", in.path, k)
				}
				// A scalar or an object: the first report's.
				var raw json.RawMessage
				if err := decodeRest(dec, tok, &raw); err != nil {
					return err
				}
				n = -1
				b, _ := json.Marshal(raw)
				w.Write(b)
				return nil
			}
			isArray = true
			if PerZone(k) && in.results == nil {
				in.results = map[string]bool{}
			}
			for dec.More() {
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return err
				}
				judged := Judge(k, raw)
				in.judged = max(in.judged, judged)
				if PerZone(k) {
					in.results[zoneOf(raw)] = true
				}
				if z := zoneOf(raw); strays.Foreign(in.info.Name, z) {
					continue // not the shard's zone: not its result to give
				} else if !owner.Gives(in.info.Name, z) {
					continue // a duplicate: the first shard's report of the zone stands
				}
				if at := placeOf(raw); judged > 0 && at != "" && !slices.Contains(sh.ProblemsAt, at) {
					sh.ProblemsAt = append(sh.ProblemsAt, at)
				}
				if n == 0 {
					w.WriteString("[\n    ")
				} else {
					w.WriteString(",\n    ")
				}
				n++
				if err := writeIndented(w, raw); err != nil {
					return err
				}
			}
			_, err = dec.Token() // ']'
			return err
		})
		if err != nil {
			return err
		}
		if n < 0 {
			return nil
		}
	}
	switch {
	case n > 0:
		w.WriteString("\n  ]")
	case isArray:
		w.WriteString("[]")
	case n == 0:
		w.WriteString("null")
	}
	return nil
}

// zoneOf is an element's "zone" (a parity report, a plan), "" for others.
func zoneOf(raw json.RawMessage) string {
	if len(raw) == 0 || raw[0] != '{' {
		return ""
	}
	var v struct {
		Zone string `json:"zone"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return v.Zone
}

// placeOf is where a merged result is: its zone, else its file and line
// (a check problem), "" when it names neither.
func placeOf(raw json.RawMessage) string {
	if z := zoneOf(raw); z != "" {
		return z
	}
	var p struct {
		File string `json:"file"`
		Line int    `json:"line"`
	}
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &p) != nil || p.File == "" {
		return ""
	}
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return p.File
}

// writeIndented writes raw re-indented to sit in an array at depth 2.
func writeIndented(w *bufio.Writer, raw json.RawMessage) error {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	if err := enc.Encode(raw); err != nil {
		return err
	}
	_, err := w.WriteString(strings.TrimSuffix(b.String(), "\n"))
	return err
}

// Walk calls f for each top-level key of the JSON object (a shard
// report) in path, with the decoder at the key's value, which f must
// consume (Skip, Fields, Elements, or Decode): the one reader of shard
// reports, which holds none whole (the command line's merge and the
// Action's, WalkReport).
func Walk(path string, f func(key string, dec *json.Decoder) error) error {
	fh, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("shard report: %w", err)
	}
	defer fh.Close()
	dec := json.NewDecoder(bufio.NewReader(fh))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("%s: not JSON: %w", path, err)
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("%s: not a shard report (a JSON object with \"shard\" is needed)", path)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		key, _ := tok.(string)
		if err := f(key, dec); err != nil {
			return fmt.Errorf("%s: %s: %w", path, key, err)
		}
	}
	return nil
}

// Skip consumes the value dec is at, element by element for arrays and
// objects.
func Skip(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// decodeRest reads a value whose first token was already read.
func decodeRest(dec *json.Decoder, first json.Token, raw *json.RawMessage) error {
	switch first {
	case json.Delim('{'):
		m := map[string]json.RawMessage{}
		var keys []string
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return err
			}
			k, _ := tok.(string)
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return err
			}
			m[k] = v
			keys = append(keys, k)
		}
		if _, err := dec.Token(); err != nil {
			return err
		}
		var b strings.Builder
		b.WriteString("{")
		var comma Comma
		for _, k := range keys {
			comma.Next(&b, "")
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteString(":")
			b.Write(m[k])
		}
		b.WriteString("}")
		*raw = json.RawMessage(b.String())
	default:
		b, err := json.Marshal(first)
		if err != nil {
			return err
		}
		*raw = b
	}
	return nil
}

// Uncovered names the kept parts whose shard, as split gives it, holds a
// zone no kept part claims (owner): a zone the run did not check. A part
// whose claims differ from split without leaving such a zone (the shards
// split a commit before a push, the merge the one after; zones moved
// between shards, or left the config) is not named: every zone of the
// config was checked, if not all on one commit, and the push's own run
// checks them again. A zone two parts claim stays a duplicate (Tally).
// Nothing without split.
func Uncovered(parts []Part, kept []int, owner Owners, split func(Spec) []string) []string {
	if split == nil {
		return nil
	}
	var out []string
	for _, i := range kept {
		spec, err := Parse(parts[i].Name)
		if err != nil {
			continue // Tally refuses it before
		}
		for _, z := range split(spec) {
			if _, ok := owner[z]; !ok {
				out = append(out, parts[i].Name)
				break
			}
		}
	}
	return out
}

// Part is what Tally needs of one shard's report.
type Part struct {
	Name  string   // "I/N"
	Zones []string // the zones it held
	Exit  int      // its exit code (2: it could not run; ExitUnknown: none given)
	From  string   // where it was read (for messages)
}

// Owners maps each zone to the shard whose report gives the merged
// report its results: the first, in shard order, that claims it (Tally).
type Owners map[string]string

// Gives says whether the result for zone in shard's report goes into the
// merged report: shard owns the zone (not a zone an earlier shard also
// claimed, nor one shard does not claim). A result that names no zone
// ("": a report of a file whose origin was not known) is no zone's
// duplicate: every kept shard's goes in.
func (o Owners) Gives(shard, zone string) bool { return zone == "" || o[zone] == shard }

// Tally checks a matrix's shard reports: how many of expected shards (0:
// the N they name) reported, which are missing (named, with their zones
// when split says them), which failed (exit 2), and which zones two shards
// reported. owner maps each zone to the first shard (in shard order) that
// reported it; kept are the indices of parts in shard order. A part read
// from the artifact of another shard's job (Misplaced) is named in
// sh.Misplaced and not kept. Two reports of one shard, or of matrices of
// different sizes, are an error.
func Tally(parts []Part, expected int, split func(Spec) []string) (sh Shards, owner Owners, kept []int, err error) {
	specs := make([]Spec, len(parts))
	n := expected
	var misplaced []string
	var order []int // the parts that count, in shard order below
	for i, p := range parts {
		if specs[i], err = Parse(p.Name); err != nil {
			return Shards{}, nil, nil, fmt.Errorf("%s: %w", p.From, err)
		}
		// Checked before the matrix size: a stale artifact of another
		// matrix is named, not a reason to merge nothing.
		if m := Misplaced(p.From, p.Name); m != "" {
			misplaced = append(misplaced, m)
			continue
		}
		if n == 0 {
			n = specs[i].N
		}
		if specs[i].N != n {
			return Shards{}, nil, nil, fmt.Errorf("%s is shard %s, but the split has %s (reports of different matrices?)", p.From, p.Name, plural.N(n, "shard", "shards"))
		}
		order = append(order, i)
	}
	sort.Strings(misplaced)
	if n == 0 && len(misplaced) > 0 {
		n = specs[0].N // every report misplaced: the matrix they name
	}
	if n == 0 {
		return Shards{}, nil, nil, errors.New("no shard report to merge (and no --expect N)")
	}
	sort.SliceStable(order, func(a, b int) bool { return specs[order[a]].I < specs[order[b]].I })
	sh = Shards{Expected: n, Missing: []string{}, Failed: []string{}, Misplaced: misplaced}
	owner = Owners{}
	seen := map[int]int{}
	dups := map[string][]string{}
	for _, i := range order {
		p := parts[i]
		if prev, dup := seen[specs[i].I]; dup {
			return Shards{}, nil, nil, fmt.Errorf("%s and %s are both shard %s", parts[prev].From, p.From, p.Name)
		}
		seen[specs[i].I] = i
		kept = append(kept, i)
		sh.Reported++
		if Failed(p.Exit) {
			sh.Failed = append(sh.Failed, p.Name)
		}
		for _, z := range p.Zones {
			if o, ok := owner[z]; ok {
				if len(dups[z]) == 0 {
					dups[z] = []string{o}
				}
				dups[z] = append(dups[z], p.Name)
				continue
			}
			owner[z] = p.Name
		}
	}
	sh.Mismatched = Uncovered(parts, kept, owner, split)
	for i := 1; i <= n; i++ {
		if _, ok := seen[i]; !ok {
			s := Spec{I: i, N: n}
			sh.Missing = append(sh.Missing, s.String())
			if split != nil {
				sh.MissingZones = append(sh.MissingZones, split(s)...)
			}
		}
	}
	var zs []string
	for z := range dups {
		zs = append(zs, z)
	}
	sort.Strings(zs)
	for _, z := range zs {
		sh.Duplicates = append(sh.Duplicates, Duplicate{Zone: z, Shards: dups[z]})
	}
	return sh, owner, kept, nil
}

// WalkReport is Walk over a shard report, reading its "exit" itself: the
// exit code it returns is ExitUnknown when the report gives none, or
// gives "exit" twice (which one holds would be the reader's guess). f
// sees every key, "exit" too (already read: f must not consume it).
func WalkReport(path string, f func(key string, dec *json.Decoder) error) (int, error) {
	exit, exits := ExitUnknown, 0
	err := Walk(path, func(key string, dec *json.Decoder) error {
		if key != "exit" {
			return f(key, dec)
		}
		if exits++; exits > 1 {
			exit = ExitUnknown
			return Skip(dec)
		}
		if err := dec.Decode(&exit); err != nil {
			return err
		}
		return f(key, nil)
	})
	return exit, err
}

// Fields calls f for each key of the object dec is at, with the decoder
// at the key's value, which f must consume; null is an object without
// keys.
func Fields(dec *json.Decoder, f func(key string, dec *json.Decoder) error) error {
	return within(dec, '{', func() error {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		k, _ := t.(string)
		if err := f(k, dec); err != nil {
			return fmt.Errorf("%s: %w", k, err)
		}
		return nil
	})
}

// Elements calls f with each element of the array dec is at, as it is
// read; null is an empty array.
func Elements(dec *json.Decoder, f func(raw json.RawMessage) error) error {
	return within(dec, '[', func() error {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		return f(raw)
	})
}

// Comma writes the separators of the members of a JSON object or array
// written one at a time: Next writes "," before each member but the
// first, then lead (the line break and indent before the member). The
// zero value is ready.
type Comma struct{ n int }

// Next begins a member.
func (c *Comma) Next(w io.Writer, lead string) {
	if c.n > 0 {
		io.WriteString(w, ",")
	}
	c.n++
	io.WriteString(w, lead)
}

// N is how many members have begun.
func (c *Comma) N() int { return c.n }

// within reads the object or array (open) dec is at, calling each for
// every member; null has none.
func within(dec *json.Decoder, open json.Delim, each func() error) error {
	tok, err := dec.Token()
	if err != nil || tok == nil {
		return err
	}
	if tok != open {
		return fmt.Errorf("%v where %s was expected", tok, map[json.Delim]string{'{': "an object", '[': "an array"}[open])
	}
	for dec.More() {
		if err := each(); err != nil {
			return err
		}
	}
	_, err = dec.Token()
	return err
}

// Summary is the text summary of a merge whose exit code is exit.
func (sh Shards) Summary(exit int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "dnsparity merge: %d of %d shard reports", sh.Reported, sh.Expected)
	if len(sh.Missing) > 0 {
		fmt.Fprintf(&b, "; MISSING %s", strings.Join(sh.Missing, ", "))
		if len(sh.MissingZones) > 0 {
			fmt.Fprintf(&b, " (zones not checked: %s)", strings.Join(plural.FirstN(sh.MissingZones, 20), ", "))
		}
	}
	if len(sh.Failed) > 0 {
		fmt.Fprintf(&b, "; FAILED %s", strings.Join(sh.Failed, ", "))
	}
	for _, m := range sh.Misplaced {
		fmt.Fprintf(&b, "; %s", m)
	}
	for _, d := range sh.Duplicates {
		fmt.Fprintf(&b, "; zone %s reported by shards %s", d.Zone, strings.Join(d.Shards, " and "))
	}
	if len(sh.Mismatched) > 0 {
		fmt.Fprintf(&b, "; NOT THE SPLIT'S ZONES %s (the report is not that shard's whole run)", strings.Join(sh.Mismatched, ", "))
	}
	if len(sh.Contradicted) > 0 {
		fmt.Fprintf(&b, "; CONTRADICTED %s (the report's exit is better than its results)", strings.Join(sh.Contradicted, ", "))
	}
	if len(sh.Foreign) > 0 {
		fmt.Fprintf(&b, "; results left out for zones a shard does not claim: %s", strings.Join(plural.FirstN(sh.Foreign, 20), ", "))
	}
	if len(sh.Problems) > 0 {
		fmt.Fprintf(&b, "; problems in shard %s", strings.Join(plural.FirstN(sh.Problems, 20), ", "))
		if len(sh.ProblemsAt) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(plural.FirstN(sh.ProblemsAt, 20), ", "))
		}
		b.WriteString(" (the merged report lists them: --format json, or -o FILE)")
	}
	word := map[int]string{cli.ExitOK: "ok", cli.ExitProblem: "problems"}[exit]
	if word == "" {
		word = "error"
	}
	fmt.Fprintf(&b, "; exit %d (%s)", exit, word)
	return b.String()
}
