package dnssec

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/miekg/dns"
)

// NSEC3 parameters (RFC 9276). Every NSEC3 record carries the zone's
// iteration count and salt. Validators cap the iterations they hash:
// RFC 9276 section 3.2 lets a validating resolver treat an answer whose
// NSEC3 records have more iterations than its limit as insecure, or
// answer SERVFAIL (a lower limit for SERVFAIL than for insecure is not
// allowed), and asks validator vendors to lower their limits over time,
// to 0 eventually. In the lab (TestNSEC3IterationsLab) Unbound 1.17.1
// (val-nsec3-keysize-iterations "1024 150 2048 150 4096 150") and BIND
// 9.18.49 validate NSEC3 with 150 iterations (AD) and answer an
// NXDOMAIN and a NODATA of a zone signed with 151 or 500 insecure: the
// same RCODE, no AD. BIND's dnssec-signzone refuses to sign with more
// than 150 and PowerDNS 4.7 with more than 100 (max-nsec3-iterations)
// by default; other signers do not. A side signing with more therefore
// loses the validation of every NXDOMAIN and NODATA (its wildcard
// answers too, whose proof is NSEC3) once the delegation points to it,
// where the other side's, with NSEC or fewer iterations, validated: a
// silent downgrade (or, on a validator that chose SERVFAIL, an outage
// of every denial). RFC 9276 section 3.1: zone publishers SHOULD use 0
// iterations and no salt (a salt adds nothing against the attacks it
// was meant for, and makes every NSEC3 chain change when it changes);
// opt-out only where needed (not judged here: whether a zone needs it
// is not in its answers).
//
// The gate reads the parameters from the NSEC3 records of the answers
// it verifies anyway (the denial probes and the samples); it never asks
// NSEC3PARAM (what validators see is the records, not the apex's
// parameters). Only when it finds something does it ask each server of
// the other side one question: the apex NODATA probe, for what that
// side proves its denials with now (NSEC, or NSEC3 with how many
// iterations).

// nsec3MaxIterations is the highest NSEC3 iteration count the lab's
// validators validate (RFC 9276 section 3.2; TestNSEC3IterationsLab).
const nsec3MaxIterations = 150

// nsec3Seen are the NSEC3 parameters of one server's verified answers.
type nsec3Seen struct {
	iterations uint16   // the highest
	salts      []string // the salts other than none ("-"), as served
}

// sawNSEC3 notes the parameters of the zone's NSEC3 records in d, the
// denial records of an answer of addr whose every RRset verified.
func (c *check) sawNSEC3(addr string, d denial) {
	for _, n := range d.nsec3 {
		if c.nsec3 == nil {
			c.nsec3 = map[string]*nsec3Seen{}
		}
		s := c.nsec3[addr]
		if s == nil {
			s = &nsec3Seen{}
			c.nsec3[addr] = s
		}
		s.iterations = max(s.iterations, n.Iterations)
		if salt := strings.ToUpper(n.Salt); salt != "" && salt != "-" && !slices.Contains(s.salts, salt) {
			s.salts = append(s.salts, salt)
		}
	}
}

// params is the parameters in the words of a message ("NSEC3 with 10
// iterations and salt ABCD").
func (s *nsec3Seen) params() string {
	out := "NSEC3 with " + iterationsText(s.iterations)
	switch len(s.salts) {
	case 0:
	case 1:
		out += " and salt " + s.salts[0]
	default:
		out += " and salts " + strings.Join(s.salts, ", ")
	}
	return out
}

func iterationsText(n uint16) string {
	if n == 1 {
		return "1 iteration"
	}
	return fmt.Sprintf("%d iterations", n)
}

// nsec3Params judges the NSEC3 parameters addr's verified answers
// carried: more iterations than validators accept refuse the step, other
// iterations than 0 or a salt are a warning (RFC 9276).
func (c *check) nsec3Params(ctx context.Context, addr string) {
	s := c.nsec3[addr]
	if s == nil || (s.iterations == 0 && len(s.salts) == 0) {
		return
	}
	fix := fmt.Sprintf("set iterations 0 and no salt at the %s provider (RFC 9276 section 3.1): %s", side(c.in), nsec3Fix(c.in.Zone))
	other, insecureAlready := c.otherDenial(ctx, s)
	switch {
	case s.iterations > nsec3MaxIterations && !insecureAlready:
		c.nsec3Problems = append(c.nsec3Problems, addr+": "+fmt.Sprintf("its denials carry %s: validating resolvers treat NSEC3 with more than %d iterations as insecure (BIND 9.18 and Unbound 1.17 answer NXDOMAIN and NODATA without AD) or answer SERVFAIL (RFC 9276 section 3.2 allows either), so once the delegation points to the %s side every NXDOMAIN and NODATA of %s loses its validation%s; %s",
			s.params(), nsec3MaxIterations, side(c.in), c.in.Zone, other, fix))
		c.nsec3High = append(c.nsec3High, addr)
	case s.iterations > nsec3MaxIterations:
		// Every server of the side left is over the limit too: the step
		// changes nothing validators see of denials (and a rollback or
		// an emergency step must not be held by what the side it moves
		// to served before).
		c.warnings = append(c.warnings, fmt.Sprintf("%s: its denials carry %s: validating resolvers treat NSEC3 with more than %d iterations as insecure or answer SERVFAIL (RFC 9276 section 3.2), as they treat the %s side's today%s; not a refusal, the step loses nothing, but %s",
			addr, s.params(), nsec3MaxIterations, otherSide(c.in), other, fix))
	default:
		c.warnings = append(c.warnings, fmt.Sprintf("%s: its denials carry %s: RFC 9276 section 3.1 says zone publishers SHOULD use 0 iterations and no salt (validators accept up to %d iterations today, BIND 9.18 and Unbound 1.17 among them; RFC 9276 section 3.2 asks them to lower their limits over time)%s; %s",
			addr, s.params(), nsec3MaxIterations, other, fix))
	}
}

// nsec3Fix is how the usual signers sign with 0 iterations and no salt.
func nsec3Fix(zone string) string {
	return fmt.Sprintf("BIND `dnssec-policy` with `nsec3param iterations 0 optout no salt-length 0;`, Knot's policy `nsec3-iterations: 0` and `nsec3-salt-length: 0`, PowerDNS `pdnsutil set-nsec3 %s '1 0 0 -'` then `pdnsutil rectify-zone %s`; a hosted provider: its NSEC3 setting, or NSEC", zone, zone)
}

// otherDenial says what the other side's servers prove their denials
// with, beside this side's NSEC3 parameters s: their answer to the apex
// NODATA probe (otherProofs). Empty without other-side servers.
// insecureAlready: there are such servers and every one serves NSEC3
// with more iterations than validators accept (its denials are insecure
// already).
func (c *check) otherDenial(ctx context.Context, s *nsec3Seen) (text string, insecureAlready bool) {
	insecureAlready = len(c.in.Other) > 0
	var order []string
	by := map[string][]string{}
	for _, o := range c.otherProofs(ctx) {
		what, over := o.text(s)
		insecureAlready = insecureAlready && over
		if by[what] == nil {
			order = append(order, what)
		}
		by[what] = append(by[what], o.addr)
	}
	var out []string
	for _, what := range order {
		out = append(out, fmt.Sprintf("the %s side (%s) %s", otherSide(c.in), strings.Join(by[what], ", "), what))
	}
	if len(out) == 0 {
		return "", false
	}
	return "; " + strings.Join(out, "; "), insecureAlready
}

// otherProof is what a server of the other side proves its denials
// with: its answer to the apex NODATA probe.
type otherProof struct {
	addr string
	// fault says what it answered instead of a NODATA to read (no
	// answer, or not an authoritative NOERROR); empty when it did.
	fault string
	// nsec, nsec3: its answer holds the zone's NSEC, NSEC3 records
	// (denialRecords); iterations is the highest NSEC3 iteration count.
	nsec, nsec3 bool
	iterations  uint16
}

// otherProofs reads what each server of the other side proves its
// denials with, once per check: one question per server (asked once
// per run), read once whatever number of this side's servers serve
// NSEC3 parameters to compare with it (otherDenial).
func (c *check) otherProofs(ctx context.Context) []otherProof {
	if c.othersRead {
		return c.others
	}
	c.othersRead = true
	for _, addr := range c.in.Other {
		o := otherProof{addr: addr}
		r, err := c.a.ask(ctx, addr, c.in.Zone, nodataType)
		switch {
		case err != nil:
			o.fault = "did not answer the apex NODATA question"
		case r.Rcode != dns.RcodeSuccess || !r.Authoritative:
			o.fault = fmt.Sprintf("answers the apex NODATA question with %s, aa=%v", rcodeText(r), r.Authoritative)
		default:
			d := denialRecords(r.Ns, c.in.Zone)
			o.nsec, o.nsec3 = len(d.nsec) > 0, len(d.nsec3) > 0
			for _, n := range d.nsec3 {
				o.iterations = max(o.iterations, n.Iterations)
			}
		}
		c.others = append(c.others, o)
	}
	return c.others
}

// text says what o proves its denials with beside this side's NSEC3
// parameters s, and whether its denials are insecure already (NSEC3
// with more iterations than validators accept).
func (o otherProof) text(s *nsec3Seen) (what string, over bool) {
	switch {
	case o.fault != "":
		return o.fault, false
	case o.nsec:
		what = "serves NSEC"
		if s.iterations > nsec3MaxIterations {
			what += ", whose denials validators validate now: the flip changes what they see"
		}
		return what, false
	case !o.nsec3:
		return "serves no NSEC or NSEC3 (unsigned denials)", false
	case o.iterations > nsec3MaxIterations:
		return fmt.Sprintf("serves NSEC3 with %s too: its denials are insecure already", iterationsText(o.iterations)), true
	case o.iterations < s.iterations:
		what = fmt.Sprintf("serves NSEC3 with %s", iterationsText(o.iterations))
		if s.iterations > nsec3MaxIterations {
			what += ", whose denials validators validate now: the flip changes what they see"
		}
		return what, false
	default:
		return fmt.Sprintf("serves NSEC3 with %s as well", iterationsText(o.iterations)), false
	}
}

// nsec3Plan is the way out of NSEC3 iterations validators do not
// accept on servers (addresses).
func nsec3Plan(in Input, servers []string) []Step {
	return []Step{
		{Route: "nsec3", N: 1, Text: fmt.Sprintf("At the %s provider, sign %s with NSEC3 iterations 0 and no salt, or with NSEC (RFC 9276 section 3.1; servers %s): %s.", side(in), in.Zone, strings.Join(servers, ", "), nsec3Fix(in.Zone))},
		{Route: "nsec3", N: 2, Text: fmt.Sprintf("Check that every %s server serves the new chain (the NSEC3 records of a name's NXDOMAIN carry 0 iterations), then run the step again (with --dry-run first): this gate then passes on the NSEC3 parameters.", side(in))},
	}
}
