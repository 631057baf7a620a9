package mailauth

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// RedirectVsInclude judges two SPF records a and b (side names an and
// bn, each read through its own side's resolver ra and rb) that are the
// same but for "redirect=x" in one and "include:x" as the last mechanism
// before the final all (or before the end) in the other:
//
//   - redirect=x gives x's own result (RFC 7208 §6.1), and is ignored
//     in a record that has an all mechanism anywhere;
//   - include:x matches only when x passes, giving the include's
//     qualifier; x's fail, softfail and neutral do not match, and the
//     evaluation goes on to the all mechanism (no all: neutral, §4.7)
//     (§5.2's table); x's temperror and permerror, and no SPF record at
//     x (none), are the same errors both ways (permerror for none,
//     §5.2, §6.1), and both count the same DNS lookups (§4.6.4).
//
// So they give the same result for every sender exactly when every
// result x can give that is no error maps alike: pass only with a
// pass-qualified include, any other result only when it is the one the
// all gives. x's record (and the records its redirect= leads to) is
// read on both sides; the results it can give are those of its
// mechanisms' qualifiers up to its all, and without one those of its
// redirect= target or neutral. applies is false when the records are not
// that shape; same is true only when that is certain (x read alike on
// both sides, no macro in a redirect= on the way); why says what decides
// it either way.
func RedirectVsInclude(ctx context.Context, a, b, an, bn string, ra, rb Resolver) (applies, same bool, why string) {
	sa, errA := ParseSPF(a)
	sb, errB := ParseSPF(b)
	if errA != nil || errB != nil {
		return false, false, ""
	}
	rd, in, rn, inName, rr, ri := sa, sb, an, bn, ra, rb
	if redirectOf(sa) == nil {
		rd, in, rn, inName, rr, ri = sb, sa, bn, an, rb, ra
	}
	red := redirectOf(rd)
	if red == nil || redirectOf(in) != nil || red.Macro() {
		return false, false, ""
	}
	target := zone.Fold(dns.Fqdn(red.Arg))
	mechs := mechsOf(in)
	end := slices.IndexFunc(mechs, func(t Term) bool { return t.Mech == "all" })
	last := end - 1
	if end < 0 {
		end, last = len(mechs), len(mechs)-1
	}
	if last < 0 || mechs[last].Mech != "include" || mechs[last].Macro() || zone.Fold(dns.Fqdn(mechs[last].Arg)) != target {
		return false, false, ""
	}
	inc := mechs[last]
	rest := slices.Delete(slices.Clone(mechs[:min(end+1, len(mechs))]), last, last+1)
	// The same otherwise: the other mechanisms alike (the redirecting
	// record's all, if any, in the place of the other's), the same
	// modifiers but redirect=.
	if modifiersText(rd, "redirect") != modifiersText(in, "") {
		return false, false, ""
	}
	ignored := rd.hasAll()
	switch {
	case ignored && termsText(mechsOf(rd)) == termsText(rest):
	case !ignored && termsText(mechsOf(rd)) == termsText(rest[:end-1]):
	default:
		return false, false, ""
	}
	x := strings.TrimSuffix(target, ".")
	if ignored {
		return true, false, fmt.Sprintf("%s's redirect=%s is ignored: its record has an all mechanism (RFC 7208 §6.1), so %s is never evaluated there, where %s's include:%s is", rn, x, x, inName, x)
	}
	fall := "neutral" // no all: the default result, RFC 7208 §4.7
	allText := "no all mechanism (neutral, RFC 7208 §4.7)"
	if end < len(mechs) {
		fall = resultOf(mechs[end].Qualifier)
		allText = mechs[end].Text
	}
	shape := fmt.Sprintf("%s has redirect=%s (%s's own result, RFC 7208 §6.1), %s has %s then %s (pass when %s passes, else %s; RFC 7208 §5.2)",
		rn, x, x, inName, inc.Text, allText, x, fall)
	if inc.Qualifier != '+' {
		shape = fmt.Sprintf("%s has redirect=%s (%s's own result, RFC 7208 §6.1), %s has %s then %s (%s when %s passes, else %s; RFC 7208 §5.2)",
			rn, x, x, inName, inc.Text, allText, resultOf(inc.Qualifier), x, fall)
	}
	gr, recR, whyR := outcomes(ctx, rr, target, 0)
	_, recI, whyI := outcomes(ctx, ri, target, 0)
	switch {
	case whyR != "":
		return true, false, shape + "; not judged: on " + rn + " " + whyR
	case whyI != "":
		return true, false, shape + "; not judged: on " + inName + " " + whyI
	case !slices.EqualFunc(recR, recI, sameRead):
		return true, false, shape + "; not judged: " + x + "'s SPF record (or one its redirect= leads to) differs between the sides (" + rn + ": " + strings.Join(recR, "; ") + "; " + inName + ": " + strings.Join(recI, "; ") + "), the difference reported at " + x + " itself"
	}
	var bad []string
	for _, g := range gr {
		if g == "pass" && inc.Qualifier != '+' || g != "pass" && g != fall {
			bad = append(bad, g)
		}
	}
	switch {
	case len(bad) == 0 && len(gr) == 0:
		return true, true, shape + "; " + x + " has no SPF record receivers can evaluate: a permerror both ways, for every sender"
	case len(bad) == 0:
		return true, true, shape + "; " + x + "'s record gives only " + strings.Join(gr, " or ") + " (its errors, and no record, are the same permerror both ways): the same result for every sender"
	}
	g := bad[0]
	other := fall
	if g == "pass" {
		other = resultOf(inc.Qualifier)
	}
	return true, false, fmt.Sprintf("%s; %s's record can give %s (%s): a sender it gives %s gets %s from %s and %s from %s",
		shape, x, strings.Join(bad, ", "), strings.Join(recR, "; "), g, g, rn, other, inName)
}

// sameRead reports whether two of outcomes' records ("name: record") are
// the same record read the same by receivers (SameMeaning: written
// otherwise, x's result is the same, so the judgement holds).
func sameRead(a, b string) bool {
	if a == b {
		return true
	}
	na, ra, _ := strings.Cut(a, ": ")
	nb, rb, _ := strings.Cut(b, ": ")
	if na != nb {
		return false
	}
	kind, ok := SameMeaning(zone.Fold(dns.Fqdn(na)), []string{ra}, []string{rb})
	return ok && kind == "SPF"
}

// redirectOf is s's redirect= modifier, nil for none.
func redirectOf(s *SPF) *Term {
	for i, t := range s.Terms {
		if t.Modifier && t.Mech == "redirect" {
			return &s.Terms[i]
		}
	}
	return nil
}

// mechsOf is s's mechanisms, in order.
func mechsOf(s *SPF) []Term {
	var out []Term
	for _, t := range s.Terms {
		if !t.Modifier {
			out = append(out, t)
		}
	}
	return out
}

// termsText is mechanisms as spfMeaning reads them (runs of one
// qualifier in any order).
func termsText(ts []Term) string { return spfMeaning(&SPF{Terms: ts}, "") }

// modifiersText is s's modifiers but skip, as spfMeaning reads them.
func modifiersText(s *SPF, skip string) string {
	var mods []Term
	for _, t := range s.Terms {
		if t.Modifier && t.Mech != skip {
			mods = append(mods, t)
		}
	}
	return spfMeaning(&SPF{Terms: mods}, "")
}

// resultOf is the result a mechanism of qualifier q gives when it
// matches (RFC 7208 §4.6.2).
func resultOf(q byte) string {
	switch q {
	case '-':
		return "fail"
	case '~':
		return "softfail"
	case '?':
		return "neutral"
	}
	return "pass"
}

// outcomes is what check_host() of name can give, errors aside (sorted):
// the results of its mechanisms' qualifiers up to its all (any of them
// may match some sender), and without an all those of its redirect=
// target, or neutral; recs are the SPF records read on the way
// ("name: record"); why, when set, says why that is not known.
func outcomes(ctx context.Context, res Resolver, name string, depth int) (results, recs []string, why string) {
	if depth > LookupLimit {
		return nil, nil, "redirect= nested deeper than " + fmt.Sprint(LookupLimit) + " at " + trim(name)
	}
	r, err := res.Lookup(ctx, name, dns.TypeTXT)
	switch {
	case err != nil:
		return nil, nil, trim(name) + " could not be asked (outside the zone, or a CNAME leads there, and no resolver is set: --resolver)"
	case r.Failed:
		return nil, nil, "the TXT lookup of " + trim(name) + " answered " + r.Status
	}
	rec, n := SelectSPF(r.Records)
	s, err := ParseSPF(rec)
	if n != 1 || err != nil {
		// none, several or one that does not parse: a permerror both
		// ways (RFC 7208 §5.2, §6.1).
		return nil, []string{trim(name) + ": " + fmt.Sprintf("%d SPF records", n)}, ""
	}
	recs = []string{trim(name) + ": " + rec}
	add := func(g string) {
		if !slices.Contains(results, g) {
			results = append(results, g)
		}
	}
	for _, t := range mechsOf(s) {
		add(resultOf(t.Qualifier))
		if t.Mech == "all" {
			slices.Sort(results)
			return results, recs, ""
		}
	}
	if red := redirectOf(s); red != nil {
		if red.Macro() {
			return nil, nil, "the redirect= of " + trim(name) + " holds a macro: where it leads depends on the sender"
		}
		more, mrecs, why := outcomes(ctx, res, zone.Fold(dns.Fqdn(red.Arg)), depth+1)
		if why != "" {
			return nil, nil, why
		}
		for _, g := range more {
			add(g)
		}
		recs = append(recs, mrecs...)
	} else {
		add("neutral")
	}
	slices.Sort(results)
	return results, recs, ""
}
