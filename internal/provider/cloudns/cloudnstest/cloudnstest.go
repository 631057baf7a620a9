// Package cloudnstest is a fake ClouDNS HTTP API for tests: an httptest
// server that keeps state and follows the API as ClouDNS documents it, not
// as this project's provider uses it. Sources:
//
//   - ClouDNS API help (www.cloudns.net/wiki/article/…, api-help): "List
//     records" (article 57: records.json, rows-per-page 10, 20, 30, 50 or
//     100, page from 1, an object keyed by record id), "Get records pages
//     count" (get-records-pages-count.json), "Get pages count" (article
//     50's sibling get-pages-count.json: pages of the zone LIST), "Import
//     records" (article 156: format bind, delete-existing-records, "If the
//     records you are trying to import are equal or above 100, a job for
//     the import will be created"), add-record / mod-record /
//     delete-record, get-zone-info, get-dnssec-ds-records; the failure
//     frame {"status":"Failed","statusDescription":…} with HTTP 200, the
//     "Invalid authentication, incorrect auth-id or auth-password." text;
//     the TTL list (article 188), and "Get available TTLs"
//     (dns/get-available-ttl.json with domain-name: a JSON array of the
//     TTLs the zone's records may have, which depends on the account's
//     plan; the fake's TTLs, the documented list unless a test sets it).
//     add-record, mod-record and records-import refuse any other TTL
//     ("Invalid TTL. Choose from the list of the values we support.").
//   - "List zones" (article 50, dns/list-zones.json): page (required,
//     "Missing required parameter 'page'." without it), rows-per-page
//     (required, 10, 20, 30, 50 or 100, "Wrong or missing required
//     parameter 'rows-per-page'."), search (optional: "Domain name,
//     reverse zone name or keyword to search for in the zone names");
//     "Return: Array with the found zones", each as get-zone-info shows
//     one (name, type, zone, status); get-pages-count counts the pages of
//     that list for the same rows-per-page and search.
//   - ClouDNS's own PHP SDK (github.com/ClouDNS/cloudns-php-sdk,
//     ClouDNS_SDK.php): dnsGetPagesCount posts to dns/get-pages-count with
//     rows-per-page and search only (the zone list); every call is a POST
//     of auth-id / sub-auth-id / sub-auth-user and auth-password.
//   - dnscontrol's ClouDNS provider docs (documentation/providers/cloudns.md):
//     DS only below the apex, the TTL list.
//   - Slave zones: get-zone-info and list-zones give a zone's type
//     ("master", "slave", ...); "List records" (article 57), "Add record"
//     (58), "Modify record" (60) and "Import records" (156) say "This
//     function is available only for master zones". ClouDNS does not
//     document the answer to one of them for a slave zone: the fake
//     answers the failure frame with a text of its own.
//   - The rate limit: more than 20 requests a second from an address are
//     answered "Request blocked, … is sending more than 20 requests per
//     second." (HTTP 200, status Failed), enforced here per second.
package cloudnstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/fakeapi"
	"github.com/dnsparity/dnsparity/internal/plural"
	dnszone "github.com/dnsparity/dnsparity/internal/zone"
)

// Record is a record as records.json lists it.
type Record struct {
	ID               string `json:"id"`
	Type             string `json:"type"`
	Host             string `json:"host"`
	Record           string `json:"record"`
	TTL              string `json:"ttl"`
	Status           int    `json:"status"`
	Failover         string `json:"failover"`
	Priority         string `json:"priority,omitempty"`
	Weight           string `json:"weight,omitempty"`
	Port             string `json:"port,omitempty"`
	CaaFlag          string `json:"caa_flag,omitempty"`
	CaaType          string `json:"caa_type,omitempty"`
	CaaValue         string `json:"caa_value,omitempty"`
	TlsaUsage        string `json:"tlsa_usage,omitempty"`
	TlsaSelector     string `json:"tlsa_selector,omitempty"`
	TlsaMatchingType string `json:"tlsa_matching_type,omitempty"`
	Algorithm        string `json:"algorithm,omitempty"`
	FpType           string `json:"fp_type,omitempty"`
	KeyTag           string `json:"key_tag,omitempty"`
	// A DS is listed with its algorithm in "algorithm" (the field an
	// SSHFP's is in) and its digest in "record", beside key_tag and
	// digest_type: what dnscontrol's ClouDNS provider reads from the
	// live API (providers/cloudns/cloudnsProvider.go, toRc: "SshFpAlgorithm
	// and DsAlgorithm both use json field \"algorithm\"", rc.DsDigest =
	// r.Target, the "record" field; DS support tested against ClouDNS in
	// StackExchange/dnscontrol PR #1018).
	DigestType   string `json:"digest_type,omitempty"`
	RedirectType string `json:"redirect_type,omitempty"`
	// An RP's mail and txt, a HINFO's cpu and os, a CERT's cert_type
	// (its key_tag and algorithm in the fields above, its certificate in
	// record), an SMIMEA's smimea_usage, smimea_selector and
	// smimea_matching_type (its data in record), as records.json lists
	// them and add-record takes mail, txt, cpu, os, cert-type,
	// cert-key-tag, cert-algorithm and smimea-usage, smimea-selector,
	// smimea-matching-type: ClouDNS's WHMCS module,
	// github.com/ClouDNS/whmcs-dns-provisioning-module at commit
	// 010e07f, src/cloudns_core/actions.php (getRecords, each listed
	// row) and src/cloudns.php (add-record). An OPENPGPKEY's key is its
	// record.
	Mail, Txt          string `json:"-"` // listed as mail and txt (MarshalJSON)
	CertType           string `json:"cert_type,omitempty"`
	SmimeaUsage        string `json:"smimea_usage,omitempty"`
	SmimeaSelector     string `json:"smimea_selector,omitempty"`
	SmimeaMatchingType string `json:"smimea_matching_type,omitempty"`
	CPU                string `json:"cpu,omitempty"`
	OS                 string `json:"os,omitempty"`
	// GeoDNS: records.json lists a record's location as its id, name and
	// code, "DEFAULT" for the answer of every other location; add-record
	// takes geodns-location (the id) or geodns-code, but the listing has
	// no geodns-code. As the real API answers (StackExchange/dnscontrol
	// PR #3944, "CLOUDNS: Add GeoDNS support", tested against ClouDNS):
	// {"id":"XXXX","type":"A","host":"","record":"1.2.3.7",...,
	// "geodns-location":"2","geodns-location-name":"Africa",
	// "geodns-location-code":"AFR","status":1}. Seed fills the id and
	// name from the code.
	GeoLocation string `json:"geodns-location,omitempty"`
	GeoName     string `json:"geodns-location-name,omitempty"`
	GeoCode     string `json:"geodns-location-code,omitempty"`
	// A NAPTR's fields, as add-record takes them and records.json lists
	// them (ClouDNS's own octoDNS provider, github.com/ClouDNS/
	// octodns_cloudns, octodns_cloudns/__init__.py at commit b5382e70,
	// record_create and _data_for_NAPTR; ClouDNS's PHP SDK,
	// ClouDNS_SDK.php at commit ecca7033, dnsAddRecord). A NAPTR's
	// listing has every one of them, an empty one as "" (MarshalJSON):
	// that octoDNS provider reads record['flag'], ['params'], ['regexp']
	// and ['replace'] as they are, no default.
	Order   string `json:"order,omitempty"`
	Pref    string `json:"pref,omitempty"`
	Flag    string `json:"flag,omitempty"`
	Params  string `json:"params,omitempty"`
	Regexp  string `json:"regexp,omitempty"`
	Replace string `json:"replace,omitempty"`
	// A LOC's fields: add-record takes lat-deg ... v-precision,
	// records.json lists lat_deg ... v_precision (dnscontrol's ClouDNS
	// provider, run against the live API: providers/cloudns/api.go,
	// cloudnsProvider.go toReq and toRc, at commit e0e32ca1; the octoDNS
	// provider's _data_for_LOC).
	LatDeg     string `json:"lat_deg,omitempty"`
	LatMin     string `json:"lat_min,omitempty"`
	LatSec     string `json:"lat_sec,omitempty"`
	LatDir     string `json:"lat_dir,omitempty"`
	LongDeg    string `json:"long_deg,omitempty"`
	LongMin    string `json:"long_min,omitempty"`
	LongSec    string `json:"long_sec,omitempty"`
	LongDir    string `json:"long_dir,omitempty"`
	Altitude   string `json:"altitude,omitempty"`
	Size       string `json:"size,omitempty"`
	HPrecision string `json:"h_precision,omitempty"`
	VPrecision string `json:"v_precision,omitempty"`
}

// MarshalJSON lists r as records.json does: a NAPTR with each of its six
// fields, empty ones as "" (see Order), an RP with its mail and txt,
// every other record without the fields of other types.
func (r Record) MarshalJSON() ([]byte, error) {
	type plain Record
	b, err := json.Marshal(plain(r))
	own := map[string]map[string]string{
		"NAPTR": {"order": r.Order, "pref": r.Pref, "flag": r.Flag, "params": r.Params, "regexp": r.Regexp, "replace": r.Replace},
		"RP":    {"mail": r.Mail, "txt": r.Txt},
	}[r.Type]
	if err != nil || own == nil {
		return b, err
	}
	var all map[string]any
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for k, v := range own {
		all[k] = v
	}
	return json.Marshal(all)
}

// geoLocations are a few GeoDNS locations, code → id and name (Africa
// as the real API lists it; the rest stand-ins).
var geoLocations = map[string][2]string{"DEFAULT": {"0", "Default"}, "AFR": {"2", "Africa"}, "EU": {"3", "Europe"}, "NA": {"4", "North America"}}

type zone struct {
	records map[string]*Record
	dnssec  bool
	ds      []string
	slave   bool // a slave zone, kept by zone transfers from its masters
}

// kind is the zone's type as get-zone-info and list-zones give it.
func (z *zone) kind() string {
	if z.slave {
		return "slave"
	}
	return "master"
}

// Fault makes matching calls fail (Path: a substring of the path): 429
// gives ClouDNS's rate-limit refusal (HTTP 200, "Request blocked, … is
// sending more than 20 requests per second."), Short drops one record
// from a records.json page; Body, when set, is the answer as it is.
type Fault = fakeapi.Fault

// Short makes a listing page lose one record (fakeapi.Short).
const Short = fakeapi.Short

// Server is the fake API; configure its URL.
type Server struct {
	*httptest.Server
	fakeapi.Kit
	authID, subAuthID, password string

	zones  map[string]*zone
	nextID int
	// JobSteps is the number of requests after which an import job of
	// ImportJobAt records or more has added its records (default 3).
	JobSteps int
	// JobBatch, when above 0, makes a job add its records JobBatch a
	// request once its steps are done, rather than all at once (ClouDNS
	// does not say which it does).
	JobBatch int
	jobs     []*job
	// SecretInURL is set when a request carried auth-password in its URL.
	SecretInURL bool
	// TTLs are the TTLs the account's plan allows (get-available-ttl),
	// which every write enforces; New sets DocumentedTTLs.
	TTLs []int
}

// DocumentedTTLs are the TTLs ClouDNS's API help lists (article 188).
var DocumentedTTLs = []int{60, 300, 900, 1800, 3600, 21600, 43200, 86400, 172800, 259200, 604800, 1209600, 2592000}

// SetTTLs sets the TTLs the account's plan allows.
func (s *Server) SetTTLs(ttls ...int) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.TTLs = ttls
}

// ImportJobAt is the import size ClouDNS runs as a job.
const ImportJobAt = 100

// job is an import running in the background.
type job struct {
	zone  *zone
	recs  []Record
	steps int
}

// New starts a fake for one API user (authID or subAuthID may be ""),
// refusing more than 20 requests a second as ClouDNS does.
func New(authID, subAuthID, password string) *Server {
	s := &Server{authID: authID, subAuthID: subAuthID, password: password, zones: map[string]*zone{}, nextID: 5000, JobSteps: 3, TTLs: slices.Clone(DocumentedTTLs)}
	s.Limit = &fakeapi.Window{Limit: 20, Period: time.Second}
	s.IsWrite = func(_, path string) bool { return writes(endpoint(path)) }
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// endpoint is the API call a request's path names ("add-record").
func endpoint(path string) string {
	return strings.TrimSuffix(strings.TrimPrefix(path, "/dns/"), ".json")
}

// writes reports whether an API call changes records (every call is a
// POST: the method does not tell).
func writes(endpoint string) bool {
	return endpoint == "add-record" || endpoint == "mod-record" || endpoint == "delete-record" || endpoint == "records-import"
}

// AddZone adds a master zone with ClouDNS's apex NS records.
func (s *Server) AddZone(name string) {
	s.Mu.Lock()
	s.zones[name] = &zone{records: map[string]*Record{}}
	s.Mu.Unlock()
	for _, ns := range []string{"pns41.cloudns.net", "pns42.cloudns.com"} {
		s.Seed(name, Record{Type: "NS", Host: "", Record: ns, TTL: "3600"})
	}
}

// AddSlaveZone adds a slave zone (its records come by zone transfer
// from its master servers; none are kept here).
func (s *Server) AddSlaveZone(name string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.zones[name] = &zone{records: map[string]*Record{}, slave: true}
}

// Seed stores a record directly and returns its id.
func (s *Server) Seed(name string, r Record) string {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.nextID++
	r.ID = strconv.Itoa(s.nextID)
	r.Status = 1
	if l, ok := geoLocations[r.GeoCode]; ok && r.GeoLocation == "" {
		r.GeoLocation, r.GeoName = l[0], l[1]
	}
	if r.Failover == "" {
		r.Failover = "0"
	}
	s.zones[name].records[r.ID] = &r
	return r.ID
}

// Delete removes a record directly (as delete-record does).
func (s *Server) Delete(name, id string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	delete(s.zones[name].records, id)
}

// SetDNSSEC turns signing on (with the DS records it publishes) or off.
func (s *Server) SetDNSSEC(name string, on bool, ds ...string) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.zones[name].dnssec, s.zones[name].ds = on, ds
}

// SetStatus activates (1) or deactivates (0) a record, as "Change
// record's status" (dns/change-record-status.json) does: records.json
// lists an inactive record with "status": 0, and ClouDNS does not serve
// it.
func (s *Server) SetStatus(name, id string, status int) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	s.zones[name].records[id].Status = status
}

// Records are the zone's records.
func (s *Server) Records(name string) []Record {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return fakeapi.Sorted(s.zones[name].records)
}

func failed(w http.ResponseWriter, msg string) {
	fakeapi.JSON(w, 200, map[string]string{"status": "Failed", "statusDescription": msg})
}

func ok(w http.ResponseWriter, msg string, data any) {
	v := map[string]any{"status": "Success", "statusDescription": msg}
	if data != nil {
		v["data"] = data
	}
	fakeapi.JSON(w, 200, v)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	if r.URL.Query().Get("auth-password") != "" {
		s.SecretInURL = true
	}
	if err := r.ParseForm(); err != nil {
		failed(w, "Invalid request")
		return
	}
	f := r.Form
	endpoint := endpoint(r.URL.Path)
	write := writes(endpoint)
	if write {
		s.Inc("write")
	}
	s.Inc(endpoint)
	s.runJobs()
	if ok, _, _ := s.Take(); !ok {
		failed(w, "Request blocked, 127.0.0.1 is sending more than 20 requests per second.")
		return
	}
	user := (s.authID != "" && fakeapi.Secret(f.Get("auth-id"), s.authID)) || (s.subAuthID != "" && fakeapi.Secret(f.Get("sub-auth-id"), s.subAuthID))
	if !user || !fakeapi.Secret(f.Get("auth-password"), s.password) {
		failed(w, "Invalid authentication, incorrect auth-id or auth-password.")
		return
	}
	ft, short := s.Faulted(r.Method, r.URL.Path)
	switch out, done, applied := fakeapi.Apply(w, ft, func(w http.ResponseWriter, _ http.Header) {
		fakeapi.JSON(w, ft.Status, map[string]string{"status": "Failed", "statusDescription": http.StatusText(ft.Status)})
	}); {
	case applied:
		w = out
		defer done()
	case ft.Status == http.StatusTooManyRequests:
		failed(w, "Request blocked, 127.0.0.1 is sending more than 20 requests per second.")
		return
	case ft.Body != "":
		// A recorded answer, as it is (HTTP 200 unless Status says).
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(max(ft.Status, http.StatusOK))
		io.WriteString(w, ft.Body)
		return
	case ft.Status > 0:
		fakeapi.JSON(w, ft.Status, map[string]string{"status": "Failed", "statusDescription": http.StatusText(ft.Status)})
		return
	}
	if endpoint == "get-pages-count" {
		// Pages of the zone list (rows-per-page, search), not of records.
		pagesCount(w, f, len(s.found(f.Get("search"))))
		return
	}
	if endpoint == "list-zones" {
		s.Inc("list zones")
		s.listZones(w, f, short)
		return
	}
	if endpoint == "login" {
		ok(w, "Success login.", nil)
		return
	}
	z := s.zones[f.Get("domain-name")]
	if z == nil {
		if f.Get("domain-name") == "" {
			failed(w, "Missing domain-name")
		} else {
			failed(w, "Invalid domain name or the zone does not exist in your account.")
		}
		return
	}
	switch endpoint {
	case "records", "get-records-pages-count", "get-records-count", "add-record", "mod-record", "delete-record", "records-import":
		if z.slave {
			failed(w, "This function is available only for master zones.") // the fake's text: ClouDNS documents none
			return
		}
	}
	switch endpoint {
	case "get-zone-info":
		fakeapi.JSON(w, 200, map[string]string{"name": f.Get("domain-name"), "type": z.kind(), "zone": "domain", "status": "1"})
	case "get-records-pages-count":
		pagesCount(w, f, len(z.records))
	case "get-available-ttl":
		fakeapi.JSON(w, 200, s.TTLs)
	case "get-records-count":
		fakeapi.JSON(w, 200, len(z.records))
	case "records":
		s.Inc("list")
		s.records(w, f, z, short)
	case "add-record", "mod-record":
		s.write(w, f, z, endpoint == "mod-record")
	case "delete-record":
		deleteRecord(w, z, f.Get("record-id"))
	case "records-import":
		s.importRecords(w, f, z, f.Get("domain-name"))
	case "get-dnssec-ds-records":
		dsRecords(w, z, f.Get("domain-name"))
	default:
		failed(w, "Invalid API endpoint")
	}
}

// deleteRecord answers delete-record of the record id of zone z.
func deleteRecord(w http.ResponseWriter, z *zone, id string) {
	if z.records[id] == nil {
		failed(w, "Invalid record-id")
		return
	}
	if r := z.records[id]; r.Type == "NS" {
		delete(z.records, id)
		if !hasNS(z, r.Host) && hasType(z, r.Host, "DS") {
			z.records[id] = r // the DS would be left without NS
			failed(w, "DS records require NS records for the same host.")
			return
		}
	}
	delete(z.records, id)
	ok(w, "The record was deleted successfully.", nil)
}

// dsRecords answers get-dnssec-ds-records of zone z (named name).
func dsRecords(w http.ResponseWriter, z *zone, name string) {
	if !z.dnssec {
		failed(w, "The DNSSEC is not active.")
		return
	}
	var lines []string
	for _, d := range z.ds {
		lines = append(lines, name+". 3600 IN DS "+d)
	}
	fakeapi.JSON(w, 200, map[string]any{"ds": lines})
}

// found are the names of the zones whose name holds search, sorted.
func (s *Server) found(search string) []string {
	var out []string
	for n := range s.zones {
		if strings.Contains(n, search) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// listZones answers list-zones.json: one page of the zones found (short:
// one lost from the page).
func (s *Server) listZones(w http.ResponseWriter, f url.Values, short bool) {
	page, err := strconv.Atoi(f.Get("page"))
	if err != nil || page < 1 {
		failed(w, "Missing required parameter 'page'.")
		return
	}
	rows, ok := perPage(f.Get("rows-per-page"))
	if !ok {
		failed(w, "Wrong or missing required parameter 'rows-per-page'.")
		return
	}
	out := []map[string]string{}
	for _, n := range fakeapi.Shorten(fakeapi.Page(s.found(f.Get("search")), page, rows), short) {
		out = append(out, map[string]string{"name": n, "type": s.zones[n].kind(), "zone": "domain", "status": "1"})
	}
	fakeapi.JSON(w, 200, out)
}

func perPage(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && (n == 10 || n == 20 || n == 30 || n == 50 || n == 100)
}

// pagesCount answers how many pages of rows-per-page rows n rows fill.
func pagesCount(w http.ResponseWriter, f url.Values, n int) {
	rows, ok := perPage(f.Get("rows-per-page"))
	if !ok {
		failed(w, "Wrong or missing required parameter 'rows-per-page'.")
		return
	}
	fakeapi.JSON(w, 200, fakeapi.Pages(n, rows))
}

func (s *Server) records(w http.ResponseWriter, f map[string][]string, z *zone, short bool) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	all := fakeapi.Sorted(z.records)
	if get("rows-per-page") != "" {
		rows, okRows := perPage(get("rows-per-page"))
		page, err := strconv.Atoi(get("page"))
		if !okRows || err != nil || page < 1 {
			failed(w, "Invalid rows-per-page or page")
			return
		}
		all = fakeapi.Page(all, page, rows)
	}
	all = fakeapi.Shorten(all, short)
	if len(all) == 0 {
		fakeapi.JSON(w, 200, []any{}) // PHP's empty array
		return
	}
	out := map[string]Record{}
	for _, r := range all {
		out[r.ID] = r
	}
	fakeapi.JSON(w, 200, out)
}

var types = map[string]bool{"A": true, "AAAA": true, "MX": true, "CNAME": true, "DNAME": true, "TXT": true, "SPF": true, "NS": true, "SRV": true, "WR": true, "ALIAS": true, "RP": true, "SSHFP": true, "PTR": true, "NAPTR": true, "CAA": true, "TLSA": true, "DS": true, "LOC": true,
	"HINFO": true, "CERT": true, "SMIMEA": true, "OPENPGPKEY": true, "SVCB": true, "HTTPS": true}

func (s *Server) write(w http.ResponseWriter, f map[string][]string, z *zone, mod bool) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	var id string
	if mod {
		id = get("record-id")
		old := z.records[id]
		if old == nil {
			failed(w, "Invalid record-id")
			return
		}
		if t := get("record-type"); t != "" && t != old.Type {
			failed(w, "The record type cannot be changed")
			return
		}
	}
	typ := get("record-type")
	if mod {
		typ = z.records[id].Type
	}
	rec := Record{ID: id, Type: typ, Host: get("host"), Record: get("record"), TTL: get("ttl"), Status: 1, Failover: "0"}
	switch typ {
	case "MX":
		rec.Priority = get("priority")
		rec.Record = listedTarget(rec.Record)
	case "SRV":
		rec.Priority, rec.Weight, rec.Port = get("priority"), get("weight"), get("port")
		rec.Record = listedTarget(rec.Record)
	case "CAA":
		rec.CaaFlag, rec.CaaType, rec.CaaValue = get("caa_flag"), get("caa_type"), get("caa_value")
		// The type is one of three, as ClouDNS lists them: "issue",
		// "issuewild" and "iodef" (article 198, "What is a CAA
		// record?": "Type allows you to choose how you want
		// certificates to be issued by the CA"). Another spelling
		// ("ISSUE") is refused here: ClouDNS documents no other, so
		// what it does with one is not known. The text is the fake's.
		if !slices.Contains([]string{"issue", "issuewild", "iodef"}, rec.CaaType) {
			failed(w, "Invalid caa_type")
			return
		}
	case "TLSA":
		rec.TlsaUsage, rec.TlsaSelector, rec.TlsaMatchingType = get("tlsa_usage"), get("tlsa_selector"), get("tlsa_matching_type")
	case "SSHFP":
		rec.Algorithm, rec.FpType = get("algorithm"), get("fptype")
	case "DS":
		rec.KeyTag, rec.Algorithm, rec.DigestType = get("key-tag"), get("algorithm"), get("digest-type")
		if rec.Host == "" {
			failed(w, "DS records are not allowed at the apex")
			return
		}
	case "RP":
		rec.Mail, rec.Txt = get("mail"), get("txt")
	case "HINFO":
		rec.CPU, rec.OS = get("cpu"), get("os")
	case "CERT":
		rec.CertType, rec.KeyTag, rec.Algorithm = get("cert-type"), get("cert-key-tag"), get("cert-algorithm")
	case "SMIMEA":
		rec.SmimeaUsage, rec.SmimeaSelector, rec.SmimeaMatchingType = get("smimea-usage"), get("smimea-selector"), get("smimea-matching-type")
	case "NAPTR":
		if why := naptr(f, &rec); why != "" {
			failed(w, why)
			return
		}
	case "LOC":
		if why := loc(f, &rec); why != "" {
			failed(w, why)
			return
		}
	}
	// "record: String, Required" for every type ("Add record", article
	// 58; "Modify record", article 60), a CAA's too: dnscontrol's ClouDNS
	// provider, run against the live API, sends a CAA's value in record
	// beside caa_value (providers/cloudns/cloudnsProvider.go, toReq). A
	// NAPTR and a LOC carry their data in their own parameters: ClouDNS's
	// own octoDNS provider sends them without record (record_create).
	// An RP and a HINFO too: ClouDNS's WHMCS module reads their data
	// from mail and txt, cpu and os alone (getRecords). Each of their
	// parameters is required here, a CERT's and an SMIMEA's numbers
	// too (the fake's rule and wording: no source shows an empty one
	// taken, nor what ClouDNS answers).
	own := map[string][]string{"RP": {"mail", "txt"}, "HINFO": {"cpu", "os"}}
	numbers := map[string][]string{"CERT": {"cert-type", "cert-key-tag", "cert-algorithm"}, "SMIMEA": {"smimea-usage", "smimea-selector", "smimea-matching-type"}}
	for _, k := range own[typ] {
		if get(k) == "" {
			failed(w, "Missing "+k)
			return
		}
	}
	for _, k := range numbers[typ] {
		if _, err := strconv.ParseUint(get(k), 10, 16); err != nil {
			failed(w, "Invalid "+k)
			return
		}
	}
	_, noRecord := own[typ]
	noRecord = noRecord || typ == "NAPTR" || typ == "LOC"
	if (get("record") == "" && !noRecord) || (typ == "CAA" && rec.CaaValue == "") {
		failed(w, "Missing record")
		return
	}
	if why := s.store(z, rec, mod); why != "" {
		failed(w, why)
		return
	}
	if mod {
		ok(w, "The record was modified successfully.", nil)
		return
	}
	ok(w, "The record was added successfully.", map[string]int{"id": s.nextID})
}

// naptr reads a NAPTR's parameters into rec ("" when they are whole):
// order and pref are numbers of 16 bits, and flag, params, regexp and
// replace must be sent (ClouDNS's PHP SDK sends all six, dnsAddRecord;
// RFC 3403 §4.1 lets flags, services and regexp be empty, and the
// replacement be the root "."). The texts are the fake's own.
func naptr(f url.Values, rec *Record) string {
	for _, k := range []string{"order", "pref", "flag", "params", "regexp", "replace"} {
		if _, ok := f[k]; !ok {
			return "Missing " + k
		}
	}
	get := f.Get
	if n := atoi(get("order")); n < 0 || n > 65535 {
		return "Invalid order"
	}
	if n := atoi(get("pref")); n < 0 || n > 65535 {
		return "Invalid pref"
	}
	rec.Order, rec.Pref, rec.Flag, rec.Params, rec.Regexp, rec.Replace = get("order"), get("pref"), get("flag"), get("params"), get("regexp"), get("replace")
	return ""
}

// loc reads a LOC's parameters into rec ("" when they are whole): all
// twelve are required, in RFC 1876's ranges (degrees to 90 and 180,
// minutes and seconds below 60, N or S and E or W, an altitude from
// -100000 m, a size and precisions to 90000000 m); the texts are the
// fake's own. "0.00" is taken for the parameter's default (the size 1 m,
// the precisions 10000 m and 10 m, RFC 1876 §3): "API misbehaves with a
// parameter of \"0.00\" and treats it as the default" (dnscontrol's
// ClouDNS provider, providers/cloudns/cloudnsProvider.go at commit
// e0e32ca1, formatLocParam).
func loc(f url.Values, rec *Record) string {
	keys := [12]string{"lat-deg", "lat-min", "lat-sec", "lat-dir", "long-deg", "long-min", "long-sec", "long-dir", "altitude", "size", "h-precision", "v-precision"}
	var v [12]string
	for i, k := range keys {
		if v[i] = f.Get(k); v[i] == "" {
			return "Missing " + k
		}
	}
	num := func(s string, lo, hi float64) bool {
		n, err := strconv.ParseFloat(s, 64)
		return err == nil && !strings.ContainsAny(s, "eEmx") && n >= lo && n <= hi
	}
	switch {
	case !num(v[0], 0, 90) || !num(v[4], 0, 180) || strings.Contains(v[0]+v[4], "."):
		return "Invalid degrees"
	case !num(v[1], 0, 59) || !num(v[5], 0, 59) || strings.Contains(v[1]+v[5], "."):
		return "Invalid minutes"
	case !num(v[2], 0, 59.999) || !num(v[6], 0, 59.999):
		return "Invalid seconds"
	case v[3] != "N" && v[3] != "S", v[7] != "E" && v[7] != "W":
		return "Invalid direction"
	case !num(v[8], -100000, 42849672.95):
		return "Invalid altitude"
	case !num(v[9], 0, 90000000) || !num(v[10], 0, 90000000) || !num(v[11], 0, 90000000):
		return "Invalid size or precision"
	}
	for i, def := range map[int]string{9: "1", 10: "10000", 11: "10"} {
		if v[i] == "0.00" {
			v[i] = def
		}
	}
	rec.LatDeg, rec.LatMin, rec.LatSec, rec.LatDir = v[0], v[1], v[2], v[3]
	rec.LongDeg, rec.LongMin, rec.LongSec, rec.LongDir = v[4], v[5], v[6], v[7]
	rec.Altitude, rec.Size, rec.HPrecision, rec.VPrecision = v[8], v[9], v[10], v[11]
	return ""
}

// listedTarget is an MX's or SRV's target as records.json lists it: the
// root, sent as ".", is listed "" (dnscontrol's recording of the live
// API, github.com/DNSControl/dnscontrol providers/cloudns/test_data/
// recorded_torc_input_toRc_cloudnstest.yesthattom.com.json at commit
// b2c380f5: "MX 0 ." and "SRV 15 65 75 ." listed "record": "", indexes
// 62, 67 and 144, after toReq sent "."); "record" itself is required
// ("Missing record" for none).
func listedTarget(v string) string {
	if v == "." {
		return ""
	}
	return v
}

// store checks a record against the zone and keeps it ("" when done).
func (s *Server) store(z *zone, rec Record, mod bool) string {
	typ := rec.Type
	switch {
	case !types[typ]:
		return "Invalid record-type"
	case !slices.Contains(s.TTLs, atoi(rec.TTL)):
		return "Invalid TTL. Choose from the list of the values we support."
	case strings.HasSuffix(rec.Host, "."):
		return "Invalid host"
	case (typ == "MX" && rec.Priority == "") || (typ == "SRV" && (rec.Priority == "" || rec.Weight == "" || rec.Port == "")):
		return "Missing priority, weight or port"
	case typ == "A" && !address(rec.Record, netip.Addr.Is4):
		return "Invalid IPv4 address."
	case typ == "AAAA" && !address(rec.Record, netip.Addr.Is6):
		return "Invalid IPv6 address."
	}
	if typ == "TXT" || typ == "SPF" {
		// ClouDNS does not keep a TXT text ending in a space as sent
		// (dnscontrol's ClouDNS provider refuses one, "Last verified
		// 2021-03-01" against the live API: providers/cloudns/
		// auditrecords.go, rejectif.TxtHasTrailingSpace): kept here
		// without it, as a form field trimmed on the way in. How ClouDNS
		// alters a `"` or a backtick (refused there too) is not said, so
		// those are kept as sent.
		rec.Record = strings.TrimRight(rec.Record, " ")
	}
	if typ == "DS" && !hasNS(z, rec.Host) {
		// "ClouDNS requires NS records exist for any DS records"
		// (dnscontrol's ClouDNS provider documentation, which adds the NS
		// records first for that reason).
		return "DS records require NS records for the same host."
	}
	// "No other records for the same label may exist (A, MX, TXT,
	// etc.)" beside a DS (the same documentation, Records): a DS at a host
	// holding another type, or another type at a host holding a DS. The
	// text is the fake's own.
	for _, o := range z.records {
		if o.ID == rec.ID || o.Host != rec.Host || o.Type == typ {
			continue
		}
		if (typ == "DS" && o.Type != "NS") || (o.Type == "DS" && typ != "NS") {
			return "DS records cannot coexist with records other than NS with the same host."
		}
	}
	for _, o := range z.records {
		if o.ID == rec.ID || o.Host != rec.Host || o.GeoCode != "" {
			continue
		}
		if (o.Type == "CNAME") != (typ == "CNAME") {
			return "CNAME record cannot coexist with other records with the same host."
		}
		c := *o
		c.ID, c.TTL = rec.ID, rec.TTL
		if c == rec {
			return "The record already exists."
		}
	}
	if mod {
		z.records[rec.ID] = &rec
		return ""
	}
	s.nextID++
	rec.ID = strconv.Itoa(s.nextID)
	z.records[rec.ID] = &rec
	return ""
}

// address reports whether v is an address of the family the method is
// tests (netip.Addr.Is4 or Is6): an A's record is an IPv4 address, an
// AAAA's an IPv6 address ("Add record",
// article 58: record, the record's value), in any of the text forms of
// RFC 4291 §2.2 (an IPv4-mapped one written with its dotted quad,
// ::ffff:192.0.2.1, too), never a bare dotted quad. ClouDNS documents
// no text for the refusal: the fake's own.
func address(v string, is func(netip.Addr) bool) bool {
	a, err := netip.ParseAddr(v)
	return err == nil && is(a) && a.Zone() == ""
}

// hasNS reports whether the zone has an NS record at host.
func hasNS(z *zone, host string) bool { return hasType(z, host, "NS") }

// hasType reports whether the zone has a record of type typ at host.
func hasType(z *zone, host, typ string) bool {
	for _, o := range z.records {
		if o.Host == host && o.Type == typ {
			return true
		}
	}
	return false
}

// atoi is a form field's number (-1 when it is none).
func atoi(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || strconv.Itoa(n) != v {
		return -1
	}
	return n
}

// importRecords adds the records of a BIND text in order; it stops at the
// first record it refuses, keeping those before it (the API documents no
// transaction).
func (s *Server) importRecords(w http.ResponseWriter, f map[string][]string, z *zone, name string) {
	get := func(k string) string {
		if v := f[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if get("format") != "bind" || (get("delete-existing-records") != "0" && get("delete-existing-records") != "1") {
		failed(w, "Invalid format or delete-existing-records")
		return
	}
	if get("delete-existing-records") == "1" {
		z.records = map[string]*Record{}
	}
	// One record a line, its owner absolute (as the provider writes
	// them), read as BIND reads a zone file: a CAA value of over 255
	// octets too (RFC 8659 §4.1.1; zone.NewRR), which miekg/dns's parser
	// alone refuses.
	var rrs []dns.RR
	for _, line := range strings.Split(get("content"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		rr, err := dnszone.NewRR(line)
		if err != nil {
			failed(w, fmt.Sprintf("Import stopped (0 imported): %v", err))
			return
		}
		rrs = append(rrs, rr)
	}
	if len(rrs) >= ImportJobAt {
		// A job: the records are added after JobSteps more requests.
		j := &job{zone: z, steps: s.JobSteps}
		for _, rr := range rrs {
			rec, why := fromRR(name, rr)
			if why != "" {
				failed(w, why)
				return
			}
			j.recs = append(j.recs, rec)
		}
		s.jobs = append(s.jobs, j)
		ok(w, "A job for the import was created.", nil)
		return
	}
	n := 0
	for _, rr := range rrs {
		rec, why := fromRR(name, rr)
		if why == "" {
			why = s.store(z, rec, false)
		}
		if why != "" {
			failed(w, fmt.Sprintf("Import stopped at record %d (%d imported): %s", n+1, n, why))
			return
		}
		n++
	}
	ok(w, fmt.Sprintf("%d records were imported successfully.", n), nil)
}

// runJobs advances the import jobs by one request (Mu held); a job whose
// steps are done adds its records, skipping those the zone refuses.
func (s *Server) runJobs() {
	var left []*job
	for _, j := range s.jobs {
		if j.steps--; j.steps > 0 {
			left = append(left, j)
			continue
		}
		n := len(j.recs)
		if s.JobBatch > 0 {
			n = min(n, s.JobBatch)
		}
		for _, rec := range j.recs[:n] {
			s.store(j.zone, rec, false)
		}
		if j.recs = j.recs[n:]; len(j.recs) > 0 {
			left = append(left, j)
		}
	}
	s.jobs = left
}

// Jobs is the number of import jobs not finished.
func (s *Server) Jobs() int {
	s.Mu.Lock()
	defer s.Mu.Unlock()
	return len(s.jobs)
}

// fromRR is an imported record as the zone stores it.
func fromRR(zoneName string, rr dns.RR) (Record, string) {
	h := rr.Header()
	host := strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(h.Name), "."), zoneName)
	host = strings.TrimSuffix(host, ".")
	rec := Record{Type: dns.TypeToString[h.Rrtype], Host: host, TTL: strconv.Itoa(int(h.Ttl)), Status: 1, Failover: "0"}
	itoa := func(n int) string { return strconv.Itoa(n) }
	trim := func(n string) string { return strings.TrimSuffix(n, ".") }
	switch v := rr.(type) {
	case *dns.A:
		rec.Record = v.A.String()
	case *dns.AAAA:
		// Its RFC 5952 text (Go's net.IP prints an IPv4-mapped
		// address as a bare dotted quad).
		a, _ := netip.AddrFromSlice(v.AAAA)
		rec.Record = a.String()
	case *dns.CNAME:
		rec.Record = trim(v.Target)
	case *dns.DNAME:
		rec.Record = trim(v.Target)
	case *dns.NS:
		rec.Record = trim(v.Ns)
	case *dns.PTR:
		rec.Record = trim(v.Ptr)
	case *dns.MX:
		rec.Record, rec.Priority = trim(v.Mx), itoa(int(v.Preference))
	case *dns.TXT, *dns.SPF:
		rec.Record = textOctets(rr)
	case *dns.SRV:
		rec.Record, rec.Priority, rec.Weight, rec.Port = trim(v.Target), itoa(int(v.Priority)), itoa(int(v.Weight)), itoa(int(v.Port))
	case *dns.CAA:
		rec.CaaFlag, rec.CaaType, rec.CaaValue = itoa(int(v.Flag)), v.Tag, caaOctets(v)
	case *dns.TLSA:
		rec.Record, rec.TlsaUsage, rec.TlsaSelector, rec.TlsaMatchingType = v.Certificate, itoa(int(v.Usage)), itoa(int(v.Selector)), itoa(int(v.MatchingType))
	case *dns.SSHFP:
		rec.Record, rec.Algorithm, rec.FpType = v.FingerPrint, itoa(int(v.Algorithm)), itoa(int(v.Type))
	case *dns.DS:
		if host == "" {
			return rec, "DS records are not allowed at the apex"
		}
		rec.KeyTag, rec.Algorithm, rec.DigestType, rec.Record = itoa(int(v.KeyTag)), itoa(int(v.Algorithm)), itoa(int(v.DigestType)), v.Digest
	default:
		return rec, "Unsupported record type " + rec.Type
	}
	return rec, ""
}

// String describes the fake's state (for test failures).
func (s *Server) String() string {
	return "cloudnstest with " + plural.N(len(s.zones), "zone", "zones")
}

// textOctets is the text of an imported TXT or SPF record as ClouDNS keeps
// it: the octets of its character-strings joined, read from the wire form
// (a BIND file's escapes, \" \\ \DDD, stand for octets; they are not
// kept as written).
func textOctets(rr dns.RR) string {
	rdata := wireRdata(rr)
	var b strings.Builder
	for len(rdata) > 0 {
		n := min(int(rdata[0]), len(rdata)-1)
		b.Write(rdata[1 : 1+n])
		rdata = rdata[1+n:]
	}
	return b.String()
}

// caaOctets is the value of an imported CAA record as ClouDNS keeps it
// (caa_value): its octets, as for a TXT's text (textOctets).
func caaOctets(v *dns.CAA) string {
	rdata := wireRdata(v)
	if len(rdata) < 2+len(v.Tag) {
		return ""
	}
	return string(rdata[2+len(v.Tag):])
}

// wireRdata is rr's RDATA in wire form (nil if it does not pack).
func wireRdata(rr dns.RR) []byte {
	buf := make([]byte, dns.Len(rr))
	off, err := dns.PackRR(rr, buf, 0, nil, false)
	if err != nil {
		return nil
	}
	return buf[off-int(rr.Header().Rdlength) : off]
}
