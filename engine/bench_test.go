package engine

import (
	"fmt"
	"testing"
	"time"
)

// benchStep measures training steps of the question's network, initialized
// like the answer (normal), so units are alive and the work is real: with
// the question's init every ReLU dies and the step gets cheaper.
//
// The regime is fixed whatever -benchtime asks: the timed steps are always
// steps 200 to 200+benchWindow of that run, replayed from a saved copy (the
// copy is made outside the timer), so steps/s does not drift with b.N.
func benchStep(b *testing.B, batch int, opt string, dense bool) {
	cfg := DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = InitNormal, opt, 1e-4, batch
	benchConfig(b, cfg, dense)
}

// benchConfig is benchStep for any configuration (targets: target_bench_test.go).
func benchConfig(b *testing.B, cfg Config, dense bool) {
	warm, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	warm.dense = dense
	warm.Run(200) // move off the init
	tr := warm.Fork()
	tr.opt = cloneOptimizer(warm.opt)
	b.ReportAllocs()
	b.ResetTimer()
	var cpu time.Duration
	for done := 0; done < b.N; {
		n := min(b.N-done, benchWindow)
		c0 := cpuTime()
		tr.Run(n)
		cpu += cpuTime() - c0
		done += n
		if done < b.N {
			b.StopTimer()
			tr = warm.Fork()
			tr.opt = cloneOptimizer(warm.opt)
			b.StartTimer()
		}
	}
	b.StopTimer()
	if d, _, why := tr.Diverged(); d {
		b.Fatal(why)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "cpu-steps/s") // see cpuTime
	}
}

// benchWindow is how many steps benchStep times before replaying.
const benchWindow = 20_000

// BenchmarkLongRun is what an hour at full speed sees: the steps/s of 10^4
// steps right after the start and of 10^4 steps after 10^6 more, for the
// answer at batch 50 with each optimizer whose state decays toward zero.
// late/early below 1 means the run slows down as it goes (subnormal floats
// in the optimizer state cost ~100× per operation on many CPUs).
func BenchmarkLongRun(b *testing.B) {
	long := 1_000_000
	for _, opt := range []string{OptAdam, OptMomentum, OptRMSProp} {
		b.Run(opt, func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = InitNormal, opt, 1e-4, 50
			var early, late, cpuEarly, cpuLate float64
			for i := 0; i < b.N; i++ {
				tr, _ := New(cfg)
				tr.Run(200)
				t0, c0 := time.Now(), cpuTime()
				tr.Run(10_000)
				early += 10_000 / time.Since(t0).Seconds()
				cpuEarly += 10_000 / (cpuTime() - c0).Seconds()
				tr.Run(long)
				t1, c1 := time.Now(), cpuTime()
				tr.Run(10_000)
				late += 10_000 / time.Since(t1).Seconds()
				cpuLate += 10_000 / (cpuTime() - c1).Seconds()
			}
			b.ReportMetric(early/float64(b.N), "early-steps/s")
			b.ReportMetric(late/float64(b.N), "late-steps/s")
			b.ReportMetric(late/early, "late/early")
			b.ReportMetric(cpuLate/cpuEarly, "cpu-late/early") // by CPU time: see cpuTime
		})
	}
}

// BenchmarkStep is the engine's training step: batch sampling, ln, forward,
// loss, backward and the optimizer update.
func BenchmarkStep(b *testing.B) {
	for _, batch := range []int{1, 50, 500} {
		for _, opt := range []string{OptSGD, OptAdam} {
			b.Run(fmt.Sprintf("batch=%d/%s", batch, opt), func(b *testing.B) { benchStep(b, batch, opt, false) })
		}
	}
}

// BenchmarkStepReference is the same step on the reference (dense) path,
// which tanh, sigmoid, leaky ReLU and dropout take.
func BenchmarkStepReference(b *testing.B) {
	for _, batch := range []int{1, 50, 500} {
		for _, opt := range []string{OptSGD, OptAdam} {
			b.Run(fmt.Sprintf("batch=%d/%s", batch, opt), func(b *testing.B) { benchStep(b, batch, opt, true) })
		}
	}
}

func BenchmarkSnapshot(b *testing.B) {
	tr, _ := New(DefaultConfig())
	tr.Run(1000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		_ = tr.Snapshot()
	}
}
