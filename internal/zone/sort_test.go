package zone

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/miekg/dns"
)

// TestSortPlainNames: the plain-name sort (a 16-octet key prefix beside
// each set, the names compared only on equal prefixes; two halves sorted
// in parallel from 20,000 sets) gives the canonical order of compareSets,
// for names that share 8 or 16 octets of their key, parents and children,
// several types at one owner, the apex and names longer than the prefix.
func TestSortPlainNames(t *testing.T) {
	for _, tt := range []struct {
		origin string
		n      int
	}{
		{"example.", 300},
		{"example.", 30000},
		{"a.b.example.", 30000},
		// The root zone: every name is below it, with no origin to cut.
		{".", 300},
		{".", 30000},
	} {
		t.Run(fmt.Sprintf("%s/%d", tt.origin, tt.n), func(t *testing.T) {
			z := New(tt.origin)
			o := z.Origin
			rnd := rand.New(rand.NewSource(int64(tt.n)))
			seen := map[Key]bool{}
			add := func(name string, typ uint16) {
				if k := (Key{Name: name, Type: typ}); !seen[k] {
					seen[k] = true
					z.AddSet(&RRSet{Name: name, Type: typ, Class: dns.ClassINET})
				}
			}
			add(z.Origin, dns.TypeSOA)
			add(z.Origin, dns.TypeNS)
			labels := []string{"host", "host1234", "host12345678901", "host123456789012", "host1234567890123", "a", "a-b", "_tcp", "www", "x"}
			types := []uint16{dns.TypeA, dns.TypeAAAA, dns.TypeTXT, dns.TypeMX}
			for len(z.Sets) < tt.n {
				name := ""
				for d := rnd.Intn(3) + 1; d > 0; d-- {
					name += fmt.Sprintf("%s%d.", labels[rnd.Intn(len(labels))], rnd.Intn(40))
				}
				if o != "." {
					name += o
				}
				add(name, types[rnd.Intn(len(types))])
			}
			want := slices.Clone(z.Sets)
			slices.SortFunc(want, compareSets)
			rnd.Shuffle(len(z.Sets), func(i, j int) { z.Sets[i], z.Sets[j] = z.Sets[j], z.Sets[i] })
			if !z.plainNames(len(z.Sets)) {
				t.Fatal("the names are not plain: the fast sort is not tested")
			}
			z.Sort()
			if !slices.Equal(z.Sets, want) {
				for i := range want {
					if z.Sets[i] != want[i] {
						t.Fatalf("at %d: %s %d, want %s %d", i, z.Sets[i].Name, z.Sets[i].Type, want[i].Name, want[i].Type)
					}
				}
			}
		})
	}
}
