package cutover

import (
	"os"
	"sync"
	"time"
)

// TrailStages keeps the stage of each trail file the steps sharing it
// read (Shared: a wave's), with the file's size and modification time:
// a file is read again only when it changed (a step of the wave, or
// another process, wrote it). Each finish of a wave over N zones reads
// the N-1 other zones' trails (oldProviderUse): N² reads without it. The
// zero value is ready; safe for concurrent use.
type TrailStages struct {
	mu sync.Mutex
	m  map[string]trailStage
}

// trailStage is a trail file's stage as read, and the file then.
type trailStage struct {
	size  int64
	mod   time.Time
	stage string
}

// of is the stage of zone's trail at path (Trail.Stage; not-started for
// a missing file), read when the file is not the one read last.
func (s *TrailStages) of(path, zone string) (string, error) {
	fi, statErr := os.Stat(path)
	if statErr == nil {
		s.mu.Lock()
		st, ok := s.m[path]
		s.mu.Unlock()
		if ok && st.size == fi.Size() && st.mod.Equal(fi.ModTime()) {
			return st.stage, nil
		}
	}
	tr, err := ReadTrail(path, zone)
	if err != nil {
		return "", err
	}
	stage, _ := tr.Stage()
	if statErr == nil {
		// A file written between the stat and the read is read again
		// next time (its size or time no longer the ones kept).
		s.mu.Lock()
		if s.m == nil {
			s.m = map[string]trailStage{}
		}
		s.m[path] = trailStage{size: fi.Size(), mod: fi.ModTime(), stage: stage}
		s.mu.Unlock()
	}
	return stage, nil
}
