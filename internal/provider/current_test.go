package provider

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

type apiRec struct{ id, text string }

func toA(r apiRec) (dns.RR, error) {
	if r.text == "skip" {
		return nil, nil
	}
	if r.text == "bad" {
		return nil, errors.New("unreadable")
	}
	return dns.NewRR(r.text)
}

func TestIndexRecords(t *testing.T) {
	label := func(r apiRec) string { return r.id }
	cur, err := IndexRecords([]apiRec{
		{"1", "WWW.example. 60 IN A 192.0.2.1"},
		{"2", "skip"},
		{"3", "www.example. 60 IN A 192.0.2.2"},
		{"4", "example. 60 IN MX 10 Mail.example."},
	}, toA, label)
	if err != nil {
		t.Fatal(err)
	}
	www := cur[zone.Key{Name: "www.example.", Type: dns.TypeA}]
	if len(www) != 2 || www[0].Rec.id != "1" || www[1].Rec.id != "3" {
		t.Fatalf("www A = %+v, want records 1 and 3 in order", www)
	}
	if len(cur) != 2 {
		t.Fatalf("%d RRsets, want 2 (the skipped record left out)", len(cur))
	}
	_, err = IndexRecords([]apiRec{{"7", "bad"}}, toA, label)
	if err == nil || !strings.Contains(err.Error(), "record 7: unreadable") {
		t.Fatalf("err = %v, want one naming record 7", err)
	}
}

func TestMatch(t *testing.T) {
	set := func(rrs ...string) (*zone.RRSet, []string) {
		s := &zone.RRSet{Name: "www.example.", Type: dns.TypeA, Class: dns.ClassINET, TTL: 60}
		var rds []string
		for _, x := range rrs {
			rr, err := dns.NewRR("www.example. 60 IN A " + x)
			if err != nil {
				t.Fatal(err)
			}
			rd, err := zone.CanonicalRdata(rr)
			if err != nil {
				t.Fatal(err)
			}
			s.Records = append(s.Records, zone.Record{Rdata: rd, TTL: 60})
			rds = append(rds, rd)
		}
		return s, rds
	}
	for _, tc := range []struct {
		name            string
		want, have      []string
		kept, add, left []string
	}{
		{"same", []string{"192.0.2.1"}, []string{"192.0.2.1"}, []string{"192.0.2.1"}, nil, nil},
		{"all new", []string{"192.0.2.1", "192.0.2.2"}, nil, nil, []string{"192.0.2.1", "192.0.2.2"}, nil},
		{"replace one", []string{"192.0.2.1", "192.0.2.3"}, []string{"192.0.2.2", "192.0.2.1", "192.0.2.4"},
			[]string{"192.0.2.1"}, []string{"192.0.2.3"}, []string{"192.0.2.2", "192.0.2.4"}},
		{"duplicate held", []string{"192.0.2.1"}, []string{"192.0.2.1", "192.0.2.1"}, []string{"192.0.2.1"}, nil, []string{"192.0.2.1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, _ := set(tc.want...)
			_, hrd := set(tc.have...)
			var have []Current[string]
			for i, rd := range hrd {
				have = append(have, Current[string]{Rec: tc.have[i], Rdata: rd})
			}
			kept, added, left := Match(want, have)
			var gotKept, gotAdd, gotLeft []string
			for _, k := range kept {
				if k.RR.(*dns.A).A.String() != k.Have.Rec {
					t.Errorf("kept pair %v ~ %s", k.RR, k.Have.Rec)
				}
				gotKept = append(gotKept, k.Have.Rec)
			}
			for _, rr := range added {
				gotAdd = append(gotAdd, rr.(*dns.A).A.String())
			}
			for _, h := range left {
				gotLeft = append(gotLeft, h.Rec)
			}
			if !reflect.DeepEqual(gotKept, tc.kept) || !reflect.DeepEqual(gotAdd, tc.add) || !reflect.DeepEqual(gotLeft, tc.left) {
				t.Errorf("kept %v added %v left %v, want %v %v %v", gotKept, gotAdd, gotLeft, tc.kept, tc.add, tc.left)
			}
		})
	}
}

func TestPair(t *testing.T) {
	conv := func(rr dns.RR) (string, error) {
		if a := rr.(*dns.A).A.String(); a != "192.0.2.9" {
			return a, nil
		}
		return "", errors.New("unwritable")
	}
	rrs := func(as ...string) []dns.RR {
		var out []dns.RR
		for _, a := range as {
			rr, err := dns.NewRR("www.example. 60 IN A " + a)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, rr)
		}
		return out
	}
	held := func(ids ...string) []Current[string] {
		var out []Current[string]
		for _, id := range ids {
			out = append(out, Current[string]{Rec: id})
		}
		return out
	}
	for _, tc := range []struct {
		name                   string
		added                  []string
		left                   []string
		edits, creates, delete []string // edits as "held id>new"
		err                    bool
	}{
		{"none", nil, nil, nil, nil, nil, false},
		{"edit each", []string{"192.0.2.1", "192.0.2.2"}, []string{"a", "b"}, []string{"a>192.0.2.1", "b>192.0.2.2"}, nil, nil, false},
		{"more added", []string{"192.0.2.1", "192.0.2.2"}, []string{"a"}, []string{"a>192.0.2.1"}, []string{"192.0.2.2"}, nil, false},
		{"more left", []string{"192.0.2.1"}, []string{"a", "b", "c"}, []string{"a>192.0.2.1"}, nil, []string{"b", "c"}, false},
		{"only creates", []string{"192.0.2.1"}, nil, nil, []string{"192.0.2.1"}, nil, false},
		{"only deletes", nil, []string{"a"}, nil, nil, []string{"a"}, false},
		{"unwritable", []string{"192.0.2.1", "192.0.2.9"}, []string{"a"}, nil, nil, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			edits, creates, deletes, err := Pair(rrs(tc.added...), held(tc.left...), conv)
			if tc.err {
				if err == nil || !strings.Contains(err.Error(), "unwritable") {
					t.Fatalf("err = %v, want conv's", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var gotEdits, gotDel []string
			for _, e := range edits {
				gotEdits = append(gotEdits, e.Have.Rec+">"+e.New)
			}
			for _, h := range deletes {
				gotDel = append(gotDel, h.Rec)
			}
			if !reflect.DeepEqual(gotEdits, tc.edits) || !reflect.DeepEqual(creates, tc.creates) || !reflect.DeepEqual(gotDel, tc.delete) {
				t.Errorf("edits %v creates %v deletes %v, want %v %v %v", gotEdits, creates, gotDel, tc.edits, tc.creates, tc.delete)
			}
		})
	}
}

func TestZoneOf(t *testing.T) {
	label := func(r apiRec) string { return r.id }
	z, err := ZoneOf("example.", []apiRec{
		{"1", "www.example. 60 IN A 192.0.2.1"},
		{"2", "skip"},
		{"3", "www.example. 60 IN A 192.0.2.2"},
	}, toA, label)
	if err != nil {
		t.Fatal(err)
	}
	if s := z.Get("www.example.", dns.TypeA); s == nil || len(s.Records) != 2 {
		t.Fatalf("www A = %v, want two records", s)
	}
	if _, err := ZoneOf("example.", []apiRec{{"9", "bad"}}, toA, label); err == nil || !strings.Contains(err.Error(), "record 9: unreadable") {
		t.Fatalf("err = %v, want one naming record 9", err)
	}
}
