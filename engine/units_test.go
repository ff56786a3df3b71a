package engine

import (
	"math"
	"sync"
	"testing"
)

// unitNets are the nets the units tests look at: the question at steps 0, 1
// and 2, a trained answer (seed 2, answerSteps steps), and two nets with
// kinks of both layers inside (0,1].
const answerSteps = 20_000

var (
	unitNetsOnce sync.Once
	unitNetsMap  map[string]*Trainer
)

// unitNets trains them once for every test here (the tests only read them).
func unitNets(t *testing.T) map[string]*Trainer {
	unitNetsOnce.Do(func() { unitNetsMap = trainUnitNets(t) })
	if unitNetsMap == nil {
		t.Fatal("the unit nets failed to build")
	}
	return unitNetsMap
}

func trainUnitNets(t *testing.T) map[string]*Trainer {
	t.Helper()
	nets := map[string]*Trainer{}
	q := mustNew(t, DefaultConfig())
	for s := 0; s < 3; s++ {
		nets["question step "+string(rune('0'+s))] = q.Clone()
		q.Run(1)
	}
	a := DefaultConfig()
	a.Seed, a.Init, a.Optimizer, a.LR, a.Batch = 2, InitNormal, OptAdam, 1e-4, 500
	steps := answerSteps
	if testing.Short() {
		steps = 3000
	}
	ans := mustNew(t, a)
	ans.Run(steps)
	nets["answer"] = ans
	x := DefaultConfig()
	x.Init, x.Optimizer, x.LR = InitXavier, OptAdam, 1e-3
	xa := mustNew(t, x)
	xa.Run(300)
	nets["xavier-adam"] = xa
	l := a
	l.Activation = "leaky-relu"
	la := mustNew(t, l)
	la.Run(500)
	nets["answer leaky-relu"] = la
	return nets
}

// fineZ is every hidden pre-activation on M midpoints of (0,1], by the
// ordinary forward pass: what the kinks must agree with.
func fineZ(tr *Trainer, M int) (xs []float64, z [][]float64) {
	ws := newEvalWorkspace(tr.net.Sizes, M)
	xs = make([]float64, M)
	for i := range xs {
		xs[i] = (float64(i) + 0.5) / float64(M)
	}
	copy(ws.x, xs)
	tr.net.forward(ws, M, false)
	return xs, ws.z[:len(ws.z)-1]
}

// The kinks Units reports are exactly the zero crossings of each unit's
// pre-activation on a fine grid: the cells where the sign changes are the
// cells holding an odd number of kinks, and the live side agrees with the
// signs at the grid's ends.
func TestKinksAreTheZeroCrossingsOnAFineGrid(t *testing.T) {
	const M = 40_000
	deep := 0
	for name, tr := range unitNets(t) {
		r := tr.Units(DefaultPlotPoints)
		xs, z := fineZ(tr, M)
		total := 0
		deep += len(r.Kinks[1])
		for l, layer := range r.Layers {
			O := len(layer)
			for k, u := range layer {
				odd := map[int]bool{}
				for _, x := range u.Kinks {
					i := int(math.Ceil(x*M-0.5)) - 1 // xs[i] < x ≤ xs[i+1]
					if i < 0 || i >= M-1 {
						continue // beyond the fine grid's ends: no sign change to see
					}
					if math.Min(x-xs[i], xs[i+1]-x) < 1e-9 {
						t.Logf("%s L%d u%d: kink %v on a grid point, not compared", name, l+1, k, x)
						odd[i] = !odd[i]
						continue
					}
					odd[i] = !odd[i]
				}
				changes := map[int]bool{}
				for i := 0; i+1 < M; i++ {
					if (z[l][i*O+k] > 0) != (z[l][(i+1)*O+k] > 0) {
						changes[i] = true
					}
				}
				for i := range odd {
					if !odd[i] {
						delete(odd, i)
					}
				}
				if len(odd) != len(changes) {
					t.Fatalf("%s L%d u%d: kinks %v give %d odd cells, the fine grid has %d sign changes", name, l+1, k, u.Kinks, len(odd), len(changes))
				}
				for i := range changes {
					if !odd[i] {
						t.Fatalf("%s L%d u%d: the sign changes in (%v, %v] but no kink is there (kinks %v)", name, l+1, k, xs[i], xs[i+1], u.Kinks)
					}
				}
				total += len(u.Kinks)
				left, right := z[l][k] > 0, z[l][(M-1)*O+k] > 0
				want := map[[2]bool][]Side{{true, true}: {SideBoth}, {true, false}: {SideLeft},
					{false, true}: {SideRight}, {false, false}: {SideNone, SideMiddle}}[[2]bool{left, right}]
				if u.Live != want[0] && (len(want) == 1 || u.Live != want[1]) {
					t.Fatalf("%s L%d u%d: live side %s, but z > 0 at the ends is %v, %v", name, l+1, k, u.Live, left, right)
				}
			}
		}
		t.Logf("%s: %d kinks in (0,1] (layer 2: %d; %d distinct), dead %d/%d", name, total, len(r.Kinks[1]), r.NetKinks, r.Dead(0), r.Dead(1))
		if name == "xavier-adam" && r.Kinks[0] == nil {
			t.Fatalf("xavier-adam: no first-layer kink in (0,1]: the test compares nothing")
		}
	}
	if deep == 0 {
		t.Fatal("no net has a second-layer kink in (0,1]: the test compares nothing there")
	}
}

// Units agrees with Metrics (dead counts, MSE) and its layer-1 hinge is −b/w.
func TestUnitsAgreeWithMetrics(t *testing.T) {
	for name, tr := range unitNets(t) {
		r, m := tr.Units(DefaultPlotPoints), tr.Metrics()
		for l := range r.Layers {
			if r.Dead(l) != m.Dead[l] {
				t.Fatalf("%s: layer %d has %d dead units, Metrics says %d", name, l+1, r.Dead(l), m.Dead[l])
			}
		}
		if r.MSE != m.MSE {
			t.Fatalf("%s: mse %v, Metrics %v", name, r.MSE, m.MSE)
		}
		L := tr.net.Layers[0]
		for k, u := range r.Layers[0] {
			if want := -L.B[k] / L.W[k]; u.Hinge != want {
				t.Fatalf("%s: unit %d hinge %v, want −b/w = %v", name, k, u.Hinge, want)
			}
		}
	}
}

// Step 0 of the question: every kink is left of 0 and every unit live on all
// of (0,1]; after step 1 every first-layer unit is dead, died at step 1.
func TestQuestionKinksLeaveTheDomain(t *testing.T) {
	nets := unitNets(t)
	r0 := nets["question step 0"].Units(DefaultPlotPoints)
	for _, u := range r0.Layers[0] {
		if !(u.Hinge < 0) || u.Live != SideBoth || u.Dead {
			t.Fatalf("step 0: unit %d hinge %v live %s dead %v: want left of 0, live on all of (0,1]", u.Index, u.Hinge, u.Live, u.Dead)
		}
	}
	r1 := nets["question step 1"].Units(DefaultPlotPoints)
	for _, u := range r1.Layers[0] {
		if !u.Dead || u.Live != SideNone || u.DiedAt != 1 || !u.DiedExact {
			t.Fatalf("step 1: unit %d dead %v live %s died at %d (exact %v): want dead at step 1", u.Index, u.Dead, u.Live, u.DiedAt, u.DiedExact)
		}
	}
	r2 := nets["question step 2"].Units(DefaultPlotPoints)
	for _, u := range r2.Layers[1] {
		if !u.Dead || u.DiedAt < 1 || u.DiedAt > 2 || !u.DiedExact || u.Contribution != 0 {
			t.Fatalf("step 2: layer-2 unit %d dead %v died %d exact %v contribution %v", u.Index, u.Dead, u.DiedAt, u.DiedExact, u.Contribution)
		}
	}
}

// A unit dead from step 0 is recorded at 0; a loaded network's dead units
// have no recorded step; a clone keeps the record.
func TestUnitDeathRecord(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR = InitXavier, OptAdam, 1e-3
	tr := mustNew(t, cfg)
	dead0 := 0
	for _, u := range tr.Units(DefaultPlotPoints).Layers[0] {
		if u.Dead {
			dead0++
			if u.DiedAt != 0 || !u.DiedExact {
				t.Fatalf("unit %d dead at init recorded at %d", u.Index, u.DiedAt)
			}
		}
	}
	if dead0 == 0 {
		t.Fatal("xavier with b = 0: want some units dead at step 0")
	}
	tr.Run(50)
	c := tr.Clone()
	a, b := tr.Units(DefaultPlotPoints), c.Units(DefaultPlotPoints)
	for k := range a.Layers[0] {
		if a.Layers[0][k].DiedAt != b.Layers[0][k].DiedAt {
			t.Fatalf("unit %d: the clone's record differs", k)
		}
	}
	fresh := mustNew(t, cfg)
	if err := fresh.LoadNetwork(tr.Network(), 50); err != nil {
		t.Fatal(err)
	}
	for _, u := range fresh.Units(DefaultPlotPoints).Layers[0] {
		if u.Dead && u.DiedAt != -1 {
			t.Fatalf("loaded unit %d: died at %d, want not recorded", u.Index, u.DiedAt)
		}
	}
}

// Contribution is mean |a·∂net/∂a|: check it against a finite difference
// that scales the unit's output by 1+ε (its outgoing weights).
func TestContributionIsThePathShare(t *testing.T) {
	nets := unitNets(t)
	for _, name := range []string{"answer", "xavier-adam"} {
		tr := nets[name]
		r := tr.Units(DefaultPlotPoints)
		base := tr.net.Predict(tr.gridX)
		const eps = 1e-7
		for l := range r.Layers {
			next := tr.net.Layers[l+1]
			for k, u := range r.Layers[l] {
				n := tr.net.Clone()
				for j := 0; j < next.Out; j++ {
					n.Layers[l+1].W[j*next.In+k] *= 1 + eps
				}
				p := n.Predict(tr.gridX)
				var s float64
				for i := range p {
					s += math.Abs(p[i]-base[i]) / eps
				}
				s /= GridPoints
				if math.Abs(s-u.Contribution) > 1e-4*math.Max(1, s) {
					t.Fatalf("%s L%d u%d: contribution %v, finite difference %v", name, l+1, k, u.Contribution, s)
				}
			}
		}
	}
}

// Units only reads: the run goes on bit for bit the same.
func TestUnitsChangeNothing(t *testing.T) {
	a, b := mustNew(t, DefaultConfig()), mustNew(t, DefaultConfig())
	for i := 0; i < 5; i++ {
		a.Units(37)
		a.Run(1)
		b.Run(1)
	}
	if !sameFloats(a.net.Params, b.net.Params) {
		t.Fatal("calling Units changed the run")
	}
	if r := a.Units(37); len(r.PlotX) != 37 || len(r.Layers[0][0].Out) != 37 {
		t.Fatalf("plot points: %d, %d", len(r.PlotX), len(r.Layers[0][0].Out))
	}
	if r := a.Units(0); r.PlotX != nil || r.Layers[0][0].Out != nil {
		t.Fatal("Units(0): want no outputs")
	}
}

// A net too large for the exact search still answers, quickly: its deeper
// layers get live sides from the grid's ends and no kinks.
func TestUnitsOfAHugeNetAreBounded(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Hidden = []int{400, 400, 400}
	cfg.Init = InitNormal // b = 0.1: −b/w is in (0,1] for every w < −0.1
	tr := mustNew(t, cfg)
	r := tr.Units(0)
	if r.ExactLayers < 1 || r.ExactLayers == 3 {
		t.Fatalf("exact layers %d: want the bound to stop the search inside this net", r.ExactLayers)
	}
	for _, u := range r.Layers[2] {
		if u.Kinks != nil || u.Live == SideSmooth {
			t.Fatalf("unit %d of layer 3: kinks %v, live %s", u.Index, u.Kinks, u.Live)
		}
	}
}

// BenchmarkUnits is one lane's report, as a frame would take it while the
// units room is open (the question's 1→50→10→1 net, fitted).
func BenchmarkUnits(b *testing.B) {
	cfg := DefaultConfig()
	cfg.Seed, cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = 2, InitNormal, OptAdam, 1e-4, 500
	tr := mustNew(b, cfg)
	tr.Run(3000)
	b.ReportAllocs()
	for b.Loop() {
		tr.Units(DefaultPlotPoints)
	}
}

// At the start of a run the record's view of who is dead (layer 2 from its
// peaks at layer 1's kinks, not the grid) agrees with the grid.
func TestUnitDeathRecordStartsLikeTheGrid(t *testing.T) {
	dead := 0
	for _, init := range []string{InitUniform, InitNormal, InitXavier, InitHe} {
		for seed := uint64(1); seed <= 10; seed++ {
			cfg := DefaultConfig()
			cfg.Init, cfg.Seed = init, seed
			tr := mustNew(t, cfg)
			for _, layer := range tr.Units(0).Layers {
				for _, u := range layer {
					at, _, ok := tr.unitDiedAt(u.Layer-1, u.Index)
					if u.Dead != ok || ok && at != 0 {
						t.Fatalf("%s seed %d L%d u%d: dead on the grid %v, the record says dead %v (at %d)", init, seed, u.Layer, u.Index, u.Dead, ok, at)
					}
					if u.Dead && u.Layer == 2 {
						dead++
					}
				}
			}
		}
	}
	if dead == 0 {
		t.Fatal("no second-layer unit dead at init: the test compares nothing there")
	}
}
