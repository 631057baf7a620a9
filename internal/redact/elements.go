package redact

// This file holds what GitHub's rendering does to an HTML element by its
// name beyond taking its tags out: the tags cmark-gfm's tagfilter escapes,
// which then show as text, and the elements whose content GitHub's
// sanitizer, or the browser, takes out with them.

import (
	"bytes"
	"slices"
)

// tagFiltered are the tag names whose open and closing tags cmark-gfm's
// tagfilter extension escapes, its leading "<" written "&lt;", in raw
// inline HTML and at each "<" of an HTML block alike (GFM §6.11,
// https://github.github.com/gfm/#disallowed-raw-html-extension-;
// github/cmark-gfm extensions/tagfilter.c, its blacklist and is_tag, and
// src/html.c, filter_html_block; github/markup renders Markdown with
// [:tagfilter, ...]): the tag shows as text, and so does what stands
// between it and its closing tag. "<style>" splits no secret a reader
// joins.
var tagFiltered = []string{"title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"}

// hiddenContent are the elements GitHub may take out with their content,
// where no tagfilter escapes their tag first ("<script/x>" in an HTML
// block, whose name "/" follows, is_tag lets through, and a browser reads
// as a script's open tag): those GitHub's sanitizer removes with their
// content (github/html-pipeline's SanitizationFilter, remove_contents:
// script; Selma, the sanitizer of html-pipeline 3, by default iframe,
// math, noembed, noframes, noscript, plaintext, script, style, svg and
// xmp, gjtorikian/selma lib/selma/sanitizer/config/default.rb), and rp,
// which the allowlist keeps and a browser does not show (the HTML
// Standard's rendering, hidden elements, rp { display: none }:
// https://html.spec.whatwg.org/multipage/rendering.html#hidden-elements;
// web-platform-tests html/rendering/non-replaced-elements/hidden-elements.html).
// The text either side of one joins on screen. The other sanitizer keeps
// the content of most of them (html-pipeline 2 removes a script's only):
// a text is read both ways (rendered).
//
// Each is nesting or not: a nesting one's content is parsed as elements,
// so that one of the same name may stand inside (an svg in an svg): the
// sanitizer takes the outer one out whole. The others' content is text a
// browser ends at the first closing tag of their name (raw text: script,
// style, xmp, iframe, noembed, noframes; and an rp, which a browser hides,
// ended here at its first </rp>: the parser's implicit ends of an rp
// are not modelled).
var hiddenContent = [...]struct {
	name    string
	nesting bool
}{
	{"iframe", false}, {"math", true}, {"noembed", false}, {"noframes", false}, {"noscript", true},
	{"plaintext", false}, {"script", false}, {"style", false}, {"svg", true}, {"xmp", false}, {"rp", false},
}

// filtered reports whether tagfilter escapes the tag s starts with: "<"
// or "</", one of tagFiltered in any case, then a blank (cmark_isspace),
// ">" or "/>" (is_tag: "<scripts>", "<script/x>" and "<script" at the
// end of an HTML block pass).
func filtered(s []byte) bool {
	if len(s) < 3 || s[0] != '<' {
		return false
	}
	var buf [maxNameLen]byte
	name, rest := lowerName(s, &buf)
	if len(rest) == 0 || !slices.Contains(tagFiltered, string(name)) {
		return false
	}
	switch rest[0] {
	case ' ', '\t', '\n', '\v', '\f', '\r', '>':
		return true
	}
	return bytes.HasPrefix(rest, []byte("/>"))
}

// tagAt is the length of the tag b starts with that GitHub takes out (in
// an HTML block, block, as a browser reads it, rawTag; else as
// CommonMark's raw HTML grammar reads it, htmlTag), or 0: none, or one
// tagfilter escapes, which shows.
func tagAt(b []byte, block bool, ms *markupScan) int {
	if filtered(b) {
		return 0
	}
	if block {
		return rawTag(b, ms)
	}
	return htmlTag(b, ms)
}

// hiddenOpen is an open tag at at of one of hiddenContent, and where its
// element ends past its closing tag (end), 0: none, or svg or math closed
// by its own "/>".
type hiddenOpen struct{ at, end int }

// hiddenEnds are where the elements of hiddenContent b opens end, in the
// order of their open tags, read in one pass over b (blocks its HTML
// blocks, whose tags a browser reads: tagAt): an element ends at the
// closing tag of its name GitHub takes out (tagAt; an escaped one is text
// inside it) that closes it: the first after it, or, of nesting, the one
// after as many as opened inside (a stack of the open tags of each name).
// An open tag that no closing tag ends is left with end 0 as the pass
// goes on, so a text of n unclosed open tags costs n, not n² (each read
// to the text's end for its closing tag, as the former scan per open
// tag did: 8 s for "<svg>" 8,000 times); no name is copied at a "<" (hiddenName). Never
// nil, so that a caller reads it once (a text of no open tag but many
// "<svg/>" too).
func hiddenEnds(b []byte, blocks []htmlBlock) []hiddenOpen {
	opens := []hiddenOpen{}
	var open [len(hiddenContent)][]int // the indices in opens of each name's open tags not yet closed
	bk := 0
	for j := 0; j < len(b); j++ {
		k := bytes.IndexByte(b[j:], '<')
		if k < 0 {
			break
		}
		j += k
		x := hiddenName(b[j:])
		if x < 0 {
			continue
		}
		m := tagAt(b[j:], inBlock(blocks, &bk, j), nil)
		switch {
		case m == 0:
		case b[j+1] == '/':
			o := open[x]
			if len(o) == 0 {
				continue
			}
			if !hiddenContent[x].nesting {
				// The first closing tag ends every one open.
				for _, p := range o {
					opens[p].end = j + m
				}
				open[x] = o[:0]
				continue
			}
			opens[o[len(o)-1]].end = j + m
			open[x] = o[:len(o)-1]
		case !selfClosed(hiddenContent[x].name, b[j:j+m]):
			open[x] = append(open[x], len(opens))
			opens = append(opens, hiddenOpen{at: j})
		}
	}
	return opens
}

// hiddenEnd is where the element whose open tag stands at i ends past
// its closing tag (opens: hiddenEnds), or 0: none, or no such element.
func hiddenEnd(opens []hiddenOpen, i int) int {
	k, found := slices.BinarySearchFunc(opens, i, func(o hiddenOpen, i int) int { return o.at - i })
	if !found {
		return 0
	}
	return opens[k].end
}

// hiddenName is the index in hiddenContent of the name of the tag s
// starts with ("<" or "</", the name in any case), or -1.
func hiddenName(s []byte) int {
	var buf [maxNameLen]byte
	name, _ := lowerName(s, &buf)
	for x, h := range hiddenContent {
		if string(name) == h.name {
			return x
		}
	}
	return -1
}

// maxNameLen is the longest name of tagFiltered and hiddenContent.
const maxNameLen = len("plaintext")

// lowerName is tagName copying no name: the tag name s starts with after
// "<" or "</" in lower case, in buf, and what follows it; a name longer
// than buf is read as none (no name of tagFiltered or hiddenContent).
func lowerName(s []byte, buf *[maxNameLen]byte) (name, rest []byte) {
	i := 1
	if i < len(s) && s[i] == '/' {
		i++
	}
	n := 0
	for ; i < len(s) && isAlnum(s[i]); i++ {
		if n == len(buf) {
			return nil, nil
		}
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return buf[:n], s[i:]
}

// selfClosed reports whether tag, an open tag of name, closes its
// element itself: svg's or math's ending in "/>" (foreign elements').
func selfClosed(name string, tag []byte) bool {
	return (name == "svg" || name == "math") && bytes.HasSuffix(tag, []byte("/>"))
}

// hidesContent reports whether b holds an open tag of one of
// hiddenContent that tagfilter lets through: a reading with its
// content taken out may join what stands either side.
func hidesContent(b []byte) bool {
	for i := 0; i < len(b); i++ {
		k := bytes.IndexByte(b[i:], '<')
		if k < 0 {
			return false
		}
		i += k
		if hiddenName(b[i:]) >= 0 && i+1 < len(b) && b[i+1] != '/' && !filtered(b[i:]) {
			return true
		}
	}
	return false
}

// hideReadings is how many readings of b there are as to the elements
// GitHub may take out with their content: 1, with that content
// (html-pipeline 2 keeps most), or, when b holds one (hidesContent), 2:
// the second without it (hide: Selma, a browser's rp).
func hideReadings(b []byte) int {
	if hidesContent(b) {
		return 2
	}
	return 1
}
