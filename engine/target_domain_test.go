package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// On any domain the fast path's rank lookup (buckets of (0,1], clamped)
// must still find every sample's interval: its gradient is the reference's.
func TestFastPathOnOtherDomains(t *testing.T) {
	for di, d := range [][2]float64{{-1, 1}, {2, 5}, {-3, -1}, {-0.01, 0.02}} {
		for _, sizes := range [][]int{{1, 50, 10, 1}, {1, 30, 20, 5, 1}} {
			t.Run(fmt.Sprintf("%v/%v", d, sizes), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(di), 9))
				n := randomNet(t, sizes, ReLU, rng)
				// Put every first-layer kink inside the domain, so ranks matter.
				for k := range n.Layers[0].W {
					n.Layers[0].B[k] = -n.Layers[0].W[k] * (d[0] + (d[1]-d[0])*rng.Float64())
				}
				const B = 200
				ws := newWorkspace(sizes, B)
				for b := 0; b < B; b++ {
					ws.x[b] = d[0] + (d[1]-d[0])*(1-rng.Float64())
					ws.y[b] = ws.x[b] * ws.x[b]
				}
				ref := analytic(n, ws, B, false)
				f := newFastBlock(sizes, B)
				f.setDomain(d[0], d[1])
				g := make([]float64, len(n.Params))
				f.step(n, layerViews(sizes, g), ws, B)
				scale := 0.0
				for _, v := range ref {
					scale = math.Max(scale, math.Abs(v))
				}
				for i := range g {
					if math.Abs(g[i]-ref[i]) > 1e-9*scale {
						t.Fatalf("param %d: fast %.17g, reference %.17g", i, g[i], ref[i])
					}
				}
			})
		}
	}
}

func TestDomainMovesSamplingAndGrid(t *testing.T) {
	cfg := DefaultConfig()
	dom, tg := mustSetting(t, "domain"), mustSetting(t, "target")
	if err := dom.Apply(&cfg, "-1:1"); err != nil {
		t.Fatal(err)
	}
	if err := tg.Apply(&cfg, "sin"); err != nil {
		t.Fatal(err)
	}
	cfg.Init = InitNormal
	tr := mustNew(t, cfg)
	lo, span, last := -1.0, 2.0, float64(GridPoints)-0.5 // variables: constants would be exact
	if tr.gridX[0] != lo+span*(0.5/GridPoints) || tr.gridX[GridPoints-1] != lo+span*(last/GridPoints) {
		t.Fatalf("grid %v … %v", tr.gridX[0], tr.gridX[GridPoints-1])
	}
	neg := 0
	for i := 0; i < 50; i++ {
		tr.Run(1)
		for _, x := range tr.ws.x {
			if !(x > -1 && x <= 1) {
				t.Fatalf("sample %v outside (-1, 1]", x)
			}
			if x < 0 {
				neg++
			}
		}
	}
	if neg < 1000 || neg > 1500 { // 2500 samples, about half below 0
		t.Fatalf("%d of 2500 samples below 0", neg)
	}
	// xmin narrows sampling inside the domain; the grid keeps the domain.
	if err := mustSetting(t, "xmin").Apply(&cfg, "0.5"); err != nil {
		t.Fatal(err)
	}
	tr = mustNew(t, cfg)
	tr.Run(1)
	for _, x := range tr.ws.x {
		if !(x > 0.5 && x <= 1) {
			t.Fatalf("sample %v outside (0.5, 1]", x)
		}
	}
	if tr.gridX[0] >= 0 {
		t.Fatal("the grid followed xmin, not the domain")
	}
	s, err := ParseToken(Setup{Label: "d", Config: cfg}.Token())
	if err != nil || s.Config.DomainLo != -1 || s.Config.Hi() != 1 || s.Config.XMin != 0.5 {
		t.Fatalf("token: %+v, %v", s.Config, err)
	}
}

func TestBadDomainsAreRefused(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1:0", "want A:B with A < B"},
		{"0:0", "want A:B with A < B"},
		{"0.5:0", "want A:B with A < B"},
		{"0", "want A:B"},
		{"a:1", "want A:B"},
		{"0:1e9", "within ±1e+06"},
	} {
		cfg := DefaultConfig()
		if err := mustSetting(t, "domain").Apply(&cfg, c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
	// ln on a domain that reaches 0 or below is refused with the x.
	cfg := DefaultConfig()
	if err := mustSetting(t, "domain").Apply(&cfg, "-1:1"); err != nil {
		t.Fatal(err)
	}
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "target ln: it is NaN at x = -0.9998") {
		t.Fatalf("ln on (-1, 1]: %v", err)
	}
}

// The units report reads kinks and plots units on the domain, not (0,1].
func TestUnitsFollowTheDomain(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = InitNormal, OptAdam, 1e-3, 200
	for k, v := range map[string]string{"domain": "-1:1", "target": "abs(x)"} {
		if err := mustSetting(t, k).Apply(&cfg, v); err != nil {
			t.Fatal(err)
		}
	}
	tr := mustNew(t, cfg)
	tr.Run(3000)
	r := tr.Units(10)
	if r.PlotX[0] != -1+2*(0.5/10.0) || r.PlotX[9] >= 1 {
		t.Fatalf("plot x %v", r.PlotX)
	}
	near, below := math.Inf(1), 0
	for _, k := range r.Kinks[0] {
		if k <= -1 || k > 1 {
			t.Fatalf("kink %v outside the domain", k)
		}
		if k < 0 {
			below++
		}
		near = math.Min(near, math.Abs(k))
	}
	if below == 0 || near > 0.05 {
		t.Fatalf("first-layer kinks %v: want some below 0 and one near |x|'s at 0", r.Kinks[0])
	}
}

// The buckets span the sampled range, not (0,1]: with the kinks spread
// over the domain, each bucket starts its walk among its own thresholds,
// so a sample walks past a few at most; and every vector path gives the
// scalar path's parameters bit for bit on these domains too.
func TestBucketsFollowTheDomain(t *testing.T) {
	for di, d := range [][2]float64{{-1, 1}, {2, 5}, {100, 103}, {0, 1}} {
		rng := rand.New(rand.NewPCG(uint64(di), 3))
		sizes := []int{1, 50, 10, 1}
		n := randomNet(t, sizes, ReLU, rng)
		for k := range n.Layers[0].W {
			n.Layers[0].B[k] = -n.Layers[0].W[k] * (d[0] + (d[1]-d[0])*rng.Float64())
		}
		f := newFastBlock(sizes, 64)
		f.setDomain(d[0], d[1])
		f.sortThresholds(n.Layers[0].W, n.Layers[0].B)
		f.fillStarts()
		worst := 0
		for i := 0; i < 10_000; i++ {
			x := d[0] + (d[1]-d[0])*(1-rng.Float64())
			r0 := int(f.start[f.bucket(x)])
			r := f.rankOf(x)
			if want := sortSearchThr(f.thr, x); r != want {
				t.Fatalf("%v: rank of %v is %d, want %d", d, x, r, want)
			}
			worst = max(worst, r-r0)
		}
		if worst > 8 { // 50 thresholds in 128 buckets: a handful share one at most
			t.Errorf("%v: a sample walked past %d thresholds", d, worst)
		}
	}
	for _, c := range [][2]string{{"-1:1", "50,10"}, {"2:5", "50,10"}, {"2:5", "50,20"}} { // rows of 12 and of 20 lanes
		dom := c[0]
		cfg := DefaultConfig()
		cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = InitNormal, OptAdam, 1e-3, 500
		for k, v := range map[string]string{"domain": dom, "target": "square", "hidden": c[1]} {
			if err := mustSetting(t, k).Apply(&cfg, v); err != nil {
				t.Fatal(err)
			}
		}
		var params [][]float64
		paths := simdPaths()
		for _, vec := range paths {
			withPath(vec, func() {
				tr := mustNew(t, cfg)
				tr.Run(200)
				params = append(params, tr.net.Params)
			})
		}
		for i := 1; i < len(params); i++ {
			for k := range params[0] {
				if math.Float64bits(params[0][k]) != math.Float64bits(params[i][k]) {
					t.Fatalf("%s: param %d: %s %.17g, %s %.17g", dom, k, pathName(paths[0]), params[0][k], pathName(paths[i]), params[i][k])
				}
			}
		}
	}
}

// sortSearchThr is #thr < x by a plain count.
func sortSearchThr(thr []float64, x float64) int {
	n := 0
	for _, t := range thr {
		if t < x {
			n++
		}
	}
	return n
}
