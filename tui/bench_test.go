package tui

import (
	"math"
	"testing"

	"lnfit/engine"
)

// BenchmarkView draws a 200×60 frame of a run whose history holds 10^7
// steps (built with the history's own merge rule, HistoryCap buckets).
func BenchmarkView(b *testing.B) {
	m := sized(newModel(b, "answer-batch-50", 2000), 200, 60)
	h := engine.NewHistory()
	for i := 0; i < 10_000_000; i++ {
		h.Add(math.Exp(-float64(i) / 2e6))
	}
	m.frame.snaps[0].History, m.frame.snaps[0].HistoryWidth, m.frame.snaps[0].Step = h.Buckets, h.Width, h.Steps
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = m.render()
	}
}

// BenchmarkFullSpeedFrames is the dashboard's own loop at full speed: a tick
// (train for the frame's budget, snapshot) then View, as Bubble Tea runs it.
// Its steps/s is what the header shows; compare it with engine's
// BenchmarkStep at the same batch and optimizer.
func BenchmarkFullSpeedFrames(b *testing.B) {
	for _, preset := range []string{"answer-batch-50", "answer"} {
		b.Run(preset, func(b *testing.B) {
			m := sized(newModel(b, preset, 0), 120, 40)
			m = press(m, "space")
			start := m.session.Step()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				next, _ := m.Update(tickMsg{id: m.tickID})
				m = next.(Model)
				_ = m.render()
			}
			b.ReportMetric(float64(m.session.Step()-start)/b.Elapsed().Seconds(), "steps/s")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}
