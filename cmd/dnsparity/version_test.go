package main

import (
	"bytes"
	"context"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionLine(t *testing.T) {
	tagged := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}
	tests := []struct {
		name, v, c string
		bi         *debug.BuildInfo
		want       string
	}{
		{"module version and vcs", "", "", tagged, "dnsparity v1.2.3 (commit 0123456789ab, modified, go1.26.8)"},
		{"linked values win", "v9.9.9", "feedfacecafe1234", tagged, "dnsparity v9.9.9 (commit feedfacecafe, modified, go1.26.8)"},
		{"no build info", "", "", nil, "dnsparity (devel) (commit unknown)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionLine(tt.v, tt.c, tt.bi); got != tt.want {
				t.Errorf("versionLine = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var out bytes.Buffer
		a := &app{stdout: &out, stderr: &out, getenv: func(string) string { return "" }}
		if code := a.main(context.Background(), args); code != exitOK || !strings.HasPrefix(out.String(), "dnsparity ") || !strings.Contains(out.String(), "commit ") {
			t.Errorf("%v: exit %d, %q", args, code, out.String())
		}
	}
}
