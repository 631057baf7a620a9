package config

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/redact"
	yaml "go.yaml.in/yaml/v3"
)

// Duration is a time.Duration written as "168h" or "7d".
type Duration struct {
	time.Duration
	// text is how the file wrote it; tooLong that it does not fit; bad
	// why it is not a duration at all.
	text    string
	tooLong bool
	bad     string
}

// durationRE is time.ParseDuration's grammar: a text it refuses that
// matches it is too long, not misspelt.
var durationRE = regexp.MustCompile(`^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`)

// UnmarshalYAML reads "168h", "30m" or "7d". A value that is not a
// duration, a negative or an overflowing one is reported by validation,
// which knows the key.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		d.bad = "a duration (e.g. 168h or 7d), not a " + map[yaml.Kind]string{yaml.SequenceNode: "list", yaml.MappingNode: "mapping"}[n.Kind]
		return nil
	}
	s := strings.TrimSpace(n.Value)
	d.text = s
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if v, err := strconv.ParseInt(days, 10, 64); err == nil {
			const perDay = int64(24 * time.Hour)
			if v > math.MaxInt64/perDay || v < math.MinInt64/perDay {
				d.tooLong = true
				return nil
			}
			d.Duration = time.Duration(v * perDay)
			return nil
		} else if errors.Is(err, strconv.ErrRange) {
			d.tooLong = true
			return nil
		}
	}
	v, err := time.ParseDuration(s)
	switch {
	case err == nil:
		d.Duration = v
	case durationRE.MatchString(s):
		d.tooLong = true
	default:
		d.bad = "bad duration " + redact.Quote(s) + " (use e.g. 168h or 7d)"
	}
	return nil
}

// check says what is wrong with a duration ("" when nothing).
func (d Duration) check() string {
	switch {
	case d.bad != "":
		return d.bad
	case d.tooLong:
		return d.text + " is too long"
	case d.Duration < 0:
		return d.text + " is negative"
	}
	return ""
}
