package zone

import (
	"strings"
	"testing"
)

// TestOriginWithoutFinalDot: an $ORIGIN written as an absolute name
// without its final dot ("$ORIGIN example.com" in example.com.) is
// relative, to the origin it names again (example.com.example.com.): a
// warning on the $ORIGIN's line says so, where the errors it causes
// (no SOA at the apex, a record outside) name only the lines after it. A
// relative $ORIGIN meant as one ("$ORIGIN sub") is not warned about.
func TestOriginWithoutFinalDot(t *testing.T) {
	tests := []struct {
		name, text string
		warn       bool
	}{
		{"the apex", "$ORIGIN a.test\n$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.53\n", true},
		{"a name below, after the apex", "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\n$ORIGIN sub.a.test\nns IN A 192.0.2.53\n", true},
		{"the apex, capitals", "$ORIGIN A.Test\n$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.53\n", true},
		{"relative on purpose", "$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.53\n$ORIGIN sub\nx IN A 192.0.2.1\n", false},
		{"absolute", "$ORIGIN a.test.\n$TTL 300\n@ IN SOA ns hm 1 2 3 4 5\n@ IN NS ns\nns IN A 192.0.2.53\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, err := Parse(strings.NewReader(tt.text), "a.zone", "a.test.", "")
			if err != nil {
				t.Fatal(err)
			}
			line := 1 + strings.Count(tt.text[:strings.Index(tt.text, "$ORIGIN")], "\n")
			var got []Problem
			for _, p := range z.Problems {
				if strings.Contains(p.Message, "no final dot") {
					got = append(got, p)
				}
			}
			switch {
			case !tt.warn && len(got) > 0:
				t.Errorf("warned: %v", got)
			case tt.warn && (len(got) != 1 || got[0].Pos.Line != line || got[0].Severity != Warning):
				t.Errorf("want one warning on line %d, got %v (all: %v)", line, got, z.Problems)
			}
		})
	}
}
