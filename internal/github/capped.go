package github

import "strings"

// Capped is Markdown built block by block up to Limit bytes: each block
// (a table row, a zone's section) is kept whole while it fits; from the
// first that does not, none is kept and each is counted (Left). A report
// over thousands of zones then holds at most Limit bytes whatever their
// number, and says how much it left out, instead of being built whole
// and cut to GitHub's size afterwards (MaxBody, MaxSummary).
type Capped struct {
	Limit int
	// Left counts the blocks left out.
	Left   int
	n      int
	blocks []string
}

// Add keeps block when it fits (and none was left out before it), and
// says whether it did.
func (c *Capped) Add(block string) bool {
	if c.Left > 0 || c.n+len(block) > c.Limit {
		c.Left++
		return false
	}
	c.blocks = append(c.blocks, block)
	c.n += len(block)
	return true
}

// Blocks are the blocks kept, in the order added.
func (c *Capped) Blocks() []string { return c.blocks }

// String is the blocks kept.
func (c *Capped) String() string { return strings.Join(c.blocks, "") }

// Len is the bytes kept.
func (c *Capped) Len() int { return c.n }
