package redact

// This file holds the short, printable quotes of untrusted text (Excerpt,
// Quote, Name, Word).

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Sizes of an excerpt.
const (
	// Token is for a token of a file (a zone file's field, a config
	// value): a token up to this many characters is quoted whole; a
	// longer one by its first TokenHead characters only, so that a
	// message never carries much of a secret or of a file that is not a
	// zone file.
	Token     = 32
	TokenHead = 12
	// Path is for a path (a config's zone file, an $INCLUDE name).
	Path = 200
)

// Excerpt quotes s for a message: whole when it has at most max
// characters, else its first head characters then "…" and its length.
// Every character that is not printable (NUL, control characters,
// terminal escapes, bidirectional controls) is escaped as Go does
// (\x00, \u202e), so the excerpt is a single printable line.
func Excerpt(s string, max, head int) string {
	n := utf8.RuneCountInString(s)
	if n <= max {
		return strconv.Quote(s)
	}
	cut := s
	i := 0
	for j := range s {
		if i == head {
			cut = s[:j]
			break
		}
		i++
	}
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(cut), n)
}

// Quote is Excerpt for a token of a file (Token, TokenHead).
func Quote(s string) string { return Excerpt(s, Token, TokenHead) }

// Name is s as it is when it is a short, printable name (a path, a
// variable name), else an excerpt (Path characters).
func Name(s string) string {
	if utf8.RuneCountInString(s) <= Path && s != "" && printable(s) {
		return s
	}
	return Excerpt(s, Path, Path)
}

func printable(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// Word is s as it is when it is a short, printable token (a type name, a
// directive), else Quote(s).
func Word(s string) string {
	if utf8.RuneCountInString(s) <= Token && s != "" && printable(s) {
		return s
	}
	return Quote(s)
}
