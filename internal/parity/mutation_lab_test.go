package parity_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/dnsparity/dnsparity/internal/lab"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// mzone is a zone the mutation test writes, edits and renders: owner
// (relative to parity.test.) and type to the set's TTL and records.
type mzone struct {
	serial int
	sets   map[[2]string]*mset
}

type mset struct {
	ttl  int
	recs []string
}

func (z *mzone) keys() [][2]string {
	var ks [][2]string
	for k := range z.sets {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b [2]string) int { return strings.Compare(a[0]+" "+a[1], b[0]+" "+b[1]) })
	return ks
}

func (z *mzone) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ORIGIN %s\n$TTL 300\n@ IN SOA ns1 hostmaster %d 3600 600 1209600 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n", origin, z.serial)
	for _, k := range z.keys() {
		s := z.sets[k]
		for _, r := range s.recs {
			fmt.Fprintf(&b, "%s %d IN %s %s\n", k[0], s.ttl, k[1], r)
		}
	}
	return b.String()
}

func (z *mzone) clone() *mzone {
	c := &mzone{serial: z.serial, sets: map[[2]string]*mset{}}
	for k, s := range z.sets {
		c.sets[k] = &mset{ttl: s.ttl, recs: slices.Clone(s.recs)}
	}
	return c
}

// genMZone is a zone of about 40 RRsets: names one to three labels deep
// (empty non-terminals between), A, AAAA, MX, TXT (one over 255 octets at
// times), SRV, CAA, CNAMEs to in-zone names and a wildcard.
func genMZone(r *rand.Rand) *mzone {
	z := &mzone{serial: 1, sets: map[[2]string]*mset{}}
	labels := []string{"www", "api", "mail", "a", "b", "c", "dev", "eu", "us", "x1", "x2", "shop"}
	var names []string
	for len(names) < 24 {
		n := labels[r.IntN(len(labels))]
		for d := r.IntN(3); d > 0; d-- {
			n = labels[r.IntN(len(labels))] + "." + n
		}
		if !slices.Contains(names, n) && n != "ns1" {
			names = append(names, n)
		}
	}
	ip := func() string { return fmt.Sprintf("192.0.2.%d", 1+r.IntN(250)) }
	add := func(name, typ string, recs ...string) {
		z.sets[[2]string{name, typ}] = &mset{ttl: 300, recs: recs}
	}
	for i, n := range names {
		switch i % 8 {
		case 0, 1:
			recs := []string{ip()}
			if r.IntN(2) == 0 {
				recs = append(recs, ip())
			}
			add(n, "A", recs...)
		case 2:
			add(n, "AAAA", fmt.Sprintf("2001:db8::%x", 1+r.IntN(4000)))
			add(n, "A", ip())
		case 3:
			add(n, "MX", "10 "+names[0], "20 "+names[1])
			add(n, "TXT", `"v=spf1 mx -all"`)
		case 4:
			txt := fmt.Sprintf(`"note %d"`, r.IntN(1000))
			if r.IntN(2) == 0 {
				txt = `"` + strings.Repeat("k", 255) + `" "` + strings.Repeat("m", 40) + `"`
			}
			add(n, "TXT", txt)
		case 5:
			add(n, "SRV", fmt.Sprintf("10 5 %d %s", 1+r.IntN(60000), names[0]))
		case 6:
			add(n, "CAA", `0 issue "ca.example"`)
		case 7:
			add(n, "CNAME", names[r.IntN(2)])
		}
	}
	add("*.wild", "A", ip())
	return z
}

// mutation is an edit of the new side's zone and what parity must say:
// want is the owner (relative) whose finding must be an error or
// warning (kind among kinds), "" for an edit parity must find nothing in.
type mutation struct {
	what  string
	want  string
	kinds []string
	sev   string
}

// mutate edits z (a copy of git's zone, for the new side).
func mutate(r *rand.Rand, z *mzone) mutation {
	ks := z.keys()
	// Sets that no CNAME points to, so that the finding is at their name.
	var plain [][2]string
	for _, k := range ks {
		if k[1] == "CNAME" || strings.HasPrefix(k[0], "*") {
			continue
		}
		target := false
		for _, c := range ks {
			if c[1] == "CNAME" && slices.Contains(z.sets[c].recs, k[0]) {
				target = true
			}
		}
		if !target {
			plain = append(plain, k)
		}
	}
	k := plain[r.IntN(len(plain))]
	s := z.sets[k]
	switch r.IntN(9) {
	case 7:
		for _, c := range ks {
			if c[1] == "CNAME" {
				cs := z.sets[c]
				cs.recs[0] = "ns1"
				return mutation{"retarget " + c[0] + " CNAME", c[0], []string{"rdata", "cname-hop"}, "error"}
			}
		}
		fallthrough
	case 8:
		z.sets[[2]string{"*.wild", "A"}].recs[0] = "198.51.100.9"
		return mutation{"change *.wild A", "*.wild", []string{"wildcard", "rdata"}, "error"}
	case 0:
		delete(z.sets, k)
		// Another type at the name, or a name below it, keeps the name;
		// either way the RRset is missing (NODATA or NXDOMAIN).
		return mutation{"drop " + k[0] + " " + k[1], k[0], []string{"missing", "rcode"}, "error"}
	case 1:
		switch k[1] {
		case "A":
			s.recs[0] = "198.51.100.7"
		case "AAAA":
			s.recs[0] = "2001:db8:ffff::7"
		case "TXT":
			s.recs[0] = `"changed"`
		case "MX":
			s.recs[0] = "15" + s.recs[0][2:]
		case "SRV":
			s.recs[0] = "11" + s.recs[0][2:]
		case "CAA":
			s.recs[0] = `0 issue "other.example"`
		}
		return mutation{"change " + k[0] + " " + k[1], k[0], []string{"rdata"}, "error"}
	case 2:
		switch k[1] {
		case "A":
			s.recs = append(s.recs, "198.51.100.8")
		case "AAAA":
			s.recs = append(s.recs, "2001:db8:ffff::8")
		case "TXT":
			s.recs = append(s.recs, `"added"`)
		case "MX":
			s.recs = append(s.recs, "30 www")
		case "SRV":
			s.recs = append(s.recs, "20 5 1 www")
		case "CAA":
			s.recs = append(s.recs, `0 iodef "mailto:x@example.com"`)
		}
		return mutation{"add to " + k[0] + " " + k[1], k[0], []string{"rdata", "extra"}, "error"}
	case 3:
		s.ttl = 600
		return mutation{"ttl of " + k[0] + " " + k[1], k[0], []string{"ttl"}, "warning"}
	case 4:
		// The same records written otherwise: no finding.
		slices.Reverse(s.recs)
		if k[1] == "CAA" {
			s.recs[0] = strings.Replace(s.recs[0], "issue", "ISSUE", 1)
		}
		z.sets[[2]string{strings.ToUpper(k[0]), k[1]}] = s
		delete(z.sets, k)
		return mutation{what: "rewrite " + k[0] + " " + k[1]}
	case 5:
		if k[1] == "TXT" && len(s.recs[0]) > 255 {
			// Split elsewhere: a txt-split (info) for a TXT that is not
			// SPF, DKIM or DMARC.
			s.recs[0] = `"` + strings.Repeat("k", 200) + `" "` + strings.Repeat("k", 55) + strings.Repeat("m", 40) + `"`
			return mutation{what: "resplit " + k[0]}
		}
		delete(z.sets, k)
		z.sets[[2]string{"moved." + k[0], k[1]}] = s
		return mutation{"move " + k[0] + " " + k[1], k[0], []string{"missing", "rcode"}, "error"}
	default:
		// A name git does not hold, on the new side only: parity asks
		// git's names (the cutover's new-complete lists the rest).
		z.sets[[2]string{"stray", "A"}] = &mset{ttl: 300, recs: []string{"192.0.2.250"}}
		return mutation{what: "add a name git lacks"}
	}
}

// TestParityGeneratedMutations: BIND (old) and Knot (new) serve a
// generated zone as git holds it, one of them edited once (a record
// changed, added or removed, an RRset dropped or moved, a TTL changed, a
// CNAME retargeted, the wildcard changed; or written otherwise, or
// extended where git has no name), over 24 rounds: parity names an error
// (a warning for a TTL) at the edited name, and nothing else of that
// severity or worse, or nothing when the edit changes nothing git holds.
// DNSPARITY_MUTATION_SEED=N runs other zones and edits.
func TestParityGeneratedMutations(t *testing.T) {
	lab.Require(t, "named")
	lab.Require(t, "knotd")
	seed := lab.Seed(t, "DNSPARITY_MUTATION_SEED")
	r := rand.New(rand.NewPCG(seed, 0))
	git := genMZone(r)
	gitText := git.text()
	z := loadText(t, gitText)
	bind := lab.BIND(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: gitText}}})
	knot := lab.Knot(t, lab.Options{Zones: []lab.Zone{{Origin: origin, Text: gitText}}})
	old := bind.Addr
	rep := run(t, z, []string{old}, []string{knot.Addr})
	for _, f := range rep.Findings {
		if f.Severity != parity.SevInfo {
			dump(t, rep)
			t.Fatalf("seed %d: the unedited zone: %s %s at %s %s: %s", seed, f.Severity, f.Kind, f.Name, f.Type, f.Detail)
		}
	}
	for round := 1; round <= 24; round++ {
		nz := git.clone()
		nz.serial = 1 + round
		m := mutate(r, nz)
		// The edit on one side, git's zone on the other (both reloaded
		// with this round's serial).
		same := git.clone()
		same.serial = nz.serial
		edited, other := knot, bind
		if r.IntN(3) == 0 {
			edited, other = bind, knot
			m.what += " (old side)"
		}
		edited.Reload(t, lab.Zone{Origin: origin, Text: nz.text()})
		other.Reload(t, lab.Zone{Origin: origin, Text: same.text()})
		rep := run(t, z, []string{old}, []string{knot.Addr})
		want := ""
		if m.want != "" {
			want = zone.CanonicalName(m.want + "." + origin)
		}
		found, ok := false, true
		for _, f := range rep.Findings {
			if f.Severity == parity.SevInfo {
				continue
			}
			switch {
			case (f.Name == want || strings.HasPrefix(want, "*.") && strings.HasSuffix(f.Name, want[1:])) && slices.Contains(m.kinds, f.Kind) && f.Severity == m.sev:
				found = true
			case f.Name == want && f.Severity == m.sev:
				// Another kind at the edited name (a chain, a referral
				// of the same change): allowed.
			case want != "" && f.Name != want && strings.HasSuffix(want, "."+f.Name) && f.Name != origin && slices.Contains(m.kinds, f.Kind):
				// The name dropped held the last data below an empty
				// non-terminal, which is gone with it (NODATA then
				// NXDOMAIN): found at the ancestor too.
			case f.Kind == "soa" || f.Kind == "serial":
				// The serial differs between the sides in every round.
			default:
				t.Errorf("seed %d round %d (%s): %s %s at %s %s: %s", seed, round, m.what, f.Severity, f.Kind, f.Name, f.Type, f.Detail)
				ok = false
			}
		}
		t.Logf("round %d: %s: %d findings, the expected one found: %v", round, m.what, len(rep.Findings), found)
		if want != "" && !found {
			t.Errorf("seed %d round %d (%s): no %s of kind %v at %s", seed, round, m.what, m.sev, m.kinds, want)
			ok = false
		}
		if !ok {
			dump(t, rep)
		}
	}
}
