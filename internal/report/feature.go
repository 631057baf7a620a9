package report

import (
	"fmt"
	"io"

	"github.com/dnsparity/dnsparity/internal/provider"
)

// FeatureLine is one provider-only feature as a line of text: the record,
// the feature, what the provider does and what to decide.
func FeatureLine(f provider.Feature) string {
	return fmt.Sprintf("%s %s: %s: %s; decide: %s", f.Name, f.Type, f.Feature, f.Detail, f.Advice)
}

func writeFeaturesText(w io.Writer, fs []provider.Feature) {
	for _, f := range fs {
		fmt.Fprintf(w, "  provider-only: %s\n", FeatureLine(f))
	}
}

func writeFeaturesMarkdown(w io.Writer, fs []provider.Feature) {
	for _, f := range fs {
		fmt.Fprintf(w, "- :information_source: provider-only `%s` %s: **%s**: %s; decide: %s\n",
			MarkdownCode(f.Name), MarkdownText(f.Type), MarkdownText(f.Feature), MarkdownText(f.Detail), MarkdownText(f.Advice))
	}
}
