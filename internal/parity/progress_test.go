package parity

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/dnsparity/dnsparity/internal/progress/progresstest"
	"github.com/dnsparity/dnsparity/internal/query"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// progressRunner is a runner of 5 questions asked of 2 servers, showing
// its progress on rec, sampled every ms.
func progressRunner(rec *progresstest.Recorder) *runner {
	return &runner{z: &zone.Zone{Origin: "x.test."}, qs: make([]Question, 5), servers: make([]*query.Server, 2),
		opts: Options{Progress: rec, ProgressEvery: time.Millisecond}}
}

// TestProgressTasks: the zone's questions are one task of questions ×
// servers answers, the sampling ticker passes it the answers counted so
// far (never more than were counted, never going back), and each stage
// after them is a task of its own, started when the one before is
// stopped; stop ends the last, once.
func TestProgressTasks(t *testing.T) {
	rec := &progresstest.Recorder{}
	r := progressRunner(rec)
	stop := r.startProgress()
	for range 10 {
		r.answered.Add(1) // as the workers do, no lock taken
		time.Sleep(3 * time.Millisecond)
	}
	r.setStage("client subnets: eu (192.0.2.0/24)", 3, 2)
	r.answered.Add(6)
	stop(nil)
	stop(nil) // a second call does nothing
	tasks := rec.Tasks()
	if len(tasks) != 2 {
		t.Fatalf("%d tasks, want the zone's and the stage's: %+v", len(tasks), tasks)
	}
	zt, st := tasks[0], tasks[1]
	if zt.Label != "x.test." || zt.Total != 10 || zt.Unit != "answers" || zt.Last() != 10 || zt.Stops != 1 || zt.Failed || zt.Late > 0 {
		t.Errorf("the zone's task: %+v; want x.test., 10/10 answers, stopped once", zt)
	}
	if len(zt.Updates) < 3 || !slices.IsSorted(zt.Updates) {
		t.Errorf("the zone's task was updated %v: want several figures from the ticker, going up", zt.Updates)
	}
	if st.Label != "x.test.: client subnets: eu (192.0.2.0/24)" || st.Total != 6 || st.Unit != "answers" || st.Last() != 6 || st.Stops != 1 || st.Failed || st.Late > 0 {
		t.Errorf("the stage's task: %+v; want its own 6/6 answers, stopped once", st)
	}
}

// TestProgressFailed: a run that fails (interrupted, or nothing to
// compare) ends its task with the error: failed, not done.
func TestProgressFailed(t *testing.T) {
	rec := &progresstest.Recorder{}
	r := progressRunner(rec)
	stop := r.startProgress()
	r.answered.Add(4)
	stop(errors.New("parity: interrupted (context canceled)"))
	stop(nil)
	if tasks := rec.Tasks(); len(tasks) != 1 || !tasks[0].Failed || tasks[0].Stops != 1 || tasks[0].Last() != 4 {
		t.Errorf("tasks %+v: want one, 4/10, failed, stopped once", tasks)
	}
	// Without Progress nothing is started, and a stage only restarts the
	// count.
	r = &runner{z: &zone.Zone{Origin: "x.test."}}
	stop = r.startProgress()
	r.answered.Add(3)
	r.setStage("client subnets: first probe", 1, 1)
	stop(nil)
	if r.task != nil || r.answered.Load() != 0 {
		t.Errorf("without Progress: task %v, count %d", r.task, r.answered.Load())
	}
}
