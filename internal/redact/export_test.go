package redact

// CodeSpanAt is codeSpan at b[i], a backtick, with b's runs read as
// rendered reads them (fenceRuns), for the tests of package redact_test.
func CodeSpanAt(b []byte, i int) (open, from, to, end int) {
	runs := fenceRuns(b, htmlBlocks(b))
	k := 0
	for runs[k].at+runs[k].n <= i {
		k++
	}
	return codeSpan(b, runs, k, i)
}

// CodeView is text as the rendered view that reads code spans reads it
// (no other mark taken out): each span's fences gone, its text as a
// renderer shows it.
func CodeView(text string) string {
	var none [256]bool
	r := (&layer{b: []byte(text)}).rendered(&none, false)
	if r == nil {
		return text
	}
	return string(r.b)
}
