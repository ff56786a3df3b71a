package engine

import (
	"fmt"
	"math"
)

// Optimizer names, as used in flags, keys, JSON and the UI.
const (
	OptSGD      = "sgd"
	OptMomentum = "momentum"
	OptNesterov = "nesterov"
	OptRMSProp  = "rmsprop"
	OptAdagrad  = "adagrad"
	OptAdam     = "adam"
)

// Optimizers lists the optimizers in the order the dashboard cycles them.
var Optimizers = []string{OptSGD, OptMomentum, OptNesterov, OptRMSProp, OptAdagrad, OptAdam}

// DefaultLR is each optimizer's learning rate when none is given.
var DefaultLR = map[string]float64{
	OptSGD:      0.01,
	OptMomentum: 0.01,
	OptNesterov: 0.01,
	OptRMSProp:  0.001,
	OptAdagrad:  0.01,
	OptAdam:     0.001,
}

// Hyper-parameters, fixed: the textbook values, and PyTorch's where books differ.
const (
	MomentumMu   = 0.9   // momentum and nesterov
	RMSPropRho   = 0.9   // Hinton's lecture 6e; TF's default
	AdamBeta1    = 0.9   // Kingma & Ba
	AdamBeta2    = 0.999 // Kingma & Ba
	Epsilon      = 1e-8  // rmsprop and adam
	AdagradEps   = 1e-10 // PyTorch's
	maxStateSize = 1 << 24
)

// minNormal is the smallest normal float64. Optimizer state below it in
// magnitude is set to zero: state that decays toward zero (momentum, m and
// v) would otherwise sit in subnormal floats, and on many CPUs each
// operation on a subnormal costs a microcode assist of ~100–250 cycles —
// a run slowed down 2–3× within minutes. A value that small moves no
// parameter anyway: lr·m̂/(√v̂+ε) with m̂ < 2.3e-308 is far below any
// weight's last bit.
const minNormal = 0x1p-1022

// flush returns x, or +0 if |x| is subnormal (or ±0).
func flush(x float64) float64 {
	if x > -minNormal && x < minNormal {
		return 0
	}
	return x
}

// Optimizer updates parameters from their gradient. Step is called once per
// training step over the whole flat parameter slice: one interface call per
// step, a plain loop per parameter.
type Optimizer interface {
	Name() string
	Step(params, grads []float64, lr float64)
}

// NewOptimizer returns a fresh optimizer (zero state) for n parameters.
func NewOptimizer(name string, n int) (Optimizer, error) {
	if n < 0 || n > maxStateSize {
		return nil, fmt.Errorf("optimizer for %d parameters: out of range", n)
	}
	switch name {
	case OptSGD:
		return &SGD{}, nil
	case OptMomentum:
		return &Momentum{V: make([]float64, n)}, nil
	case OptNesterov:
		return &Momentum{V: make([]float64, n), Nesterov: true}, nil
	case OptRMSProp:
		return &RMSProp{S: make([]float64, n)}, nil
	case OptAdagrad:
		return &Adagrad{S: make([]float64, n)}, nil
	case OptAdam:
		return &Adam{M: make([]float64, n), V: make([]float64, n)}, nil
	}
	return nil, CheckOptimizer(name)
}

// CheckOptimizer returns an error naming the allowed values if name is unknown.
func CheckOptimizer(name string) error { return checkNamed("optimizer", Config{Optimizer: name}) }

// stepFinite takes o's step and reports whether every parameter is finite
// after it. The built-in optimizers fold that check into their update loop
// (a vector kernel ORs p−p, which is 0 for every finite p, into a register)
// instead of a second pass over the parameters.
func stepFinite(o Optimizer, p, g []float64, lr float64) bool {
	if c, ok := o.(checkedStepper); ok {
		return c.step(p, g[:len(p)], lr)
	}
	o.Step(p, g, lr)
	return finite(p)
}

type checkedStepper interface {
	step(p, g []float64, lr float64) (finite bool)
}

// Each update below has a scalar twin here (the reference, and the path on
// every other architecture or with -tags purego) and a vector kernel in
// optim_amd64.s that performs the same IEEE operations in the same order,
// four parameters at a time: the two agree bit for bit
// (TestOptimizerKernelsMatchScalar). Products are wrapped in float64(…) so
// that no compiler fuses them into an FMA, which rounds once, not twice.

// SGD: θ ← θ − η·g.
type SGD struct{}

func (*SGD) Name() string                         { return OptSGD }
func (s *SGD) Step(p, g []float64, lr float64)    { s.step(p, g[:len(p)], lr) }
func (*SGD) step(p, g []float64, lr float64) bool { return sgdUpdate(p, g, lr) }
func sgdScalar(p, g []float64, lr float64) {
	g = g[:len(p)]
	for i := range p {
		p[i] -= float64(lr * g[i])
	}
}

// Momentum (PyTorch's form): v ← μ·v + g; θ ← θ − η·v. (Every state
// update below is flushed: see minNormal.)
// Nesterov: the same v, but θ ← θ − η·(g + μ·v).
type Momentum struct {
	V        []float64
	Nesterov bool
}

func (m *Momentum) Name() string {
	if m.Nesterov {
		return OptNesterov
	}
	return OptMomentum
}

func (m *Momentum) Step(p, g []float64, lr float64) { m.step(p, g[:len(p)], lr) }
func (m *Momentum) step(p, g []float64, lr float64) bool {
	return momentumUpdate(p, g, m.V[:len(p)], lr, m.Nesterov)
}

func momentumScalar(p, g, v []float64, lr float64, nesterov bool) {
	g, v = g[:len(p)], v[:len(p)]
	if nesterov {
		for i := range p {
			v[i] = flush(float64(MomentumMu*v[i]) + g[i])
			p[i] -= float64(lr * (g[i] + float64(MomentumMu*v[i])))
		}
		return
	}
	for i := range p {
		v[i] = flush(float64(MomentumMu*v[i]) + g[i])
		p[i] -= float64(lr * v[i])
	}
}

// RMSProp: s ← ρ·s + (1−ρ)·g²; θ ← θ − η·g / (√s + ε).
type RMSProp struct{ S []float64 }

func (*RMSProp) Name() string                           { return OptRMSProp }
func (r *RMSProp) Step(p, g []float64, lr float64)      { r.step(p, g[:len(p)], lr) }
func (r *RMSProp) step(p, g []float64, lr float64) bool { return rmspropUpdate(p, g, r.S[:len(p)], lr) }
func rmspropScalar(p, g, s []float64, lr float64) {
	g, s = g[:len(p)], s[:len(p)]
	for i := range p {
		s[i] = flush(float64(RMSPropRho*s[i]) + float64(float64((1-RMSPropRho)*g[i])*g[i]))
		p[i] -= float64(lr*g[i]) / (math.Sqrt(s[i]) + Epsilon)
	}
}

// Adagrad: s ← s + g²; θ ← θ − η·g / (√s + ε).
type Adagrad struct{ S []float64 }

func (*Adagrad) Name() string                           { return OptAdagrad }
func (a *Adagrad) Step(p, g []float64, lr float64)      { a.step(p, g[:len(p)], lr) }
func (a *Adagrad) step(p, g []float64, lr float64) bool { return adagradUpdate(p, g, a.S[:len(p)], lr) }
func adagradScalar(p, g, s []float64, lr float64) {
	g, s = g[:len(p)], s[:len(p)]
	for i := range p {
		s[i] += float64(g[i] * g[i])
		p[i] -= float64(lr*g[i]) / (math.Sqrt(s[i]) + AdagradEps)
	}
}

// Adam (Kingma & Ba, Algorithm 1):
//
//	m ← β1·m + (1−β1)·g      v ← β2·v + (1−β2)·g²
//	m̂ = m / (1−β1ᵗ)          v̂ = v / (1−β2ᵗ)
//	θ ← θ − η·m̂ / (√v̂ + ε)
//
// ε is added to √v̂, as PyTorch, TF.js and the paper do.
type Adam struct {
	M, V []float64
	T    int // steps taken
	// β1ᵗ and β2ᵗ, kept as running products instead of calling math.Pow each step.
	b1t, b2t float64
}

func (*Adam) Name() string                      { return OptAdam }
func (a *Adam) Step(p, g []float64, lr float64) { a.step(p, g[:len(p)], lr) }
func (a *Adam) step(p, g []float64, lr float64) bool {
	if a.T == 0 {
		a.b1t, a.b2t = 1, 1
	}
	a.T++
	a.b1t *= AdamBeta1
	a.b2t *= AdamBeta2
	k := adamConsts{b1: AdamBeta1, omb1: 1 - AdamBeta1, b2: AdamBeta2, omb2: 1 - AdamBeta2,
		lr: lr, c1: 1 / (1 - a.b1t), c2: 1 / (1 - a.b2t), eps: Epsilon}
	return adamUpdate(p, g, a.M[:len(p)], a.V[:len(p)], &k)
}

// adamConsts are one step's numbers, laid out for optim_amd64.s.
type adamConsts struct {
	b1, omb1, b2, omb2, lr, c1, c2, eps float64
}

// adamScalar is Adam's update, one parameter at a time.
func adamScalar(p, g, m, v []float64, k *adamConsts) {
	g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
	for i := range p {
		gi := g[i]
		m[i] = flush(float64(k.b1*m[i]) + float64(k.omb1*gi))
		v[i] = flush(float64(k.b2*v[i]) + float64(float64(k.omb2*gi)*gi))
		p[i] -= float64(k.lr*float64(m[i]*k.c1)) / (math.Sqrt(float64(v[i]*k.c2)) + k.eps)
	}
}

// BiasCorrected returns m̂ and v̂ at parameter i (for diagnostics).
func (a *Adam) BiasCorrected(i int) (mhat, vhat float64) {
	if a.T == 0 {
		return 0, 0
	}
	return a.M[i] / (1 - a.b1t), a.V[i] / (1 - a.b2t)
}
