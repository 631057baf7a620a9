package mailauth

import (
	"fmt"
	"strings"
)

// SPF records that are valid, and evaluated by receivers, but almost
// surely not what their owner meant: the warnings of a record that
// parses (RFC 7208 §12). A record that does not parse has its error
// only.

// SPFWarnings are the warnings of the SPF record rec (see spfLint), nil when
// it has none or does not parse (its error is the problem then).
func SPFWarnings(rec string) []string {
	l := spfLint{words: true}
	if eachTerm(rec, l.add) != nil {
		return nil
	}
	return l.done()
}

// mechanisms are the mechanism names that take an argument: a modifier
// of one of these names ("include=x.example") is a slip for the
// mechanism.
var mechanisms = [...]string{"include", "a", "mx", "ptr", "ip4", "ip6", "exists"}

// afterAllShown bounds the mechanisms after all a warning names.
const afterAllShown = 3

// spfLint reads a record's terms one by one (eachTerm's order) for what
// receivers evaluate otherwise than its owner meant:
//
//   - an unknown modifier named as a mechanism (include=x.example): a slip
//     for the mechanism (include:x.example), which receivers ignore
//     (RFC 7208 §6: unrecognized modifiers MUST be ignored);
//   - the ptr mechanism: "This mechanism SHOULD NOT be published"
//     (§5.5);
//   - all with the pass qualifier (+all, or all alone): every host on the
//     Internet passes (§5.1: all always matches; §4.6.2: + is pass);
//   - mechanisms after all: "Mechanisms after "all" will never be tested"
//     (§5.1);
//   - redirect= next to an all mechanism: ignored (§6.1);
//   - the p macro (%{p}) in a domain-spec: "do not use" (§7.2).
//
// ?all, ~all, exp= and other unknown modifiers are fine. Without words it
// only notes that there is a warning (found), allocating nothing: Find
// reads a zone's every SPF record with it.
type spfLint struct {
	words bool
	found bool
	out   []string
	// all is the first all mechanism's text ("" when none yet); after
	// the mechanisms after it (their texts, up to afterAllShown), nAfter
	// how many.
	all      string
	after    []string
	nAfter   int
	redirect string // the redirect= term's text
}

// warn notes a warning; msg words it, called only when the lint words
// its warnings.
func (l *spfLint) warn(msg func() string) {
	l.found = true
	if l.words {
		l.out = append(l.out, msg())
	}
}

func (l *spfLint) add(t Term) {
	if t.Modifier {
		switch {
		case t.Mech == "redirect":
			l.redirect = t.Text
			l.pMacro(t)
		case t.Mech == "exp":
			l.pMacro(t)
		case isMechanism(t.Mech):
			l.warn(func() string {
				instead := t.Mech + ":" + t.Arg
				if t.Arg == "" {
					instead = t.Mech + ":DOMAIN"
				}
				return fmt.Sprintf("%s is an unknown modifier, not the %s mechanism: receivers ignore it (RFC 7208 §6); write %s", word(t.Text), t.Mech, word(instead))
			})
		}
		return
	}
	if l.all != "" {
		// Never tested: one warning for them all (done), none of their own.
		l.nAfter++
		l.found = true
		if l.words && len(l.after) < afterAllShown {
			l.after = append(l.after, word(t.Text))
		}
		return
	}
	l.pMacro(t)
	switch t.Mech {
	case "all":
		l.all = t.Text
		if t.Qualifier == '+' {
			l.warn(func() string {
				return fmt.Sprintf("%s passes mail from every host on the Internet (RFC 7208 §5.1: all always matches; the + qualifier, written or not, is pass, §4.6.2): anyone can send as this domain; end the record with -all or ~all", word(t.Text))
			})
		}
	case "ptr":
		l.warn(func() string {
			return fmt.Sprintf("%s: the ptr mechanism SHOULD NOT be published (RFC 7208 §5.5: slow, less reliable than the other mechanisms when DNS fails, a load on the .arpa servers); name the senders with ip4:, ip6:, a, mx or include: instead", word(t.Text))
		})
	}
}

// pMacro warns of a p macro (%{p}) in the term's domain-spec: the
// validated domain name of the sender's address, found with the PTR and
// address lookups of the ptr mechanism; RFC 7208 §7.2 lists it as "do not
// use".
func (l *spfLint) pMacro(t Term) {
	if !hasMacroLetter(t.Arg, 'p') {
		return
	}
	l.warn(func() string {
		return fmt.Sprintf("%s uses the p macro (%%{p}): RFC 7208 §7.2 says \"do not use\" (it needs the PTR lookups of the ptr mechanism, §5.5); build the name from other macros, such as %%{i}", word(t.Text))
	})
}

// hasMacroLetter reports whether the macro-string s expands the macro
// letter (lower case; either case matches): %{p...}, not the escape
// %% followed by a literal {p}.
func hasMacroLetter(s string, letter byte) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if s[i+1] == '{' && s[i+2]|0x20 == letter {
			return true
		}
		i++ // %%, %_, %-, or the { of another letter
	}
	return false
}

// done adds the warnings that need the whole record and returns them.
func (l *spfLint) done() []string {
	if l.nAfter > 0 {
		l.warn(func() string {
			list := strings.Join(l.after, " ")
			if more := l.nAfter - len(l.after); more > 0 {
				list += fmt.Sprintf(" and %d more", more)
			}
			return fmt.Sprintf("%s after %s: receivers never test mechanisms after all (RFC 7208 §5.1); move them before %s", list, word(l.all), word(l.all))
		})
	}
	if l.redirect != "" && l.all != "" {
		l.warn(func() string {
			return fmt.Sprintf("%s is ignored: the record has an all mechanism (%s), and a redirect= next to one MUST be ignored (RFC 7208 §6.1); drop %s or %s", word(l.redirect), word(l.all), word(l.all), word(l.redirect))
		})
	}
	return l.out
}

func isMechanism(name string) bool {
	for _, m := range mechanisms {
		if name == m {
			return true
		}
	}
	return false
}
