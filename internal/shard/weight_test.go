package shard

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/config"
)

// records are n lines of A and TXT records.
func records(n int) string {
	var b strings.Builder
	for k := range n {
		fmt.Fprintf(&b, "h%d A 192.0.2.%d\nh%d TXT \"v=spf1 -all\"\n", k, k%250, k)
	}
	return b.String()
}

// crlf is text with every line ending in CRLF, as a checkout with
// core.autocrlf (a Windows runner) writes it.
func crlf(text string) string { return strings.ReplaceAll(text, "\n", "\r\n") }

// writeRepo writes files (path → text) under a fresh repository root (a
// .git folder) and returns its config's path.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, text := range files {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "dnsparity.yaml")
}

const apex = "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"

// TestWeightsLoaded: a zone weighs what loading it reads: its file and
// the files its $INCLUDEs read (beside it or from the repository root,
// nested, in a file with CRLF lines too), a line end one byte whether the
// checkout wrote LF or CRLF; an include that leads out of the repository
// or is missing adds nothing (its load refuses it). The split weighed the
// zone file's size alone: a zone of three lines including 2,000 records
// weighed three lines, and its shard took it on top of an even share;
// and a CRLF checkout weighed each zone by its line count more, so a
// shard job on a Windows runner split the zones otherwise than the
// matrix job and the merge (zones run twice or never).
func TestWeightsLoaded(t *testing.T) {
	big := records(2000)
	for _, tt := range []struct {
		name  string
		files map[string]string
		want  int // bytes of what the zone loads
	}{
		{"plain", map[string]string{"zones/a.example.zone": apex + records(3)}, len(apex + records(3))},
		{"crlf", map[string]string{"zones/a.example.zone": crlf(apex + records(3))}, len(apex + records(3))},
		{"include beside", map[string]string{"zones/a.example.zone": apex + "$INCLUDE big.inc\n", "zones/big.inc": big},
			len(apex+"$INCLUDE big.inc\n") + len(big)},
		{"include from the root, quoted, lower case", map[string]string{"zones/a.example.zone": apex + "$include \"inc/big.inc\" ; all hosts\n", "inc/big.inc": big},
			len(apex+"$include \"inc/big.inc\" ; all hosts\n") + len(big)},
		{"include in a CRLF file", map[string]string{"zones/a.example.zone": crlf(apex + "$INCLUDE big.inc\n"), "zones/big.inc": crlf(big)},
			len(apex+"$INCLUDE big.inc\n") + len(big)},
		{"nested", map[string]string{"zones/a.example.zone": apex + "$INCLUDE one.inc\n", "zones/one.inc": "$INCLUDE big.inc sub\n", "zones/big.inc": big},
			len(apex+"$INCLUDE one.inc\n") + len("$INCLUDE big.inc sub\n") + len(big)},
		{"included twice", map[string]string{"zones/a.example.zone": apex + "$INCLUDE big.inc a\n$INCLUDE big.inc b\n", "zones/big.inc": big},
			len(apex+"$INCLUDE big.inc a\n$INCLUDE big.inc b\n") + 2*len(big)},
		{"outside the repository", map[string]string{"zones/a.example.zone": apex + "$INCLUDE /etc/services\n"}, len(apex + "$INCLUDE /etc/services\n")},
		{"missing", map[string]string{"zones/a.example.zone": apex + "$INCLUDE gone.inc\n"}, len(apex + "$INCLUDE gone.inc\n")},
		{"in a comment, not a directive", map[string]string{"zones/a.example.zone": apex + "; $INCLUDE big.inc\n", "zones/big.inc": big}, len(apex + "; $INCLUDE big.inc\n")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.files[".git/HEAD"] = "ref: refs/heads/main\n"
			tt.files["dnsparity.yaml"] = "zones:\n  - files: zones/*.zone\n"
			cfg, err := config.Load(writeRepo(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			if got := Weights(cfg); len(got) != 1 || got[0] != int64(tt.want) {
				t.Errorf("Weights = %v, want [%d]", got, tt.want)
			}
		})
	}
}

// TestSplitLineEndings: the split of one commit's zones is the same
// whether the checkout wrote LF or CRLF (the matrix job on Linux, a shard
// job or the merge on Windows), and a zone that includes most of the
// records takes a shard of its own.
func TestSplitLineEndings(t *testing.T) {
	files := map[string]string{".git/HEAD": "ref: refs/heads/main\n", "dnsparity.yaml": "zones:\n  - files: zones/*.zone\n",
		"zones/big.example.zone": apex + "$INCLUDE big.inc\n", "zones/big.inc": records(400)}
	for i := range 40 {
		files[fmt.Sprintf("zones/z%02d.example.zone", i)] = apex + records(5+i%7)
	}
	crlfFiles := map[string]string{}
	for p, text := range files {
		crlfFiles[p] = text
		if strings.HasPrefix(p, "zones/") {
			crlfFiles[p] = crlf(text)
		}
	}
	var splits [2][][]string
	for k, fs := range []map[string]string{files, crlfFiles} {
		cfg, err := config.Load(writeRepo(t, fs))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range Split(cfg, 4) {
			var names []string
			for _, z := range s.Zones {
				names = append(names, z.Name)
			}
			splits[k] = append(splits[k], names)
		}
	}
	if !reflect.DeepEqual(splits[0], splits[1]) {
		t.Errorf("the split differs with CRLF lines:\nLF   %v\nCRLF %v", splits[0], splits[1])
	}
	for _, s := range splits[0] {
		for _, z := range s {
			if z == "big.example." && len(s) != 1 {
				t.Errorf("big.example. (400 records included) shares its shard with %d zones: %v", len(s)-1, s)
			}
		}
	}
}
