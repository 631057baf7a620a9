package parity

import "hash/maphash"

// qindex finds a question's index by name and type: an open-addressing
// hash table of int32 (index+1; 0 is an empty slot), at most half full.
// For a million-RRset zone it takes 16 MiB where a Go map of zone.Key to
// int took over a hundred.
type qindex struct {
	qs    []Question
	slots []int32
	seed  maphash.Seed
}

func newQindex(qs []Question) *qindex {
	size := 16
	for size < 2*len(qs) {
		size *= 2
	}
	x := &qindex{qs: qs, slots: make([]int32, size), seed: maphash.MakeSeed()}
	mask := uint64(size - 1)
	for qi, q := range qs {
		i := x.hash(q.Name, q.Type) & mask
		for ; x.slots[i] != 0; i = (i + 1) & mask {
			if p := &qs[x.slots[i]-1]; p.Type == q.Type && p.Name == q.Name {
				break // asked twice: the first one stands
			}
		}
		if x.slots[i] == 0 {
			x.slots[i] = int32(qi + 1)
		}
	}
	return x
}

func (x *qindex) hash(name string, t uint16) uint64 {
	return maphash.String(x.seed, name) ^ uint64(t)*0x9e3779b97f4a7c15
}

// get is the index of question (name, t); ok is false when not asked.
func (x *qindex) get(name string, t uint16) (qi int, ok bool) {
	mask := uint64(len(x.slots) - 1)
	for i := x.hash(name, t) & mask; x.slots[i] != 0; i = (i + 1) & mask {
		if q := &x.qs[x.slots[i]-1]; q.Type == t && q.Name == name {
			return int(x.slots[i] - 1), true
		}
	}
	return 0, false
}
