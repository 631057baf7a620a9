package ttlcap

import (
	"encoding/json"
	"fmt"
	"io"
)

// Report is the JSON of `dnsparity ttl --format json`: {"cap", "dry_run",
// "changes": [{"file","line","what","old","new"}], "problems"}, with
// "error" first when the run could not start (a bad flag, a --cap that
// is not a TTL, a PATH not found): a JSON reader gets an object whatever
// happened, as check's and parity's do.
type Report struct {
	Error    string   `json:"error,omitempty"` // why the run could not start
	Cap      uint32   `json:"cap"`             // the highest TTL allowed
	DryRun   bool     `json:"dry_run"`         // nothing written
	Changes  []Change `json:"changes"`         // lowered, or (dry) to lower
	Problems []string `json:"problems"`        // files invalid or not read, rewrites failed
}

// Write writes r as indented JSON (lists never null).
func (r Report) Write(w io.Writer) error {
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	if r.Problems == nil {
		r.Problems = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
