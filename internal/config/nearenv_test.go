package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnsetNearName: a variable a key names that is unset, while one a
// single edit from its name holds a value (a typo: PDNS_APIKEY for
// PDNS_API_KEY), is said with that name: names only, from the lister a
// Loads is given (the command layer's process environment; here a fake
// one), never a value; nothing is suggested without a lister, for a name
// further off, or for a name that reads as a key (not shown).
func TestUnsetNearName(t *testing.T) {
	const secret = "c2VjcmV0LXZhbHVlLW5ldmVyLXNob3du" // base64, 24+ characters
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, FileName)
	for _, tc := range []struct {
		name   string
		named  string   // the variable the config names
		set    []string // the variables set (each holds secret)
		lister bool
		want   string // "": no suggestion
	}{
		{"a letter missing", "OLD_TSIG_SECRT", []string{"HOME", "OLD_TSIG_SECRET"}, true, "did you mean OLD_TSIG_SECRET?"},
		{"an underscore missing", "PDNS_APIKEY", []string{"PDNS_API_KEY", "PDNS_URL"}, true, "did you mean PDNS_API_KEY?"},
		{"two near", "OLD_KEY", []string{"OLD_KEY1", "OLD_KEYS", "OLD_KEYS_TOO"}, true, "did you mean OLD_KEY1 or OLD_KEYS?"},
		{"none near", "OLD_TSIG_SECRET", []string{"NEW_TSIG_SECRET"}, true, ""},
		{"the name named reads as a key", "ABCDEFGHIJKLMN12", []string{"ABCDEFGHIJKLMN123"}, true, ""},
		{"the near name reads as a key", "ABCDEFGHIJKLMNO1", []string{"ABCDEFGHIJKLMNO12"}, true, ""},
		{"no lister", "OLD_TSIG_SECRT", []string{"OLD_TSIG_SECRET"}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := "zones: []\nproviders:\n  old:\n    type: x\n    tsig: {name: k., secret_env: " + tc.named + "}\n"
			if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{}
			for _, n := range tc.set {
				env[n] = secret
			}
			l := &Loads{}
			if tc.lister {
				l.EnvNames = func() []string { return append([]string(nil), tc.set...) }
			}
			c, err := l.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			err = c.Resolve(func(k string) string { return env[k] })
			if err == nil || !OnlyUnset(err) {
				t.Fatalf("Resolve = %v, want %s unset", err, tc.named)
			}
			msg := err.Error()
			if strings.Contains(msg, secret) {
				t.Fatalf("a value in the error: %s", msg)
			}
			if ShownEnvName(tc.named) != "" && !strings.Contains(msg, tc.named+" is not set") {
				t.Errorf("%s: does not name %s", msg, tc.named)
			}
			if got := strings.Contains(msg, "did you mean"); tc.want == "" && got || tc.want != "" && !strings.Contains(msg, tc.want) {
				t.Errorf("%s\nwant suggestion %q", msg, tc.want)
			}
		})
	}
}
