package parity

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/zone"
	"github.com/miekg/dns"
)

// mapQuestions is the question list built the plain way, every question
// through one set of those asked: the oracle for questions, which builds
// the same list without that set.
func mapQuestions(v *view, label string) []Question {
	z := v.z
	var qs []Question
	seen := map[zone.Key]bool{}
	add := func(name string, t uint16, p uint8) {
		k := zone.Key{Name: name, Type: t}
		if !seen[k] {
			seen[k] = true
			qs = append(qs, Question{Name: name, Type: t, Probe: p})
		}
	}
	add(z.Origin, dns.TypeSOA, probeRRset)
	add(z.Origin, dns.TypeNS, probeRRset)
	for _, s := range z.Sets {
		if !zone.NotData(s.Type) {
			add(s.Name, s.Type, probeRRset)
		}
	}
	for _, name := range z.Names() {
		if v.t.IsCut(name) {
			add(name, dns.TypeDS, probeNoData)
		}
	}
	for _, name := range z.Names() {
		add(name, noDataType(z.Lookup(name)), probeNoData)
	}
	parents := []string{z.Origin}
	for _, name := range z.Names() {
		if v.t.IsDNAME(name) && v.t.Cut(name) == "" {
			parents = append(parents, name)
		}
	}
	for _, name := range z.Names() {
		if strings.HasPrefix(name, "*.") && v.t.Cut(name) == "" {
			parents = append(parents, name[2:])
		}
	}
	// Every owner (not the apex) with names below it.
	for _, name := range z.Names() {
		if name == z.Origin || strings.HasPrefix(name, "*.") || v.t.Cut(name) != "" || v.t.IsDNAME(name) {
			continue
		}
		for _, o := range z.Names() {
			if o != name && !strings.HasPrefix(o, "*.") && zone.Parent(o) == name {
				parents = append(parents, name)
				break
			}
		}
	}
	// The empty non-terminals, every owner's ancestors walked in full.
	var ents []string
	exists := map[string]bool{}
	for _, name := range z.Names() {
		exists[name] = true
	}
	for _, name := range z.Names() {
		for n := zone.Parent(name); n != "." && n != z.Origin && z.InZone(n); n = zone.Parent(n) {
			if !exists[n] {
				exists[n] = true
				ents = append(ents, n)
			}
		}
	}
	for _, e := range ents {
		if v.t.Cut(e) == "" {
			parents = append(parents, e)
			add(e, dns.TypeA, probeNoData)
		}
	}
	probe := func(name, p string) {
		add(name, dns.TypeA, probeRandom)
		for _, s := range z.Lookup("*." + p) {
			if !zone.NotData(s.Type) {
				add(name, s.Type, probeRandom)
			}
		}
	}
	for _, p := range parents {
		probe(label+"."+p, p)
	}
	// Two labels below every wildcard's parent; one below the first
	// owners under it without descendants.
	wild := map[string]int{}
	for _, name := range z.Names() {
		if strings.HasPrefix(name, "*.") && v.t.Cut(name) == "" {
			probe(label+"."+label+"."+name[2:], name[2:])
			wild[name[2:]] = 0
		}
	}
	for _, name := range z.Names() {
		leaf := true
		for _, o := range z.Names() {
			if o != name && dns.IsSubDomain(name, o) {
				leaf = false
			}
		}
		if strings.HasPrefix(name, "*.") || !leaf || v.t.Cut(name) != "" || v.t.IsDNAME(name) || v.t.DNAME(name) != "" {
			continue
		}
		for p := zone.Parent(name); z.InZone(p); p = zone.Parent(p) {
			if n, ok := wild[p]; ok {
				if n < 3 {
					wild[p]++
					add(label+"."+name, dns.TypeA, probeRandom)
				}
				break
			}
		}
	}
	return qs
}

// TestQuestionsUnique checks the question list against the oracle on
// zones where questions coincide: a DS in git at a cut, wildcards at the
// apex and twice under one parent, a random label that is a name of the
// zone (with data, an empty non-terminal, a wildcard's parent), a CNAME
// owner, an owner with every no-data candidate type.
func TestQuestionsUnique(t *testing.T) {
	const head = "$ORIGIN q.test.\n$TTL 300\n@ IN SOA ns1 host 1 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"
	cases := []struct{ name, label, body string }{
		{"unit", "rnd", ""},
		{"ds at a cut", "rnd", "sub IN NS ns.sub\nns.sub IN A 192.0.2.2\nsub IN DS 1 8 2 " + strings.Repeat("ab", 32) + "\nother IN NS ns1\n"},
		{"apex wildcard", "rnd", "* IN A 192.0.2.3\n* IN TXT \"w\"\n*.w IN MX 10 ns1\n*.w IN A 192.0.2.4\n"},
		{"label is a name with data", "rnd", "rnd IN A 192.0.2.5\nrnd IN TXT \"x\"\n* IN TXT \"w\"\n"},
		{"label is an empty non-terminal", "rnd", "x.rnd IN A 192.0.2.6\n"},
		{"label under an ENT is a name", "rnd", "a.b IN A 192.0.2.7\nrnd.b IN AAAA 2001:db8::1\n"},
		{"label is a wildcard parent's name", "rnd", "*.rnd IN A 192.0.2.8\nrnd.rnd IN CNAME ns1\n"},
		{"every no-data type", "rnd", "full IN A 192.0.2.9\nfull IN AAAA 2001:db8::2\nfull IN TXT \"t\"\nfull IN MX 10 ns1\nfull IN SRV 0 0 1 ns1\nfull IN HINFO \"a\" \"b\"\nrnd IN HINFO \"a\" \"b\"\n"},
		{"dname", "rnd", "dn IN DNAME ns1.q.test.\nrnd.dn IN A 192.0.2.10\n"},
		{"owners below a wildcard's parent", "rnd", "*.w IN A 192.0.2.11\na.w IN A 192.0.2.12\nb.w IN TXT \"b\"\nc.b.w IN A 192.0.2.13\nd.w IN A 192.0.2.14\ne.w IN A 192.0.2.15\nf.w IN A 192.0.2.16\n*.x.w IN A 192.0.2.17\ny.x.w IN A 192.0.2.18\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			text := head + c.body
			if c.name == "unit" {
				text = unitZone
			}
			z, err := zone.Parse(strings.NewReader(text), "q.zone", "q.test.", "")
			if err != nil {
				t.Fatal(err)
			}
			v := newView(z)
			got, want := v.questions(c.label), mapQuestions(v, c.label)
			if g, w := fmt.Sprint(got), fmt.Sprint(want); g != w {
				t.Errorf("questions:\n got %s\nwant %s", g, w)
			}
		})
	}
}
