package mailauth

import (
	"sort"
	"strings"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// FromAnswer reduces an answer of the query engine to what the mail
// checks use: the records of the asked type (TXT strings concatenated, MX
// exchanges folded, addresses), sorted; a failure or a referral is Failed.
// Every Resolver built on internal/query (parity, cutover) uses it.
func FromAnswer(a *query.Answer, qt uint16) Result {
	r := Result{Status: a.Status()}
	switch c := a.Class(); c {
	case query.ClassFailure, query.ClassReferral:
		r.Failed = true
		return r
	case query.ClassAnswer:
		r.Status = "NOERROR"
	}
	for _, rr := range a.Answer {
		if rr.Type != qt {
			continue
		}
		switch qt {
		case dns.TypeTXT:
			r.Records = append(r.Records, strings.Join(zone.TXTStrings(rr.Rdata), ""))
		case dns.TypeMX:
			if x, err := zone.FromRdata(dns.RR_Header{Name: rr.Name, Rrtype: rr.Type, Class: dns.ClassINET}, rr.Rdata); err == nil {
				r.Records = append(r.Records, zone.Fold(x.(*dns.MX).Mx))
			}
		default:
			r.Records = append(r.Records, query.RdataText(rr))
		}
	}
	sort.Strings(r.Records)
	return r
}
