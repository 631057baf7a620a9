package parity

import (
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/mailauth"
)

// TestSPFFindingsSayWhatToDo: parity's spf-lookups finding (whether the
// sides differ or agree over the limit) and its spf-void finding end with
// how to fix the record, the same words check gives (mailauth's
// LookupsAdvice, VoidsAdvice). On the code before, they ended at the
// chain, or at "receivers return permerror".
func TestSPFFindingsSayWhatToDo(t *testing.T) {
	over := &mailauth.Node{Name: "company.test.", Total: 15, Voids: 4, VoidAt: []string{"a A", "b A", "c A", "d A"}}
	under := &mailauth.Node{Name: "company.test.", Total: 3}
	for _, tc := range []struct {
		name string
		o, n *mailauth.Node
	}{{"sides differ", over, under}, {"both over", over, over}} {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]string{}
			for _, f := range spfFindings(Finding{Name: "company.test.", Type: "TXT"}, tc.o, tc.n) {
				got[f.Kind] = f.Detail
			}
			if d := got["spf-lookups"]; !strings.Contains(d, mailauth.LookupsAdvice) {
				t.Errorf("spf-lookups %q lacks %q", d, mailauth.LookupsAdvice)
			}
			if d := got["spf-void"]; !strings.Contains(d, mailauth.VoidsAdvice) {
				t.Errorf("spf-void %q lacks %q", d, mailauth.VoidsAdvice)
			}
		})
	}
}
