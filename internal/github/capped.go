package github

import (
	"bytes"
	"strings"
)

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
	part   []byte // the line Write is at
	long   bool   // it is past Limit
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

// Write adds each line of p (ending in "\n") as a block: a report
// written to it is kept line by line up to Limit, and the lines past it
// counted (Left), not held. A line's start waits for its end (Flush adds
// a last line without one); a line longer than Limit is left out as it
// comes.
func (c *Capped) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			c.addPart(p)
			break
		}
		c.addPart(p[:i+1])
		c.Flush()
		p = p[i+1:]
	}
	return n, nil
}

// addPart adds p to the line being written, unless the line is already
// past Limit (then it is only counted, by Flush).
func (c *Capped) addPart(p []byte) {
	if c.long || len(c.part)+len(p) > c.Limit {
		c.long, c.part = true, nil
		return
	}
	c.part = append(c.part, p...)
}

// Flush adds the line being written (Write), if any.
func (c *Capped) Flush() {
	switch {
	case c.long:
		c.Left++
	case len(c.part) > 0:
		c.Add(string(c.part))
	}
	c.part, c.long = c.part[:0], false
}
