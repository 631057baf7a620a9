package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckMailSPFSaysWhatToDo: an SPF record over the 10-lookup limit
// and one with more than 2 void lookups each say how to fix it, not only
// that receivers return permerror: a company's SPF grown over years of
// include chains (a new user's first `check` of an imported zone) needs
// to be told to flatten it. On the code before, both messages ended at
// the chain or the list of void lookups.
func TestCheckMailSPFSaysWhatToDo(t *testing.T) {
	records := `@ IN TXT "v=spf1 mx include:_spf1.example.test -all"
_spf1 IN TXT "v=spf1 a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test include:_spf2.example.test -all"
_spf2 IN TXT "v=spf1 a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test a:mx1.example.test -all"
v IN TXT "v=spf1 a:n1.example.test a:n2.example.test a:n3.example.test -all"
`
	path := filepath.Join(t.TempDir(), "example.test.zone")
	if err := os.WriteFile(path, []byte(mailHead+records), 0o644); err != nil {
		t.Fatal(err)
	}
	res := Run([]Target{{Path: path}}, 0)
	want := map[string]string{
		"SPF needs 12 DNS lookups":       "to fix: replace include:, a and mx mechanisms by the ip4:/ip6: ranges they stand for, or drop includes",
		"more than 2 SPF lookups answer": "to fix: remove the mechanisms naming names that have no record asked for, or give those names their records",
	}
	for lead, advice := range want {
		found := false
		for _, p := range res.Problems {
			if strings.Contains(p.Message, lead) {
				found = true
				if !strings.Contains(p.Message, advice) {
					t.Errorf("%s: no %q: %s", p.Pos, advice, p.Message)
				}
			}
		}
		if !found {
			t.Errorf("no problem %q:\n%s", lead, problemLines(res.Problems))
		}
	}
}
