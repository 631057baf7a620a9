// Package export writes a provider's live zone as a BIND zone file that
// `dnsparity check` accepts and that round-trips (a plan against the same
// provider is then empty): records in canonical order with explicit TTLs,
// comments on the records that need a decision (provider-only features),
// and every record it does not write listed, never dropped silently. It is
// generic over provider.Provider and provider.FeatureReporter.
package export

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/provider"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// Options describe where the zone came from.
type Options struct {
	// Source names the provider in the header ("cloudflare (providers.old)").
	Source string
	// Nameservers are the provider's nameserver names: the apex NS when
	// the listing has none (hosted providers keep it out of their API).
	Nameservers []string
	// Features are the provider-only features in the zone.
	Features []provider.Feature
	// File names the output in problems ("-" for stdout).
	File string
}

// Skipped is a record not written as a record, and why.
type Skipped struct {
	Name, Type string
	Value      string
	Why        string
}

func (s Skipped) String() string {
	v := ""
	if s.Value != "" {
		v = " " + s.Value
	}
	return fmt.Sprintf("%s %s%s: %s", s.Name, s.Type, v, s.Why)
}

// Result says what was written.
type Result struct {
	// Records written (commented-out ones aside); Annotated of them carry
	// a decision comment.
	Records, Annotated int
	// Synthesized are apex records the listing lacked (SOA, NS).
	Synthesized []string
	// Skipped are the records not written (commented out, with why).
	Skipped []Skipped
}

// Write writes z as a zone file. The result is checked by parsing it back
// with the zone package: a record the checks refuse is commented out and
// listed in Skipped, so the file always passes `check`.
func Write(w io.Writer, z *zone.Zone, opt Options) (Result, error) {
	origin := z.Origin
	if opt.File == "" {
		opt.File = "-"
	}
	refused := map[zone.Key]string{}
	for pass := 0; ; pass++ {
		var buf bytes.Buffer
		res, lines := render(&buf, z, opt, refused)
		back, err := zone.Parse(bytes.NewReader(buf.Bytes()), opt.File, origin, "")
		if err != nil {
			return res, fmt.Errorf("export %s: reading the output back: %w", origin, err)
		}
		more := false
		for _, p := range zone.Check(back) {
			if p.Severity != zone.Error {
				continue
			}
			k, ok := lines[p.Pos.Line]
			if !ok {
				return res, fmt.Errorf("export %s: the output fails its own check: %s", origin, p)
			}
			if _, seen := refused[k]; !seen {
				refused[k] = p.Message
				more = true
			}
		}
		if !more || pass == 3 {
			if more {
				return res, fmt.Errorf("export %s: the output does not pass check after %d passes", origin, pass+1)
			}
			_, err := w.Write(buf.Bytes())
			return res, err
		}
	}
}

// render writes the file once; lines maps each record line to its RRset.
func render(w *bytes.Buffer, z *zone.Zone, opt Options, refused map[zone.Key]string) (Result, map[int]zone.Key) {
	origin := z.Origin
	var res Result
	lines := map[int]zone.Key{}
	line := 0
	p := func(format string, a ...any) {
		s := fmt.Sprintf(format, a...)
		line += strings.Count(s, "\n")
		w.WriteString(s)
	}
	byKey := map[string][]provider.Feature{}
	var omitted []provider.Feature
	for _, f := range opt.Features {
		f.Name = zone.CanonicalName(f.Name)
		if f.Omitted {
			omitted = append(omitted, f)
			continue
		}
		byKey[f.Name+" "+f.Type] = append(byKey[f.Name+" "+f.Type], f)
	}
	p("; %s"+importedFrom+"%s.\n", strings.TrimSuffix(origin, "."), opt.Source)
	p("; Every record the provider lists is below: as a record, or commented out\n")
	p("; with the reason (\"dnsparity: not written\"). Lines marked \"dnsparity:\"\n")
	p("; need a decision before the migration.\n")
	p("$ORIGIN %s\n", origin)
	rel := func(name string) string {
		if name == origin {
			return "@"
		}
		return strings.TrimSuffix(name, "."+origin)
	}
	if z.Get(origin, dns.TypeSOA) == nil {
		first := "ns1." + origin
		if len(opt.Nameservers) > 0 {
			first = dns.Fqdn(opt.Nameservers[0])
		}
		p("; dnsparity: SOA synthesized (the provider's API does not list one); push never changes the apex SOA.\n")
		p("@\t3600\tIN\tSOA\t%s hostmaster.%s 1 7200 3600 1209600 300\n", first, origin)
		res.Synthesized = append(res.Synthesized, "SOA")
	}
	if z.Get(origin, dns.TypeNS) == nil && len(opt.Nameservers) > 0 {
		p("; dnsparity: apex NS from the provider's assigned nameservers (its API does not list them as records).\n")
		for _, n := range opt.Nameservers {
			p("@\t86400\tIN\tNS\t%s\n", zone.CanonicalName(dns.Fqdn(n)))
		}
		res.Synthesized = append(res.Synthesized, "NS")
	}
	// The apex SOA first, as zone files usually have it.
	sets := make([]*zone.RRSet, 0, len(z.Sets))
	if soa := z.Get(origin, dns.TypeSOA); soa != nil {
		sets = append(sets, soa)
	}
	for _, s := range z.Sets {
		if s.Name != origin || s.Type != dns.TypeSOA {
			sets = append(sets, s)
		}
	}
	for _, s := range sets {
		k := s.Key()
		t := dns.Type(s.Type).String()
		for _, f := range byKey[s.Name+" "+t] {
			p("; dnsparity: %s: %s. Decide: %s.\n", f.Feature, oneLine(f.Detail), oneLine(f.Advice))
		}
		if len(byKey[s.Name+" "+t]) > 0 {
			res.Annotated += len(s.Records)
		}
		why, bad := refused[k]
		if bad {
			p("; dnsparity: not written: %s\n", oneLine(why))
		}
		for _, rr := range s.RRs() {
			text := fmt.Sprintf("%s\t%d\tIN\t%s\t%s", rel(s.Name), s.TTL, t, zone.RdataString(rr))
			if bad {
				p("; %s\n", text)
				res.Skipped = append(res.Skipped, Skipped{Name: s.Name, Type: t, Value: zone.RdataString(rr), Why: why})
				continue
			}
			line++
			lines[line] = k
			w.WriteString(text + "\n")
			res.Records++
		}
	}
	if len(omitted) > 0 {
		sort.SliceStable(omitted, func(i, j int) bool { return zone.CompareNames(omitted[i].Name, omitted[j].Name) < 0 })
		p("\n; dnsparity: not written: provider-only records a zone file cannot express.\n")
		for _, f := range omitted {
			p("; %s\t%s\t%s\n", rel(f.Name), f.Type, strings.Join(strings.Fields(f.Value), " "))
			p(";   %s: %s. Decide: %s.\n", f.Feature, oneLine(f.Detail), oneLine(f.Advice))
			res.Skipped = append(res.Skipped, Skipped{Name: f.Name, Type: f.Type, Value: f.Value, Why: f.Feature + ": " + f.Detail})
		}
	}
	return res, lines
}

func oneLine(s string) string {
	return strings.TrimSuffix(strings.Join(strings.Fields(s), " "), ".")
}
