package mailauth

import (
	"fmt"
	"strings"
)

// Tag is one tag=value pair of a tag list.
type Tag struct {
	Name, Value string
}

// parseTags parses a tag list (RFC 6376 §3.2, also DMARC's, RFC 7489 §6.4):
// tag-spec *( ";" tag-spec ) [ ";" ], tag-spec = [FWS] tag-name [FWS] "="
// [FWS] tag-value [FWS], tag-name = ALPHA *( ALPHA / DIGIT / "_" ),
// tag-value characters %x21-3A / %x3C-7E with whitespace only between them.
// A tag written twice makes the list invalid ("Tags with duplicate names
// MUST NOT occur within a single tag-list", §3.2). An empty tag-spec
// (";;") is outside the grammar but at the end (a trailing ";"): empty
// lists their positions (1 = the first), for the caller to judge (a DKIM
// verifier such as OpenDKIM rejects the key record, DMARC receivers skip
// the empty tag).
func parseTags(s string) (tags []Tag, empty []int, err error) {
	seen := map[string]bool{}
	specs := strings.Split(s, ";")
	for i, spec := range specs {
		if strings.TrimSpace(spec) == "" {
			if i < len(specs)-1 {
				empty = append(empty, i+1)
			}
			continue
		}
		name, value, ok := strings.Cut(spec, "=")
		if !ok {
			return nil, nil, fmt.Errorf("tag %s has no '='", quote(strings.TrimSpace(spec)))
		}
		name, value = strings.Trim(name, " \t\r\n"), strings.Trim(value, " \t\r\n")
		if !isTagName(name) {
			return nil, nil, fmt.Errorf("bad tag name %s", quote(name))
		}
		for j := 0; j < len(value); j++ {
			c := value[j]
			if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
				continue
			}
			if c < 0x21 || c > 0x7e || c == ';' {
				return nil, nil, fmt.Errorf("tag %s: character %q not allowed", name, c)
			}
		}
		if seen[name] {
			return nil, nil, fmt.Errorf("tag %s= appears more than once", name)
		}
		seen[name] = true
		tags = append(tags, Tag{name, value})
	}
	return tags, empty, nil
}

func isTagName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}

func tagValue(tags []Tag, name string) (string, bool) {
	if i := tagIndex(tags, name); i >= 0 {
		return tags[i].Value, true
	}
	return "", false
}

// tagIndex is the index of the first tag named name, or -1.
func tagIndex(tags []Tag, name string) int {
	for i, t := range tags {
		if t.Name == name {
			return i
		}
	}
	return -1
}
