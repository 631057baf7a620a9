package cutover

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fillTimes sets every exported time.Time and *time.Time reachable from v
// (through pointers, structs, slices) to t, so that a time field added
// later is covered by the test below without being named in it.
func fillTimes(v reflect.Value, t time.Time, depth int) {
	if depth > 6 {
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(&t))
			return
		}
		if v.Type().Elem().Kind() == reflect.Struct {
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			fillTimes(v.Elem(), t, depth+1)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(t))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fillTimes(v.Field(i), t, depth+1)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct || v.Type().Elem().Kind() == reflect.Pointer {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			fillTimes(v.Index(0), t, depth+1)
		}
	}
}

func TestJSONTimesWholeSeconds(t *testing.T) {
	at := time.Date(2026, 12, 4, 19, 55, 38, 302742654, time.UTC)
	fraction := regexp.MustCompile(`\d\d:\d\d:\d\d\.\d`)
	for _, v := range []any{&Report{}, &Trail{}} {
		fillTimes(reflect.ValueOf(v).Elem(), at, 0)
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if m := fraction.Find(b); m != nil {
			t.Errorf("%T: a time with a fraction of a second (%s) in %s", v, m, b)
		}
	}
	// A deadline is rounded up (never early), an event cut to its second.
	b, _ := json.Marshal(Report{Next: []Next{{Step: "flip", Earliest: at}}, StageSince: &at, Watch: &WatchResult{Start: at, OldDelegationExpires: at}})
	for _, want := range []string{`"earliest":"2026-12-04T19:55:39Z"`, `"old_delegation_expires":"2026-12-04T19:55:39Z"`, `"stage_since":"2026-12-04T19:55:38Z"`, `"start":"2026-12-04T19:55:38Z"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("want %s in %s", want, b)
		}
	}
	// Whole seconds stay as they are, and a trail reads back what it wrote.
	whole := time.Date(2026, 12, 4, 19, 55, 38, 0, time.UTC)
	tr := Trail{Entries: []Entry{{Time: whole, ChangedAt: &whole}}}
	b, _ = json.Marshal(tr)
	var back Trail
	if err := json.Unmarshal(b, &back); err != nil || !back.Entries[0].Time.Equal(whole) || !back.Entries[0].ChangedAt.Equal(whole) {
		t.Errorf("round trip: %s → %+v (%v)", b, back.Entries, err)
	}
}
