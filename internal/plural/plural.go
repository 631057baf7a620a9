// Package plural writes counts in words: "1 error", "2 errors", never
// "1 errors" or "error(s)".
package plural

import "strconv"

// N is n followed by one when n is 1, else by many: N(1, "error",
// "errors") is "1 error", N(0, "error", "errors") "0 errors".
func N(n int, one, many string) string {
	if n == 1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}

// All says that all n things do something, the verb agreeing: All(3,
// "resolver", "resolvers", "answers", "answer") is "all 3 resolvers
// answer", All(1, ...) "the 1 resolver answers".
func All(n int, one, many, verbOne, verbMany string) string {
	if n == 1 {
		return "the 1 " + one + " " + verbOne
	}
	return "all " + strconv.Itoa(n) + " " + many + " " + verbMany
}

// FirstN is the first n of xs, then "and K more" when there are more.
func FirstN(xs []string, n int) []string {
	if len(xs) <= n {
		return xs
	}
	return append(append([]string(nil), xs[:n]...), "and "+strconv.Itoa(len(xs)-n)+" more")
}
