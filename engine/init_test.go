package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

type stats struct{ mean, variance, lo, hi float64 }

func statsOf(v []float64) stats {
	s := stats{lo: math.Inf(1), hi: math.Inf(-1)}
	for _, x := range v {
		s.mean += x
		s.lo = math.Min(s.lo, x)
		s.hi = math.Max(s.hi, x)
	}
	s.mean /= float64(len(v))
	for _, x := range v {
		s.variance += (x - s.mean) * (x - s.mean)
	}
	s.variance /= float64(len(v) - 1)
	return s
}

// Each initializer's weights against its definition, on a 1→400→300→1 net
// (120,000 weights in the middle layer, so the sampling error is small):
// mean within 5 standard errors, variance within 3%, bounds exact.
func TestInitializerStatistics(t *testing.T) {
	sizes := []int{1, 400, 300, 1}
	const in, out = 400, 300
	// Truncated N(0, σ²) at ±2σ has variance σ²·(1 − 2·2φ(2)/(2Φ(2)−1)) = 0.774σ².
	phi2 := math.Exp(-2) / math.Sqrt(2*math.Pi)
	Phi2 := 0.5 * (1 + math.Erf(2/math.Sqrt2))
	truncVar := 0.01 * (1 - 4*phi2/(2*Phi2-1))
	xavierLimit := math.Sqrt(6.0 / (in + out))
	cases := []struct {
		init       string
		mean, vari float64
		lo, hi     float64 // inclusive bounds every weight must respect
		bias       float64 // NaN: biases are random, U[0,1)
	}{
		{InitUniform, 0.5, 1.0 / 12, 0, 1, math.NaN()},
		{InitNormal, 0, truncVar, -0.2, 0.2, 0.1},
		{InitXavier, 0, xavierLimit * xavierLimit / 3, -xavierLimit, xavierLimit, 0},
		{InitHe, 0, 2.0 / in, math.Inf(-1), math.Inf(1), 0},
	}
	for _, c := range cases {
		t.Run(c.init, func(t *testing.T) {
			n, _ := NewNetwork(sizes, ReLU)
			if err := Initialize(n, c.init, rand.New(rand.NewPCG(42, 1))); err != nil {
				t.Fatal(err)
			}
			W := n.Layers[1].W
			s := statsOf(W)
			se := math.Sqrt(c.vari / float64(len(W)))
			if math.Abs(s.mean-c.mean) > 5*se {
				t.Errorf("mean %.5f, want %.5f ± %.5f", s.mean, c.mean, 5*se)
			}
			if math.Abs(s.variance/c.vari-1) > 0.03 {
				t.Errorf("variance %.6f, want %.6f", s.variance, c.vari)
			}
			if s.lo < c.lo || s.hi > c.hi {
				t.Errorf("range [%.4f, %.4f] outside [%.4f, %.4f]", s.lo, s.hi, c.lo, c.hi)
			}
			if c.init == InitUniform && s.hi >= 1 {
				t.Errorf("U[0,1) drew %v", s.hi)
			}
			if c.init == InitNormal && (s.lo > -0.19 || s.hi < 0.19) {
				t.Errorf("truncated normal range [%.4f, %.4f]: does not reach near ±2σ", s.lo, s.hi)
			}
			for _, L := range n.Layers {
				for _, b := range L.B {
					if math.IsNaN(c.bias) {
						if b < 0 || b >= 1 {
							t.Fatalf("bias %v outside [0,1)", b)
						}
					} else if b != c.bias {
						t.Fatalf("bias %v, want %v", b, c.bias)
					}
				}
			}
		})
	}
}

func TestUniformInitMakesEveryFirstLayerUnitFire(t *testing.T) {
	// The heart of the question: all-positive weights and biases mean every
	// first-layer unit is on for every x in (0,1], all alike.
	tr, _ := New(DefaultConfig())
	m := tr.Metrics()
	for l, d := range m.Dead {
		if d != 0 {
			t.Fatalf("layer %d has %d dead units at step 0", l+1, d)
		}
	}
	if m.MeanPred < 10 {
		t.Fatalf("uniform init predicts %.1f on average: want a large positive output", m.MeanPred)
	}
}

func TestUnknownInit(t *testing.T) {
	n, _ := NewNetwork([]int{1, 2, 1}, ReLU)
	if err := Initialize(n, "glorot", rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Fatal("glorot accepted")
	}
}
