package cutover

import (
	"os"
	"os/user"
	"strconv"
)

// Actor is who runs a step or a push, for the audit trail: the GitHub user
// that started the workflow (GITHUB_ACTOR), else the operating system's
// user (os/user, which does not need USER set), else USER, else the
// numeric uid; never "unknown".
func Actor(getenv func(string) string) string {
	if a := getenv("GITHUB_ACTOR"); a != "" {
		return a
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if a := getenv("USER"); a != "" {
		return a
	}
	return "uid " + strconv.Itoa(os.Getuid())
}
