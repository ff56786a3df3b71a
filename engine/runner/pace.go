package runner

import "time"

// Pacer sizes the sub-runs of a chunk of training so the chunk ends within
// its time whatever a step costs. It plans from what it measured, never from
// an old estimate: the first sub-run of a fresh Pacer is one step, each
// later one at most doubles the last and fits the time left at the last
// sub-run's cost per step. A step that got a thousand times slower (batch 1
// → tanh batch 10000) therefore costs one step of overrun, not a thousand,
// and when steps are slow every sub-run is a single step, re-measured and
// followed by a look at the driver's stop.
//
// A Pacer is meant to live for one chunk (one Runner.Advance, one map
// run's turn in the pool): starting afresh is how the estimate is reset
// when the setup may have changed.
type Pacer struct {
	Slice time.Duration // the longest sub-run wanted (0: 50 ms), so stop is asked that often
	last  int64         // the last sub-run's steps (0: none yet)
	per   time.Duration // ... and its time per step
}

// Next is how many steps the next sub-run may take: at most limit, and
// about what fits in left (left ≤ 0: no time limit beyond Slice). It is at
// least 1 when limit is.
func (p *Pacer) Next(limit int64, left time.Duration) int64 {
	if limit <= 0 {
		return 0
	}
	slice := p.Slice
	if slice <= 0 {
		slice = 50 * time.Millisecond
	}
	if left <= 0 || left > slice {
		left = slice
	}
	if p.last == 0 {
		return 1
	}
	n := 2 * p.last
	if p.per > 0 {
		n = min(n, int64(left/p.per))
	}
	return min(max(n, 1), limit)
}

// Took records that a sub-run of n steps took d.
func (p *Pacer) Took(n int64, d time.Duration) {
	if n <= 0 {
		return
	}
	p.last, p.per = n, d/time.Duration(n)
}
