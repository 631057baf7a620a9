package parity_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dnsparity/dnsparity/internal/parity"
)

// TestParityCleanRealWorld: a zone with the record forms of real zones is
// parity-clean between every pair of BIND, Knot and PowerDNS: no false
// alarm (error or warning) where resolvers see no difference.
func TestParityCleanRealWorld(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "parity", "realworld.parity.test.zone"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	z := loadText(t, text)
	for _, pair := range [][2]string{{"bind", "knot"}, {"knot", "pdns"}, {"pdns", "bind"}} {
		t.Run(pair[0]+"-"+pair[1], func(t *testing.T) {
			old, new := serve(t, pair[0], text), serve(t, pair[1], text)
			rep := run(t, z, []string{old}, []string{new})
			if rep.Count(parity.SevError) > 0 || rep.Count(parity.SevWarning) > 0 {
				dump(t, rep)
				t.Fatalf("%d errors, %d warnings; want none", rep.Count(parity.SevError), rep.Count(parity.SevWarning))
			}
			if rep.Queries < 150 {
				t.Errorf("only %d queries", rep.Queries)
			}
		})
	}
}
