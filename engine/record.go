package engine

import "math"

// MaxStep is the most steps a run counts: far beyond any run (10^15 steps
// is decades at a million steps a second), and far below where an int64
// step counter would overflow. Training stops there; a file claiming more
// is refused.
const MaxStep = 1_000_000_000_000_000

// record is what a run has done so far: every number that training writes
// and the views read. Reset, Fork and LoadNetwork all go through
// reset/clone here, so they cannot disagree about what a fresh run is.
type record struct {
	step      int64
	histStart int64 // the step the history starts after (a loaded network's saved step)
	hist      *History
	recent    [recentLosses]float64 // a ring of the last batch losses
	nRecent   int
	lastLoss  float64

	updateRatio []float64 // per layer: ‖Δθ‖/‖θ‖ of the last step of the last Run
	diedAt      []int64   // per hidden layer: the step every unit was dead by (0: not yet)
	diedExact   []bool    // per hidden layer: diedAt is the very step, not a later look

	units [][]unitDeath // per hidden layer, per unit: see units_track.go

	diverged      bool
	divergedAt    int64
	divergeReason string

	forkedAt int64 // a race lane forked from another at this step: its history before it is the other's (0: none)
}

// newRecord makes a fresh record for a net of nLayers linear layers,
// reusing hist's storage when there is one.
func newRecord(nLayers int, hist *History) record {
	if hist == nil {
		hist = NewHistory()
	}
	r := record{
		hist:        hist,
		updateRatio: make([]float64, nLayers),
		diedAt:      make([]int64, nLayers-1),
		diedExact:   make([]bool, nLayers-1),
	}
	r.reset()
	return r
}

func (r *record) reset() {
	r.step, r.histStart = 0, 0
	r.hist.Reset()
	r.nRecent = 0
	r.lastLoss = math.NaN()
	clear(r.updateRatio)
	clear(r.diedAt)
	clear(r.diedExact)
	r.diverged, r.divergedAt, r.divergeReason = false, 0, ""
	r.forkedAt = 0
}

func (r record) clone() record {
	c := r // copies the scalars and the recent ring
	c.hist = r.hist.Clone()
	c.updateRatio = append([]float64(nil), r.updateRatio...)
	c.diedAt = append([]int64(nil), r.diedAt...)
	c.diedExact = append([]bool(nil), r.diedExact...)
	c.units = cloneUnitDeaths(r.units)
	return c
}

// allDied reports whether every hidden layer's death is recorded.
func (r *record) allDied() bool {
	for _, d := range r.diedAt {
		if d == 0 {
			return false
		}
	}
	return true
}
