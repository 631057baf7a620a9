package ttlcap

import "errors"

// Target is one zone file to cap and the origin for it when it has no
// $ORIGIN ("": from the file name).
type Target struct {
	Path   string
	Origin string
}

// Result is what capping several zone files did.
type Result struct {
	// Changes are the TTLs lowered (or, dry, to lower) in every file; none
	// when a file is invalid or cannot be read.
	Changes []Change
	// Problems are the files that are invalid (*InvalidError) or cannot
	// be read, then the rewrites that failed (each file put back), in
	// order; Invalid, Failed and Unwritten count them.
	Problems                   []error
	Invalid, Failed, Unwritten int
}

// CapAll caps several zone files all or nothing: every file is checked
// and its rewrite prepared (Prepare) before any is written, so one invalid
// zone file, or one that cannot be read, and nothing is written; else,
// unless dry, each file is written (Write).
func CapAll(targets []Target, limit uint32, dry bool) Result {
	var res Result
	var prepared []*Prepared
	for _, t := range targets {
		p, err := Prepare(t.Path, limit, Options{Origin: t.Origin})
		var inv *InvalidError
		switch {
		case errors.As(err, &inv):
			res.Invalid++
			res.Problems = append(res.Problems, err)
		case err != nil:
			res.Failed++
			res.Problems = append(res.Problems, err)
		default:
			prepared = append(prepared, p)
			res.Changes = append(res.Changes, p.Changes...)
		}
	}
	if res.Invalid+res.Failed > 0 {
		res.Changes = nil // nothing is lowered, nothing is listed as lowered
		return res
	}
	if dry {
		return res
	}
	for _, p := range prepared {
		if err := p.Write(); err != nil {
			res.Unwritten++
			res.Problems = append(res.Problems, err)
		}
	}
	return res
}
