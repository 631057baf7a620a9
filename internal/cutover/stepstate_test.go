package cutover

import (
	"context"
	"io"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/miekg/dns"

	"github.com/dnsparity/dnsparity/internal/zone"
)

// countSOA is h, counting the queries for the zone's apex SOA it gets.
func countSOA(h dns.HandlerFunc) (dns.HandlerFunc, *atomic.Int32) {
	var n atomic.Int32
	return func(w dns.ResponseWriter, r *dns.Msg) {
		if q := r.Question[0]; q.Name == "example.test." && q.Qtype == dns.TypeSOA {
			n.Add(1)
		}
		h(w, r)
	}, &n
}

// TestEmergencyStepAsksSOAOnce: the gates of an emergency flip (the old
// side down) that read the apex SOA of the side it moves to (the serials
// the registrar change is checked against, old-down's SOAs of the side
// moved to, new-authoritative) ask each server once in the step, and
// judge that one answer; the re-check of the serials just before the
// registrar change (changedSince), the watch's fingerprints (taken after
// a registrar change that may take minutes) and the classifier's
// refresh ask again, their point being what a server serves then. On
// the code before, the gates asked the new server three times.
func TestEmergencyStepAsksSOAOnce(t *testing.T) {
	parent := serve(t, parentOf("ns1.old.example.test."))
	var serial atomic.Uint32
	serial.Store(7)
	h, asked := countSOA(authSOA("ns1.new.example.test.", &serial))
	nw := serve(t, h)
	c := &Config{Zone: &zone.Zone{Origin: "example.test."}, Timeout: 300 * time.Millisecond, ParentServers: []string{parent}, Log: io.Discard,
		TrailPath: filepath.Join(t.TempDir(), "example.test.json")}
	c.Old = Side{Name: "old", Servers: []string{deadUDP(t)}, Delegation: []string{"ns1.old.example.test."}}
	c.New = Side{Name: "new", Servers: []string{nw}, Delegation: []string{"ns1.new.example.test."}}
	ctx := context.Background()

	rep, _, ok := begin(ctx, c, "flip", emergencyView)
	defer c.release()
	if !ok {
		t.Fatalf("begin: %v", rep.Errors)
	}
	c.checkingGates(ctx, rep, "flip", true, &c.New)
	down := gateDown(ctx, c, &c.Old)
	auth := gateAuthoritative(ctx, c, newReport(c, "flip"), GateNewAuthoritative, &c.New)
	if !down.OK || !auth.OK || rep.serials[nw] != 7 {
		t.Fatalf("old-down %+v, new-authoritative %+v, serials %v: want both met, serial 7", down, auth, rep.serials)
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("the step's gates asked the new server its apex SOA %d times, want once", n)
	}

	serial.Store(8) // a push while the gates ran
	if since := changedSince(ctx, c, rep.serials); len(since.serials) != 1 || len(since.lost) != 0 {
		t.Errorf("the re-check before the registrar change: %+v, want the new server's serial 7 → 8", since)
	}
	if n := asked.Load(); n != 2 {
		t.Errorf("after the re-check the new server was asked %d times, want twice (it asks afresh)", n)
	}

	cl, err := newClassifier(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if n := asked.Load(); n != 3 || cl.new.soa != "ns1.new.example.test. 8" {
		t.Errorf("the watch's fingerprints: new %q, the new server asked %d times; want what it serves now (serial 8), asked a third time", cl.new.soa, n)
	}
	serial.Store(9)
	if side := cl.changed(ctx, c, "ns1.new.example.test. 9"); side != "new" {
		t.Errorf("the classifier's refresh took %q for the new side's serial 9, want new", side)
	}
	if n := asked.Load(); n != 4 {
		t.Errorf("after the classifier's refresh the new server was asked %d times, want 4 (it asks afresh)", n)
	}
}

// TestStartStepSetsEveryStepField: startStep sets every field of a
// step's own state (Config's unexported fields, the zone lock's unlock
// aside), so that a step on a Config an earlier step used judges none of
// that step's findings: each is planted with a value of its own, and
// none is left after startStep. A field added to Config's step state
// and not to startStep (or the two it calls) fails here.
func TestStartStepSetsEveryStepField(t *testing.T) {
	c := &Config{}
	v := reflect.ValueOf(c).Elem()
	planted := map[string]uintptr{} // each field's own pointer or map
	var plantedTimes []int          // the fields holding a time: zero after
	field := func(i int) reflect.Value {
		return reflect.NewAt(v.Field(i).Type(), unsafe.Pointer(v.Field(i).UnsafeAddr())).Elem()
	}
	for i := range v.NumField() {
		f := v.Type().Field(i)
		// dates is set as each step begins, before startStep: by
		// watchDates (flip, rollback, finish), to nil by Status.
		if f.IsExported() || f.Name == "unlock" || f.Name == "dates" {
			continue
		}
		var p reflect.Value
		switch f.Type.Kind() {
		case reflect.Pointer:
			p = reflect.New(f.Type.Elem())
		case reflect.Map:
			p = reflect.MakeMap(f.Type)
		case reflect.Slice:
			p = reflect.MakeSlice(f.Type, 1, 1)
		case reflect.Struct:
			if f.Type != reflect.TypeFor[time.Time]() {
				t.Fatalf("Config.%s (%s): plant a value of its own for it in this test", f.Name, f.Type)
			}
			field(i).Set(reflect.ValueOf(time.Unix(1, 0)))
			plantedTimes = append(plantedTimes, i)
			continue
		default:
			t.Fatalf("Config.%s (%s): plant a value of its own for it in this test", f.Name, f.Type)
		}
		field(i).Set(p)
		planted[f.Name] = p.Pointer()
	}
	if len(planted)+len(plantedTimes) == 0 {
		t.Fatal("no step state found in Config")
	}
	c.startStep(&Trail{})
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if was, ok := planted[name]; ok && field(i).Pointer() == was {
			t.Errorf("startStep left Config.%s as the step before had it", name)
		}
	}
	for _, i := range plantedTimes {
		if !field(i).Interface().(time.Time).IsZero() {
			t.Errorf("startStep left Config.%s as the step before had it", v.Type().Field(i).Name)
		}
	}
}
