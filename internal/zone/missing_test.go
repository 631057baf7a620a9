package zone

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMissingFilesSayWhatToDo: a zone file or an $INCLUDEd file that does
// not exist is named with what to do: the zone file written (import
// takes it from a provider) or its path corrected; the $INCLUDE with the
// two places it was looked for. On the code before, both ended at
// "no such file or directory".
func TestMissingFilesSayWhatToDo(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(root, "zones", "shop.test.zone")
	_, err := Load(missing, Options{Origin: "shop.test."})
	want := "no such file or directory: write the zone there (`dnsparity import --provider NAME --zone shop.test. -o " + missing + "` takes it from a provider) or correct the path that names it"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
	// A path a shell would split or expand is quoted in the command to
	// paste (shell.Quote).
	spaced := filepath.Join(root, "my zones", "$shop.test.zone")
	_, err = Load(spaced, Options{Origin: "shop.test."})
	want = "-o '" + spaced + "'` takes it from a provider"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}

	main := filepath.Join(root, "zones", "example.test.zone")
	writeFile(t, main, "$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\n$INCLUDE inc/extra.zone\n")
	z, err := Load(main, Options{Origin: "example.test."})
	if err != nil {
		t.Fatal(err)
	}
	ps := Check(z)
	want = "$INCLUDE inc/extra.zone: no such file or directory (looked for zones/inc/extra.zone beside the including file and inc/extra.zone from the repository root): write it or correct the path"
	if len(ps) != 1 || ps[0].Pos.Line != 5 || !strings.Contains(ps[0].Message, want) {
		t.Errorf("problems %v, want one at line 5 with %q", ps, want)
	}
}

// TestOutOfZoneSaysWhatToDo: a record outside the zone is dropped, as
// named-checkzone does (a warning); the warning says that nothing pushes
// it and what to do, since plan then shows no change for a line the user
// wrote. On the code before it ended at "it is not below shop.test.".
func TestOutOfZoneSaysWhatToDo(t *testing.T) {
	z, err := Parse(strings.NewReader("$ORIGIN shop.test.\n$TTL 300\n@ SOA ns1 h 1 2 3 4 5\n@ NS ns1\nns1 A 192.0.2.1\nwww.example.org. A 192.0.2.2\n"), "shop.test.zone", "", "")
	if err != nil {
		t.Fatal(err)
	}
	ps := Check(z)
	want := "ignoring out-of-zone data (www.example.org.): it is not below shop.test.: no plan or push sends it; move it to the file of the zone it belongs to, or delete it"
	if len(ps) != 1 || ps[0].Severity != Warning || ps[0].Pos.Line != 6 || ps[0].Message != want {
		t.Errorf("problems %v, want one warning at line 6: %q", ps, want)
	}
}
