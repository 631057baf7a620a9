// Package r53test is a stand-in for the Amazon Route 53 API (REST with XML
// bodies, version 2013-04-01), for tests: an httptest server that checks
// the SigV4 signature against the one key pair it knows, keeps state, and
// knows nothing of the provider package. Sources:
//
//   - Amazon Route 53 API Reference: ListHostedZonesByName (sorted by
//     name with the labels reversed; maxitems at most 100; the next page
//     asked for with dnsname NextDNSName and hostedzoneid
//     NextHostedZoneId, both), GetHostedZone
//     (ResourceRecordSetCount), ListResourceRecordSets (maxitems ≤ 300,
//     name/type/identifier markers, IsTruncated, NextRecordName,
//     NextRecordType, NextRecordIdentifier; names lower case with octal
//     escapes such as \052 for '*'), ChangeResourceRecordSets (one
//     atomic batch: 1,000 records, 32,000 value characters, UPSERTs
//     counted twice; 400 records in a record set, "Quotas"; a batch
//     arriving while another of the zone is processed refused with
//     PriorRequestNotComplete, ChangeTime), GetChange
//     (PENDING, INSYNC), ErrorResponse and
//     InvalidChangeBatch bodies; ResourceRecordSet (Weight: no other
//     routing policy, and no plain set, beside weighted sets of a name
//     and type: mixedPolicy).
//   - Route 53 Developer Guide, "DNS domain name format" (names: octal
//     escapes in and out, listName) and "Supported DNS record types" (TXT:
//     quoted character-strings of up to 255 characters, 4,000 in all,
//     octal escapes, readOctal; NAPTR Regexp in octal) and the
//     InvalidChangeBatch texts Route 53 gives for them, "FATAL problem:
//     CharacterStringTooLong (Value is too long)" and "InvalidCharacterString
//     (Value should be enclosed in quotation marks)" (characterStrings).
//   - "Throttling for Amazon Route 53 API requests"
//     (docs.aws.amazon.com/Route53/latest/DeveloperGuide/
//     throttling-api-requests.html): a token bucket per account, "All
//     Amazon Route 53 API operations combined (account level)" of maximum
//     capacity 50 refilled at 10 a second, and one per operation (50 and
//     10 for those not listed: ChangeResourceRecordSets,
//     ListResourceRecordSets, GetHostedZone, ListHostedZonesByName); past
//     it HTTP 400 with code Throttling, "Rate exceeded" (the account's
//     bucket enforced here: AccountBucket).
//   - aws-sdk-go-v2 service/route53 v1.70.10 (deserializers.go: the XML
//     it reads; api_op_ListResourceRecordSets.go: the paginator follows
//     IsTruncated and the Next* markers).
package r53test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/awsconf/awstest"
	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/zone"
)

const ns = "https://route53.amazonaws.com/doc/2013-04-01/"

// RRSet is a record set in the API's XML form.
type RRSet struct {
	Name                    string       `xml:"Name"`
	Type                    string       `xml:"Type"`
	SetIdentifier           string       `xml:"SetIdentifier,omitempty"`
	Weight                  *int64       `xml:"Weight,omitempty"`
	Region                  string       `xml:"Region,omitempty"`
	GeoLocation             *GeoLocation `xml:"GeoLocation,omitempty"`
	Failover                string       `xml:"Failover,omitempty"`
	MultiValueAnswer        *bool        `xml:"MultiValueAnswer,omitempty"`
	TTL                     *int64       `xml:"TTL,omitempty"`
	ResourceRecords         *Records     `xml:"ResourceRecords,omitempty"`
	AliasTarget             *AliasTarget `xml:"AliasTarget,omitempty"`
	HealthCheckID           string       `xml:"HealthCheckId,omitempty"`
	TrafficPolicyInstanceID string       `xml:"TrafficPolicyInstanceId,omitempty"`
	// Extra catches elements this fake does not model; it refuses them.
	Extra []anyElement `xml:",any"`
}

type anyElement struct {
	XMLName xml.Name
}

// Records wraps the ResourceRecord elements.
type Records struct {
	Record []struct {
		Value string `xml:"Value"`
	} `xml:"ResourceRecord"`
}

// GeoLocation of a geolocation record set.
type GeoLocation struct {
	ContinentCode   string `xml:"ContinentCode,omitempty"`
	CountryCode     string `xml:"CountryCode,omitempty"`
	SubdivisionCode string `xml:"SubdivisionCode,omitempty"`
}

// AliasTarget of an alias record set.
type AliasTarget struct {
	HostedZoneID         string `xml:"HostedZoneId"`
	DNSName              string `xml:"DNSName"`
	EvaluateTargetHealth bool   `xml:"EvaluateTargetHealth"`
}

// Values returns the record values.
func (s RRSet) Values() []string {
	if s.ResourceRecords == nil {
		return nil
	}
	out := make([]string, len(s.ResourceRecords.Record))
	for i, r := range s.ResourceRecords.Record {
		out[i] = r.Value
	}
	return out
}

// NewRecords builds ResourceRecords from values.
func NewRecords(values ...string) *Records {
	r := &Records{}
	for _, v := range values {
		r.Record = append(r.Record, struct {
			Value string `xml:"Value"`
		}{v})
	}
	return r
}

type hostedZone struct {
	id, name    string
	private     bool
	nameservers []string
	sets        []RRSet
	// changing: a change batch of the zone is being processed
	// (ChangeTime).
	changing bool
	// last is the id of the zone's last change batch (PriorWhilePending).
	last string
	// othersUntil: another writer's change batch of the zone is being
	// processed until then (OthersChange).
	othersUntil time.Time
}

// Fault makes matching requests fail (Path: a part of the URL path,
// "/rrset"; Code: Throttling, PriorRequestNotComplete, ...); Short drops
// one record set from a truncated listing page.
type Fault = fakeapi.Fault

// Short makes a listing page lose one record (fakeapi.Short).
const Short = fakeapi.Short

// AccountBucket is Route 53's request-rate bucket of an account, as
// documented: capacity 50, refilled at 10 a second.
func AccountBucket() *fakeapi.Bucket { return &fakeapi.Bucket{Capacity: 50, Rate: 10} }

// Server is the fake API; put Server.URL in the provider's url.
type Server struct {
	*httptest.Server
	fakeapi.Kit
	AccessKeyID, SecretAccessKey string
	// SessionToken, when set, must come as X-Amz-Security-Token
	// (temporary credentials, e.g. from a web identity).
	SessionToken string
	// PendingPolls is how many GetChange calls see PENDING before INSYNC.
	PendingPolls int
	// ChangeTime is how long a change batch takes to process (0: none).
	// Meanwhile another change batch of the same hosted zone is refused
	// with PriorRequestNotComplete: "If Amazon Route 53 can't process a
	// request before the next request arrives, it will reject subsequent
	// requests for the same hosted zone and return an HTTP 400 error (Bad
	// request). [...] PriorRequestNotComplete [...] The request was
	// rejected because Route 53 was still processing a prior request."
	// (Developer Guide, "Quotas", Maximums on API requests:
	// docs.aws.amazon.com/Route53/latest/DeveloperGuide/DNSLimitations.html;
	// API Reference, ChangeResourceRecordSets, Errors). Route 53 takes
	// other batches while one is PENDING (its propagation, GetChange):
	// the refusal is for one that arrives while another is processed.
	ChangeTime time.Duration
	// PriorWhilePending, when set, refuses a change batch of a zone with
	// PriorRequestNotComplete while the zone's last one is still PENDING
	// (PendingPolls GetChange calls): the strictest reading of the
	// documented refusal, in which a change is processed until it is
	// INSYNC on every server. What Route 53 itself does is not
	// documented; a provider must push under either reading.
	PriorWhilePending bool

	zones   []*hostedZone
	changes map[string]int // change id → GetChange calls so far
	nextID  int
	// Batches are the change batches received, in order.
	Batches [][]Change
}

// New starts a server that accepts requests signed with this key pair.
func New(accessKeyID, secret string) *Server {
	s := &Server{AccessKeyID: accessKeyID, SecretAccessKey: secret, PendingPolls: 1, changes: map[string]int{}}
	s.Bucket = AccountBucket()
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// AddZone creates a hosted zone (with Route 53's own SOA and NS record
// sets) and returns its id (without /hostedzone/).
func (s *Server) AddZone(name string, private bool) string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.nextID++
	id := fmt.Sprintf("Z%020d", s.nextID)
	name = listName(dns.Fqdn(name))
	nss := []string{"ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"}
	soa := RRSet{Name: name, Type: "SOA", TTL: aws.Int64(900), ResourceRecords: NewRecords("ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400")}
	nsSet := RRSet{Name: name, Type: "NS", TTL: aws.Int64(172800), ResourceRecords: NewRecords(nss[0]+".", nss[1]+".", nss[2]+".", nss[3]+".")}
	// In listing order: by name with its labels reversed
	// (ListHostedZonesByName: "sorts hosted zones by name with the labels
	// reversed", com.example.www), a name's zones in the order made.
	at := sort.Search(len(s.zones), func(i int) bool { return reversed(s.zones[i].name) > reversed(name) })
	s.zones = slices.Insert(s.zones, at, &hostedZone{id: id, name: name, private: private, nameservers: nss, sets: []RRSet{nsSet, soa}})
	return id
}

// SetNameservers gives a hosted zone other name servers (its delegation
// set and its apex NS records): Route 53 gives each hosted zone of a name
// its own.
func (s *Server) SetNameservers(id string, nss ...string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	z := s.zone(id)
	z.nameservers = nss
	for i, set := range z.sets {
		if set.Type == "NS" && set.Name == z.name {
			var vs []string
			for _, n := range nss {
				vs = append(vs, n+".")
			}
			z.sets[i].ResourceRecords = NewRecords(vs...)
		}
	}
}

// RemoveZone deletes a hosted zone (as DeleteHostedZone would, records
// and all).
func (s *Server) RemoveZone(id string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.zones = slices.DeleteFunc(s.zones, func(z *hostedZone) bool { return z.id == id })
}

// Seed adds a record set as the console would (alias, routing
// policies), in place of the one of its name, type and set identifier
// (the console's edit).
func (s *Server) Seed(zoneID string, set RRSet) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	z := s.zone(zoneID)
	set = stored(set)
	z.sets = slices.DeleteFunc(z.sets, func(e RRSet) bool {
		return e.Name == set.Name && e.Type == set.Type && e.SetIdentifier == set.SetIdentifier
	})
	z.sets = append(z.sets, set)
	sortSets(z.sets)
}

// Sets returns a copy of a zone's record sets.
func (s *Server) Sets(zoneID string) []RRSet {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return append([]RRSet(nil), s.zone(zoneID).sets...)
}

// ResetCounts zeroes the counters.
func (s *Server) ResetCounts() {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.ResetCountsLocked()
	s.Batches = nil
}

func (s *Server) zone(id string) *hostedZone {
	for _, z := range s.zones {
		if z.id == id {
			return z
		}
	}
	return nil
}

// inZone answers with the hosted zone id, s.Mu held, or answers
// NoSuchHostedZone when there is none.
func (s *Server) inZone(w http.ResponseWriter, id string, answer func(z *hostedZone)) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	z := s.zone(id)
	if z == nil {
		fail(w, http.StatusNotFound, "NoSuchHostedZone", "No hosted zone found with ID: "+id)
		return
	}
	answer(z)
}

// process starts processing a change batch of zone id, which takes
// ChangeTime: ok false when one is being processed already, or another
// writer's (OthersChange) (PriorRequestNotComplete); done ends it.
func (s *Server) process(id string) (done func(), ok bool) {
	s.Mu.Lock()
	z := s.zone(id)
	if z != nil && time.Now().Before(z.othersUntil) {
		s.Mu.Unlock()
		return nil, false
	}
	if z == nil || s.ChangeTime == 0 {
		s.Mu.Unlock()
		return func() {}, true
	}
	if z.changing {
		s.Mu.Unlock()
		return nil, false
	}
	z.changing = true
	s.Mu.Unlock()
	time.Sleep(s.ChangeTime)
	return func() {
		s.Mu.Lock()
		z.changing = false
		s.Mu.Unlock()
	}, true
}

// OthersChange has Route 53 process, for d from now, a change batch of
// the zone id that another writer sent (the console, another tool or
// run): meanwhile every change batch of the zone is refused with
// PriorRequestNotComplete, as while one of ChangeTime is processed, and
// the provider holds no change id of it to ask GetChange about.
func (s *Server) OthersChange(id string, d time.Duration) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if z := s.zone(id); z != nil {
		z.othersUntil = time.Now().Add(d)
	}
}

// listName is a name as Route 53 lists it: lower case, absolute, every
// byte other than a-z, 0-9, '-' and '_' as an octal escape.
func listName(n string) string {
	raw := []byte{}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if v, ok := octalEscape(n[i:]); ok {
			raw = append(raw, 0, v) // 0 marks an escaped byte
			i += 3
			continue
		}
		raw = append(raw, c)
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		escaped := false
		if c == 0 && i+1 < len(raw) {
			i++
			c, escaped = raw[i], true
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteByte(c)
		case c == '.' && !escaped:
			b.WriteByte('.')
		default:
			fmt.Fprintf(&b, "\\%03o", c)
		}
	}
	out := b.String()
	if !strings.HasSuffix(out, ".") {
		out += "."
	}
	return out
}

// octalEscape reads the escape at the start of s, a backslash and a
// "three-digit octal code" (000 to 377) as the Developer Guide's "DNS
// domain name format" and "Supported DNS record types" pages spell it.
func octalEscape(s string) (byte, bool) {
	if len(s) < 4 || s[0] != '\\' || s[1] < '0' || s[1] > '3' {
		return 0, false
	}
	for _, c := range s[2:4] {
		if c < '0' || c > '7' {
			return 0, false
		}
	}
	return (s[1]-'0')<<6 | (s[2]-'0')<<3 | (s[3] - '0'), true
}

// reversed is Route 53's listing order key: labels right to left, with
// the trailing dot, compared in ASCII order (API Reference,
// ListResourceRecordSets, "Sort order": "com.example.www. Note the
// trailing dot, which can change the sort order when the record name
// contains characters that appear before . (decimal 46)"; so
// ListHostedZonesByName: "com.ex\344mple.", the escaped value "which is
// the format that Amazon Route 53 saves in its database"): the name as
// listed, escapes and all. Without the dot, a.example.com. came before
// a-b.example.com., which Route 53 lists first ('-' is 45).
func reversed(name string) string {
	labels := strings.Split(strings.TrimSuffix(name, "."), ".")
	for i, j := 0, len(labels)-1; i < j; i, j = i+1, j-1 {
		labels[i], labels[j] = labels[j], labels[i]
	}
	return strings.Join(labels, ".") + "."
}

func sortSets(sets []RRSet) {
	sort.SliceStable(sets, func(i, j int) bool {
		a, b := sets[i], sets[j]
		if ra, rb := reversed(a.Name), reversed(b.Name); ra != rb {
			return ra < rb
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.SetIdentifier < b.SetIdentifier
	})
}

func writeXML(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", "fake-request-id")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, xml.Header)
	_ = xml.NewEncoder(w).Encode(v)
}

type errorResponse struct {
	XMLName xml.Name `xml:"ErrorResponse"`
	Xmlns   string   `xml:"xmlns,attr"`
	Error   struct {
		Type    string `xml:"Type"`
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	} `xml:"Error"`
	RequestID string `xml:"RequestId"`
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	e := errorResponse{Xmlns: ns, RequestID: "fake-request-id"}
	e.Error.Type, e.Error.Code, e.Error.Message = "Sender", code, msg
	if status >= 500 {
		e.Error.Type = "Receiver"
	}
	writeXML(w, status, e)
}

type invalidChangeBatch struct {
	XMLName   xml.Name `xml:"InvalidChangeBatch"`
	Xmlns     string   `xml:"xmlns,attr"`
	Messages  []string `xml:"Messages>Message"`
	RequestID string   `xml:"RequestId"`
}

func invalid(w http.ResponseWriter, msgs ...string) {
	writeXML(w, http.StatusBadRequest, invalidChangeBatch{Xmlns: ns, Messages: msgs, RequestID: "fake-request-id"})
}

var (
	zonePath   = regexp.MustCompile(`^/2013-04-01/hostedzone/([A-Z0-9]+)$`)
	rrsetPath  = regexp.MustCompile(`^/2013-04-01/hostedzone/([A-Z0-9]+)/rrset/?$`)
	changePath = regexp.MustCompile(`^/2013-04-01/change/([A-Z0-9]+)$`)
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	op := "unknown"
	p := r.URL.Path
	switch {
	case p == "/2013-04-01/hostedzonesbyname" && r.Method == http.MethodGet:
		op = "ListHostedZonesByName"
	case zonePath.MatchString(p) && r.Method == http.MethodGet:
		op = "GetHostedZone"
	case rrsetPath.MatchString(p) && r.Method == http.MethodGet:
		op = "ListResourceRecordSets"
	case rrsetPath.MatchString(p) && r.Method == http.MethodPost:
		op = "ChangeResourceRecordSets"
	case changePath.MatchString(p) && r.Method == http.MethodGet:
		op = "GetChange"
	}
	s.Mu.Lock()
	s.Inc(op)
	allowed, _, _ := s.Take()
	f, short := s.Faulted(r.Method, p)
	s.Mu.Unlock()
	if !allowed {
		fail(w, http.StatusBadRequest, "Throttling", "Rate exceeded")
		return
	}
	switch out, done, applied := fakeapi.Apply(w, f, func(w http.ResponseWriter, _ http.Header) {
		fail(w, f.Status, f.Code, "injected fault: "+f.Code)
	}); {
	case applied:
		w = out
		defer done()
	case f.Status > 0: // with its Retry-After (fakeapi.Apply)
		if f.Body != "" {
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(f.Status)
			_, _ = io.WriteString(w, f.Body)
			return
		}
		fail(w, f.Status, f.Code, "injected fault: "+f.Code)
		return
	}
	if code, msg := awstest.Verify(r, body, s.AccessKeyID, s.SecretAccessKey, "route53"); code != "" {
		fail(w, http.StatusForbidden, code, msg)
		return
	}
	if s.SessionToken != "" && r.Header.Get("X-Amz-Security-Token") != s.SessionToken {
		fail(w, http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	}
	switch op {
	case "ListHostedZonesByName":
		s.listZones(w, r)
	case "GetHostedZone":
		s.getZone(w, zonePath.FindStringSubmatch(p)[1])
	case "ListResourceRecordSets":
		s.listSets(w, r, rrsetPath.FindStringSubmatch(p)[1], short)
	case "ChangeResourceRecordSets":
		id := rrsetPath.FindStringSubmatch(p)[1]
		done, ok := s.process(id)
		if !ok {
			s.Mu.Lock()
			s.Inc("PriorRequestNotComplete")
			s.Mu.Unlock()
			fail(w, http.StatusBadRequest, "PriorRequestNotComplete", "The request was rejected because Route 53 was still processing a prior request.")
			return
		}
		defer done()
		s.change(w, body, id)
	case "GetChange":
		s.getChange(w, changePath.FindStringSubmatch(p)[1])
	default:
		fail(w, http.StatusNotFound, "UnknownOperationException", "no such operation: "+r.Method+" "+p)
	}
}

type xmlZone struct {
	ID                     string `xml:"Id"`
	Name                   string `xml:"Name"`
	CallerReference        string `xml:"CallerReference"`
	PrivateZone            bool   `xml:"Config>PrivateZone"`
	ResourceRecordSetCount int    `xml:"ResourceRecordSetCount"`
}

func (z *hostedZone) xml() xmlZone {
	return xmlZone{ID: "/hostedzone/" + z.id, Name: z.name, CallerReference: "ref-" + z.id, PrivateZone: z.private, ResourceRecordSetCount: len(z.sets)}
}

func maxItems(r *http.Request, limit int) (int, error) {
	v := r.URL.Query().Get("maxitems")
	if v == "" {
		return limit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("maxitems must be a positive number")
	}
	return min(n, limit), nil
}

func (s *Server) listZones(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n, err := maxItems(r, 100)
	if err != nil {
		fail(w, http.StatusBadRequest, "InvalidInput", err.Error())
		return
	}
	start := ""
	if v := q.Get("dnsname"); v != "" {
		start = listName(dns.Fqdn(v))
	}
	s.Mu.Lock()
	defer s.Mu.Unlock()
	type resp struct {
		XMLName     xml.Name  `xml:"ListHostedZonesByNameResponse"`
		Xmlns       string    `xml:"xmlns,attr"`
		HostedZones []xmlZone `xml:"HostedZones>HostedZone"`
		DNSName     string    `xml:"DNSName,omitempty"`
		IsTruncated bool      `xml:"IsTruncated"`
		MaxItems    int       `xml:"MaxItems"`
		NextDNSName string    `xml:"NextDNSName,omitempty"`
		NextZoneID  string    `xml:"NextHostedZoneId,omitempty"`
	}
	out := resp{Xmlns: ns, DNSName: q.Get("dnsname"), MaxItems: n, HostedZones: []xmlZone{}}
	startID := q.Get("hostedzoneid")
	// The next page is asked for with the previous answer's NextDNSName
	// as dnsname and its NextHostedZoneId as hostedzoneid, both (the API
	// Reference's hostedzoneid and dnsname): an id with no name, or with
	// a name that is not its zone's, is not a place in the listing.
	if startID != "" {
		if z := s.zone(strings.TrimPrefix(startID, "/hostedzone/")); z == nil || start == "" || z.name != start {
			fail(w, http.StatusBadRequest, "InvalidInput", "hostedzoneid must be the previous response's NextHostedZoneId, with its NextDNSName as dnsname")
			return
		}
	}
	for _, z := range s.zones {
		if reversed(z.name) < reversed(start) || (startID != "" && z.name == start && z.id < startID) {
			continue
		}
		if len(out.HostedZones) == n {
			out.IsTruncated, out.NextDNSName, out.NextZoneID = true, z.name, z.id
			break
		}
		out.HostedZones = append(out.HostedZones, z.xml())
	}
	writeXML(w, http.StatusOK, out)
}

func (s *Server) getZone(w http.ResponseWriter, id string) {
	s.inZone(w, id, func(z *hostedZone) {
		type resp struct {
			XMLName     xml.Name `xml:"GetHostedZoneResponse"`
			Xmlns       string   `xml:"xmlns,attr"`
			HostedZone  xmlZone  `xml:"HostedZone"`
			NameServers []string `xml:"DelegationSet>NameServers>NameServer"`
		}
		writeXML(w, http.StatusOK, resp{Xmlns: ns, HostedZone: z.xml(), NameServers: z.nameservers})
	})
}

func (s *Server) listSets(w http.ResponseWriter, r *http.Request, id string, short bool) {
	q := r.URL.Query()
	n, err := maxItems(r, 300)
	if err != nil {
		fail(w, http.StatusBadRequest, "InvalidInput", err.Error())
		return
	}
	if q.Get("type") != "" && q.Get("name") == "" {
		fail(w, http.StatusBadRequest, "InvalidInput", "type requires name")
		return
	}
	s.inZone(w, id, func(z *hostedZone) {
		type resp struct {
			XMLName            xml.Name `xml:"ListResourceRecordSetsResponse"`
			Xmlns              string   `xml:"xmlns,attr"`
			ResourceRecordSets []RRSet  `xml:"ResourceRecordSets>ResourceRecordSet"`
			IsTruncated        bool     `xml:"IsTruncated"`
			NextRecordName     string   `xml:"NextRecordName,omitempty"`
			NextRecordType     string   `xml:"NextRecordType,omitempty"`
			NextRecordID       string   `xml:"NextRecordIdentifier,omitempty"`
			MaxItems           int      `xml:"MaxItems"`
		}
		out := resp{Xmlns: ns, MaxItems: n, ResourceRecordSets: []RRSet{}}
		startName, startType, startID := "", q.Get("type"), q.Get("identifier")
		if v := q.Get("name"); v != "" {
			startName = listName(v)
		}
		for _, set := range z.sets {
			if startName != "" {
				rs, rn := reversed(set.Name), reversed(startName)
				if rs < rn || (rs == rn && startType != "" && (set.Type < startType || (set.Type == startType && set.SetIdentifier < startID))) {
					continue
				}
			}
			if len(out.ResourceRecordSets) == n {
				out.IsTruncated, out.NextRecordName, out.NextRecordType, out.NextRecordID = true, set.Name, set.Type, set.SetIdentifier
				break
			}
			out.ResourceRecordSets = append(out.ResourceRecordSets, set)
		}
		out.ResourceRecordSets = fakeapi.Shorten(out.ResourceRecordSets, short)
		writeXML(w, http.StatusOK, out)
	})
}

// Change is one change of a batch.
type Change struct {
	Action string `xml:"Action"`
	Set    RRSet  `xml:"ResourceRecordSet"`
}

type changeRequest struct {
	XMLName     xml.Name `xml:"ChangeResourceRecordSetsRequest"`
	Xmlns       string   `xml:"xmlns,attr"`
	ChangeBatch struct {
		Comment string   `xml:"Comment"`
		Changes []Change `xml:"Changes>Change"`
	} `xml:"ChangeBatch"`
}

var types = map[string]bool{"A": true, "AAAA": true, "CAA": true, "CNAME": true, "DS": true, "HTTPS": true, "MX": true, "NAPTR": true, "NS": true, "PTR": true, "SOA": true, "SPF": true, "SRV": true, "SSHFP": true, "SVCB": true, "TLSA": true, "TXT": true}

// change answers ChangeResourceRecordSets: the batch is read and checked
// against the API's limits, then applied to a copy of the zone's sets;
// any error leaves the zone as it was (a batch is atomic).
func (s *Server) change(w http.ResponseWriter, body []byte, id string) {
	req, ok := readBatch(w, body)
	if !ok {
		return
	}
	cs := req.ChangeBatch.Changes
	s.inZone(w, id, func(z *hostedZone) {
		if n, ok := s.changes[z.last]; ok && s.PriorWhilePending && n < s.PendingPolls {
			s.Inc("PriorRequestNotComplete")
			fail(w, http.StatusBadRequest, "PriorRequestNotComplete", "The request was rejected because Route 53 was still processing a prior request.")
			return
		}
		s.Batches = append(s.Batches, cs)
		work, msgs, err := applyBatch(z.name, z.sets, cs)
		if err != "" {
			fail(w, http.StatusBadRequest, "InvalidInput", err)
			return
		}
		msgs = append(msgs, cnameConflicts(z.name, work)...)
		if len(msgs) > 0 {
			invalid(w, msgs...)
			return
		}
		sortSets(work)
		z.sets = work
		s.nextID++
		cid := fmt.Sprintf("C%020d", s.nextID)
		s.changes[cid] = 0
		z.last = cid
		type resp struct {
			XMLName    xml.Name `xml:"ChangeResourceRecordSetsResponse"`
			Xmlns      string   `xml:"xmlns,attr"`
			ChangeInfo changeInfo
		}
		writeXML(w, http.StatusOK, resp{Xmlns: ns, ChangeInfo: changeInfo{ID: "/change/" + cid, Status: "PENDING", SubmittedAt: time.Now().UTC().Format(time.RFC3339), Comment: req.ChangeBatch.Comment}})
	})
}

// readBatch reads a change batch and checks its shape and the API's
// limits of a batch (1,000 records and 32,000 value characters, an
// UPSERT's counting twice), answering the error when it is refused.
func readBatch(w http.ResponseWriter, body []byte) (changeRequest, bool) {
	var req changeRequest
	if err := xml.Unmarshal(body, &req); err != nil {
		fail(w, http.StatusBadRequest, "InvalidInput", "could not parse the request: "+err.Error())
		return req, false
	}
	if req.Xmlns != ns {
		fail(w, http.StatusBadRequest, "InvalidInput", "wrong or missing namespace "+req.Xmlns)
		return req, false
	}
	cs := req.ChangeBatch.Changes
	if len(cs) == 0 {
		fail(w, http.StatusBadRequest, "InvalidInput", "1 validation error detected: Value null at 'changeBatch.changes' failed to satisfy constraint: Member must not be null")
		return req, false
	}
	// Every Value: "The current or new DNS record value, not to exceed
	// 4,000 characters [...] Length Constraints: Maximum length of 4000"
	// (API Reference, ResourceRecord: docs.aws.amazon.com/Route53/latest/
	// APIReference/API_ResourceRecord.html), whatever the type; refused as
	// a request that fails a member's constraint, in AWS's words.
	for i, c := range cs {
		for j, v := range c.Set.Values() {
			if len(v) > 4000 {
				fail(w, http.StatusBadRequest, "InvalidInput", fmt.Sprintf("1 validation error detected: Value '%.20s...' at 'changeBatch.changes.%d.member.resourceRecordSet.resourceRecords.%d.member.value' failed to satisfy constraint: Member must have length less than or equal to 4000", v, i+1, j+1))
				return req, false
			}
		}
	}
	// "Records in a record set: 400 per record set" (Developer Guide,
	// "Quotas", Quotas on records: docs.aws.amazon.com/Route53/latest/
	// DeveloperGuide/DNSLimitations.html). The message is the fake's own.
	for _, c := range cs {
		if n := len(c.Set.Values()); c.Action != "DELETE" && n > 400 {
			invalid(w, fmt.Sprintf("Tried to create resource record set [name='%s', type='%s'] with %d records, over the limit of 400 records in a record set", c.Set.Name, c.Set.Type, n))
			return req, false
		}
	}
	records, chars := 0, 0
	for _, c := range cs {
		k := 1
		if c.Action == "UPSERT" {
			k = 2
		}
		for _, v := range c.Set.Values() {
			records += k
			chars += k * len(v)
		}
	}
	if records > 1000 {
		invalid(w, fmt.Sprintf("Number of records limit of 1000 exceeded (%d).", records))
		return req, false
	}
	if chars > 32000 {
		invalid(w, fmt.Sprintf("Number of value characters limit of 32000 exceeded (%d).", chars))
		return req, false
	}
	return req, true
}

// applyBatch applies the changes in order to a copy of a zone's sets:
// the sets after, and Route 53's message for each change it refuses
// (invalid set, CREATE of one that exists, DELETE of one missing or with
// other values); bad is set, and nothing else is, for an unknown action.
func applyBatch(zoneName string, sets []RRSet, cs []Change) (work []RRSet, msgs []string, bad string) {
	work = append([]RRSet(nil), sets...)
	find := func(name, typ, setID string) int {
		for i, e := range work {
			if e.Name == name && e.Type == typ && e.SetIdentifier == setID {
				return i
			}
		}
		return -1
	}
	for _, c := range cs {
		set := c.Set
		set.Name = listName(set.Name)
		desc := fmt.Sprintf("[name='%s', type='%s'", set.Name, set.Type)
		if set.SetIdentifier != "" {
			desc += fmt.Sprintf(", set-identifier='%s'", set.SetIdentifier)
		}
		desc += "]"
		if err := validSet(zoneName, set); err != "" {
			msgs = append(msgs, err)
			continue
		}
		set = stored(set)
		i := find(set.Name, set.Type, set.SetIdentifier)
		if c.Action == "CREATE" || c.Action == "UPSERT" {
			if i < 0 || c.Action == "CREATE" {
				if msg := mixedPolicy(work, set); msg != "" {
					msgs = append(msgs, msg)
					continue
				}
			}
		}
		switch c.Action {
		case "CREATE":
			if i >= 0 {
				msgs = append(msgs, "Tried to create resource record set "+desc+" but it already exists")
				continue
			}
			work = append(work, set)
		case "UPSERT":
			if i >= 0 {
				work[i] = set
			} else {
				work = append(work, set)
			}
		case "DELETE":
			if i < 0 {
				msgs = append(msgs, "Tried to delete resource record set "+desc+" but it was not found")
				continue
			}
			if !sameSet(work[i], set) {
				msgs = append(msgs, "Tried to delete resource record set "+desc+" but the values provided do not match the current values")
				continue
			}
			work = append(work[:i], work[i+1:]...)
		default:
			return nil, nil, "Invalid XML ; Action " + c.Action + " is not CREATE, DELETE or UPSERT"
		}
	}
	return work, msgs, ""
}

// policy is the routing policy of a record set ("" for a plain one).
func policy(set RRSet) string {
	switch {
	case set.SetIdentifier == "":
		return ""
	case set.Weight != nil:
		return "weighted"
	case set.Region != "":
		return "latency"
	case set.GeoLocation != nil:
		return "geolocation"
	case set.Failover != "":
		return "failover"
	case set.MultiValueAnswer != nil:
		return "multivalue"
	}
	return "routing"
}

// mixedPolicy is Route 53's InvalidChangeBatch message for a set made
// beside sets of the same name and type under another routing policy
// ("" when none): a plain set stands alone at its name and type, and one
// group of the same name and type has one routing policy. API Reference,
// ResourceRecordSet, Weight: "You can't create latency, failover, or
// geolocation resource record sets that have the same values for the
// Name and Type elements as weighted resource record sets"
// (docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html).
// The texts are Route 53's as users quote them: "RRSet with DNS name
// NAME, type TYPE, SetIdentifier ID cannot be created as a non-weighted
// set exists with the same name and type."
// (kubernetes-sigs/external-dns#3141, #4345) and, for a plain set,
// "RRSet with DNS name NAME, type TYPE cannot be created as other RRSets
// exist with the same name and type." (chef-boneyard/route53#100).
func mixedPolicy(work []RRSet, set RRSet) string {
	for _, e := range work {
		if e.Name != set.Name || e.Type != set.Type || e.SetIdentifier == set.SetIdentifier {
			continue
		}
		switch pe, ps := policy(e), policy(set); {
		case ps == "":
			return fmt.Sprintf("RRSet with DNS name %s, type %s cannot be created as other RRSets exist with the same name and type.", set.Name, set.Type)
		case pe == "":
			return fmt.Sprintf("RRSet with DNS name %s, type %s, SetIdentifier %s cannot be created as a non-%s set exists with the same name and type.", set.Name, set.Type, set.SetIdentifier, ps)
		case pe != ps:
			return fmt.Sprintf("RRSet with DNS name %s, type %s, SetIdentifier %s cannot be created as %s sets exist with the same name and type.", set.Name, set.Type, set.SetIdentifier, pe)
		}
	}
	return ""
}

// cnameConflicts are Route 53's messages for a CNAME beside other data
// at a name.
func cnameConflicts(zoneName string, sets []RRSet) []string {
	byName := map[string][]string{}
	for _, e := range sets {
		byName[e.Name] = append(byName[e.Name], e.Type)
	}
	var msgs []string
	for name, ts := range byName {
		hasCNAME := false
		for _, t := range ts {
			hasCNAME = hasCNAME || t == "CNAME"
		}
		if hasCNAME && len(ts) > 1 {
			msgs = append(msgs, fmt.Sprintf("RRSet of type CNAME with DNS name %s is not permitted as it conflicts with other records with the same DNS name in zone %s", name, zoneName))
		}
	}
	return msgs
}

type changeInfo struct {
	XMLName     xml.Name `xml:"ChangeInfo"`
	ID          string   `xml:"Id"`
	Status      string   `xml:"Status"`
	SubmittedAt string   `xml:"SubmittedAt"`
	Comment     string   `xml:"Comment,omitempty"`
}

func (s *Server) getChange(w http.ResponseWriter, id string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	n, ok := s.changes[id]
	if !ok {
		fail(w, http.StatusNotFound, "NoSuchChange", "A change with the specified change ID does not exist.")
		return
	}
	s.changes[id] = n + 1
	status := "PENDING"
	if n >= s.PendingPolls {
		status = "INSYNC"
	}
	type resp struct {
		XMLName    xml.Name `xml:"GetChangeResponse"`
		Xmlns      string   `xml:"xmlns,attr"`
		ChangeInfo changeInfo
	}
	writeXML(w, http.StatusOK, resp{Xmlns: ns, ChangeInfo: changeInfo{ID: "/change/" + id, Status: status, SubmittedAt: time.Now().UTC().Format(time.RFC3339)}})
}

// validSet checks a record set as Route 53 would ("" when valid).
func validSet(zoneName string, set RRSet) string {
	if set.Name != zoneName && !strings.HasSuffix(set.Name, "."+zoneName) {
		return fmt.Sprintf("RRSet with DNS name %s is not permitted in zone %s", set.Name, zoneName)
	}
	if !types[set.Type] {
		return fmt.Sprintf("Invalid Resource Record type %s", set.Type)
	}
	if len(set.Extra) > 0 {
		return fmt.Sprintf("Unknown element %s in ResourceRecordSet", set.Extra[0].XMLName.Local)
	}
	if set.AliasTarget != nil {
		if set.TTL != nil || set.ResourceRecords != nil {
			return "Alias record sets take neither TTL nor ResourceRecords"
		}
		return ""
	}
	if set.TTL == nil {
		return "TTL is required for a non-alias record set " + set.Name
	}
	vals := set.Values()
	if len(vals) == 0 {
		return "ResourceRecords is required for a non-alias record set " + set.Name
	}
	seen := map[string]bool{}
	for _, v := range vals {
		text := v
		if octalTypes[set.Type] {
			text = readOctal(v, "\\%03d")
		}
		// Read as a DNS server reads it: a CAA's value is the rest of
		// the RDATA, of any length ("flags tag \"value\"", Supported DNS
		// record types, docs.aws.amazon.com/Route53/latest/DeveloperGuide/
		// ResourceRecordTypes.html; RFC 8659 §4.1.1), which miekg/dns's
		// dns.NewRR alone refuses past 255 octets.
		rr, err := zone.NewRR(fmt.Sprintf("x. 0 IN %s %s", set.Type, text))
		if err != nil || rr == nil {
			return fmt.Sprintf("Invalid Resource Record: FATAL problem: %s value %q could not be parsed", set.Type, v)
		}
		// "The current or new DNS record value, not to exceed 4,000
		// characters" (ResourceRecord, docs.aws.amazon.com/Route53/latest/
		// APIReference/API_ResourceRecord.html): every type's.
		if len(v) > 4000 {
			return fmt.Sprintf("Invalid Resource Record: %s value longer than 4000 characters", set.Type)
		}
		if set.Type == "TXT" || set.Type == "SPF" {
			if problem := characterStrings(v); problem != "" {
				return fmt.Sprintf("Invalid Resource Record: 'FATAL problem: %s encountered with '%s''", problem, v)
			}
		}
		if seen[rr.String()] {
			return fmt.Sprintf("Duplicate Resource Record: '%s'", v)
		}
		seen[rr.String()] = true
	}
	if (set.Type == "CNAME" || set.Type == "SOA") && len(vals) > 1 {
		return fmt.Sprintf("Only one resource record is allowed in a %s record set", set.Type)
	}
	return ""
}

// sameSet compares what a DELETE must match: every value the set was
// created with (aws-sdk-go-v2 service/route53, ChangeResourceRecordSets,
// "Deleting Resource Record Sets": "To delete a resource record set, you
// must specify all the same values that you specified when you created
// it"; types.ResourceRecord: "in the case of a DELETE action, if the
// current value does not match the actual value, an error is returned"):
// the TTL and the values, an alias's AliasTarget (hosted zone, DNS name,
// EvaluateTargetHealth), the routing policy's fields and the health check.
// The name, type and set identifier found the set.
func sameSet(a, b RRSet) bool {
	if (a.TTL == nil) != (b.TTL == nil) || (a.TTL != nil && *a.TTL != *b.TTL) {
		return false
	}
	if (a.AliasTarget == nil) != (b.AliasTarget == nil) || (a.AliasTarget != nil && !sameAlias(*a.AliasTarget, *b.AliasTarget)) {
		return false
	}
	if !samePtr(a.Weight, b.Weight) || a.Region != b.Region || !samePtr(a.GeoLocation, b.GeoLocation) || a.Failover != b.Failover ||
		!samePtr(a.MultiValueAnswer, b.MultiValueAnswer) || a.HealthCheckID != b.HealthCheckID || a.TrafficPolicyInstanceID != b.TrafficPolicyInstanceID {
		return false
	}
	va, vb := a.Values(), b.Values()
	if len(va) != len(vb) {
		return false
	}
	sort.Strings(va)
	sort.Strings(vb)
	for i := range va {
		if va[i] != vb[i] {
			return false
		}
	}
	return true
}

// sameAlias compares alias targets: hosted zone, DNS name and
// EvaluateTargetHealth, exactly as stored (the strict reading of "all
// the same values"; a client sends back what it listed).
func sameAlias(a, b AliasTarget) bool {
	return a == b
}

// samePtr: both unset, or both set to equal values.
func samePtr[T comparable](a, b *T) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// characterStrings checks a TXT or SPF value as Route 53 reads it ("" when
// it takes it): one or more character-strings, each enclosed in quotation
// marks and at most 255 characters once its escapes are read. Route 53
// Developer Guide, "Supported DNS record types", TXT record type: "Enclose
// text in quotation marks ... Each string can contain up to 255
// characters"; past them it answers InvalidChangeBatch "FATAL problem:
// CharacterStringTooLong (Value is too long)" (AWS Knowledge Center,
// route53-resolve-dkim-text-record-error, cited by aws-cdk#9984), and for
// an unquoted value "FATAL problem: InvalidCharacterString (Value should
// be enclosed in quotation marks)" (binxio/cfn-ses-provider#23, an SPF
// value sent bare). miekg/dns alone would split a long string quietly.
func characterStrings(v string) string {
	i, n := 0, 0
	for {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
		if i == len(v) {
			if n == 0 {
				return "InvalidCharacterString (Value should be enclosed in quotation marks)"
			}
			return ""
		}
		if v[i] != '"' {
			return "InvalidCharacterString (Value should be enclosed in quotation marks)"
		}
		i++
		size, closed := 0, false
		for i < len(v) && !closed {
			switch {
			case v[i] == '"':
				closed = true
			case octalIsAt(v, i):
				i += 3
				size++
			case v[i] == '\\' && i+1 < len(v):
				i++
				size++
			default:
				size++
			}
			i++
		}
		if !closed {
			return "InvalidCharacterString (Value should be enclosed in quotation marks)"
		}
		if size > 255 {
			return "CharacterStringTooLong (Value is too long)"
		}
		n++
	}
}

func octalIsAt(v string, i int) bool {
	_, ok := octalEscape(v[i:])
	return ok
}

// octalTypes are the types whose values hold quoted character-strings
// that Route 53 reads with octal escapes. Developer Guide, "Supported DNS
// record types", TXT record type, "Special characters in a TXT record
// value": "If your TXT record contains any of the following characters,
// you must specify the characters by using escape codes in the format
// \three-digit octal code: Characters 000 to 040 octal (0 to 32 decimal,
// 0x00 to 0x20 hexadecimal); Characters 177 to 377 octal (127 to 255
// decimal, 0x7F to 0xFF hexadecimal). For example, if the value of your
// TXT record is "exämple.com", you specify "ex\344mple.com". [...] To
// include a quotation mark (") in a string, put a backslash (\)
// character before the quotation mark: \"." Its API example:
// <Value>"The last character in this string is an accented e specified
// in octal format: \351"</Value>. SPF takes a TXT record's value (SPF
// record type). NAPTR, Regexp: "\ (backslash). To include a backslash in
// a string, precede it with a \ character: \\. Specify all other
// values, such as internationalized domain names, in octal format."
var octalTypes = map[string]bool{"TXT": true, "SPF": true, "NAPTR": true}

// readOctal reads the quoted strings of a value as Route 53 does (a
// backslash and three octal digits is one octet, a backslash before any
// other character is that character) and writes them again: octets 000
// to 037 and 177 to 377 octal with format, '"' and '\' after a
// backslash, the rest as they are; text outside quotation marks is kept.
// A space (040) stays as it is inside quotation marks, as in the page's
// own examples ("String 1" "String 2", "v=spf1 ip4:192.168.0.1/16
// -all"). With "\\%03o" it is the value as this fake stores and lists
// it: the form the page says to send (the Guide does not spell out how
// ListResourceRecordSets writes a TXT value; for names it says the API
// returns octal escapes, "DNS domain name format"). With "\\%03d" it is
// a zone file's spelling, for miekg/dns to check.
func readOctal(v, format string) string {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '"' {
			quoted = !quoted
			b.WriteByte(c)
			continue
		}
		if !quoted {
			b.WriteByte(c)
			continue
		}
		if o, ok := octalEscape(v[i:]); ok {
			c = o
			i += 3
		} else if c == '\\' && i+1 < len(v) {
			i++
			c = v[i]
		}
		switch {
		case c < 0o40 || c >= 0o177:
			fmt.Fprintf(&b, format, c)
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// stored is a set as Route 53 keeps and lists it: its name (listName)
// and the values of octalTypes in their listed form (readOctal).
func stored(set RRSet) RRSet {
	set.Name = listName(set.Name)
	if !octalTypes[set.Type] || set.ResourceRecords == nil {
		return set
	}
	vals := set.Values()
	for i, v := range vals {
		vals[i] = readOctal(v, "\\%03o")
	}
	set.ResourceRecords = NewRecords(vals...)
	return set
}
