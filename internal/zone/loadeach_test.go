package zone

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestLoadEach: each file is loaded with its own options and handed to fn
// at its own index; a file that cannot be read is its error there.
func TestLoadEach(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "a.zone")
	if err := os.WriteFile(good, []byte("$TTL 300\n@ IN SOA ns1 host 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files := []string{good, filepath.Join(dir, "missing.zone"), good}
	origins := []string{"a.test.", "m.test.", "b.test."}
	got := make([]string, len(files))
	LoadEach(len(files), func(i int) (string, Options) {
		return files[i], Options{Origin: origins[i]}
	}, func(i int, z *Zone, err error) {
		if err != nil {
			got[i] = "error"
			return
		}
		got[i] = z.Origin
	})
	if want := []string{"a.test.", "error", "b.test."}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("LoadEach gave %v, want %v", got, want)
	}
}

// TestScratchReuse: zones loaded one after the other with one scratch (as
// each of LoadEach's goroutines loads them) are the zones Load gives
// alone: the same RRsets, problems (on the same lines) and includes,
// whatever zone was loaded before with it: a big one of several batches
// with broken lines, a small one, the tricky one.
func TestScratchReuse(t *testing.T) {
	dir := t.TempDir()
	tricky, err := os.ReadFile("testdata/tricky.example.zone")
	if err != nil {
		t.Fatal(err)
	}
	var many strings.Builder
	many.WriteString("$ORIGIN many.example.\n$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n")
	for i := range 3 * batchLines {
		fmt.Fprintf(&many, "h%d A 192.0.2.%d\n", i, i%256)
		if i%1000 == 7 {
			many.WriteString("bad A 999.1.1.1\n")
			many.WriteString("h1 300 CNAME elsewhere.\n")
		}
	}
	texts := map[string]string{
		"tricky.example.zone": string(tricky),
		"many.example.zone":   many.String(),
		"small.example.zone":  "$ORIGIN small.example.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.9\nbroken AAAA 192.0.2.1\nmx MX 10 ns\n",
		"inc.example.zone":    "$ORIGIN inc.example.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n$INCLUDE part.inc\nafter TXT \"x\"\n",
		"part.inc":            "ns A 192.0.2.7\nwww CNAME ns\n",
	}
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	order := []string{"many", "small", "tricky", "many", "inc", "small", "tricky", "inc", "many"}
	alone := map[string]*Zone{}
	for _, n := range order {
		if alone[n] == nil {
			z, err := Load(filepath.Join(dir, n+".example.zone"), Options{Root: dir})
			if err != nil {
				t.Fatal(err)
			}
			alone[n] = z
		}
	}
	same := func(what string, got, want *Zone) {
		t.Helper()
		if len(want.Sets) == 0 || !reflect.DeepEqual(got.Sets, want.Sets) {
			t.Errorf("%s: %d RRsets, want %d (or they differ)", what, len(got.Sets), len(want.Sets))
		}
		if g, w := Check(got), Check(want); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: problems differ:\ngot  %v\nwant %v", what, g, w)
		}
		if !reflect.DeepEqual(got.Includes, want.Includes) {
			t.Errorf("%s: includes %v, want %v", what, got.Includes, want.Includes)
		}
	}
	sc := newScratch()
	for k, n := range order {
		z, err := Load(filepath.Join(dir, n+".example.zone"), Options{Root: dir, scratch: sc})
		if err != nil {
			t.Fatal(err)
		}
		same(fmt.Sprintf("load %d (%s) with the scratch", k, n), z, alone[n])
		if n == "inc" && len(z.Includes) == 0 {
			t.Errorf("load %d: no include read", k)
		}
	}
	LoadEach(len(order), func(i int) (string, Options) {
		return filepath.Join(dir, order[i]+".example.zone"), Options{Root: dir}
	}, func(i int, z *Zone, err error) {
		if err != nil {
			t.Errorf("LoadEach %d: %v", i, err)
			return
		}
		same(fmt.Sprintf("LoadEach %d (%s)", i, order[i]), z, alone[order[i]])
	})
}

// TestScratchKeepsNoZone: once a zone is loaded, the scratch holds nothing
// of it (its batch's jobs pointed into the zone's RRsets): a LoadEach
// goroutine between zones, or done, keeps no zone alive.
func TestScratchKeepsNoZone(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.example.zone")
	if err := os.WriteFile(p, []byte("$ORIGIN a.example.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\nwww CNAME ns\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sc := newScratch()
	z, err := Load(p, Options{Root: dir, scratch: sc})
	if err != nil || len(z.Sets) != 4 {
		t.Fatalf("%v, %d RRsets", err, len(z.Sets))
	}
	var b *batch
	select {
	case b = <-sc.free:
	default:
		t.Fatal("no batch kept for the next zone")
	}
	for i, j := range b.jobs[:cap(b.jobs)] {
		if !reflect.DeepEqual(j, job{}) {
			t.Fatalf("job %d of the kept batch still holds the zone's record %s %d (set %p)", i, j.name, j.rrtype, j.set)
		}
	}
}
