// Package ns1test is a fake NS1 API v1 for tests: an httptest server that
// follows the documented request and response shapes (X-NSONE-Key,
// GET /v1/zones/:zone with record summaries paginated by the Link header,
// PUT/POST/GET/DELETE /v1/zones/:zone/:domain/:type with answers, meta and
// filters, {"message": ...} error bodies, X-Ratelimit-Limit / -Remaining /
// -Period per endpoint family) and keeps state.
package ns1test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
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
}

// Fault makes matching requests fail: the first Skip pass, the next Times
// get Status (429: "rate limit exceeded" with no requests remaining; -1:
// the connection is closed after the request is applied, so the answer is
// lost).
type Fault struct {
	Method string
	Skip   int
	Times  int
	Status int
}

// Server is the fake; configure APIURL().
type Server struct {
	*httptest.Server
	key string
	// PageSize is the most record summaries per zone page.
	PageSize int
	// Limit and Period are the announced rate limit per family;
	// Remaining, when above 0, is announced as the requests left.
	Limit, Period, Remaining int

	mu     sync.Mutex
	zones  map[string]*zone
	nextID int
	counts map[string]int
	used   map[string]int
	window time.Time // start of the current rate-limit window
	faults []*Fault
}

// New starts a fake that accepts one API key.
func New(key string) *Server {
	s := &Server{key: key, PageSize: 100, Limit: 100, Period: 10, zones: map[string]*zone{}, counts: map[string]int{}, used: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// APIURL is the base URL to configure.
func (s *Server) APIURL() string { return s.URL + "/v1" }

// AddZone adds a zone with NS1's apex NS record.
func (s *Server) AddZone(name string) {
	s.mu.Lock()
	servers := []string{"dns1.p01.nsone.net", "dns2.p01.nsone.net"}
	s.zones[name] = &zone{name: name, servers: servers, records: map[string]*Record{}}
	s.mu.Unlock()
	var as []Answer
	for _, n := range servers {
		as = append(as, Answer{Answer: []any{n}})
	}
	s.Seed(Record{Zone: name, Domain: name, Type: "NS", TTL: 3600, Answers: as})
}

// Seed stores a record directly.
func (s *Server) Seed(r Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	r.ID = fmt.Sprintf("%024x", s.nextID)
	s.zones[r.Zone].records[r.Domain+" "+r.Type] = &r
}

// Record returns a stored record.
func (s *Server) Record(zone, domain, typ string) *Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.zones[zone].records[domain+" "+typ]
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

// AddFault adds a fault.
func (s *Server) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Count is the number of requests of a kind: "write", "list" (zone
// pages), "GET record", "PUT", "POST", "DELETE".
func (s *Server) Count(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[kind]
}

// discard is an answer never sent.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

func reply(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func message(w http.ResponseWriter, status int, msg string) {
	reply(w, status, map[string]string{"message": msg})
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.Method != http.MethodGet {
		s.counts["write"]++
	}
	if r.Header.Get("X-NSONE-Key") != s.key {
		message(w, http.StatusUnauthorized, "Authentication failed")
		return
	}
	path, ok := strings.CutPrefix(r.URL.Path, "/v1/zones/")
	if !ok {
		message(w, http.StatusNotFound, "Not Found")
		return
	}
	parts := strings.Split(path, "/")
	fam := "read zones"
	if r.Method != http.MethodGet {
		fam = "write zones"
	}
	if time.Since(s.window) > time.Duration(s.Period)*time.Second {
		s.window, s.used = time.Now(), map[string]int{}
	}
	s.used[fam]++
	w.Header().Set("X-Ratelimit-Limit", strconv.Itoa(s.Limit))
	w.Header().Set("X-Ratelimit-Period", strconv.Itoa(s.Period))
	for _, f := range s.faults {
		if f.Method == "" || f.Method == r.Method {
			if f.Skip > 0 {
				f.Skip--
				continue
			}
			if f.Times > 0 && f.Status == -1 {
				f.Times--
				orig := w
				defer func() {
					if hj, ok := orig.(http.Hijacker); ok {
						if c, _, err := hj.Hijack(); err == nil {
							c.Close()
						}
					}
				}()
				w = discard{}
				break
			}
			if f.Times > 0 {
				f.Times--
				if f.Status == http.StatusTooManyRequests {
					w.Header().Set("X-Ratelimit-Remaining", "0")
					message(w, f.Status, "rate limit exceeded")
					return
				}
				message(w, f.Status, "internal error")
				return
			}
		}
	}
	left := max(s.Limit-s.used[fam], 1)
	if s.Remaining > 0 {
		left = s.Remaining
	}
	w.Header().Set("X-Ratelimit-Remaining", strconv.Itoa(left))
	z := s.zones[parts[0]]
	if z == nil {
		message(w, http.StatusNotFound, "zone not found")
		return
	}
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		s.counts["list"]++
		s.zone(w, r, z)
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

func (s *Server) zone(w http.ResponseWriter, r *http.Request, z *zone) {
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
	end := min(start+s.PageSize, len(keys))
	var sums []map[string]any
	for _, k := range keys[start:end] {
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
		next := fmt.Sprintf("%s/v1/zones/%s?after=%s&limit=%d", s.URL, z.name, strings.ReplaceAll(keys[end-1], " ", "%20"), s.PageSize)
		w.Header().Set("Link", fmt.Sprintf("<%s>; rel=\"next\"", next))
	}
	reply(w, 200, map[string]any{"zone": z.name, "id": "zone-" + z.name, "ttl": 3600, "nx_ttl": 3600, "retry": 7200, "refresh": 43200,
		"expiry": 1209600, "serial": 1700000000, "hostmaster": "hostmaster@nsone.net", "dns_servers": z.servers, "networks": []int{0}, "records": sums})
}

var types = map[string]bool{"A": true, "AAAA": true, "ALIAS": true, "CAA": true, "CNAME": true, "DS": true, "MX": true, "NAPTR": true, "NS": true, "PTR": true, "SPF": true, "SRV": true, "SSHFP": true, "TLSA": true, "TXT": true, "URLFWD": true}

// rdataLen are the rdata fields per type.
var rdataLen = map[string]int{"A": 1, "AAAA": 1, "ALIAS": 1, "CNAME": 1, "NS": 1, "PTR": 1, "TXT": 1, "SPF": 1, "MX": 2, "SRV": 4, "CAA": 3, "DS": 4, "TLSA": 4, "SSHFP": 3, "NAPTR": 6}

func (s *Server) record(w http.ResponseWriter, r *http.Request, z *zone, domain, typ string) {
	key := domain + " " + typ
	cur := z.records[key]
	if r.Method == http.MethodGet {
		s.counts["GET record"]++
	} else {
		s.counts[r.Method]++
	}
	switch r.Method {
	case http.MethodGet:
		if cur == nil {
			message(w, 404, "record not found")
			return
		}
		reply(w, 200, cur)
	case http.MethodDelete:
		if cur == nil {
			message(w, 404, "record not found")
			return
		}
		delete(z.records, key)
		reply(w, 200, map[string]any{})
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
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			message(w, 400, "invalid JSON: "+err.Error())
			return
		}
		for name, kind := range map[string]string{"filters": "array", "regions": "object", "answers": "array"} {
			if v, ok := fields[name]; ok && string(v) == "null" {
				message(w, 400, fmt.Sprintf("Input validation failed (Value None for field '<obj>.%s' is not of type %s)", name, kind))
				return
			}
		}
		var in Record
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
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
		for k, o := range z.records {
			if k != key && o.Domain == domain && (o.Type == "CNAME") != (typ == "CNAME") {
				message(w, 400, "invalid: a CNAME cannot coexist with other records at "+domain)
				return
			}
		}
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
		if in.TTL == 0 {
			in.TTL = 3600
		}
		z.records[key] = &in
		reply(w, 200, in)
	default:
		message(w, 405, "method not allowed")
	}
}
