package redact

import (
	"context"
	"strings"
	"testing"
)

// TestServerTextElementContent: GitHub's Markdown escapes the tags of the
// elements cmark-gfm's tagfilter names (GFM §6.11; extensions/tagfilter.c:
// title, textarea, style, xmp, iframe, noembed, noframes, script,
// plaintext), in raw inline HTML and in an HTML block alike: the tag shows
// as text, and a key it splits reads as no key on screen, so the text is
// kept as it is (it was masked: the view took the tags out as any
// other's). An element GitHub takes out with its content (its sanitizer's
// remove_contents: math, noscript, svg; a tagfilter name whose tag
// is_tag lets through, "<script/x>" in an HTML block; rp, which a browser
// hides) joins what stands either side: ServerText and Replace mask the
// key (its content was kept, and the key read split).
func TestServerTextElementContent(t *testing.T) {
	const key = "sk-a1b2-c3d4e5"
	var shown, hidden []string
	for _, name := range []string{"title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"} {
		upper := strings.ToUpper(name)
		shown = append(shown,
			"key sk-a1b2<"+name+">x</"+name+">-c3d4e5 refused",
			"key sk-a1b2<"+name+"></"+name+">-c3d4e5 refused",
			"key sk-a1b2<"+upper+" a=b>-c3d4e5 refused",
			"key sk-a1b2<"+name+"/>-c3d4e5 refused",
			"<div>\nkey sk-a1b2<"+name+">x</"+name+"\t>-c3d4e5 refused\n",
			"<div>\nkey sk-a1b2</"+name+"\n>-c3d4e5 refused\n",
		)
	}
	// Let through by tagfilter ("/" after the name), read by a browser
	// as the element's tags, and taken out with their content by a
	// sanitizer (no closing tag ends a plaintext; a title's or a
	// textarea's content is kept).
	for _, name := range []string{"style", "xmp", "iframe", "noembed", "noframes", "script"} {
		hidden = append(hidden, "<div>\nkey sk-a1b2<"+name+"/x>y z</"+strings.ToUpper(name)+"/x>-c3d4e5 refused\n")
	}
	for _, name := range []string{"math", "noscript", "svg", "rp"} {
		hidden = append(hidden,
			"key sk-a1b2<"+name+">x y</"+name+">-c3d4e5 refused",
			"key sk-a1b2<"+strings.ToUpper(name)+" a=\"b\">*x*</"+name+" >-c3d4e5 refused",
			"<div>\nkey sk-a1b2<"+name+" a=`b>x</"+name+">-c3d4e5 refused\n",
		)
	}
	// An svg inside an svg: the outer one goes whole; an svg closed
	// by its own "/>" holds nothing.
	hidden = append(hidden,
		"key sk-a1b2<svg>x<svg>y</svg>z</svg>-c3d4e5 refused",
		"key sk-a1b2<noscript>x<noscript>y</noscript>z</noscript>-c3d4e5 refused",
		"key sk-a1b2<svg>x<svg/>z</svg>-c3d4e5 refused",
	)
	for _, text := range shown {
		s := &Secrets{}
		s.Add(key)
		for name, got := range map[string]string{"ServerText": ServerText(context.Background(), text, key), "Replace": s.Replace(text)} {
			if got != text {
				t.Errorf("%s(%q) = %q, want it kept: the tag shows", name, text, got)
			}
		}
	}
	for _, text := range hidden {
		s := &Secrets{}
		s.Add(key)
		for name, got := range map[string]string{"ServerText": ServerText(context.Background(), text, key), "Replace": s.Replace(text)} {
			if strings.Contains(got, "a1b2") || strings.Contains(got, "c3d4e5") {
				t.Errorf("%s(%q) = %q, want the key masked", name, text, got)
			}
		}
	}
}

// TestHiddenContentKept: an element whose content one sanitizer keeps
// (html-pipeline 2 unwraps a noscript) is read with its content too: a
// key it holds split by a tag inside is masked, by ServerText and by
// Replace.
func TestHiddenContentKept(t *testing.T) {
	const key = "sk-a1b2-c3d4e5"
	for _, text := range []string{
		"key <noscript>sk-a1b2<b></b>-c3d4e5</noscript> refused",
		"key sk-a1<svg>b2-c3</svg>d4e5 refused",
	} {
		s := &Secrets{}
		s.Add(key)
		for _, got := range []string{ServerText(context.Background(), text, key), s.Replace(text)} {
			if strings.Contains(got, "a1b2") || strings.Contains(got, "c3d4e5") {
				t.Errorf("%q read as %q, want the key masked", text, got)
			}
		}
	}
}

// TestHiddenContentLinear: the elements GitHub may take out with their
// content are read in one pass over a text, each open tag no closing tag
// ends too (a zone's TXT record, or a provider's error text, may hold
// thousands): the work ServerText and Replace do grows as the text does.
// Counted, not timed: the allocations of a text of n tags and of 2n (each
// "<" past an open tag read for its closing tag allocated its name: 8 s
// for "<svg>" 8,000 times). bench/hidden prints the times.
func TestHiddenContentLinear(t *testing.T) {
	const key = "sk-a1b2-c3d4e5"
	for _, tag := range []string{
		"<svg>", "<noscript>", "<rp>", "<SCRIPT/x>", "<svg/>", "</svg>", "<svg><math>",
		"<noscript><svg></svg>", "<rp>x</rp><rp>",
	} {
		for _, block := range []string{"", "<div>\n"} {
			s := &Secrets{}
			s.Add(key)
			for name, run := range map[string]func(string){
				"ServerText": func(text string) { ServerText(context.Background(), text, key) },
				"Replace":    func(text string) { s.Replace(text) },
			} {
				allocs := func(n int) float64 {
					text := block + "key sk-a1b2 " + strings.Repeat(tag, n) + " -c3d4e5 refused"
					return testing.AllocsPerRun(2, func() { run(text) })
				}
				if a, b := allocs(300), allocs(600); b > 3*a {
					t.Errorf("%s of %q%q×n: %.0f allocations for n = 300, %.0f for 600: want them to grow as n does", name, block, tag, a, b)
				}
			}
		}
	}
}
