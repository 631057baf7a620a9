package action

import (
	"fmt"
	"strings"
	"testing"
)

func TestAnnotationsFromReports(t *testing.T) {
	tests := []struct {
		name string
		js   string
		want []string // "level file:line"
	}{
		{"check", `{"problems":[{"file":"z.zone","line":3,"severity":"error","message":"m"},{"file":"z.zone","line":4,"severity":"warning","message":"w"}]}`,
			[]string{"error z.zone:3", "warning z.zone:4"}},
		{"parity array, info is a notice, no file no annotation", `[{"zone":"a.","findings":[{"name":"a.","type":"TXT","severity":"info","kind":"txt-split","file":"a.zone","line":9},{"name":"b.","type":"A","severity":"error","kind":"lame"}]}]`,
			[]string{"notice a.zone:9"}},
		{"plan", `{"plans":[{"provider":"new","zone":"a.","changes":[{"action":"create","name":"w.a.","type":"A","file":"a.zone","line":5}],"unsupported":[{"name":"x.a.","type":"TYPE65000","file":"a.zone","line":6,"reason":"unknown type"}]}]}`,
			[]string{"error a.zone:6", "notice a.zone:5"}},
		{"not json", `garbage`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, a := range annotations([]byte(tt.js)) {
				got = append(got, fmt.Sprintf("%s %s:%d", a.Level, a.File, a.Line))
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("annotations = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSecretName(t *testing.T) {
	tests := map[string]bool{"OLD_TSIG_SECRET": true, "PDNS_API_KEY": true, "CF_API_TOKEN": true, "GITHUB_TOKEN": true,
		"GITHUB_WORKSPACE": false, "HOME": false, "INPUT_COMMAND": false, "AWS_SECRET_ACCESS_KEY": true, "DNSPARITY_REQUIRE_LAB": false,
		"OLD_TSIG_NAME": false, "TSIG_KEY_NAME": false, "OLD_TSIG": true,
		"ACTIONS_ID_TOKEN_REQUEST_URL": false, "ACTIONS_ID_TOKEN_REQUEST_TOKEN": true, "ACTIONS_RUNTIME_TOKEN": true}
	for k, want := range tests {
		if got := secretName(k); got != want {
			t.Errorf("secretName(%s) = %v, want %v", k, got, want)
		}
	}
}
