package redact

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// plainSeparated are the ways a secret is printed in pieces between plain
// separators: a list (", ", "; "), a path ("/"), columns (a tab), a
// wrapped and indented line, groups for reading (a blank, "-", ":").
var plainSeparated = []string{", ", "; ", ",", ";", "/", " / ", "\t", "\n    ", "\n\t", " ", "  ", "-", ":", " - "}

// TestSecretSplitByPlainSeparators: a secret printed in pieces each
// shorter than MinCut, a plain separator between two (any of
// plainSeparated), in groups of every size from 3 to MinCut-1 characters
// (7 and 9 as a token grouped for reading is shown), is masked by
// Replace (a report, a log line), a Writer (a stream), ReplaceBytes (one
// JSON string holding it), ServerText (a server's error) and found by
// InPublic (a zone's record holding it): no piece of MinSplit characters
// is left, and the text around it is kept.
func TestSecretSplitByPlainSeparators(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	set := &Secrets{}
	set.Add(secret)
	ctx := WithSecrets(context.Background(), set)
	for n := 3; n < MinCut; n++ {
		for _, sep := range plainSeparated {
			in := grouped(secret, n, sep)
			text := "key (" + in + ") refused"
			check := func(how, out string) {
				t.Helper()
				if p := leftPiece(strings.ReplaceAll(out, sep, ""), secret); len(p) >= MinSplit {
					t.Errorf("%s, groups of %d, separator %q: %q left: %q", how, n, sep, p, out)
				}
				if !strings.HasPrefix(out, "key (") || !strings.HasSuffix(out, ") refused") {
					t.Errorf("%s, groups of %d, separator %q: the text around is not kept: %q", how, n, sep, out)
				}
			}
			check("Replace", set.Replace(text))
			check("ServerText", ServerText(ctx, text))
			var w strings.Builder
			sw := NewWriter(set, &w)
			fmt.Fprint(sw, text+"\n")
			_ = sw.Flush()
			check("Writer", strings.TrimSuffix(w.String(), "\n"))
			js, _ := json.Marshal(map[string]string{"detail": text})
			var got map[string]string
			if err := json.Unmarshal(set.ReplaceBytes(js), &got); err != nil {
				t.Fatal(err)
			}
			check("ReplaceBytes", got["detail"])
			if InPublic([]string{secret}, slices.Values([]string{"acme.test.", text})) != 0 {
				t.Errorf("InPublic, groups of %d, separator %q: not found in %q", n, sep, text)
			}
		}
	}
}

// TestPlainSeparatorsKeepOrdinaryText: text that holds a secret's short
// pieces between plain separators, joined only into a run shorter than
// MinCut, or ordinary words of a report, is kept: a short secret ("acme",
// "3600") is not found across a blank or a comma ("ac, me", "36 00").
func TestPlainSeparatorsKeepOrdinaryText(t *testing.T) {
	set := &Secrets{}
	set.Add("pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg")
	set.Add("acme")
	set.Add("3600")
	ctx := WithSecrets(context.Background(), set)
	for _, text := range []string{
		"zone ac, me.test. has 36 00 records; ttl 36/00",
		"pk_7H, then more text: q2, ok",
		"sha256 9f86d081 884c7d65 9a2feaa0 c55ad015; a.b.c.example. 300 IN A 192.0.2.1",
		"the latest station, a test",
		"digest: 1Fg-5Js 7Hq 2mZ",
	} {
		if got := set.Replace(text); got != text {
			t.Errorf("Replace(%q) = %q", text, got)
		}
		if got := ServerText(ctx, text); got != text {
			t.Errorf("ServerText(%q) = %q", text, got)
		}
	}
}

// TestEscapeCutByWrappedLine: a secret's escaped form (JSON \u escapes,
// percent-encoding, decimal character references, in a server's body or
// a record) wrapped every few bytes, a line break (and an indent) cutting
// escapes in two ("\u00" at a line's end, "37" on the next), is masked by
// Replace and ServerText, and by Replace once a record's presentation
// form has written the line breaks \010 (a TXT value holding the text).
func TestEscapeCutByWrappedLine(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg"
	set := &Secrets{}
	set.Add(secret)
	ctx := WithSecrets(context.Background(), set)
	var u, pct, ref strings.Builder
	for _, r := range secret {
		fmt.Fprintf(&u, "\\u%04x", r)
		fmt.Fprintf(&pct, "%%%02X", r)
		fmt.Fprintf(&ref, "&#%d;", r)
	}
	for _, form := range []string{u.String(), pct.String(), ref.String()} {
		for _, width := range []int{13, 22} {
			for _, brk := range []string{"\n", "\n  ", "\r\n\t"} {
				var lines []string
				for i := 0; i < len(form); i += width {
					lines = append(lines, form[i:min(len(form), i+width)])
				}
				text := "error: " + strings.Join(lines, brk) + " (end)"
				for how, out := range map[string]string{"Replace": set.Replace(text), "ServerText": ServerText(ctx, text)} {
					if !strings.Contains(out, "***") || strings.Contains(out, lines[1]) {
						t.Errorf("%s, width %d, break %q: %q", how, width, brk, out)
					}
				}
			}
		}
	}
}

// TestGroupsOfSecretHoldingSeparator: a secret that holds a blank or a
// "-" itself (which reading across plain separators then keeps: heldMark)
// printed in groups of any size from 3 to MinCut-1 characters from its
// start, a blank or a "-" between them, is masked by Replace and
// ServerText (groupedForms).
func TestGroupsOfSecretHoldingSeparator(t *testing.T) {
	for _, secret := range []string{"pk-Split7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg5Js", "correct horse 7Hq2mZ9wXr4 battery"} {
		set := &Secrets{}
		set.Add(secret)
		ctx := WithSecrets(context.Background(), set)
		for n := 3; n < MinCut; n++ {
			for _, sep := range []string{" ", "-"} {
				text := "key (" + grouped(secret, n, sep) + ") refused"
				for how, out := range map[string]string{"Replace": set.Replace(text), "ServerText": ServerText(ctx, text)} {
					if p := leftPiece(strings.ReplaceAll(strings.ReplaceAll(out, sep, ""), " ", ""), strings.ReplaceAll(strings.ReplaceAll(secret, "-", ""), " ", "")); len(p) >= MinCut {
						t.Errorf("%s, %q in groups of %d by %q: %q left: %q", how, secret, n, sep, p, out)
					}
				}
			}
		}
	}
}

// TestReplaceReadsEscapedSeparators: the second net (Replace of a whole
// rendered text) reads a plain separator as a record's presentation form
// (\009 \010 \032, RFC 1035 §5.1), a JSON or Go string (\t \n) and
// Markdown text (its backslash &#92;) escape it: a TXT string holding a
// secret's pieces between tabs or wrapped lines, printed by a report, is
// masked.
func TestReplaceReadsEscapedSeparators(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4Lt8Vn3Bc6Yd1Fg"
	set := &Secrets{}
	set.Add(secret)
	for _, sep := range []string{`\009`, `\010\032\032`, `\t`, `\n  `, `&#92;009`, `&#92;010&#92;032`, `\\t`} {
		for _, n := range []int{5, 7, 9} {
			text := `| TXT | 300 "` + grouped(secret, n, sep) + `" |`
			out := set.Replace(text)
			if p := leftPiece(strings.ReplaceAll(out, sep, ""), secret); len(p) >= MinSplit {
				t.Errorf("separator %q, groups of %d: %q left: %q", sep, n, p, out)
			}
		}
	}
}

// TestSecretHoldingSeparatorSplitAtIt: a secret that holds a plain
// separator ("/" in an AWS secret key, a TSIG secret's base64) printed
// in pieces between that same separator (groups of 7 or 9 by "/", its
// URL-encoded form split at "/") is masked by Replace and ServerText:
// the text is also read with the separators the secrets hold taken out.
func TestSecretHoldingSeparatorSplitAtIt(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	set := &Secrets{}
	set.Add(secret)
	ctx := WithSecrets(context.Background(), set)
	for _, in := range []string{grouped(secret, 7, "/"), grouped(secret, 9, "/"), grouped(url.QueryEscape(secret), 9, "/"), grouped(secret, 7, " / ")} {
		text := "key (" + in + ") refused"
		for how, out := range map[string]string{"Replace": set.Replace(text), "ServerText": ServerText(ctx, text)} {
			if p := leftPiece(strings.NewReplacer("/", "", " ", "", "%2F", "").Replace(out), strings.ReplaceAll(secret, "/", "")); len(p) >= MinCut {
				t.Errorf("%s: %q left: %q", how, p, out)
			}
		}
	}
}

// TestUnrenderedBytesBetweenPieces: a secret whose pieces a text holds
// each with a byte after it that renders as nothing or as the
// replacement character (a byte that is no UTF-8, a C0 control but the
// tab and line breaks, DEL): a TXT record's character-strings, each
// plain (ReplaceStrings: what redact.Plain and parity's findings read)
// or all in one text (Replace), is masked, no piece of MinSplit left.
func TestUnrenderedBytesBetweenPieces(t *testing.T) {
	const secret = "pk_7Hq2mZ9wXr4/Lt8Vn3+Bc6Yd1Fg"
	set := &Secrets{}
	set.Add(secret)
	for _, sep := range []string{"\x80", "\xff", "\xc3", "\x00", "\x01", "\x7f", "\x1f"} {
		var parts []string
		for i := 0; i < len(secret); i += 7 {
			parts = append(parts, secret[i:min(i+7, len(secret))]+sep)
		}
		strs := strings.Join(set.ReplaceStrings(parts), "")
		one := set.Replace("key " + strings.Join(parts, "") + " end")
		for how, out := range map[string]string{"ReplaceStrings": strs, "Replace": one} {
			if p := leftPiece(strings.ReplaceAll(out, sep, ""), secret); len(p) >= MinSplit {
				t.Errorf("%s, separator %q: %q left: %q", how, sep, p, out)
			}
		}
	}
}
