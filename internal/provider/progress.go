package provider

import "github.com/dnsparity/dnsparity/internal/progress"

// Done records cs as applied and tells task how far the Apply has got
// (len(r.Applied) changes done): every provider's Apply calls it after
// each change request that succeeded, with the task its caller handed it
// (nil: nobody listens). Done only calls Update: the caller owns the task
// and stops it.
func (r *Result) Done(task progress.Updater, cs ...Change) {
	r.Applied = append(r.Applied, cs...)
	if task != nil {
		task.Update(len(r.Applied))
	}
}
