package shard

import (
	"fmt"
	"testing"
)

// zones10000 is 10,000 zone names and RRset counts: 3 to 123 RRsets (the
// sizes of write10000), and every 1,000th zone a large one of 2,000.
func zones10000() ([]string, []int64) {
	names := make([]string, 10000)
	sizes := make([]int64, 10000)
	for i := range names {
		names[i] = fmt.Sprintf("z%05d.example.", i)
		sizes[i] = int64(3 + 2*((i*7919)%60+1))
		if i%1000 == 500 {
			sizes[i] = 2000
		}
	}
	return names, sizes
}

// homes is each named zone's shard (from 0) in a split.
func homes(names []string, parts [][]int) map[string]int {
	out := make(map[string]int, len(names))
	for s, p := range parts {
		for _, i := range p {
			out[names[i]] = s
		}
	}
	return out
}

// moved counts the zones of both splits whose shard differs.
func moved(a, b map[string]int) int {
	n := 0
	for z, s := range a {
		if t, ok := b[z]; ok && t != s {
			n++
		}
	}
	return n
}

// imbalance is the largest shard's RRsets, and it over the average
// shard's.
func imbalance(sizes []int64, parts [][]int) (int64, float64) {
	var total, most int64
	for _, p := range parts {
		var sum int64
		for _, i := range p {
			sum += max(sizes[i], 1)
		}
		total += sum
		most = max(most, sum)
	}
	return most, float64(most) / (float64(total) / float64(len(parts)))
}

// TestAssignStable: shard jobs check out the branch at different times,
// so a push during a run must move few zones between shards (each move
// is a zone two jobs may push at once, or a zone the merge finds in
// another shard than its split gives). Over 10,000 zones and 16, 64 and
// 256 shards: a zone of the usual size gaining an RRset moves at most 10
// zones, one added or removed at most 100 (1%; the split by load alone
// moved 4,562, 9,193 and 9,465 at 16 shards); a zone of 2,000 RRsets (30
// times the usual, most of a shard at 256) added or removed at most 500
// (by load alone: 4,315 and 4,353; it gaining an RRset, 8,072).
// The largest shard stays at or below the cap (capOf; no zone here is
// larger), at most 1.06 of the average. The same holds with the weights
// the split takes (Weights: file sizes), a record being a line of some
// 32 bytes.
func TestAssignStable(t *testing.T) {
	for _, unit := range []struct {
		name   string
		record int64
	}{{"RRsets", 1}, {"bytes", 32}} {
		t.Run(unit.name, func(t *testing.T) { assignStable(t, unit.record) })
	}
}

// assignStable is TestAssignStable with a record weighing record.
func assignStable(t *testing.T, record int64) {
	names, sizes := zones10000()
	for i := range sizes {
		sizes[i] *= record
	}
	var total int64
	for _, w := range sizes {
		total += w
	}
	type change struct{ grown, added, removed int }
	for _, n := range []int{16, 64, 256} {
		base := Assign(names, sizes, n)
		home := homes(names, base)
		most, bal := imbalance(sizes, base)
		worst := map[bool]*change{false: {}, true: {}} // by: the zone is the large one
		for _, k := range []int{0, 1, 17, 500, 1234, 4999, 7777, 9999} {
			c := worst[sizes[k] == 2000*record]
			grown := append([]int64(nil), sizes...)
			grown[k] += record
			c.grown = max(c.grown, moved(home, homes(names, Assign(names, grown, n))))

			added := append(append([]string(nil), names...), fmt.Sprintf("new%d.example.", k))
			addedSizes := append(append([]int64(nil), sizes...), sizes[k])
			c.added = max(c.added, moved(home, homes(added, Assign(added, addedSizes, n))))

			less := append(append([]string(nil), names[:k]...), names[k+1:]...)
			lessSizes := append(append([]int64(nil), sizes[:k]...), sizes[k+1:]...)
			c.removed = max(c.removed, moved(home, homes(less, Assign(less, lessSizes, n))))
		}
		usual, large := worst[false], worst[true]
		t.Logf("%d shards: largest/average %.4f (cap %.4f); zones moved of 10,000 when one zone of the usual size (worst of 7) gains an RRset: %d, is added: %d, is removed: %d; the zone of 2,000 RRsets gains one: %d, is added: %d, is removed: %d",
			n, bal, float64(capOf(total, n))*float64(n)/float64(total), usual.grown, usual.added, usual.removed, large.grown, large.added, large.removed)
		if usual.grown > 10 || large.grown > 10 {
			t.Errorf("%d shards: one zone gains an RRset: %d (usual size), %d (large) of 10,000 zones moved, want at most 10", n, usual.grown, large.grown)
		}
		if usual.added > 100 || usual.removed > 100 {
			t.Errorf("%d shards: one zone of the usual size added: %d, removed: %d of 10,000 zones moved, want at most 100", n, usual.added, usual.removed)
		}
		if large.added > 500 || large.removed > 500 {
			t.Errorf("%d shards: the zone of 2,000 RRsets added: %d, removed: %d of 10,000 zones moved, want at most 500", n, large.added, large.removed)
		}
		if most > capOf(total, n) || bal > 1.06 {
			t.Errorf("%d shards: largest shard %.4f of the average (%d RRsets), want at most the cap %d and 1.06", n, bal, most, capOf(total, n))
		}
	}
}

// TestAssignNoEmptyShard: with at least as many items as shards, every
// shard has one (an empty shard's job has no zone to run, and fails), even
// when the small items would all fit below the cap in a few shards.
func TestAssignNoEmptyShard(t *testing.T) {
	for _, tc := range []struct {
		weights []int64
		n       int
	}{
		{[]int64{103, 4, 4, 4, 53, 53, 4, 4}, 8},
		{[]int64{103, 4, 4, 4, 53, 53, 4, 4}, 6},
		{[]int64{1000, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 16},
		{[]int64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}, 16},
	} {
		parts := Assign(itemNames(len(tc.weights)), tc.weights, tc.n)
		for s, p := range parts {
			if len(p) == 0 {
				t.Errorf("%v over %d shards: shard %d empty: %v", tc.weights, tc.n, s+1, parts)
			}
		}
	}
}
