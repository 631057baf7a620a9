package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestHelpAndUnknownCommand(t *testing.T) {
	tests := []struct {
		args      []string
		code      int
		out, errs string // substrings of stdout and stderr
	}{
		{[]string{"help"}, exitOK, "Commands:", ""},
		{[]string{"--help"}, exitOK, "parity", ""},
		{nil, exitError, "Usage: dnsparity COMMAND", ""},
		{[]string{"help", "parity"}, exitOK, "", "Usage: dnsparity parity"},
		{[]string{"push", "-h"}, exitOK, "", "--dry-run"},
		{[]string{"frobnicate"}, exitError, "", `unknown command "frobnicate"`},
		{[]string{"flip"}, exitError, "", "--zone NAME is required"},
		{[]string{"check", "--no-such-flag"}, exitError, "", "flag provided but not defined"},
		{[]string{"version"}, exitOK, "dnsparity ", ""},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errs bytes.Buffer
			a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
			if code := a.main(context.Background(), tt.args); code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out.String(), errs.String())
			}
			if !strings.Contains(out.String(), tt.out) || !strings.Contains(errs.String(), tt.errs) {
				t.Errorf("stdout %q / stderr %q lack %q / %q", out.String(), errs.String(), tt.out, tt.errs)
			}
		})
	}
	// Every command in the table explains itself.
	for _, c := range commands() {
		var out, errs bytes.Buffer
		a := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		if code := a.main(context.Background(), []string{c.name, "-h"}); code != exitOK {
			t.Errorf("%s -h: exit %d", c.name, code)
		}
		if c.name != "version" && !strings.Contains(errs.String(), "Usage: dnsparity "+c.name) {
			t.Errorf("%s -h prints no usage: %q", c.name, errs.String())
		}
	}
}
