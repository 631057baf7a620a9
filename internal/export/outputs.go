package export

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/dnsparity/dnsparity/internal/plural"
)

// OutputOptions say which existing files import may replace.
type OutputOptions struct {
	// Force: replace a file that exists, when import wrote it and it
	// holds nothing import cannot write again (Edits).
	Force bool
	// DiscardEdits, with Force: replace any file, its edits too; what is
	// lost is said on Warn.
	DiscardEdits bool
	Warn         io.Writer
}

// Outputs are the files the zones of an import go to: out itself for one
// zone ("-": stdout); for several, out names a folder (created when
// written) and each zone goes to NAME.zone in it (NAME: the zone without
// its final dot, as a config's `files: zones/*.zone` takes it). These are
// errors, found before anything is read: a file that exists already
// (without o.Force), one whose edits the import would lose (Edits;
// without o.DiscardEdits), stdout for several zones, a zone given twice
// (two reads writing one file).
func Outputs(zones []string, out string, o OutputOptions) ([]string, error) {
	files := []string{out}
	if len(zones) > 1 {
		if out == "-" {
			return nil, fmt.Errorf("%s: give -o a folder to write each one's file in (NAME.zone)", plural.N(len(zones), "zone", "zones"))
		}
		if st, err := os.Stat(out); err == nil && !st.IsDir() {
			return nil, fmt.Errorf("-o %s: with %s -o names a folder (each zone goes to NAME.zone in it), not a file", out, plural.N(len(zones), "zone", "zones"))
		}
		files = files[:0]
		wrote := map[string]string{} // file → the zone written to it (a zone given twice: config.ZoneNamedTwice, before)
		for _, z := range zones {
			f := filepath.Join(out, FileName(z))
			if o, ok := wrote[f]; ok {
				return nil, fmt.Errorf("zones %s and %s would both be written to %s", o, z, f)
			}
			wrote[f] = z
			files = append(files, f)
		}
	}
	var exist, edited []string
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil || f == "-" {
			continue
		}
		if !o.Force {
			exist = append(exist, f)
			continue
		}
		if !st.Mode().IsRegular() {
			// -o /dev/stdout, a pipe, /dev/fd/N: no file to lose edits
			// of, and reading it would wait on a writer (this process)
			continue
		}
		lost, err := Edits(f)
		switch {
		case err != nil && o.DiscardEdits:
			fmt.Fprintf(o.Warn, "dnsparity import: replacing %s whole (--discard-edits), not knowing what is lost: %v\n", f, err)
		case err != nil:
			return nil, fmt.Errorf("%s: reading what --force would replace: %w (--discard-edits replaces it whatever it holds)", f, err)
		case lost == "":
		case o.DiscardEdits:
			fmt.Fprintf(o.Warn, "dnsparity import: replacing %s whole (--discard-edits): lost are %s\n", f, lost)
		default:
			edited = append(edited, fmt.Sprintf("%s (%s)", f, lost))
		}
	}
	switch {
	case len(exist) == 1:
		return nil, fmt.Errorf("%s exists (use --force to overwrite)", exist[0])
	case len(exist) > 1:
		return nil, fmt.Errorf("%d files exist (use --force to overwrite): %s", len(exist), strings.Join(exist, ", "))
	case len(edited) > 0:
		return nil, fmt.Errorf("--force would replace %s whole, and import writes none of it back: %s; keep those files (import to another -o and compare), or add --discard-edits to replace them anyway", plural.N(len(edited), "edited file", "edited files"), strings.Join(edited, "; "))
	}
	return files, nil
}

// importedFrom stands in import's header (export.go) between the zone
// and the source: Edits knows a file import wrote by it.
const importedFrom = " - exported by dnsparity import from "

// Edits says what of the zone file at path an import writing over it
// loses: its $INCLUDE and $GENERATE lines (import writes every record
// inline) and, in a file import did not write (its first line is not
// import's header), its comments; "" when nothing (a file import wrote,
// as it wrote it). Each is named with its first line.
func Edits(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	type seen struct {
		first, n int
	}
	var include, generate, comments seen
	note := func(s *seen, line int) {
		if s.n++; s.first == 0 {
			s.first = line
		}
	}
	imported := false
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		if line == 1 && strings.HasPrefix(l, "; ") && strings.Contains(l, importedFrom) {
			imported = true
		}
		switch u := strings.ToUpper(l); {
		case strings.HasPrefix(u, "$INCLUDE"):
			note(&include, line)
		case strings.HasPrefix(u, "$GENERATE"):
			note(&generate, line)
		}
		if !imported && hasComment(l) {
			note(&comments, line)
		}
	}
	if err := sc.Err(); err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	var lost []string
	for _, k := range []struct {
		s    seen
		what string
	}{
		{include, "$INCLUDE"},
		{generate, "$GENERATE"},
		{comments, "comment"},
	} {
		if k.s.n > 0 {
			lost = append(lost, fmt.Sprintf("%s, first at %s:%d", plural.N(k.s.n, k.what+" line", k.what+" lines"), path, k.s.first))
		}
	}
	if include.n > 0 {
		lost = append(lost, "the included files' records would be written inline, the files no longer read")
	}
	return strings.Join(lost, "; "), nil
}

// hasComment reports whether the zone file line l holds a comment: a ';'
// outside a quoted string and not escaped.
func hasComment(l string) bool {
	quoted := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case ';':
			if !quoted {
				return true
			}
		}
	}
	return false
}

// FileName is the file a zone is written to in a folder: NAME.zone, the
// name without its final dot, a "/" (an RFC 2317 classless delegation's
// label, 0/25.2.0.192.in-addr.arpa.) written "-" so that the file lands
// in the folder itself, where a `files: zones/*.zone` glob finds it (the
// file's $ORIGIN names the zone), not in a subfolder "0".
func FileName(zone string) string {
	return strings.ReplaceAll(strings.TrimSuffix(zone, "."), "/", "-") + ".zone"
}
