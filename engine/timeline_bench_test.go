package engine

import "testing"

// What a dashboard's frame pays to keep itself on the timeline (one a
// 100 ms at most), and enter to branch: the question's net with Adam, its
// history full (past 2,048 steps every moment holds all HistoryCap buckets).
func BenchmarkTimelineFrame(b *testing.B) {
	c := DefaultConfig()
	c.Optimizer, c.LR = OptAdam, DefaultLR[OptAdam]
	s := NewSession(mustNew(b, c), "question")
	fakeSteps(s, 1_000_000)
	tl := NewTimeline()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		fakeSteps(s, 1_000_001+int64(i))
		tl.Frame(s)
	}
	b.ReportMetric(float64(tl.At(tl.Last()).Bytes()), "bytes/moment")
}

func BenchmarkTimelineBranch(b *testing.B) {
	c := DefaultConfig()
	c.Optimizer, c.LR = OptAdam, DefaultLR[OptAdam]
	s := NewSession(mustNew(b, c), "question")
	fakeSteps(s, 1_000_000)
	tl := NewTimeline()
	tl.Mark(s, "bench")
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Restore(tl.At(0)); err != nil {
			b.Fatal(err)
		}
	}
}
