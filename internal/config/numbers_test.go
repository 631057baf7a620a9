package config

import (
	"strings"
	"testing"
)

// TestParseNonFinite (issue 15, hole 4): NaN, infinities and negative or
// overflowing durations would switch a guard off (every comparison with
// NaN is false; a negative overlap lets finish run at once): each is an
// error naming the file, the line and the key.
func TestParseNonFinite(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"NaN percent", "zones: []\npolicy:\n  max_change_percent: .nan\n", "dnsparity.yaml:3: policy.max_change_percent: NaN is not a number between 0 and 100"},
		{"infinite percent", "policy:\n  max_change_percent: .inf\n", "dnsparity.yaml:2: policy.max_change_percent: +Inf is not a number between 0 and 100"},
		{"negative percent", "policy:\n  max_change_percent: -1\n", "dnsparity.yaml:2: policy.max_change_percent: -1 is not a number between 0 and 100"},
		{"negative overlap in days", "policy:\n  prestage_ttl: 300\n  overlap: -7d\n", "dnsparity.yaml:3: policy.overlap: -7d is negative"},
		{"negative overlap", "policy:\n  overlap: -1h\n", "dnsparity.yaml:2: policy.overlap: -1h is negative"},
		{"overflowing overlap", "policy:\n  overlap: 9999999999999d\n", "dnsparity.yaml:2: policy.overlap: 9999999999999d is too long"},
		{"negative watch", "cutover:\n  watch: -5m\n", "dnsparity.yaml:2: cutover.watch: -5m is negative"},
		{"negative timeout", "parity:\n  timeout: -2s\n", "dnsparity.yaml:2: parity.timeout: -2s is negative"},
		{"NaN rate", "parity:\n  rate_limit: .nan\n", "dnsparity.yaml:2: parity.rate_limit: NaN is not a finite number of queries per second"},
		{"infinite rate", "parity:\n  rate_limit: -.inf\n", "dnsparity.yaml:2: parity.rate_limit: -Inf is not a finite number of queries per second"},
		{"negative transfer bound", "parity:\n  axfr_max_records: -1\n", "dnsparity.yaml:2: parity.axfr_max_records: -1 is negative"},
		{"negative transfer time", "parity:\n  axfr_max_time: -1m\n", "dnsparity.yaml:2: parity.axfr_max_time: -1m is negative"},
		// Every bad value names its key, whichever way it is bad.
		{"overflowing overlap in hours", "policy:\n  overlap: 9999999h\n", "dnsparity.yaml:2: policy.overlap: 9999999h is too long"},
		{"overflowing lock wait", "cutover:\n  lock_wait: 2562048h\n", "dnsparity.yaml:2: cutover.lock_wait: 2562048h is too long"},
		{"exponent in a duration", "policy:\n  overlap: 1e3h\n", "dnsparity.yaml:2: policy.overlap: bad duration \"1e3h\" (use e.g. 168h or 7d)"},
		{"days and hours", "policy:\n  overlap: 7d12h\n", "dnsparity.yaml:2: policy.overlap: bad duration \"7d12h\" (use e.g. 168h or 7d)"},
		{"a number without a unit", "parity:\n  timeout: 2\n", "dnsparity.yaml:2: parity.timeout: bad duration \"2\" (use e.g. 168h or 7d)"},
		{"a list for a duration", "cutover:\n  watch: [15m]\n", "dnsparity.yaml:2: cutover.watch: a duration (e.g. 168h or 7d), not a list"},
		{"negative wave", "policy:\n  wave: -1\n", "dnsparity.yaml:2: policy.wave: -1 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.yaml), "dnsparity.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	c, err := Parse([]byte("policy:\n  max_change_percent: 0\n  overlap: 0d\ncutover:\n  watch: 90s\n"), "dnsparity.yaml")
	if err != nil || c.Policy.MaxChange() != 0 || c.Cutover.Watch.Seconds() != 90 {
		t.Errorf("finite, non-negative values: %+v %v", c, err)
	}
}
