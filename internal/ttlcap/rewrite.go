// Package ttlcap rewrites BIND zone files in place so that no TTL is above a
// cap: $TTL, explicit record TTLs (also in $GENERATE) and the SOA's
// negative-caching (minimum) field. Every other byte of the file is kept.
// CapAll caps several files all or nothing (dnsparity ttl --cap).
package ttlcap

import (
	"strconv"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// Change is one TTL lowered in a file.
type Change struct {
	File string `json:"file"`
	Line int    `json:"line"`
	What string `json:"what"` // "$TTL", "TTL", "$GENERATE TTL", "SOA minimum"
	Old  string `json:"old"`
	New  string `json:"new"`
}

// token is one field of a zone file entry, as offsets into the source.
type token struct {
	start, end int
	line       int
}

// entry is one logical zone file entry (a directive or a record, parentheses
// joined), with whether it began in column 0 (an owner is written).
type entry struct {
	toks     []token
	hasOwner bool
}

// edit replaces src[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// rewrite caps the TTLs in one file's content. It returns the new content,
// the changes (File left empty) and the $INCLUDE file names as written.
func rewrite(src []byte, limit uint32) ([]byte, []Change, []string) {
	var (
		edits    []edit
		changes  []Change
		includes []string
	)
	capTok := func(t token, what string) {
		old := string(src[t.start:t.end])
		v, ok := zone.ParseTTL(old)
		if !ok || v <= limit {
			return
		}
		if v > zone.MaxTTL && what != "SOA minimum" {
			return // served as 0 (RFC 2181 §8, zone.MaxTTL): capping it would raise it
		}
		repl := strconv.FormatUint(uint64(limit), 10)
		edits = append(edits, aligned(src, t, repl))
		changes = append(changes, Change{Line: t.line, What: what, Old: old, New: repl})
	}
	for _, e := range entries(src) {
		tok := func(i int) string { return string(src[e.toks[i].start:e.toks[i].end]) }
		first := tok(0)
		if strings.HasPrefix(first, "$") {
			switch strings.ToUpper(first) {
			case "$TTL":
				if len(e.toks) > 1 {
					capTok(e.toks[1], "$TTL")
				}
			case "$INCLUDE":
				if len(e.toks) > 1 {
					includes = append(includes, unquote(tok(1)))
				}
			case "$GENERATE":
				// $GENERATE range owner [ttl] [class] type rdata
				if ttlAt, _ := ttlAndType(src, e.toks, 3); ttlAt >= 0 {
					capTok(e.toks[ttlAt], "$GENERATE TTL")
				}
			}
			continue
		}
		at := 0
		if e.hasOwner {
			at = 1
		}
		ttlAt, typeAt := ttlAndType(src, e.toks, at)
		if ttlAt >= 0 {
			capTok(e.toks[ttlAt], "TTL")
		}
		if typeAt >= 0 && strings.EqualFold(tok(typeAt), "SOA") && typeAt+7 < len(e.toks) {
			capTok(e.toks[typeAt+7], "SOA minimum")
		}
	}
	if len(edits) == 0 {
		return src, nil, includes
	}
	out := make([]byte, 0, len(src)+16*len(edits))
	last := 0
	for _, ed := range edits {
		out = append(out, src[last:ed.start]...)
		out = append(out, ed.text...)
		last = ed.end
	}
	out = append(out, src[last:]...)
	return out, changes, includes
}

// ttlAndType finds, from index at, the optional TTL and class (in either
// order) and the type: the indexes of the TTL token (-1: none) and of the type
// (-1: none).
func ttlAndType(src []byte, toks []token, at int) (ttlAt, typeAt int) {
	ttlAt, typeAt = -1, -1
	for n := 0; n < 3 && at < len(toks); n, at = n+1, at+1 {
		t := string(src[toks[at].start:toks[at].end])
		if t[0] >= '0' && t[0] <= '9' {
			if _, ok := zone.ParseTTL(t); ok && ttlAt < 0 {
				ttlAt = at
				continue
			}
		}
		if isClass(t) {
			continue
		}
		typeAt = at
		break
	}
	return ttlAt, typeAt
}

func isClass(t string) bool {
	switch strings.ToUpper(t) {
	case "IN", "CH", "CS", "HS", "NONE", "ANY":
		return true
	}
	if len(t) > 5 && strings.EqualFold(t[:5], "CLASS") {
		_, err := strconv.Atoi(t[5:])
		return err == nil
	}
	return false
}

// aligned replaces a token, keeping the column of what follows when it is
// aligned with spaces (two or more): a shorter value is padded, a longer one
// eats spare spaces. A single space stays a single space.
func aligned(src []byte, t token, repl string) edit {
	ed := edit{t.start, t.end, repl}
	spaces := 0
	for i := t.end; i < len(src) && src[i] == ' '; i++ {
		spaces++
	}
	if spaces < 2 || t.end+spaces >= len(src) || src[t.end+spaces] == '\n' || src[t.end+spaces] == '\r' {
		return ed // nothing after it on the line to keep in place
	}
	d := len(repl) - (t.end - t.start)
	switch {
	case d < 0:
		ed.text += strings.Repeat(" ", -d)
	case d > 0 && spaces > d:
		ed.end += d
	}
	return ed
}

// entries splits a zone file into logical entries the way BIND's lexer does:
// ';' starts a comment, '"' quotes (escapes with '\'), parentheses join lines.
func entries(src []byte) []entry {
	var (
		out   []entry
		cur   entry
		depth int
		line  = 1
	)
	flush := func() {
		if len(cur.toks) > 0 {
			out = append(out, cur)
		}
		cur = entry{}
	}
	lineStart := true // at the first byte of an entry's first line
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			line++
			i++
			if depth == 0 {
				flush()
				lineStart = true
			}
			continue
		case c == ';':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		case c == ' ' || c == '\t' || c == '\r':
			lineStart = false
			i++
			continue
		case c == '(':
			depth++
			lineStart = false
			i++
			continue
		case c == ')':
			if depth > 0 {
				depth--
			}
			i++
			continue
		}
		if lineStart && len(cur.toks) == 0 {
			cur.hasOwner = true
		}
		lineStart = false
		t := token{start: i, line: line}
		if c == '"' {
			i++
			for i < len(src) && src[i] != '"' {
				if src[i] == '\\' && i+1 < len(src) {
					i++
				}
				if src[i] == '\n' {
					line++
				}
				i++
			}
			if i < len(src) {
				i++
			}
		} else {
			for i < len(src) {
				c := src[i]
				if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '(' || c == ')' || c == '"' {
					break
				}
				if c == '\\' && i+1 < len(src) {
					i++
				}
				i++
			}
		}
		t.end = i
		cur.toks = append(cur.toks, t)
	}
	flush()
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}
