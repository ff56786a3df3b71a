package engine

import "math"

// The grid evaluation of a huge network costs seconds (1000 forward passes
// through up to 10^7 parameters). A summary after Ctrl-C must not make the
// user wait that long, so it can evaluate the grid in parts and stop when
// its time is up, saying how many points the figures cover.

// gridPartPoints is how many grid points one part evaluates: for the
// largest network allowed, a part is a few tens of milliseconds.
const gridPartPoints = 8

// gridOrder visits every grid point once, in an order whose every prefix
// is spread evenly over (0,1] (the base-2 van der Corput sequence): the
// figures of the first parts are then a fair sample of the whole interval,
// not of its left end.
var gridOrder = func() []int {
	out := make([]int, 0, GridPoints)
	const n = 1024 // the power of two above GridPoints
	for k := 0; k < n; k++ {
		r := 0
		for b, v := 0, k; b < 10; b, v = b+1, v>>1 {
			r = r<<1 | v&1
		}
		if r < GridPoints {
			out = append(out, r)
		}
	}
	return out
}()

// MetricsInParts evaluates the grid the way Metrics does, gridPartPoints
// points at a time, asking stop (nil: never) before every part but the
// first. It returns the metrics and how many grid points they cover.
//
// When every point was evaluated, the metrics equal Metrics bit for bit
// (each point's forward pass is its own, and the sums run in grid order).
// When stop cut it short, MSE, MSEAbove001, Spread and MeanPred are over the
// points evaluated — an even sample of (0,1] — and Dead and Saturated are
// nil: a unit silent on a sample may still fire between its points.
func (t *Trainer) MetricsInParts(stop func() bool) (Metrics, int) {
	sizes := t.net.Sizes
	nh := len(t.net.Layers) - 1
	ws := newEvalWorkspace(sizes, gridPartPoints)
	pred := make([]float64, GridPoints)
	done := make([]bool, GridPoints)
	// Per hidden unit: seen firing (z > 0) on some point, and seen unsaturated.
	fired := make([][]bool, nh)
	unsat := make([][]bool, nh)
	for l := range fired {
		fired[l] = make([]bool, sizes[l+1])
		unsat[l] = make([]bool, sizes[l+1])
	}
	limit := 3.0 // |z| beyond which tanh's derivative is below 1% of its peak (5 for sigmoid): see deadUnits
	if t.act == Sigmoid {
		limit = 5
	}
	points := 0
	for off := 0; off < len(gridOrder); off += gridPartPoints {
		if off > 0 && stop != nil && stop() {
			break
		}
		idx := gridOrder[off:min(off+gridPartPoints, len(gridOrder))]
		B := len(idx)
		for b, i := range idx {
			ws.x[b] = t.gridX[i]
		}
		p := t.net.forward(ws, B, false)
		for b, i := range idx {
			pred[i], done[i] = p[b], true
		}
		for l := 0; l < nh; l++ {
			O := sizes[l+1]
			z := ws.z[l][:B*O]
			for k, v := range z {
				o := k % O
				fired[l][o] = fired[l][o] || v > 0
				unsat[l][o] = unsat[l][o] || !(math.Abs(v) > limit)
			}
		}
		points += B
	}

	r := &t.rec
	m := Metrics{Step: r.step, LastLoss: r.lastLoss, Loss: math.NaN()}
	if n := min(r.nRecent, recentLosses); n > 0 {
		var s float64
		for i := 0; i < n; i++ {
			s += r.recent[i]
		}
		m.Loss = s / float64(n)
	}
	// Sums in grid order, over the points evaluated, as evaluate sums them.
	var sse, sseAbove, sum float64
	nAbove := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, p := range pred {
		if !done[i] {
			continue
		}
		d := p - t.gridY[i]
		sse += d * d
		if t.gridX[i] >= 0.01 {
			sseAbove += d * d
			nAbove++
		}
		lo = math.Min(lo, p)
		hi = math.Max(hi, p)
		sum += p
	}
	m.MSE = sse / float64(points)
	m.MSEAbove001 = sseAbove / float64(nAbove)
	t.targetMetrics(&m) // per target: target_points.go
	m.Spread = hi - lo
	m.MeanPred = sum / float64(points)
	m.MinPred, m.MaxPred = lo, hi
	m.RiseSteps, m.RiseFactor, m.RiseOver = r.rise()
	if math.IsNaN(lo) || math.IsNaN(hi) {
		m.Spread = math.NaN()
	}
	m.Units = make([]int, nh)
	for l := range m.Units {
		m.Units[l] = sizes[l+1]
	}
	if points == GridPoints {
		m.Dead, m.Saturated = make([]int, nh), make([]int, nh)
		for l := 0; l < nh; l++ {
			for o := range fired[l] {
				switch {
				case t.act == Tanh || t.act == Sigmoid:
					if !unsat[l][o] {
						m.Saturated[l]++
					}
				case !fired[l][o]:
					m.Dead[l]++
				}
			}
		}
	}
	// The rest is read from the last step, not from the grid: as evaluate does.
	full := Metrics{}
	t.lastStepMetrics(&full)
	m.LayerGrad, m.GradNorm, m.UpdateRatio = full.LayerGrad, full.GradNorm, full.UpdateRatio
	m.DiedAt, m.DiedExact, m.AdamM, m.AdamV = full.DiedAt, full.DiedExact, full.AdamM, full.AdamV
	return m, points
}

// lastStepMetrics fills the figures of the last step (gradients, update
// ratios, deaths, Adam's moments), which cost no forward pass.
func (t *Trainer) lastStepMetrics(m *Metrics) {
	r := &t.rec
	var total float64
	m.LayerGrad = make([]float64, len(t.gradLayers))
	for l, L := range t.gradLayers {
		var s float64
		for _, g := range L.W {
			s += g * g
		}
		for _, g := range L.B {
			s += g * g
		}
		m.LayerGrad[l] = math.Sqrt(s)
		total += s
	}
	m.GradNorm = math.Sqrt(total)
	m.UpdateRatio = append([]float64(nil), r.updateRatio...)
	m.DiedAt = append([]int64(nil), r.diedAt...)
	m.DiedExact = append([]bool(nil), r.diedExact...)
	if a, ok := t.opt.(*Adam); ok && a.T > 0 {
		m.AdamM = make([]float64, len(t.net.Layers))
		m.AdamV = make([]float64, len(t.net.Layers))
		off := 0
		for l, L := range t.net.Layers {
			n := len(L.W) + len(L.B)
			var sm, sv float64
			for i := off; i < off+n; i++ {
				mh, vh := a.BiasCorrected(i)
				sm += mh * mh
				sv += vh
			}
			m.AdamM[l] = math.Sqrt(sm / float64(n))
			m.AdamV[l] = math.Sqrt(sv / float64(n))
			off += n
		}
	}
}

// SummarySnapshot is the part of a Snapshot a summary reads (no history,
// no grids), with the metrics from MetricsInParts; points is how many grid
// points they cover.
func (t *Trainer) SummarySnapshot(stop func() bool) (s Snapshot, points int) {
	m, points := t.MetricsInParts(stop)
	return Snapshot{
		Config: t.cfg.Clone(), Step: t.rec.step, HistStart: t.rec.histStart, Metrics: m,
		Diverged: t.rec.diverged, DivergedAt: t.rec.divergedAt, DivergeReason: t.rec.divergeReason,
		BestConstant: t.bestConst,
	}, points
}
