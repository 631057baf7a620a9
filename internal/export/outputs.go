package export

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dnsparity/dnsparity/internal/plural"
)

// Outputs are the files the zones of an import go to: out itself for one
// zone ("-": stdout); for several, out names a folder (created when
// written) and each zone goes to NAME.zone in it (NAME: the zone without
// its final dot, as a config's `files: zones/*.zone` takes it). These are
// errors, found before anything is read: a file that exists already
// (without force), stdout for several zones, a zone given twice (two
// reads writing one file).
func Outputs(zones []string, out string, force bool) ([]string, error) {
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
	var exist []string
	for _, f := range files {
		if _, err := os.Stat(f); err == nil && f != "-" && !force {
			exist = append(exist, f)
		}
	}
	switch {
	case len(exist) == 1:
		return nil, fmt.Errorf("%s exists (use --force to overwrite)", exist[0])
	case len(exist) > 1:
		return nil, fmt.Errorf("%d files exist (use --force to overwrite): %s", len(exist), strings.Join(exist, ", "))
	}
	return files, nil
}

// FileName is the file a zone is written to in a folder: NAME.zone, the
// name without its final dot, a "/" (an RFC 2317 classless delegation's
// label, 0/25.2.0.192.in-addr.arpa.) written "-" so that the file lands
// in the folder itself, where a `files: zones/*.zone` glob finds it (the
// file's $ORIGIN names the zone), not in a subfolder "0".
func FileName(zone string) string {
	return strings.ReplaceAll(strings.TrimSuffix(zone, "."), "/", "-") + ".zone"
}
