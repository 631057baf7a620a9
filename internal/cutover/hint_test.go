package cutover

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// TestZoneCmdHints: the cutover commands a step's actions and plans tell
// the user to run name the zone, quoted for the shell, as each of them
// requires --zone (they said "run `dnsparity status`", which fails when
// pasted). TestHintsCutoverCommandsNameZone (internal/shell) keeps every
// literal so; this holds the built ones to it.
func TestZoneCmdHints(t *testing.T) {
	const z = `a\$b.example.`
	const quoted = `'a\$b.example.'`
	for name, got := range map[string]string{
		"re-run":          reRunPending(z, "flip", true),
		"registrar error": ActionRegistrarFailed(z),
		"old apex NS":     oldApexNSAdvice(z),
		"new apex NS":     newApexNSAdvice(z),
		"ttl-prestaged":   strings.Join(gateTTLPrestaged(z, TTLs{OldMax: 3600, NewMax: 3600}, 300, &listing{old: &zone.Zone{Origin: z}, new: &zone.Zone{Origin: z}}, nil).Plan, "; "),
	} {
		cmds := regexp.MustCompile("`dnsparity (?:status|flip|rollback|finish)([^`]*)`").FindAllStringSubmatch(got, -1)
		if len(cmds) == 0 {
			t.Errorf("%s: %q names no command", name, got)
		}
		for _, m := range cmds {
			if !strings.HasPrefix(m[1], " --zone "+quoted) {
				t.Errorf("%s: %s, want --zone %s", name, m[0], quoted)
			}
		}
	}
}
