package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// GridPoints is the size of the evaluation grid x = A + (B−A)·(i+0.5)/GridPoints
// on the domain (A, B], (0,1] by default.
const GridPoints = 1000

// recentLosses is how many batch losses the "loss" metric averages.
const recentLosses = 100

// Stream identifiers: one seed gives three independent PCG streams, so the
// data a net sees does not depend on how its weights were drawn, nor on which
// optimizer trains it.
const (
	streamInit    = 0x696e6974 // "init"
	streamBatch   = 0x62617463 // "batc"
	streamDropout = 0x64726f70 // "drop"
)

// Trainer trains one network on y = ln(x), one step at a time, and owns every
// buffer it needs. It is not safe for concurrent use: drive it from one goroutine.
type Trainer struct {
	cfg Config
	act Activation
	net *Network

	grads      []float64 // laid out like net.Params
	gradLayers []Layer
	opt        Optimizer
	lrs        map[string]float64 // the learning rate each optimizer last used

	initRNG *rand.Rand
	// The PCG states behind the batch and dropout streams, kept so Fork can
	// copy them: a forked lane then sees exactly the same batches.
	batchSrc, dropSrc *rand.PCG

	ws     *workspace // training batch
	evalWS *workspace // the evaluation grid
	gridX  []float64  // evaluation grid
	gridY  []float64  // the target on it
	tgt    *target    // the compiled target (stateless: forks share it)
	ptsWS  *workspace // the user's points, for their MSE (nil until asked)
	// bestConst is the target's mean over the sampled range (TargetMean):
	// where a collapsed net ends up, for the verdicts.
	bestConst float64
	fast      fastBlock // see fast.go

	prevParams []float64 // params before the last step of a Run, for update ratios

	// A huge network's step is taken in parts of a few tens of ms each, and
	// stop (set by a driver) is asked between parts: a Ctrl-C is answered
	// within one part, not after a step of minutes.
	part    *workspace  // a view into ws for one part
	stop    func() bool // nil: never stop mid-step
	stopped bool        // the last step was abandoned: nothing was applied

	rec record // what the run has done so far: see record.go

	// dense forces the reference path (for tests and benchmarks of it).
	dense bool
}

// New builds a trainer for cfg, initialized from cfg.Seed.
func New(cfg Config) (*Trainer, error) {
	cfg = cfg.Clone()
	if cfg.Data == "" {
		cfg.Data = DataSample
	}
	if cfg.InitScale == 0 { // a Config written before init-scale existed
		cfg.InitScale = 1
	}
	cfg.Target = targetName(cfg.Target)
	cfg.DomainHi = cfg.Hi()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	t := &Trainer{cfg: cfg, lrs: map[string]float64{}}
	for k, v := range DefaultLR {
		t.lrs[k] = v
	}
	if err := t.buildGrid(); err != nil {
		return nil, err
	}
	if err := t.rebuild(); err != nil {
		return nil, err
	}
	t.Reset(cfg.Seed)
	return t, nil
}

// rebuild allocates the network and buffers for the current sizes and batch.
func (t *Trainer) rebuild() error {
	act, err := ParseActivation(t.cfg.Activation)
	if err != nil {
		return err
	}
	t.act = act
	sizes := t.cfg.Sizes()
	t.net, err = NewNetwork(sizes, act)
	if err != nil {
		return err
	}
	t.grads = make([]float64, len(t.net.Params))
	t.gradLayers = layerViews(sizes, t.grads)
	t.prevParams = make([]float64, len(t.net.Params))
	t.rec = newRecord(len(t.net.Layers), t.rec.hist)
	t.rec.units = newUnitDeaths(sizes)
	t.evalWS = newEvalWorkspace(sizes, GridPoints)
	t.ptsWS = nil
	t.bestConst = TargetMean(t.cfg)
	copy(t.evalWS.x, t.gridX)
	t.allocBatch()
	return nil
}

func (t *Trainer) trainBatch() int {
	if t.cfg.Data == DataGrid {
		if t.cfg.Points != nil {
			return len(t.cfg.Points.X)
		}
		return GridPoints
	}
	return t.cfg.Batch
}

func (t *Trainer) allocBatch() {
	B := t.trainBatch()
	t.ws = newWorkspace(t.cfg.Sizes(), B)
	t.part = newWorkspaceView(len(t.cfg.Sizes()) - 1)
	t.fast = newFastBlock(t.cfg.Sizes(), B)
	t.fast.setDomain(t.cfg.XMin, t.cfg.Hi())
	if t.cfg.Data == DataGrid && t.cfg.Points != nil {
		copy(t.ws.x, t.cfg.Points.X) // full batch: every point, every step
		copy(t.ws.y, t.cfg.Points.Y)
	} else if t.cfg.Data == DataGrid {
		// A fixed full batch: GridPoints midpoints of (xmin, B].
		for i := range t.ws.x {
			t.ws.x[i] = t.cfg.XMin + (t.cfg.DomainHi-t.cfg.XMin)*(float64(i)+0.5)/GridPoints
			t.ws.y[i] = t.tgt.f(t.ws.x[i])
		}
	}
}

// Reset re-initializes the weights from seed, restarts all streams, and
// clears the step count, history, optimizer state and divergence.
func (t *Trainer) Reset(seed uint64) {
	t.cfg.Seed = seed
	t.initRNG = rand.New(rand.NewPCG(seed, streamInit))
	t.batchSrc = rand.NewPCG(seed, streamBatch)
	t.dropSrc = rand.NewPCG(seed, streamDropout)
	_ = InitializeScaled(t.net, t.cfg.Init, t.cfg.InitScale, t.initRNG) // cfg validated
	t.opt, _ = NewOptimizer(t.cfg.Optimizer, len(t.net.Params))
	t.rec.reset()
	t.startUnitDeaths(true)
	clear(t.grads)
}

// Config returns a copy of the current configuration (with every live change applied).
func (t *Trainer) Config() Config { return t.cfg.Clone() }

// Step returns the number of steps taken since the last reset.
func (t *Trainer) Step() int64 { return t.rec.step }

// LastLoss is the last batch's loss (NaN before the first step). Reading it
// costs nothing: progress bars use it instead of evaluating the grid.
func (t *Trainer) LastLoss() float64 { return t.rec.lastLoss }

// Network returns a copy of the current network.
func (t *Trainer) Network() *Network { return t.net.Clone() }

// Diverged reports whether training stopped on a non-finite loss or parameter,
// at which step, and why.
func (t *Trainer) Diverged() (bool, int64, string) {
	return t.rec.diverged, t.rec.divergedAt, t.rec.divergeReason
}

// sampleBatch fills ws.x with x ~ U(xmin, B] and ws.y with the target.
// x = xmin + (B−xmin)·(1−U) with U ∈ [0,1), so x is never xmin, never 0:
// ln 0 = −∞ would poison every weight with NaN.
func (t *Trainer) sampleBatch() {
	x, y := t.ws.x, t.ws.y[:len(t.ws.x)]
	lo, span := t.cfg.XMin, t.cfg.DomainHi-t.cfg.XMin
	for i := range x {
		x[i] = lo + span*(1-unitFloat(t.batchSrc))
	}
	t.tgt.fill(y, x) // for ln: logs, math.Log bit for bit, four at a time where the CPU can (log_amd64.s)
}

// unitFloat is rand.Rand.Float64 on a PCG, bit for bit, without an
// interface call per number: a uniform float64 in [0, 1).
func unitFloat(src *rand.PCG) float64 { return float64(src.Uint64()<<11>>11) / (1 << 53) }

// sampleDropout draws each hidden unit's keep-mask: 0 with probability p,
// otherwise 1/(1−p) (inverted dropout, so evaluation needs no rescaling).
func (t *Trainer) sampleDropout(B int) {
	p := t.cfg.Dropout
	keep := 1 / (1 - p)
	for l := 0; l < len(t.net.Layers)-1; l++ {
		m := t.ws.mask[l][:B*t.net.Layers[l].Out]
		for i := range m {
			if unitFloat(t.dropSrc) < p {
				m[i] = 0
			} else {
				m[i] = keep
			}
		}
	}
}

// trainStep takes one step of gradient descent. It allocates nothing.
func (t *Trainer) trainStep() {
	B := t.trainBatch()
	if t.cfg.Data == DataSample && t.cfg.Points != nil {
		t.samplePoints()
	} else if t.cfg.Data == DataSample {
		t.sampleBatch()
	}
	dropout := t.cfg.Dropout > 0
	if dropout {
		t.sampleDropout(B)
	}
	clear(t.grads)
	var loss float64
	part := t.partSamples(B)
	if part == B && !dropout && !t.dense && t.fast.usable(t.act) {
		loss = t.fast.step(t.net, t.gradLayers, t.ws, B)
	} else {
		last := len(t.net.Layers) - 1
		for off := 0; off < B; off += part {
			n := min(part, B-off)
			ws := t.ws
			if n < B {
				ws = t.ws.viewInto(t.part, off, n)
			}
			pred := t.net.forward(ws, n, dropout)
			dpred := ws.dz[last][:n]
			l := mseLoss(dpred, pred, ws.y[:n])
			if n < B { // the loss is the mean over the whole batch
				scale := float64(n) / float64(B)
				for i := range dpred {
					dpred[i] *= scale
				}
				l *= scale
			}
			loss += l
			t.net.backward(t.gradLayers, ws, n, dpred, dropout)
			if off+n < B && t.stop != nil && t.stop() {
				t.stopped = true // the batch is drawn, but nothing is applied
				return
			}
		}
	}
	fin := stepFinite(t.opt, t.net.Params, t.grads, t.cfg.LR) // the update checks the parameters as it writes them
	r := &t.rec
	r.step++
	if t.act == ReLU && !r.allDied() {
		t.trackDeaths()
	}
	r.lastLoss = loss
	r.hist.Add(loss)
	r.recent[r.nRecent%recentLosses] = loss
	r.nRecent++
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		t.stopDiverged(fmt.Sprintf("the loss is %v", loss))
	} else if !fin {
		t.stopDiverged(fmt.Sprintf("a weight became NaN or ±Inf (loss %.3g)", loss))
	}
}

func (t *Trainer) stopDiverged(reason string) {
	t.rec.diverged = true
	t.rec.divergedAt = t.rec.step
	t.rec.divergeReason = reason
}

// Run takes up to n steps and returns how many it took: fewer only if the
// run diverged or reached MaxStep. The last step also records each layer's
// update-to-weight ratio.
func (t *Trainer) Run(n int) int {
	done := 0
	t.stopped = false
	for done < n && !t.rec.diverged && t.rec.step < MaxStep {
		if done == n-1 {
			copy(t.prevParams, t.net.Params)
			t.trainStep()
			t.measureUpdate()
		} else {
			t.trainStep()
		}
		if t.stopped {
			break
		}
		done++
	}
	return done
}

// partWork is about how many multiply-adds one part of a step may take
// (forward and backward): some tens of ms. Every network of ordinary size
// takes its whole batch in one part, exactly as before.
var partWork = 50_000_000 // a variable only so tests can cut steps small

// partSamples is how many samples one part of a step covers.
func (t *Trainer) partSamples(B int) int {
	per := 3 * len(t.net.Params) // forward ≈ 1, backward ≈ 2 multiply-adds per parameter per sample
	return min(B, max(1, partWork/per))
}

// SetStop gives the trainer a question to ask between the parts of a huge
// step; true abandons the step (nothing is applied) and ends Run.
func (t *Trainer) SetStop(stop func() bool) { t.stop = stop }

func (t *Trainer) measureUpdate() {
	for l, L := range t.net.Layers {
		off := layerOffset(t.net, l)
		n := len(L.W) // the weight matrix alone: a bias that moves must not make a still W look busy
		var dd, pp float64
		for i := off; i < off+n; i++ {
			d := t.net.Params[i] - t.prevParams[i]
			dd += d * d
			pp += t.prevParams[i] * t.prevParams[i]
		}
		if pp > 0 {
			t.rec.updateRatio[l] = math.Sqrt(dd / pp)
		} else {
			t.rec.updateRatio[l] = 0
		}
	}
}

func layerOffset(n *Network, l int) int {
	off := 0
	for i := 0; i < l; i++ {
		off += len(n.Layers[i].W) + len(n.Layers[i].B)
	}
	return off
}

// Fork returns an independent trainer in exactly this trainer's state: same
// weights, step, history, learning rates and batch and dropout streams. Its
// optimizer starts fresh (a lane of a race gets its own). Two forks stepped
// alike stay bit-identical, whatever the optimizer of the other lanes.
func (t *Trainer) Fork() *Trainer {
	c := &Trainer{cfg: t.cfg.Clone(), lrs: map[string]float64{}}
	for k, v := range t.lrs {
		c.lrs[k] = v
	}
	c.gridX, c.gridY, c.tgt = t.gridX, t.gridY, t.tgt // read-only after New
	_ = c.rebuild()                                   // t's config is valid
	copy(c.net.Params, t.net.Params)
	copy(c.grads, t.grads)
	c.rec = t.rec.clone()
	c.initRNG = rand.New(rand.NewPCG(c.cfg.Seed, streamInit)) // only Reset draws from it
	bs, ds := *t.batchSrc, *t.dropSrc
	c.batchSrc, c.dropSrc = &bs, &ds
	c.opt, _ = NewOptimizer(c.cfg.Optimizer, len(c.net.Params))
	c.dense = t.dense
	return c
}

// LayerDied reports whether a whole hidden ReLU layer has died on the grid
// (as training recorded it): such a net is collapsed for good.
func (t *Trainer) LayerDied() bool {
	for _, d := range t.rec.diedAt {
		if d != 0 {
			return true
		}
	}
	return false
}

// Clone returns an independent trainer in exactly this trainer's state,
// optimizer state included: stepped alike, the two stay bit-identical. (A
// race's lanes use Fork instead, each with a fresh optimizer.)
func (t *Trainer) Clone() *Trainer {
	c := t.Fork()
	c.opt = cloneOptimizer(t.opt)
	return c
}

// cloneOptimizer copies an optimizer with its state.
func cloneOptimizer(o Optimizer) Optimizer {
	switch o := o.(type) {
	case *Momentum:
		return &Momentum{V: append([]float64(nil), o.V...), Nesterov: o.Nesterov}
	case *RMSProp:
		return &RMSProp{S: append([]float64(nil), o.S...)}
	case *Adagrad:
		return &Adagrad{S: append([]float64(nil), o.S...)}
	case *Adam:
		c := *o
		c.M, c.V = append([]float64(nil), o.M...), append([]float64(nil), o.V...)
		return &c
	}
	return &SGD{}
}

// trackDeaths records the step at which a whole ReLU layer dies on the
// grid. Exactly and cheaply where that can be known without the grid: a
// first-layer unit is linear in x, so it is dead on every grid point iff it
// is dead at both ends; a layer whose inputs are all dead sees only its
// biases. Other deaths are found by a look at the whole grid every
// deathCheckEvery steps, and recorded as "by" that step, not "at" it.
// Only training writes here: reading metrics never changes the record.
func (t *Trainer) trackDeaths() {
	r := &t.rec
	t.trackUnitDeaths()
	x0, x1 := t.gridX[0], t.gridX[len(t.gridX)-1]
	L := t.net.Layers[0]
	below := true // every unit of the layer below is dead
	for k, w := range L.W {
		if w*x0+L.B[k] > 0 || w*x1+L.B[k] > 0 {
			below = false
			break
		}
	}
	for l := 0; l < len(r.diedAt) && below; l++ {
		if l > 0 {
			for _, b := range t.net.Layers[l].B {
				if b > 0 {
					below = false
					break
				}
			}
		}
		if below && r.diedAt[l] == 0 {
			r.diedAt[l], r.diedExact[l] = r.step, true
		}
	}
	if r.step%deathCheckEvery != 0 {
		return
	}
	t.net.forward(t.evalWS, GridPoints, false)
	t.lookUnitDeaths()
	dead, units, _ := t.deadUnits()
	for l := range dead {
		if dead[l] == units[l] && r.diedAt[l] == 0 {
			r.diedAt[l] = r.step
		}
	}
}

// deathCheckEvery is how often (in steps) training looks at the whole grid
// for dead layers: about 1% of a batch-50 step's time.
const deathCheckEvery = 1024
