package zone

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestInlineLoadSameAsPipeline: a small file is loaded in the caller's
// goroutine alone (Load), a reader through the pipeline (Parse); both
// give the same zone and the same problems, over several batches too.
func TestInlineLoadSameAsPipeline(t *testing.T) {
	tricky, err := os.ReadFile("testdata/tricky.example.zone")
	if err != nil {
		t.Fatal(err)
	}
	var many strings.Builder
	many.WriteString("$ORIGIN many.example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n")
	for i := 0; i < 3*batchLines; i++ {
		fmt.Fprintf(&many, "h%d A 192.0.2.%d\n", i, i%256)
		if i%1000 == 7 {
			many.WriteString("bad A 999.1.1.1\n")         // a broken line mid-batch
			many.WriteString("h1 300 CNAME elsewhere.\n") // CNAME and other data
		}
	}
	for _, tc := range []struct{ name, text string }{{"tricky.example.zone", string(tricky)}, {"many.example.zone", many.String()}} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.text) > inlineSize {
				t.Fatalf("%d octets: over inlineSize, not loaded inline", len(tc.text))
			}
			dir := t.TempDir()
			p := filepath.Join(dir, tc.name)
			if err := os.WriteFile(p, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			in, err := Load(p, Options{Root: dir})
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			pipe, err := Parse(struct{ *os.File }{f}, p, "", dir) // not an *os.File: the pipeline
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Sets) == 0 || !reflect.DeepEqual(in.Sets, pipe.Sets) {
				t.Errorf("sets differ: inline %d, pipeline %d", len(in.Sets), len(pipe.Sets))
			}
			ci, cp := Check(in), Check(pipe)
			if len(ci) == 0 && tc.name == "many.example.zone" {
				t.Error("no problems found in a file with broken lines")
			}
			if !reflect.DeepEqual(ci, cp) {
				t.Errorf("problems differ:\ninline   %v\npipeline %v", ci, cp)
			}
		})
	}
}
