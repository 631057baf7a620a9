// Package shell writes command lines a user can paste into a POSIX shell
// (sh, bash, zsh) and run as printed: the hints that name a command to run
// ("flags come after the command: dnsparity plan --config 'my zones.yaml'").
package shell

import "strings"

// Quote is s as one word of a POSIX shell command line: as it is when no
// character of it is special to the shell (letters, digits and
// @%+=:,./-_), else in single quotes, inside which the shell expands
// nothing ($, `, \, !, *, spaces and newlines are literal: POSIX.1-2017
// XCU 2.2.2). A single quote of s ends the quoted part, stands escaped
// with a backslash and opens the next (TestQuote's single quote rows). The
// empty word is a pair of single quotes.
func Quote(s string) string {
	if s == "" {
		return "''"
	}
	// A leading = is zsh's EQUALS expansion (=ls is ls's path).
	if strings.IndexFunc(s, special) < 0 && s[0] != '=' {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Line is the command line of args, each word quoted as Quote does and
// joined by spaces.
func Line(args ...string) string {
	words := make([]string, len(args))
	for i, a := range args {
		words[i] = Quote(a)
	}
	return strings.Join(words, " ")
}

// special reports whether r may not stand unquoted in a word: anything but
// ASCII letters and digits and @%+=:,./-_ (the set Python's shlex.quote
// leaves bare). A ~ expands only at a word's start, and is quoted
// anywhere; a = is special only in a word before the command's name
// (an assignment), and every line printed starts with the command.
func special(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("@%+=:,./-_", r)
}
