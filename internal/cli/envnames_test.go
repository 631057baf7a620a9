package cli

import (
	"strings"
	"testing"
)

// TestEnvNames: the names of the variables that hold a value, sorted;
// an empty one (a secret a workflow does not have) is not among them,
// and no value is.
func TestEnvNames(t *testing.T) {
	names := EnvNames(func() []string {
		return []string{"PDNS_API_KEY=s3cr3t-value", "EMPTY=", "A_B=x=y", "=odd", "NOEQUALS"}
	})
	if got := strings.Join(names(), " "); got != "A_B PDNS_API_KEY" {
		t.Errorf("EnvNames = %q, want A_B PDNS_API_KEY", got)
	}
	if EnvNames(nil) != nil {
		t.Error("EnvNames(nil) is not nil")
	}
}
