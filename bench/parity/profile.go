package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"

	"github.com/dnsparity/dnsparity/bench/internal/benchrun"
	"github.com/dnsparity/dnsparity/bench/internal/benchzone"
	"github.com/dnsparity/dnsparity/internal/parity"
	"github.com/dnsparity/dnsparity/internal/plural"
	"github.com/dnsparity/dnsparity/internal/zone"
)

// profileRun runs parity in-process with a CPU profile and a heap profile
// written whenever the live heap reaches a new peak (10% above the last
// one), so heap.pprof shows what is live at the peak.
func profileRun(s *benchrun.Bench, zfile, old, new, dir string) {
	s.Must(os.MkdirAll(dir, 0o755))
	z, err := zone.Load(zfile, zone.Options{Origin: benchzone.Origin})
	s.Must(err)
	runtime.MemProfileRate = 64 << 10
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	s.Must(err)
	defer cpu.Close()
	s.Must(pprof.StartCPUProfile(cpu))
	done := make(chan struct{})
	peakc := make(chan uint64)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var peak uint64
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				peakc <- peak
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak*11/10 {
				peak = v
				f, err := os.Create(filepath.Join(dir, "heap.pprof"))
				if err == nil {
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					f.Close()
				}
			}
		}
	}()
	rep, err := parity.Run(context.Background(), z, []parity.Target{{Addr: old}}, []parity.Target{{Addr: new}}, parity.Options{})
	pprof.StopCPUProfile()
	close(done)
	peak := <-peakc
	s.Must(err)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("in-process parity: %d queries in %.2fs = %.0f qps, %s; peak live heap %.1f MiB, heap sys %.1f MiB; profiles in %s\n",
		rep.Queries, rep.Seconds, rep.QPS(), plural.N(len(rep.Findings), "finding", "findings"), float64(peak)/(1<<20), float64(ms.HeapSys)/(1<<20), dir)
}
