package engine

import "math"

// MeanLnX is the mean of ln x on (0,1]: ∫₀¹ ln x dx = −1. A net whose every
// ReLU has died can only output a constant, and the best constant is this.
const MeanLnX = -1.0

// BestConstant is the mean of ln x for x ~ U(xmin, 1]: the constant that
// minimizes the MSE, and where a collapsed net ends up.
func BestConstant(xmin float64) float64 {
	if xmin <= 0 {
		return MeanLnX
	}
	// ∫ ln x dx = x ln x − x, over (xmin, 1], divided by 1 − xmin.
	return (-1 - (xmin*math.Log(xmin) - xmin)) / (1 - xmin)
}

// Metrics are the numbers a dashboard or a script reads.
type Metrics struct {
	Step        int64   `json:"step"`
	Loss        float64 `json:"loss"`      // mean of the last (up to 100) batch losses
	LastLoss    float64 `json:"last_loss"` // the last batch's loss
	MSE         float64 `json:"mse"`       // on the whole grid (0,1]
	MSEAbove001 float64 `json:"mse_above_0_01"`
	MSEAboveOn  string  `json:"mse_above_0_01_on"` // which part of the domain mse_above_0_01 covers (per target)
	Spread      float64 `json:"spread"`            // max − min of the prediction on the grid
	MeanPred    float64 `json:"mean_pred"`
	MinPred     float64 `json:"-"` // the least and greatest prediction on the grid
	MaxPred     float64 `json:"-"`
	// The loss's last rise: on how many steps in a row (ending with the
	// last) the batch loss grew, by what factor a step (geometric mean), and
	// the last loss over the largest one before that rise (of the last 100).
	RiseSteps   int       `json:"-"`
	RiseFactor  float64   `json:"-"`
	RiseOver    float64   `json:"-"`
	Dead        []int     `json:"dead"`         // per hidden layer: units whose output is 0 on every grid point
	Units       []int     `json:"units"`        // per hidden layer: how many units it has
	Saturated   []int     `json:"-"`            // per hidden layer: tanh/sigmoid units saturated on every grid point
	GradNorm    float64   `json:"grad_norm"`    // ‖∇θ L‖ of the last step
	LayerGrad   []float64 `json:"layer_grad"`   // per layer ‖∇W,b L‖ of the last step
	UpdateRatio []float64 `json:"update_ratio"` // per layer ‖ΔW‖/‖W‖ (the weight matrix, not the biases) of the last step of the last Run
	DiedAt      []int64   `json:"died_at"`      // per hidden layer: step by which all its units were dead (0: not seen)
	DiedExact   []bool    `json:"-"`            // per hidden layer: DiedAt is the very step (else a later look)
	// For Adam, per layer: the RMS of the bias-corrected moments m̂ and √v̂
	// (how large a step it is about to take, before the learning rate).
	AdamM []float64 `json:"adam_m,omitempty"`
	AdamV []float64 `json:"adam_v,omitempty"`
}

// evaluate runs the net on the grid (into evalWS) and fills the grid metrics.
func (t *Trainer) evaluate() Metrics {
	pred := t.net.forward(t.evalWS, GridPoints, false)
	r := &t.rec
	m := Metrics{Step: r.step, LastLoss: r.lastLoss}
	n := min(r.nRecent, recentLosses)
	if n > 0 {
		var s float64
		for i := 0; i < n; i++ {
			s += r.recent[i]
		}
		m.Loss = s / float64(n)
	} else {
		m.Loss = math.NaN()
	}
	var sse, sseAbove float64
	nAbove := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	var sum float64
	for i, p := range pred {
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
	m.MSE = sse / GridPoints
	m.MSEAbove001 = sseAbove / float64(nAbove)
	t.targetMetrics(&m) // what the MSEs are on, per target: target_points.go
	m.Spread = hi - lo
	m.MeanPred = sum / GridPoints
	m.MinPred, m.MaxPred = lo, hi
	m.RiseSteps, m.RiseFactor, m.RiseOver = r.rise()
	if math.IsNaN(lo) || math.IsNaN(hi) {
		m.Spread = math.NaN()
	}
	m.Dead, m.Units, m.Saturated = t.deadUnits()
	t.lastStepMetrics(&m) // gradients, update ratios, deaths, Adam's moments: evaluate_parts.go
	return m
}

// rise reads the ring of recent batch losses from the newest back: see
// Metrics.RiseSteps.
func (r *record) rise() (steps int, factor, over float64) {
	n := min(r.nRecent, recentLosses)
	at := func(k int) float64 { return r.recent[((r.nRecent-1-k)%recentLosses+recentLosses)%recentLosses] } // k steps back
	for steps+1 < n && at(steps) > at(steps+1) {
		steps++
	}
	if steps == 0 {
		return 0, 1, 1
	}
	first, last := at(steps), at(0)
	factor = math.Pow(last/first, 1/float64(steps))
	before := first
	for k := steps + 1; k < n; k++ {
		before = math.Max(before, at(k))
	}
	return steps, factor, last / before
}

// deadUnits counts, per hidden layer, the units that never fire on the grid:
// pre-activation ≤ 0 at every grid point. Such a ReLU gets zero gradient from
// every x in (0,1] and can never come back. For tanh and sigmoid no unit is
// dead in this sense; for leaky ReLU the count is of units stuck on the leak.
// Call after evaluate's forward pass.
//
// For tanh and sigmoid it counts the saturated units instead: |z| beyond
// where the derivative is below 1% of its peak (3 for tanh, 5 for sigmoid)
// at every grid point, so the unit gives the same value for every x and
// passes almost no gradient.
func (t *Trainer) deadUnits() (dead, units, saturated []int) {
	nh := len(t.net.Layers) - 1
	dead = make([]int, nh)
	units = make([]int, nh)
	saturated = make([]int, nh)
	for l := 0; l < nh; l++ {
		O := t.net.Layers[l].Out
		units[l] = O
		if t.act == Tanh || t.act == Sigmoid {
			limit := 3.0
			if t.act == Sigmoid {
				limit = 5
			}
			z := t.evalWS.z[l]
			for o := 0; o < O; o++ {
				sat := true
				for b := 0; b < GridPoints && sat; b++ {
					sat = math.Abs(z[b*O+o]) > limit
				}
				if sat {
					saturated[l]++
				}
			}
			continue
		}
		z := t.evalWS.z[l]
		for o := 0; o < O; o++ {
			alive := false
			for b := 0; b < GridPoints; b++ {
				if z[b*O+o] > 0 {
					alive = true
					break
				}
			}
			if !alive {
				dead[l]++
			}
		}
	}
	return dead, units, saturated
}

// Metrics evaluates the network on the grid now. It changes nothing about
// the run (only the evaluation scratch buffers).
func (t *Trainer) Metrics() Metrics { return t.evaluate() }

// Snapshot is plain data copied out of a trainer, for views: nothing in it
// aliases live weights or buffers.
type Snapshot struct {
	Config        Config
	Step          int64
	GridX         []float64 // the evaluation grid
	Target        []float64 // ln x on the grid
	Pred          []float64 // net(x) on the grid
	Metrics       Metrics
	HistStart     int64    // the history covers steps HistStart+1 … Step (a loaded network starts late)
	History       []Bucket // the whole run's loss, oldest first
	LogHistory    []Bucket // the same in buckets of geometric width (History.Log)
	HistoryWidth  int64    // steps per full bucket
	Diverged      bool
	DivergedAt    int64
	DivergeReason string
	BestConstant  float64 // mean of ln x over the sampled range
	ForkedAt      int64   // a race lane forked from another at this step (0: none): its history up to it is the other lane's
}

// Snapshot copies out everything a view needs.
func (t *Trainer) Snapshot() Snapshot {
	m := t.evaluate()
	s := Snapshot{
		Config:        t.cfg.Clone(),
		Step:          t.rec.step,
		HistStart:     t.rec.histStart,
		GridX:         append([]float64(nil), t.gridX...),
		Target:        append([]float64(nil), t.gridY...),
		Pred:          append([]float64(nil), t.evalWS.z[len(t.net.Layers)-1][:GridPoints]...),
		Metrics:       m,
		History:       append([]Bucket(nil), t.rec.hist.Buckets...),
		LogHistory:    append([]Bucket(nil), t.rec.hist.Log...),
		HistoryWidth:  t.rec.hist.Width,
		Diverged:      t.rec.diverged,
		DivergedAt:    t.rec.divergedAt,
		DivergeReason: t.rec.divergeReason,
		BestConstant:  t.bestConst,
		ForkedAt:      t.rec.forkedAt,
	}
	return s
}

// LayerView is one layer's weights and, for hidden layers, its
// pre-activations on the evaluation grid: what the init lab draws.
type LayerView struct {
	In, Out int
	W, B    []float64 // copies; W is (Out, In)
	Z       []float64 // hidden layers: (GridPoints, Out) pre-activations on the grid
	Lo, Hi  float64   // the domain (Lo, Hi] the grid spans: where a unit's ends are read
}

// Inspect copies out every layer's parameters and grid pre-activations.
func (t *Trainer) Inspect() []LayerView {
	t.net.forward(t.evalWS, GridPoints, false)
	out := make([]LayerView, len(t.net.Layers))
	for l, L := range t.net.Layers {
		v := LayerView{In: L.In, Out: L.Out, W: append([]float64(nil), L.W...), B: append([]float64(nil), L.B...),
			Lo: t.cfg.DomainLo, Hi: t.cfg.Hi()}
		if l < len(t.net.Layers)-1 {
			v.Z = append([]float64(nil), t.evalWS.z[l][:GridPoints*L.Out]...)
		}
		out[l] = v
	}
	return out
}
