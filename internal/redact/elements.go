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
var hiddenContent = map[string]bool{
	"iframe": true, "math": true, "noembed": true, "noframes": true, "noscript": true,
	"plaintext": true, "script": true, "style": true, "svg": true, "xmp": true, "rp": true,
}

// filtered reports whether tagfilter escapes the tag s starts with: "<"
// or "</", one of tagFiltered in any case, then a blank (cmark_isspace),
// ">" or "/>" (is_tag: "<scripts>", "<script/x>" and "<script" at the
// end of an HTML block pass).
func filtered(s []byte) bool {
	if len(s) < 3 || s[0] != '<' {
		return false
	}
	name, rest := tagName(s)
	if len(rest) == 0 || !slices.Contains(tagFiltered, name) {
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
func tagAt(b []byte, block bool) int {
	if filtered(b) {
		return 0
	}
	if block {
		return rawTag(b)
	}
	return htmlTag(b)
}

// nesting are the elements of hiddenContent whose content is parsed as
// elements, so that one of the same name may stand inside (an svg in an
// svg): the sanitizer takes the outer one out whole. The others' content
// is text a browser ends at the first closing tag of their name (raw
// text: script, style, xmp, iframe, noembed, noframes; an rp's next rp
// closes it).
var nesting = map[string]bool{"math": true, "noscript": true, "svg": true}

// hiddenEnd is where the element whose open tag b[i:i+n] is ends, past
// its closing tag, when it is one of hiddenContent: the closing tag of
// its name GitHub takes out (tagAt; an escaped one is text inside it)
// that closes it (the first, or, of nesting, the one after as many as
// opened inside), or 0: none, or no such element, or svg or math closed
// by its own "/>" (a foreign element's; an HTML element's "/>" is
// ignored).
func hiddenEnd(b []byte, i, n int, block bool) int {
	name, _ := tagName(b[i:])
	if b[i+1] == '/' || !hiddenContent[name] || selfClosed(name, b[i:i+n]) {
		return 0
	}
	depth := 1
	for j := i + n; j < len(b); j++ {
		k := bytes.IndexByte(b[j:], '<')
		if k < 0 {
			return 0
		}
		j += k
		nm, _ := tagName(b[j:])
		if nm != name {
			continue
		}
		m := tagAt(b[j:], block)
		switch {
		case m == 0:
		case b[j+1] == '/':
			if depth--; depth == 0 {
				return j + m
			}
		case nesting[name] && !selfClosed(name, b[j:j+m]):
			depth++
		}
	}
	return 0
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
		if name, _ := tagName(b[i:]); hiddenContent[name] && i+1 < len(b) && b[i+1] != '/' && !filtered(b[i:]) {
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
