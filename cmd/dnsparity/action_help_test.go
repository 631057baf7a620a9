package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestActionHelpNamesEveryInput: dnsparity action -h names every input,
// output and command of action.yml (shard, reports, matrix and merge were
// missing).
func TestActionHelpNamesEveryInput(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		Inputs  map[string]any `yaml:"inputs"`
		Outputs map[string]any `yaml:"outputs"`
	}
	if err := yaml.Unmarshal(b, &a); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	app := &app{stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
	if code := app.main(context.Background(), []string{"action", "-h"}); code != exitOK {
		t.Fatalf("action -h: exit %d", code)
	}
	help := strings.Join(strings.Fields(out.String()), " ")
	inputs, _, _ := strings.Cut(help[strings.Index(help, "Inputs:"):], "Exit:")
	for in := range a.Inputs {
		if !strings.Contains(inputs, " "+in+" ") && !strings.Contains(inputs, " "+in+",") {
			t.Errorf("action -h: the inputs do not name %s:\n%s", in, inputs)
		}
	}
	for o := range a.Outputs {
		if !strings.Contains(help, " "+o+" ") && !strings.Contains(help, " "+o+",") && !strings.Contains(help, " "+o+".") {
			t.Errorf("action -h does not name the output %s", o)
		}
	}
	for _, c := range []string{"pr", "sync", "drift", "status", "flip", "rollback", "finish", "check", "plan", "push", "parity", "matrix", "merge"} {
		if !strings.Contains(out.String(), "\n  "+c+" ") && !strings.Contains(out.String(), " "+c+",") && !strings.Contains(out.String(), ", "+c+"\n") {
			t.Errorf("action -h does not name the command %s", c)
		}
	}
}
