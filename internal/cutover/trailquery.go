package cutover

import "iter"

// The trail's queries. A step mostly asks what the trail saw last (the
// last move, DS set, TTL observation...), so the scans walk it from its
// newest entry back; the gates that count from a given step walk it
// forward from that step. Each scan asks these rather than writing the
// index arithmetic itself, where an off-by-one skips or repeats an entry.

// newestFirst yields the trail's entries from the newest back to the
// oldest.
func (t *Trail) newestFirst() iter.Seq[*Entry] {
	return t.newestBefore(len(t.Entries))
}

// newestBefore yields the entries before index i, from the one just
// before it back to the oldest: what the trail saw before entry i.
func (t *Trail) newestBefore(i int) iter.Seq[*Entry] {
	return func(yield func(*Entry) bool) {
		for j := i - 1; j >= 0; j-- {
			if !yield(&t.Entries[j]) {
				return
			}
		}
	}
}

// last is the newest entry for which match holds (nil: none does).
func (t *Trail) last(match func(*Entry) bool) *Entry {
	for e := range t.newestFirst() {
		if match(e) {
			return e
		}
	}
	return nil
}

// from yields the entries from index i (0 or more) on, oldest first,
// entry i itself included: what the trail saw from a given step on.
func (t *Trail) from(i int) iter.Seq[*Entry] {
	return func(yield func(*Entry) bool) {
		for j := i; j < len(t.Entries); j++ {
			if !yield(&t.Entries[j]) {
				return
			}
		}
	}
}

// index is the position of e in the trail, -1 when e is not one of its
// entries: a gate handed a step (Stage's entry) finds where to count from.
// By address, not by value: two entries may hold the same values.
func (t *Trail) index(e *Entry) int {
	for i := range t.Entries {
		if &t.Entries[i] == e {
			return i
		}
	}
	return -1
}
