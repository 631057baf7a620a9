package cutover

import (
	"context"
	"fmt"
	"strings"

	"github.com/dnsparity/dnsparity/internal/registrar"
	"github.com/dnsparity/dnsparity/internal/shell"
)

// removeStaleGlue is what a flip or rollback that finds the delegation
// already in place does before it says nothing-to-do: a registrar that
// changes the parent zone itself (registrar.StaleGlueRemover: the parent
// registrar) removes the glue at or below the zone's cut that no NS set
// names any more, which a run cut short after its delegation was set
// left (the removal follows the NS change) or another zone's change of
// the same wave did; left there, it points at an address the zone moved
// away from, which whoever holds it next answers for once an NS set
// names the host again. A dry run says what it would remove. A removal
// that failed makes rep an error saying so.
func (c *Config) removeStaleGlue(ctx context.Context, rep *Report) {
	r, ok := c.Registrar.(registrar.StaleGlueRemover)
	if !ok {
		return
	}
	names, err := r.RemoveStaleGlue(ctx, c.Zone.Origin, rep.DryRun)
	switch {
	case err != nil:
		rep.Result = ResultError
		rep.Errors = append(rep.Errors, "registrar: "+err.Error())
		rep.Actions = append(rep.Actions, fmt.Sprintf("the delegation is in place; glue no NS set names is left in the parent zone: run `dnsparity %s --zone %s` again", shell.Quote(rep.Command), shell.Quote(c.Zone.Origin)))
	case len(names) == 0:
	case rep.DryRun:
		rep.Actions = append(rep.Actions, fmt.Sprintf("dry run: the registrar would remove the glue of %s from the parent zone: no NS set names it any more", strings.Join(names, " ")))
	default:
		rep.Actions = append(rep.Actions, fmt.Sprintf("registrar: removed the glue of %s from the parent zone: no NS set names it any more", strings.Join(names, " ")))
	}
}
