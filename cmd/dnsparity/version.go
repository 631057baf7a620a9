package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// version and commit may be set at link time (-ldflags "-X
// main.version=v1.2.3 -X main.commit=SHA"), as the Dockerfile does for
// images built without .git; otherwise they come from the build info (the
// module version of `go install ...@v1.2.3`, vcs.revision of a checkout).
var version, commit = "", ""

func runVersion(_ context.Context, a *app, args []string) int {
	fl := a.newFlags("version", "", "Print the module version and the commit it was built from (from the Go build info).")
	if code, ok := a.parseFlags(fl, args); !ok {
		return code
	}
	if msg := strayArgs(fl); msg != "" {
		fmt.Fprintf(a.stderr, "dnsparity version: %s\n", msg)
		return exitError
	}
	fmt.Fprintln(a.stdout, versionLine(version, commit, buildInfo()))
	return exitOK
}

func buildInfo() *debug.BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	return bi
}

// versionLine is "dnsparity VERSION (commit REV[, modified], GOVERSION)".
func versionLine(linkedVersion, linkedCommit string, bi *debug.BuildInfo) string {
	v, rev, modified, gov := linkedVersion, "", false, ""
	if bi != nil {
		gov = bi.GoVersion
		if v == "" && bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if rev == "" {
					rev = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if linkedCommit != "" {
		rev = linkedCommit
	}
	if v == "" {
		v = "(devel)"
	}
	out := "dnsparity " + v
	var extra []string
	if rev != "" {
		c := "commit " + rev[:min(12, len(rev))]
		if modified {
			c += ", modified"
		}
		extra = append(extra, c)
	} else {
		extra = append(extra, "commit unknown")
	}
	if gov != "" {
		extra = append(extra, gov)
	}
	return out + " (" + joinComma(extra) + ")"
}

func joinComma(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
