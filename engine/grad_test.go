package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// lossAt runs the reference forward pass and returns the MSE on ws's batch.
func lossAt(n *Network, ws *workspace, B int, dropout bool) float64 {
	pred := n.forward(ws, B, dropout)
	d := make([]float64, B)
	return mseLoss(d, pred, ws.y[:B])
}

// analytic returns the reference backward pass's gradient (laid out like Params).
func analytic(n *Network, ws *workspace, B int, dropout bool) []float64 {
	g := make([]float64, len(n.Params))
	pred := n.forward(ws, B, dropout)
	dpred := make([]float64, B)
	mseLoss(dpred, pred, ws.y[:B])
	n.backward(layerViews(n.Sizes, g), ws, B, dpred, dropout)
	return g
}

// randomNet draws weights ~ N(0, 1/in) and biases ~ N(0, 0.25), so units are
// a mix of active and inactive over the batch.
func randomNet(t *testing.T, sizes []int, act Activation, rng *rand.Rand) *Network {
	t.Helper()
	n, err := NewNetwork(sizes, act)
	if err != nil {
		t.Fatal(err)
	}
	for _, L := range n.Layers {
		for i := range L.W {
			L.W[i] = rng.NormFloat64() / math.Sqrt(float64(L.In))
		}
		for i := range L.B {
			L.B[i] = 0.5 * rng.NormFloat64()
		}
	}
	return n
}

func fillBatch(ws *workspace, B int, rng *rand.Rand) {
	for b := 0; b < B; b++ {
		ws.x[b] = 1 - rng.Float64()
		ws.y[b] = math.Log(ws.x[b])
	}
}

// checkAgainstFD compares the backward pass with central differences:
// (L(θ+h) − L(θ−h)) / 2h, with h scaled to the parameter.
func checkAgainstFD(t *testing.T, n *Network, ws *workspace, B int, dropout bool) {
	t.Helper()
	g := analytic(n, ws, B, dropout)
	worst := 0.0
	for i := range n.Params {
		orig := n.Params[i]
		h := 1e-6 * math.Max(1, math.Abs(orig))
		n.Params[i] = orig + h
		lp := lossAt(n, ws, B, dropout)
		n.Params[i] = orig - h
		lm := lossAt(n, ws, B, dropout)
		n.Params[i] = orig
		fd := (lp - lm) / (2 * h)
		err := math.Abs(fd-g[i]) / math.Max(1e-3, math.Abs(fd)+math.Abs(g[i]))
		worst = math.Max(worst, err)
		if err > 1e-5 {
			t.Errorf("param %d: backward %.10g, finite difference %.10g (rel err %.2g)", i, g[i], fd, err)
			return
		}
	}
	t.Logf("worst relative error %.2g over %d parameters", worst, len(n.Params))
}

func TestBackwardMatchesFiniteDifferences(t *testing.T) {
	for _, act := range Activations {
		for _, sizes := range [][]int{{1, 1}, {1, 5, 1}, {1, 8, 3, 1}, {1, 50, 10, 1}, {1, 4, 6, 5, 1}} {
			for _, B := range []int{1, 3, 17} {
				t.Run(fmt.Sprintf("%s/%v/B=%d", act, sizes, B), func(t *testing.T) {
					rng := rand.New(rand.NewPCG(uint64(B), uint64(len(sizes))))
					n := randomNet(t, sizes, act, rng)
					ws := newWorkspace(sizes, B)
					fillBatch(ws, B, rng)
					checkAgainstFD(t, n, ws, B, false)
				})
			}
		}
	}
}

func TestBackwardWithDropoutMatchesFiniteDifferences(t *testing.T) {
	for _, act := range Activations {
		t.Run(act.String(), func(t *testing.T) {
			sizes := []int{1, 12, 6, 1}
			B := 9
			rng := rand.New(rand.NewPCG(7, 7))
			n := randomNet(t, sizes, act, rng)
			ws := newWorkspace(sizes, B)
			fillBatch(ws, B, rng)
			for l := 0; l < len(sizes)-2; l++ {
				for i := range ws.mask[l] {
					if rng.Float64() < 0.3 {
						ws.mask[l][i] = 0
					} else {
						ws.mask[l][i] = 1 / 0.7
					}
				}
			}
			checkAgainstFD(t, n, ws, B, true)
		})
	}
}

// The fast path must compute the same loss and gradient as the reference
// path, including nets with flat units (w = 0), tied thresholds and units
// that are on or off for the whole batch.
func TestFastPathMatchesReference(t *testing.T) {
	cases := []struct {
		sizes []int
		B     int
	}{{[]int{1, 50, 10, 1}, 50}, {[]int{1, 50, 10, 1}, 500}, {[]int{1, 7, 1}, 13}, {[]int{1, 30, 20, 5, 1}, 40}, {[]int{1, 3, 70, 1}, 9}, {[]int{1, 2, 2, 1}, 1}}
	for ci, c := range cases {
		for variant := 0; variant < 3; variant++ {
			t.Run(fmt.Sprintf("%v/B=%d/v%d", c.sizes, c.B, variant), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(ci), uint64(variant)))
				n := randomNet(t, c.sizes, ReLU, rng)
				switch variant {
				case 1: // the question's init: every unit on everywhere
					_ = Initialize(n, InitUniform, rng)
				case 2: // flat units and duplicated thresholds
					w, b := n.Layers[0].W, n.Layers[0].B
					w[0], b[0] = 0, 0.3
					if len(w) > 1 {
						w[1], b[1] = 0, -0.3
					}
					if len(w) > 3 {
						w[3], b[3] = w[2], b[2]
					}
				}
				ws := newWorkspace(c.sizes, c.B)
				fillBatch(ws, c.B, rng)
				ref := analytic(n, ws, c.B, false)
				refLoss := lossAt(n, ws, c.B, false)

				f := newFastBlock(c.sizes, c.B)
				g := make([]float64, len(n.Params))
				loss := f.step(n, layerViews(c.sizes, g), ws, c.B)
				if math.Abs(loss-refLoss) > 1e-12*math.Max(1, math.Abs(refLoss)) {
					t.Fatalf("loss: fast %.17g, reference %.17g", loss, refLoss)
				}
				scale := 0.0
				for _, v := range ref {
					scale = math.Max(scale, math.Abs(v))
				}
				for i := range g {
					if math.Abs(g[i]-ref[i]) > 1e-9*math.Max(scale, 1e-12) {
						t.Fatalf("param %d: fast %.17g, reference %.17g", i, g[i], ref[i])
					}
				}
			})
		}
	}
}

func TestActivationNamesRoundTrip(t *testing.T) {
	for _, a := range Activations {
		got, err := ParseActivation(a.String())
		if err != nil || got != a {
			t.Fatalf("%v: got %v, %v", a, got, err)
		}
	}
	if _, err := ParseActivation("swish"); err == nil {
		t.Fatal("swish accepted")
	}
}
