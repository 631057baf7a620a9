// Package ns1test is a fake NS1 API v1 for tests: an httptest server that
// keeps state and follows the API as NS1 and its official SDK show it, not
// as this project's provider uses it. Sources:
//
//   - NS1 API reference (developer.ibm.com/apis/catalog/ns1--ibm-ns1-connect-api):
//     X-NSONE-Key authentication; GET /v1/zones/:zone with record
//     summaries (domain, type, ttl, tier, short_answers, link) paginated
//     by the Link header's rel="next"; PUT (create), POST (update), GET
//     and DELETE /v1/zones/:zone/:domain/:type; errors as {"message": …};
//     the rate limit per endpoint family announced in X-Ratelimit-Limit,
//     X-Ratelimit-Remaining and X-Ratelimit-Period, 429 past it.
//   - "View a list of active zones" (GET /v1/zones, the same reference):
//     every active zone with its basic configuration (zone, id, ttl,
//     nx_ttl, retry, refresh, expiry, serial, hostmaster, dns_servers,
//     networks; no records), "For users with over 2500 zones, the
//     response will be paginated" (2500 zones a page), the next page in
//     the Link header's rel="next" as for a zone's records; ns1-go's
//     ZonesService.List (rest/zone.go) follows that link (nextZones).
//   - ns1-go v2.14.0 (gopkg.in/ns1/ns1-go.v2): rest/model/dns/record.go
//     (Record: answers, filters and regions without omitempty, NewRecord
//     giving them empty), rest/model/dns/zone.go (ZoneRecord, the zone's
//     SOA fields), rest/client.go (the X-Ratelimit-* headers, ParseLink),
//     rest/model/dns/record_test.go (the JSON a record marshals to).
//   - Secondary and linked zones: ns1-go's rest/model/dns/zone.go (Zone:
//     "secondary" {enabled, primary_ip, primary_port, expired, status,
//     error, ...} "for slaving the zone to a primary dns server", and
//     "primary" {enabled: false} beside it, as MakeSecondary sets them;
//     "link", a zone's domain name: "Linked zones, once created, cannot
//     be configured at all and cannot have records added to them",
//     LinkTo); IBM NS1 Connect, "Creating a secondary zone": "Secondary
//     zones contain a read-only copy of the zone data that is kept
//     updated by recurring zone transfers from the primary name
//     servers". A write to such a zone is refused here with 400; NS1
//     documents neither the status nor the text (the fake's own). What
//     GET lists for a linked zone is not documented either: the fake
//     lists the zone with its link and no records of its own.
//   - dnscontrol's NS1 provider (providers/ns1/records.go) sends
//     "filters": [] on every write: NS1 answers null with 400 "Input
//     validation failed (Value None for field '<obj>.filters' is not of
//     type array)", which this fake does, for regions (an object) too.
package ns1test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/dnsparity/dnsparity/internal/fakeapi"
)

// Answer is one answer of a record.
type Answer struct {
	Answer []any          `json:"answer"`
	Meta   map[string]any `json:"meta,omitempty"`
	Region string         `json:"region,omitempty"`
}

// Filter is one step of a filter chain.
type Filter struct {
	Filter   string         `json:"filter"`
	Disabled bool           `json:"disabled,omitempty"`
	Config   map[string]any `json:"config"`
}

// Record is a record (an RRset with NS1's extras).
type Record struct {
	ID      string         `json:"id"`
	Zone    string         `json:"zone"`
	Domain  string         `json:"domain"`
	Type    string         `json:"type"`
	TTL     int            `json:"ttl"`
	Link    string         `json:"link,omitempty"`
	Answers []Answer       `json:"answers"`
	Filters []Filter       `json:"filters"`
	Meta    map[string]any `json:"meta,omitempty"`
	Regions map[string]any `json:"regions"`
}

type zone struct {
	name    string
	servers []string
	records map[string]*Record // domain type
	// primaryIP is the primary a secondary zone transfers from; link
	// the zone a linked zone links to ("" for a primary zone).
	primaryIP, link string
}

// Fault makes matching requests fail (429: "rate limit exceeded" with no
// requests remaining; fakeapi.Lost: the answer is lost after the request
// is applied; Applied with a status: the request is applied, then
// answered with that status; Short: a zone page lacks one record).
type Fault = fakeapi.Fault

// Short makes a listing page lose one record (fakeapi.Short).
const Short = fakeapi.Short

// Server is the fake; configure APIURL().
type Server struct {
	*httptest.Server
	fakeapi.Kit
	key string
	// PageSize is the most record summaries per zone page (a smaller
	// limit= is honoured).
	PageSize int
	// ZonePageSize is the most zones per page of GET /v1/zones (NS1's
	// 2500).
	ZonePageSize int
	// Limit requests per Period (seconds) per endpoint family, announced
	// and enforced (429 past it); Remaining, when above 0, is announced
	// as the requests left instead.
	Limit, Period, Remaining int
	// PeriodUnit is the length of one Period unit (time.Second; tests
	// shorten it).
	PeriodUnit time.Duration

	// Writes are the write requests received, in order ("PUT
	// zone/domain/type").
	Writes []string

	zones   map[string]*zone
	nextID  int
	windows map[string]*fakeapi.Window
}

// New starts a fake that accepts one API key.
func New(key string) *Server {
	s := &Server{key: key, PageSize: 100, ZonePageSize: 2500, Limit: 100, Period: 10, PeriodUnit: time.Second, zones: map[string]*zone{}, windows: map[string]*fakeapi.Window{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// APIURL is the base URL to configure.
func (s *Server) APIURL() string { return s.URL + "/v1" }

// AddZone adds a zone with NS1's apex NS record.
func (s *Server) AddZone(name string) {
	s.Mu.Lock()
	servers := []string{"dns1.p01.nsone.net", "dns2.p01.nsone.net"}
	s.zones[name] = &zone{name: name, servers: servers, records: map[string]*Record{}}
	s.Mu.Unlock()
	var as []Answer
	for _, n := range servers {
		as = append(as, Answer{Answer: []any{n}})
	}
	s.Seed(Record{Zone: name, Domain: name, Type: "NS", TTL: 3600, Answers: as})
}

// AddSecondaryZone adds a secondary zone, kept by zone transfers from
// primaryIP; Seed its records (what the transfers brought).
func (s *Server) AddSecondaryZone(name, primaryIP string) {
	s.AddZone(name)
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.zones[name].primaryIP = primaryIP
}

// AddLinkedZone adds a zone linked to the zone target.
func (s *Server) AddLinkedZone(name, target string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.zones[name] = &zone{name: name, servers: []string{"dns1.p01.nsone.net", "dns2.p01.nsone.net"}, records: map[string]*Record{}, link: target}
}

// Seed stores a record directly.
func (s *Server) Seed(r Record) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.nextID++
	r.ID = fmt.Sprintf("%024x", s.nextID)
	if r.Filters == nil {
		r.Filters = []Filter{}
	}
	if r.Regions == nil {
		r.Regions = map[string]any{}
	}
	s.zones[r.Zone].records[r.Domain+" "+r.Type] = &r
}

// Record returns a stored record.
func (s *Server) Record(zone, domain, typ string) *Record {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	r := s.zones[zone].records[domain+" "+typ]
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

func message(w http.ResponseWriter, status int, msg string) {
	fakeapi.JSON(w, status, map[string]string{"message": msg})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	defer s.Enter()()
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if r.Method != http.MethodGet {
		s.Inc("write")
		s.Writes = append(s.Writes, r.Method+" "+strings.TrimPrefix(r.URL.Path, "/v1/zones/"))
	}
	if !fakeapi.Secret(r.Header.Get("X-NSONE-Key"), s.key) {
		message(w, http.StatusUnauthorized, "Authentication failed")
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/v1/zones/")
	if !ok && r.URL.Path != "/v1/zones" {
		message(w, http.StatusNotFound, "Not Found")
		return
	}
	parts := strings.Split(path, "/")
	fam := "read zones"
	if r.Method != http.MethodGet {
		fam = "write zones"
	}
	win := s.windows[fam]
	if win == nil || win.Limit != s.Limit {
		win = &fakeapi.Window{Limit: s.Limit, Period: time.Duration(s.Period) * s.PeriodUnit}
		s.windows[fam] = win
	}
	w.Header().Set("X-Ratelimit-Limit", strconv.Itoa(s.Limit))
	w.Header().Set("X-Ratelimit-Period", strconv.Itoa(s.Period))
	allowed, left, _ := win.Take(time.Now())
	if !allowed {
		s.Inc("429")
		w.Header().Set("X-Ratelimit-Remaining", "0")
		message(w, http.StatusTooManyRequests, "rate limit exceeded")
		return
	}
	f, short := s.Faulted(r.Method, r.URL.Path)
	switch out, done, applied := fakeapi.Apply(w, f, func(w http.ResponseWriter, answered http.Header) {
		w.Header().Set("X-Ratelimit-Remaining", answered.Get("X-Ratelimit-Remaining"))
		message(w, f.Status, "internal error")
	}); {
	case applied:
		w = out
		defer done()
	case f.Status == http.StatusTooManyRequests:
		w.Header().Set("X-Ratelimit-Remaining", "0")
		message(w, f.Status, "rate limit exceeded")
		return
	case f.Status > 0:
		message(w, f.Status, "internal error")
		return
	}
	if s.Remaining > 0 {
		left = s.Remaining
	}
	w.Header().Set("X-Ratelimit-Remaining", strconv.Itoa(left))
	if r.URL.Path == "/v1/zones" {
		if r.Method != http.MethodGet {
			message(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		s.Inc("list zones")
		s.list(w, r, short)
		return
	}
	z := s.zones[parts[0]]
	if z == nil {
		message(w, http.StatusNotFound, "zone not found")
		return
	}
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		s.Inc("list")
		s.zone(w, r, z, short)
	case len(parts) == 3:
		s.record(w, r, z, parts[1], parts[2])
	default:
		message(w, http.StatusNotFound, "Not Found")
	}
}

// tier: 1 plain, 2 with metadata or filters.
func tier(r *Record) int {
	if len(r.Filters) > 0 || len(r.Meta) > 0 {
		return 2
	}
	for _, a := range r.Answers {
		if len(a.Meta) > 0 {
			return 2
		}
	}
	return 1
}

func short(a Answer) string {
	var f []string
	for _, v := range a.Answer {
		f = append(f, fmt.Sprint(v))
	}
	return strings.Join(f, " ")
}

func (s *Server) zone(w http.ResponseWriter, r *http.Request, z *zone, lose bool) {
	var keys []string
	for k := range z.records {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	after := r.URL.Query().Get("after")
	start := 0
	if after != "" {
		start = sort.SearchStrings(keys, after)
		if start < len(keys) && keys[start] == after {
			start++
		}
	}
	size := s.PageSize
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			message(w, 400, "Input validation failed (Value "+v+" for field 'limit' is not a positive integer)")
			return
		}
		size = min(n, size)
	}
	end := min(start+size, len(keys))
	page := fakeapi.Shorten(keys[start:end], lose && end < len(keys)) // lose: a row lost, the next page starts after it all the same
	sums := []map[string]any{}
	for _, k := range page {
		rec := z.records[k]
		var sa []string
		for _, a := range rec.Answers {
			sa = append(sa, short(a))
		}
		sum := map[string]any{"domain": rec.Domain, "id": rec.ID, "type": rec.Type, "ttl": rec.TTL, "tier": tier(rec), "short_answers": sa}
		if rec.Link != "" {
			sum["link"] = rec.Link
		}
		sums = append(sums, sum)
	}
	if end < len(keys) {
		next := fmt.Sprintf("%s/v1/zones/%s?after=%s&limit=%d", s.URL, z.name, strings.ReplaceAll(keys[end-1], " ", "%20"), size)
		w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", next))
	}
	fakeapi.JSON(w, 200, z.info(map[string]any{"zone": z.name, "id": "zone-" + z.name, "ttl": 3600, "nx_ttl": 3600, "retry": 7200, "refresh": 43200,
		"expiry": 1209600, "serial": 1700000000, "hostmaster": "hostmaster@nsone.net", "dns_servers": z.servers, "networks": []int{0}, "records": sums}))
}

// info adds to a zone's fields what makes it a secondary or a linked
// zone (ns1-go's Zone.MakeSecondary, Zone.LinkTo).
func (z *zone) info(m map[string]any) map[string]any {
	switch {
	case z.primaryIP != "":
		m["secondary"] = map[string]any{"enabled": true, "primary_ip": z.primaryIP, "primary_port": 53, "expired": false, "status": "ok", "error": nil}
		m["primary"] = map[string]any{"enabled": false, "secondaries": []any{}}
	case z.link != "":
		m["link"] = z.link
	}
	return m
}

// list answers GET /v1/zones: the zones in name order, ZonePageSize a
// page, the next page after the last zone shown (lose: a zone lost from
// a page that has a next one, which starts after it all the same).
func (s *Server) list(w http.ResponseWriter, r *http.Request, lose bool) {
	names := make([]string, 0, len(s.zones))
	for n := range s.zones {
		names = append(names, n)
	}
	sort.Strings(names)
	start := 0
	if after := r.URL.Query().Get("after"); after != "" {
		start = sort.SearchStrings(names, after)
		if start < len(names) && names[start] == after {
			start++
		}
	}
	end := min(start+s.ZonePageSize, len(names))
	page := fakeapi.Shorten(names[start:end], lose && end < len(names))
	out := []map[string]any{}
	for _, n := range page {
		out = append(out, s.zones[n].info(map[string]any{"zone": n, "id": "zone-" + n, "ttl": 3600, "nx_ttl": 3600, "retry": 7200, "refresh": 43200,
			"expiry": 1209600, "serial": 1700000000, "hostmaster": "hostmaster@nsone.net", "dns_servers": s.zones[n].servers, "networks": []int{0}}))
	}
	if end < len(names) {
		w.Header().Set("Link", fmt.Sprintf("<%s/v1/zones?after=%s>; rel=\"next\"", s.URL, names[end-1]))
	}
	fakeapi.JSON(w, 200, out)
}

// types are the record types the records endpoint writes (DHCID among
// them: dnscontrol's NS1 provider writes it against the live API,
// providers/ns1/ns1Provider.go at commit e0e32ca1, CanUseDHCID). REDIRECT is
// not among them: NS1 makes that record itself for a URL redirect
// configuration ("the platform auto-generates a REDIRECT record type",
// ibm.com/docs/en/ns1-connect?topic=redirects-configuring-url-redirect;
// ns1-go's rest/redirect.go writes them at /v1/redirect), so a Seed may
// hold one and a PUT or POST of one is refused.
var types = map[string]bool{"A": true, "AAAA": true, "ALIAS": true, "CAA": true, "CNAME": true, "DHCID": true, "DNAME": true, "DS": true, "HTTPS": true, "MX": true, "NAPTR": true, "NS": true, "PTR": true, "SPF": true, "SRV": true, "SSHFP": true, "SVCB": true, "TLSA": true, "TXT": true, "URLFWD": true}

// rdataLen are the rdata fields per type. SVCB and HTTPS take priority,
// target and parameters, listed joined by spaces ("1 test.com. alpn=h2
// port=99", "0 test.com. " with none: dnscontrol's recording of the live
// zone listing, providers/ns1/test_data/recorded_torc_input_convert_
// dnscontrolintegration.io.json at commit b2c380f5, indexes 56 to 75).
var rdataLen = map[string]int{"DHCID": 1, "A": 1, "AAAA": 1, "ALIAS": 1, "CNAME": 1, "DNAME": 1, "NS": 1, "PTR": 1, "TXT": 1, "SPF": 1, "MX": 2, "SRV": 4, "CAA": 3, "DS": 4, "TLSA": 4, "SSHFP": 3, "NAPTR": 6, "SVCB": 3, "HTTPS": 3}

func (s *Server) record(w http.ResponseWriter, r *http.Request, z *zone, domain, typ string) {
	key := domain + " " + typ
	cur := z.records[key]
	if r.Method == http.MethodGet {
		s.Inc("GET record")
	} else {
		s.Inc(r.Method)
	}
	if r.Method != http.MethodGet && (z.primaryIP != "" || z.link != "") {
		message(w, 400, "zone "+z.name+" is a secondary or linked zone: its records cannot be changed") // the fake's text
		return
	}
	switch r.Method {
	case http.MethodGet:
		if cur == nil {
			message(w, 404, "record not found")
			return
		}
		fakeapi.JSON(w, 200, cur)
	case http.MethodDelete:
		if cur == nil {
			message(w, 404, "record not found")
			return
		}
		delete(z.records, key)
		fakeapi.JSON(w, 200, map[string]any{})
	case http.MethodPut, http.MethodPost:
		if r.Method == http.MethodPut && cur != nil {
			message(w, 400, "record already exists")
			return
		}
		if r.Method == http.MethodPost && cur == nil {
			message(w, 404, "record not found")
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			message(w, 400, "invalid JSON: "+err.Error())
			return
		}
		// NS1 validates the types of the fields it is sent: null is not
		// an array (filters) nor an object (regions, meta).
		nulls, err := fakeapi.NullFields(body, "answers", "filters", "regions")
		if err != nil {
			message(w, 400, "invalid JSON: "+err.Error())
			return
		}
		if len(nulls) > 0 { // NS1 names the first field it refuses
			kind := "array"
			if nulls[0] == "regions" {
				kind = "object"
			}
			message(w, 400, fmt.Sprintf("Input validation failed (Value None for field '<obj>.%s' is not of type %s)", nulls[0], kind))
			return
		}
		var in Record
		if err := fakeapi.Decode(bytes.NewReader(body), &in); err != nil {
			message(w, 400, "invalid JSON: "+err.Error())
			return
		}
		if in.Zone != z.name || in.Domain != domain || in.Type != typ {
			message(w, 400, "zone, domain and type in the body must match the URL")
			return
		}
		if !types[typ] || (domain != z.name && !strings.HasSuffix(domain, "."+z.name)) {
			message(w, 400, "invalid: record type or domain")
			return
		}
		if len(in.Answers) == 0 {
			message(w, 400, "record must have at least one answer")
			return
		}
		for _, a := range in.Answers {
			if n := rdataLen[typ]; n > 0 && len(a.Answer) != n {
				message(w, 400, fmt.Sprintf("invalid rdata for %s: want %d fields, got %d", typ, n, len(a.Answer)))
				return
			}
		}
		// A CNAME beside other records is taken (the A answers, then an
		// ALIAS, then the CNAME): NS1 converts a record's type by
		// creating the new one and then deleting the old, "Once you
		// create an A record, NS1 will start answering with that"
		// (help.ns1.com, "Converting between CNAME, A, and ALIAS record
		// types", article 360020249033). Not refused here.
		if cur != nil {
			in.ID = cur.ID
			if in.Filters == nil {
				in.Filters = cur.Filters
			}
			if in.Meta == nil {
				in.Meta = cur.Meta
			}
		} else {
			s.nextID++
			in.ID = fmt.Sprintf("%024x", s.nextID)
		}
		if in.TTL == 0 { // no "ttl" sent (ns1-go omits 0): the zone's default
			in.TTL = 3600
		}
		if typ == "TLSA" {
			// NS1 lists a TLSA's certificate association data in lower
			// case whatever case it was sent in ("2 0 1 0123456789abcdef…"
			// after dnscontrol sent capitals: its recording of the live
			// listing, providers/ns1/test_data/recorded_torc_input_
			// convert_dnscontrolintegration.io.json at commit b2c380f5,
			// indexes 4 to 8; a DS's digest stays as sent, indexes 22-42).
			for _, a := range in.Answers {
				if len(a.Answer) == 4 {
					a.Answer[3] = strings.ToLower(fmt.Sprint(a.Answer[3]))
				}
			}
		}
		z.records[key] = &in
		fakeapi.JSON(w, 200, in)
	default:
		message(w, 405, "method not allowed")
	}
}
