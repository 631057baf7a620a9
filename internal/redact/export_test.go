package redact

// CodeSpanAt is codeSpan at b[i], a backtick, with b's runs read as
// rendered reads them (fenceRuns), for the tests of package redact_test.
func CodeSpanAt(b []byte, i int) (open, from, to, end int) {
	runs := fenceRuns(b)
	k := 0
	for runs[k].at+runs[k].n <= i {
		k++
	}
	return codeSpan(b, runs, k, i)
}
