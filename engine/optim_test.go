package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Two steps of each optimizer on one parameter θ0 = 1 with lr 0.1: first
// g = 0.5, then g = −0.2 (momentum-style ones see 0.5 twice, to show the
// velocity building up). Expected values were worked by hand from each
// update rule; the arithmetic is in the comments.
func TestOptimizerStepsAgainstHandValues(t *testing.T) {
	cases := []struct {
		name   string
		grads  [2]float64
		want   [2]float64
		within float64
	}{
		// θ1 = 1 − 0.1·0.5 = 0.95; θ2 = 0.95 − 0.1·(−0.2) = 0.97
		{OptSGD, [2]float64{0.5, -0.2}, [2]float64{0.95, 0.97}, 1e-15},
		// v1 = 0.5, θ1 = 0.95; v2 = 0.9·0.5 + 0.5 = 0.95, θ2 = 0.95 − 0.095 = 0.855
		{OptMomentum, [2]float64{0.5, 0.5}, [2]float64{0.95, 0.855}, 1e-15},
		// v1 = 0.5, θ1 = 1 − 0.1·(0.5 + 0.45) = 0.905;
		// v2 = 0.95, θ2 = 0.905 − 0.1·(0.5 + 0.855) = 0.7695
		{OptNesterov, [2]float64{0.5, 0.5}, [2]float64{0.905, 0.7695}, 1e-15},
		// s1 = 0.1·0.25 = 0.025, θ1 = 1 − 0.05/√0.025 = 1 − 0.316227766 = 0.683772234;
		// s2 = 0.0225 + 0.004 = 0.0265, θ2 = θ1 + 0.02/√0.0265 = θ1 + 0.122859 = 0.806631
		{OptRMSProp, [2]float64{0.5, -0.2}, [2]float64{0.6837722539831608, 0.8066312698027817}, 1e-12},
		// s1 = 0.25, θ1 = 1 − 0.05/0.5 = 0.9; s2 = 0.5, θ2 = 0.9 − 0.05/√0.5 = 0.829289
		{OptAdagrad, [2]float64{0.5, 0.5}, [2]float64{0.9, 0.8292893219113453}, 1e-9},
		// m1 = 0.05, v1 = 0.00025, m̂ = 0.5, v̂ = 0.25: θ1 = 1 − 0.1·0.5/0.5 = 0.9 (Adam's
		// first step is lr·sign(g)). m2 = 0.045 − 0.02 = 0.025, v2 = 0.00024975 + 0.00004 =
		// 0.00028975; m̂ = 0.025/0.19 = 0.131579, v̂ = 0.00028975/0.001999 = 0.144947;
		// θ2 = 0.9 − 0.1·0.131579/0.380719 = 0.865439
		{OptAdam, [2]float64{0.5, -0.2}, [2]float64{0.9, 0.8654394181165108}, 1e-8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opt, err := NewOptimizer(c.name, 1)
			if err != nil {
				t.Fatal(err)
			}
			if opt.Name() != c.name {
				t.Fatalf("Name() = %q", opt.Name())
			}
			p := []float64{1}
			for i := 0; i < 2; i++ {
				opt.Step(p, []float64{c.grads[i]}, 0.1)
				if math.Abs(p[0]-c.want[i]) > c.within {
					t.Fatalf("after step %d: θ = %.17g, want %.17g", i+1, p[0], c.want[i])
				}
			}
		})
	}
}

// Adam's bias correction makes the first steps as large as later ones: with
// a constant gradient every step moves θ by lr (to within ε), from step 1.
func TestAdamBiasCorrectionGivesLRSizedSteps(t *testing.T) {
	opt, _ := NewOptimizer(OptAdam, 1)
	p := []float64{0}
	for i := 1; i <= 50; i++ {
		prev := p[0]
		opt.Step(p, []float64{3}, 0.01)
		if d := prev - p[0]; math.Abs(d-0.01) > 1e-9 {
			t.Fatalf("step %d moved %.12g, want 0.01", i, d)
		}
	}
	a := opt.(*Adam)
	mh, vh := a.BiasCorrected(0)
	if math.Abs(mh-3) > 1e-9 || math.Abs(vh-9) > 1e-9 {
		t.Fatalf("bias-corrected moments %.12g, %.12g; want 3, 9", mh, vh)
	}
}

func TestUnknownOptimizer(t *testing.T) {
	if _, err := NewOptimizer("adamw", 3); err == nil {
		t.Fatal("adamw accepted")
	}
}

// Swapping the optimizer keeps the weights, starts fresh state, and leaves
// the batch stream alone: the data seen is the same whichever optimizer runs.
func TestSetOptimizerKeepsWeightsAndBatches(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init = InitNormal
	a, _ := New(cfg)
	b, _ := New(cfg)
	a.Run(10)
	b.Run(10)
	before := append([]float64(nil), b.net.Params...)
	if err := b.SetOptimizer(OptAdam); err != nil {
		t.Fatal(err)
	}
	for i, v := range b.net.Params {
		if v != before[i] {
			t.Fatal("SetOptimizer changed the weights")
		}
	}
	if b.cfg.LR != DefaultLR[OptAdam] {
		t.Fatalf("adam lr %v, want its default %v", b.cfg.LR, DefaultLR[OptAdam])
	}
	a.Run(5)
	b.Run(5)
	for i := range a.ws.x {
		if a.ws.x[i] != b.ws.x[i] {
			t.Fatal("the optimizer swap changed the batch stream")
		}
	}
	// Going back restores the learning rate sgd last had.
	_ = b.SetOptimizer(OptSGD)
	if b.cfg.LR != 0.01 {
		t.Fatalf("sgd lr %v after swapping back, want 0.01", b.cfg.LR)
	}
}

// Every optimizer's vector kernel (amd64 with AVX2) agrees with its scalar
// twin bit for bit, parameters and state, including the tail that is not a
// multiple of 4, state at and around the subnormal edge, −0 and dead units'
// zero gradients; and each path reports a non-finite parameter wherever it is.
func TestOptimizerKernelsMatchScalar(t *testing.T) {
	t.Logf("paths: %v", simdPaths())
	for _, name := range Optimizers {
		for _, n := range []int{1, 3, 4, 5, 621, 1003} {
			var ps [][]float64
			var states [][][]float64
			for _, vec := range simdPaths() {
				rng := rand.New(rand.NewPCG(5, uint64(n)))
				o, _ := NewOptimizer(name, n)
				st := optimizerState(o)
				p, g := make([]float64, n), make([]float64, n)
				for i := range p {
					p[i], g[i] = rng.NormFloat64(), rng.NormFloat64()*1e-3
					for _, s := range st {
						s[i] = rng.Float64() * 1e-6
					}
					switch i % 5 {
					case 1:
						g[i] = 0
						for _, s := range st {
							s[i] = 2.3e-308 * rng.Float64()
						}
					case 2:
						g[i] = 0
						for _, s := range st {
							s[i] = 5e-324
						}
					case 3:
						g[i] = math.Copysign(0, -1)
					}
				}
				withPath(vec, func() {
					for step := 1; step <= 5; step++ {
						if !stepFinite(o, p, g, 1e-3*float64(step)) {
							t.Fatalf("%s n %d (%s): finite parameters reported non-finite", name, n, pathName(vec))
						}
					}
					for _, bad := range []float64{math.Inf(1), math.NaN()} {
						q := append([]float64(nil), p...)
						q[n-1] = bad
						if stepFinite(o, q, g, 1e-3) {
							t.Fatalf("%s n %d (%s): %v in the last parameter not reported", name, n, pathName(vec), bad)
						}
						q[n-1], q[0] = 0, bad
						if stepFinite(o, q, g, 1e-3) {
							t.Fatalf("%s n %d (%s): %v in the first parameter not reported", name, n, pathName(vec), bad)
						}
					}
				})
				ps = append(ps, p)
				states = append(states, st)
			}
			for k := 1; k < len(ps); k++ {
				if !sameFloats(ps[0], ps[k]) {
					t.Fatalf("%s n %d: parameters differ between paths", name, n)
				}
				for i := range states[0] {
					if !sameFloats(states[0][i], states[k][i]) {
						t.Fatalf("%s n %d: state %d differs between paths", name, n, i)
					}
				}
			}
		}
	}
}

// optimizerState returns an optimizer's state slices.
func optimizerState(o Optimizer) [][]float64 {
	switch o := o.(type) {
	case *Momentum:
		return [][]float64{o.V}
	case *RMSProp:
		return [][]float64{o.S}
	case *Adagrad:
		return [][]float64{o.S}
	case *Adam:
		return [][]float64{o.M, o.V}
	}
	return nil
}

// Optimizer state never holds a subnormal float, however long it decays:
// dead units' state is flushed to zero instead of creeping through the
// subnormal range (where each operation is ~100× slower on many CPUs).
func TestOptimizerStateNeverSubnormal(t *testing.T) {
	subnormal := func(x float64) bool { return x != 0 && math.Abs(x) < 0x1p-1022 }
	for _, name := range []string{OptMomentum, OptNesterov, OptRMSProp, OptAdam} {
		n := 64
		o, _ := NewOptimizer(name, n)
		p, g := make([]float64, n), make([]float64, n)
		for i := range g {
			g[i] = float64(i+1) * 1e-3
		}
		o.Step(p, g, 1e-3)
		clear(g)                                // every unit dies: the state only decays from here
		for step := 0; step < 800_000; step++ { // v (β2 0.999) needs ~700k to leave the normal range
			o.Step(p, g, 1e-3)
		}
		var states [][]float64
		switch o := o.(type) {
		case *Momentum:
			states = [][]float64{o.V}
		case *RMSProp:
			states = [][]float64{o.S}
		case *Adam:
			states = [][]float64{o.M, o.V}
		}
		for _, st := range states {
			for i, x := range st {
				if subnormal(x) {
					t.Fatalf("%s: state[%d] = %g is subnormal", name, i, x)
				}
				if x != 0 {
					t.Fatalf("%s: state[%d] = %g after 800,000 steps of zero gradient, want 0", name, i, x)
				}
			}
		}
	}
}
