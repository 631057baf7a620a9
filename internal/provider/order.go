package provider

// ByName groups changes by owner name, for providers that apply a batch
// as one transaction: the changes at one name (a deleted A and its
// replacing CNAME) belong in the same batch. Groups that create or
// replace come first, in the order of their first change; groups that
// only delete come last, so that nothing is deleted before what replaces
// it exists.
func ByName(cs []Change) [][]Change {
	idx := map[string]int{}
	var groups [][]Change
	for _, c := range cs {
		i, ok := idx[c.Name]
		if !ok {
			i = len(groups)
			idx[c.Name] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], c)
	}
	var writes, deletes [][]Change
	for _, g := range groups {
		only := true
		for _, c := range g {
			if c.Action != Delete {
				only = false
			}
		}
		if only {
			deletes = append(deletes, g)
		} else {
			writes = append(writes, g)
		}
	}
	return append(writes, deletes...)
}
