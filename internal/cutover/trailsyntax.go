package cutover

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
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
// writes (see above), in the trail's object and in each entry (the
// objects whose keys encoding/json matches to fields, and whose values
// the audit-trail rules read; a nested value is compared whole, where
// both readers take a repeated key's last value): a key written twice,
// two keys that match one field (foldKey), an entry's time or changed_at
// that is a string but not a time as dnsparity writes one (checkTime). A
// text that is not JSON, or of other types, is left to json.Unmarshal to
// refuse. One pass of the decoder over the keys, each value skipped
// whole.
func checkTrailText(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	line := func(off int64) int {
		for int(off) < len(b) && strings.IndexByte(" \t\r\n,:", b[off]) >= 0 {
			off++
		}
		return 1 + bytes.Count(b[:off], []byte("\n"))
	}
	// keys reads the keys of the object whose '{' was just read, calling
	// value for each (which reads or skips its value).
	keys := func(what string, value func(key string) error) error {
		exact, folded := map[string]bool{}, map[string]string{}
		for dec.More() {
			off := dec.InputOffset()
			tok, err := dec.Token()
			if err != nil {
				return nil
			}
			k, _ := tok.(string)
			if exact[k] {
				return &trailSyntaxError{line(off), fmt.Sprintf("%sthe key %q is written twice (a JSON reader takes either value)", what, k)}
			}
			exact[k] = true
			if f := foldKey(k); f != "" {
				if other, ok := folded[f]; ok {
					return &trailSyntaxError{line(off), fmt.Sprintf("%sthe keys %q and %q name one field (a JSON reader takes either)", what, other, k)}
				}
				folded[f] = k
			}
			if err := value(k); err != nil {
				return err
			}
		}
		return nil
	}
	skip := func(string) error {
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return errStop
		}
		return nil
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	err := keys("", func(k string) error {
		if rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n:"); foldKey(k) != "entries" || len(rest) == 0 || rest[0] != '[' {
			return skip(k) // not a list (null, or another type json.Unmarshal refuses)
		}
		if _, err := dec.Token(); err != nil {
			return errStop
		}
		for i := 0; dec.More(); i++ {
			at := dec.InputOffset() // a line only for an error: counting is O(n) each
			var raw json.RawMessage
			if rest := bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n,"); len(rest) == 0 || rest[0] != '{' {
				if dec.Decode(&raw) != nil {
					return errStop
				}
				continue
			}
			if _, err := dec.Token(); err != nil {
				return errStop
			}
			what := fmt.Sprintf("entry %d: ", i+1)
			err := keys(what, func(k string) error {
				if f := foldKey(k); f != "time" && f != "changed_at" {
					return skip(k)
				}
				var v any
				if dec.Decode(&v) != nil {
					return errStop
				}
				if s, ok := v.(string); ok {
					if why := checkTime(s); why != "" {
						return &trailSyntaxError{line(at), fmt.Sprintf("%s%s %q is %s", what, k, s, why)}
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			if _, err := dec.Token(); err != nil { // the entry's '}'
				return errStop
			}
		}
		if _, err := dec.Token(); err != nil { // the list's ']'
			return errStop
		}
		return nil
	})
	if errors.Is(err, errStop) {
		return nil
	}
	return err
}

// errStop ends checkTrailText's pass where the text is not a trail's
// shape, which json.Unmarshal then refuses.
var errStop = errors.New("not a trail's shape")
