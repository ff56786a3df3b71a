package engine

import (
	"fmt"
	"testing"
)

// benchStep measures training steps of the question's network, initialized
// like the answer (normal), so units are alive and the work is real: with
// the question's init every ReLU dies and the step gets cheaper.
func benchStep(b *testing.B, batch int, opt string, dense bool) {
	cfg := DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = InitNormal, opt, 1e-4, batch
	tr, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	tr.dense = dense
	tr.Run(100) // warm up, move off the init
	b.ReportAllocs()
	b.ResetTimer()
	tr.Run(b.N)
	b.StopTimer()
	if d, _, why := tr.Diverged(); d {
		b.Fatal(why)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
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
