package zone

import "hash/maphash"

// setIndex finds an RRset by owner and type: an open-addressing hash table
// of pointers (8 octets a slot, at most 3/4 full), a fraction of what a Go
// map of Key costs for a million RRsets. The pointers stay valid when Sets
// is sorted.
type setIndex struct {
	slots []*RRSet
	// tags holds 7 bits of each slot's hash with the top bit set (0: empty
	// slot), so that a probe reads the small tag array and touches a
	// pointer only when the tag matches.
	tags []uint8
	n    int
	seed maphash.Seed
}

func (x *setIndex) hash(name string, t uint16) uint64 {
	return setHash(x.seed, name, t)
}

// setHash is the index's hash of (name, t) under seed: the loader's
// workers compute it beside the parse (prepare), the collector probes
// with it.
func setHash(seed maphash.Seed, name string, t uint16) uint64 {
	return maphash.String(seed, name) ^ uint64(t)*0x9e3779b97f4a7c15
}

// ready makes sure the index has its table and seed, so that the seed
// can be read (by the loader's workers) while sets are added.
func (x *setIndex) ready() {
	x.reserve(16)
}

// reserve makes room for n sets.
func (x *setIndex) reserve(n int) {
	size := 16
	for size*3/4 < n {
		size *= 2
	}
	if size <= len(x.slots) {
		return
	}
	old := x.slots
	if x.slots == nil {
		x.seed = maphash.MakeSeed()
	}
	x.slots = make([]*RRSet, size)
	x.tags = make([]uint8, size)
	x.n = 0
	for _, s := range old {
		if s != nil {
			x.put(s)
		}
	}
}

func (x *setIndex) get(name string, t uint16) *RRSet {
	if x.n == 0 {
		return nil
	}
	s, _, _ := x.probe(x.hash(name, t), name, t)
	return s
}

// find is get for a set that is to be added when missing, with the hash
// h of (name, t) given: it returns the set, or nil and the empty slot the
// set takes (fill), in one probe; it makes room first.
func (x *setIndex) find(h uint64, name string, t uint16) (s *RRSet, slot uint64, tag uint8) {
	x.grow()
	return x.probe(h, name, t)
}

// grow makes room for one more set (the first time, the table and the
// seed the hash needs).
func (x *setIndex) grow() {
	if (x.n+1)*4 > len(x.slots)*3 {
		x.reserve(max(2*x.n, 16))
	}
}

// probe walks the slots of hash h of (name, t) to its set or to the
// first empty slot; the table must have one.
func (x *setIndex) probe(h uint64, name string, t uint16) (s *RRSet, slot uint64, tag uint8) {
	mask := uint64(len(x.slots) - 1)
	tag = uint8(h>>57) | 0x80
	for i := h & mask; ; i = (i + 1) & mask {
		switch x.tags[i] {
		case 0:
			return nil, i, tag
		case tag:
			if s := x.slots[i]; s.Type == t && s.Name == name {
				return s, i, tag
			}
		}
	}
}

// fill puts s in the empty slot find returned (nothing added since).
func (x *setIndex) fill(slot uint64, tag uint8, s *RRSet) {
	x.slots[slot] = s
	x.tags[slot] = tag
	x.n++
}

// put adds s, which must not be there yet: probe finds the empty slot.
// Room is made before the hash is taken, which needs the seed.
func (x *setIndex) put(s *RRSet) {
	x.grow()
	_, slot, tag := x.probe(x.hash(s.Name, s.Type), s.Name, s.Type)
	x.fill(slot, tag, s)
}
