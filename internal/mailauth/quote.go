package mailauth

import (
	"strconv"

	"github.com/dnsparity/dnsparity/internal/redact"
)

// Sizes of what a message quotes of a record.
const (
	quoteMax  = 64 // quoted whole up to this many characters
	quoteHead = 48 // else its first this many, "…" and its length
)

// quote is a piece of a record (a zone file's under review, or what a
// provider serves) for a message: every message built here quotes record
// text through quote or word, so that it is one printable line of
// bounded length whatever the record holds (a CR or LF, written \013\010
// in a zone file, would start a line of its own in check's FILE:LINE:
// message output and in a log, where the Actions runner reads a line
// starting with :: as a workflow command).
func quote(s string) string { return redact.Excerpt(s, quoteMax, quoteHead) }

// word is s as it is when it is a short printable token (k=dsa), else
// quote(s).
func word(s string) string {
	if s != "" && len(s) <= quoteMax && strconv.Quote(s) == `"`+s+`"` {
		return s
	}
	return quote(s)
}
