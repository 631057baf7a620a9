package cutover

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A trail file is read by encoding/json here and by jq in check-trail
// (unmerged-steps.jq), and the two read some texts differently: a key
// written twice (encoding/json takes the last value, jq keeps the first
// key's position), a key and its case-folded twin ("entries" and
// "Entries": encoding/json matches both to one field), a time Go's parser
// accepts and RFC 3339 does not ("T1:00:01Z", "01,5Z", year 0000).
// dnsparity never writes any of them (Append: json.MarshalIndent of a
// Trail, each field once, times as time.Time.MarshalJSON writes them,
// RFC 3339 with the year 0001 to 9999), so checkTrailText refuses them:
// what a trail holds then reads the same way to both.

// trailSyntaxError is a text dnsparity never writes as a trail, at a line.
type trailSyntaxError struct {
	Line int
	Msg  string
}

func (e *trailSyntaxError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// rfc3339Time is the form of a time dnsparity writes (RFC 3339, section
// 5.6: date-time; time.Time.MarshalJSON): four-digit year, two-digit
// fields, a "." before fractional seconds, Z or a ±hh:mm offset.
var rfc3339Time = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-]([0-9]{2}):([0-9]{2}))$`)

// checkTime says why s is not a time as dnsparity writes one ("" when it
// is): the form, a date and time that exist, a year from 0001 and an
// offset under 24 hours.
func checkTime(s string) string {
	m := rfc3339Time.FindStringSubmatch(s)
	if m == nil {
		return "not an RFC 3339 time (YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm))"
	}
	t, err := time.Parse(time.RFC3339, s[:19]+"Z")
	if err != nil {
		return "a date or time that does not exist"
	}
	if t.Year() < 1 {
		return "the year 0000"
	}
	if m[3] != "" {
		if h, _ := strconv.Atoi(m[3]); h > 23 {
			return "an offset of 24 hours or more"
		}
		if mi, _ := strconv.Atoi(m[4]); mi > 59 {
			return "an offset with 60 minutes or more"
		}
	}
	return ""
}

// foldKey is key as encoding/json matches it to a field of the trail's
// (whose names are all ASCII): its ASCII letters in lower case, and the
// two other runes that fold to an ASCII letter (U+017F ſ to s, U+212A
// Kelvin sign to k); "" for a key that matches no ASCII name.
func foldKey(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch {
		case r == 'ſ':
			r = 's'
		case r == '\u212a':
			r = 'k'
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r > 0x7f:
			return ""
		}
		b.WriteRune(r)
	}
	return b.String()
}

// checkTrailText refuses a trail text that holds what dnsparity never
// writes (see above): a key written twice in one object (at any depth),
// two keys of the trail's object or of one entry that match one field
// (foldKey), an entry's time or changed_at that is a string but not a
// time as dnsparity writes one (checkTime). A text that is not JSON, or
// of other types, is left to json.Unmarshal to refuse.
func checkTrailText(b []byte) error {
	if err := duplicateKeys(b); err != nil {
		return err
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return nil
	}
	if err := foldedTwice(top, 1); err != nil {
		return err
	}
	var entries []json.RawMessage
	for k, v := range top {
		if foldKey(k) == "entries" {
			_ = json.Unmarshal(v, &entries) // a list, or left to json.Unmarshal
		}
	}
	lines := entryLines(b, len(entries))
	for i, raw := range entries {
		var e map[string]json.RawMessage
		if json.Unmarshal(raw, &e) != nil {
			continue
		}
		if err := foldedTwice(e, lines[i]); err != nil {
			return err
		}
		for k, v := range e {
			if f := foldKey(k); f != "time" && f != "changed_at" {
				continue
			}
			var s string
			if json.Unmarshal(v, &s) != nil {
				continue
			}
			if why := checkTime(s); why != "" {
				return &trailSyntaxError{lines[i], fmt.Sprintf("entry %d: %s %q is %s", i+1, k, s, why)}
			}
		}
	}
	return nil
}

// foldedTwice refuses two keys of obj that match one field (foldKey),
// found on line.
func foldedTwice(obj map[string]json.RawMessage, line int) error {
	seen := map[string]string{}
	for k := range obj {
		f := foldKey(k)
		if f == "" {
			continue
		}
		if other, ok := seen[f]; ok {
			a, b := other, k
			if a > b {
				a, b = b, a
			}
			return &trailSyntaxError{line, fmt.Sprintf("keys %q and %q name one field (a JSON reader takes either)", a, b)}
		}
		seen[f] = k
	}
	return nil
}

// duplicateKeys refuses a key written twice in one object of b.
func duplicateKeys(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token is a key
	}
	var stack []*frame
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return nil // not JSON: json.Unmarshal says so
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if k, ok := tok.(string); ok {
				if top.keys[k] {
					for int(off) < len(b) && strings.IndexByte(" \t\r\n,", b[off]) >= 0 {
						off++
					}
					return &trailSyntaxError{1 + bytes.Count(b[:off], []byte("\n")), fmt.Sprintf("the key %q is written twice in one object (a JSON reader takes either value)", k)}
				}
				top.keys[k] = true
				top.key = false
				continue
			}
		}
		if top != nil && top.object {
			top.key = true // after this value, a key
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]bool{}, key: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].key = true
			}
		}
	}
}
