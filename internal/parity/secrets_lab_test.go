package parity_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/redact"
	"github.com/dnsparity/dnsparity/internal/redact/redacttest"
	"github.com/dnsparity/dnsparity/internal/report"
)

// TestFindingsRedactedBeforeText: a secret the run knows (the context's
// set, redact.WithSecrets), served by one side in a TXT record split
// across its strings with a tab, a no-break space or a zero-width space
// after each piece, or across the records of one RRset, is masked in
// the findings parity returns (Old, New, Detail), and so in parity's
// Markdown, text and JSON as the report package renders them, with no
// second net over the output. A finding's Old and New are a record's
// presentation form: the tab written \009 and the no-break space
// \194\160, which no reader of the escaped text sees as a separator
// once it is written; parity must redact the record's character-strings
// before it renders them.
func TestFindingsRedactedBeforeText(t *testing.T) {
	lab.Require(t, "named")
	const secret = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg"
	var pieces []string
	for i := 0; i < len(secret); i += 7 {
		pieces = append(pieces, secret[i:min(i+7, len(secret))])
	}
	// git and the new side hold other text at the names the old side
	// serves the secret at (parity asks the names git holds).
	base := fixture(t) + "records IN TXT \"none\"\n"
	old := fixture(t)
	for name, sep := range map[string]string{"tab": `\009`, "nbsp": `\194\160`, "zwsp": `\226\128\139`} {
		base += name + " IN TXT \"none\"\n"
		old += name + ` IN TXT "` + strings.Join(pieces, sep+`" "`) + sep + "\"\n"
	}
	for _, p := range pieces {
		old += `records IN TXT "` + p + "\"\n"
	}
	z := loadText(t, base)
	set := &redact.Secrets{Escapes: report.Escapes()}
	set.Add(secret)
	ctx, cancel := context.WithTimeout(redact.WithSecrets(context.Background(), set), 60*time.Second)
	defer cancel()
	rep, err := parity.Run(ctx, z, []parity.Target{{Addr: serve(t, "bind", old)}}, []parity.Target{{Addr: serve(t, "bind", base)}},
		parity.Options{Timeout: time.Second, Retries: 2, Concurrency: 8})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	// A reader of the output reads past the separators as they are
	// escaped: a record's \DDD, Markdown's &#92;, JSON's \\.
	escaped := regexp.MustCompile(`(&#92;|\\\\|\\)(009|194\\?\\?(&#92;)?160|226\\?\\?(&#92;)?128\\?\\?(&#92;)?139)`)
	reader := func(s string) string {
		s = escaped.ReplaceAllString(s, "")
		return strings.NewReplacer(`"`, "", `\"`, "", "&#92;", "", " ", "", "\n", "", "\\n", "", "&#124;", "", "|", "", "`", "", "&#95;", "_", "&#43;", "+", "&#47;", "/").Replace(s)
	}
	shown := 0
	for _, f := range rep.Findings {
		for _, v := range []string{f.Old, f.New, f.Detail} {
			if strings.Contains(v, "pk_7Hq") || strings.Contains(v, "***") {
				shown++
			}
			if l := redacttest.Leak(reader(v), secret); l != "" {
				t.Errorf("%s %s %s: %s in %q", f.Kind, f.Name, f.Type, l, v)
			}
		}
	}
	if shown < 4 {
		dump(t, rep)
		t.Fatalf("the test plants nothing: %d findings show the planted TXT records", shown)
	}
	var md, txt, js bytes.Buffer
	report.WriteParityMarkdown(&md, []*parity.Report{rep})
	report.WriteParityText(&txt, []*parity.Report{rep})
	if err := report.WriteParityJSON(&js, []*parity.Report{rep}); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(js.Bytes()) {
		t.Fatalf("JSON: %s", js.String())
	}
	for name, out := range map[string]string{"markdown": md.String(), "text": txt.String(), "json": js.String()} {
		if l := redacttest.Leak(reader(out), secret); l != "" {
			t.Errorf("%s shows the secret: %s", name, l)
		}
	}
}
