package engine

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustNew(t testing.TB, cfg Config) *Trainer {
	t.Helper()
	tr, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func sameFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

func TestSameSeedIsBitIdentical(t *testing.T) {
	for _, opt := range Optimizers {
		cfg := DefaultConfig()
		cfg.Init, cfg.Optimizer, cfg.LR, cfg.Seed = InitNormal, opt, DefaultLR[opt], 9
		a, b := mustNew(t, cfg), mustNew(t, cfg)
		a.Run(300)
		b.Run(300)
		if !sameFloats(a.net.Params, b.net.Params) {
			t.Fatalf("%s: same seed, different weights", opt)
		}
		ma, mb := a.Metrics(), b.Metrics()
		if math.Float64bits(ma.MSE) != math.Float64bits(mb.MSE) {
			t.Fatalf("%s: same seed, different mse", opt)
		}
	}
}

func TestSameActionsAreBitIdentical(t *testing.T) {
	run := func() []float64 {
		cfg := DefaultConfig()
		cfg.Seed = 3
		tr := mustNew(t, cfg)
		tr.Run(7)
		_ = tr.Reinit(InitXavier)
		tr.Run(50)
		_ = tr.SetOptimizer(OptAdam)
		_ = tr.SetBatch(64)
		tr.Run(40)
		_ = tr.SetLR(3e-3)
		_ = tr.SetDropout(0.2)
		tr.Run(40)
		return append([]float64(nil), tr.net.Params...)
	}
	if !sameFloats(run(), run()) {
		t.Fatal("the same actions from the same seed gave different weights")
	}
}

func TestDifferentSeedsDifferentBatchesAndWeights(t *testing.T) {
	cfg := DefaultConfig()
	a := mustNew(t, cfg)
	cfg.Seed = 2
	b := mustNew(t, cfg)
	if sameFloats(a.net.Params, b.net.Params) {
		t.Fatal("seeds 1 and 2 drew the same weights")
	}
	a.Run(1)
	b.Run(1)
	if sameFloats(a.ws.x, b.ws.x) {
		t.Fatal("seeds 1 and 2 drew the same batch")
	}
}

// The weights and the batches come from separate streams: changing the
// initializer changes the weights but not the data.
func TestInitDoesNotChangeBatches(t *testing.T) {
	cfg := DefaultConfig()
	a := mustNew(t, cfg)
	cfg.Init = InitHe
	b := mustNew(t, cfg)
	a.Run(3)
	b.Run(3)
	if !sameFloats(a.ws.x, b.ws.x) {
		t.Fatal("the initializer changed the batch stream")
	}
}

func TestBatchesAreInRangeAndNeverZero(t *testing.T) {
	for _, xmin := range []float64{0, 0.01, 0.5} {
		cfg := DefaultConfig()
		cfg.XMin, cfg.Batch, cfg.Init = xmin, 1000, InitNormal
		tr := mustNew(t, cfg)
		lo, hi := 2.0, -1.0
		for i := 0; i < 20; i++ {
			tr.Run(1)
			for _, x := range tr.ws.x {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
		if lo <= xmin || hi > 1 {
			t.Fatalf("xmin %v: batch x in [%v, %v], want (xmin, 1]", xmin, lo, hi)
		}
		if lo > xmin+0.001 || hi < 0.999 {
			t.Fatalf("xmin %v: 20,000 draws only cover [%v, %v]", xmin, lo, hi)
		}
	}
}

func TestGridModeTrainsOnFixedGrid(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Data, cfg.Init = DataGrid, InitNormal
	tr := mustNew(t, cfg)
	tr.Run(2)
	x1 := append([]float64(nil), tr.ws.x...)
	tr.Run(2)
	if len(x1) != GridPoints || !sameFloats(x1, tr.ws.x) {
		t.Fatal("grid mode batch is not the fixed grid")
	}
	if x1[0] != 0.0005 || x1[GridPoints-1] != 0.9995 {
		t.Fatalf("grid runs %v … %v", x1[0], x1[GridPoints-1])
	}
}

// The question's setup: every ReLU dies and the net predicts the mean of
// ln x, −1, everywhere. Bounded: 10,000 steps at batch 50 per seed.
func TestQuestionCollapsesToMeanOfLnX(t *testing.T) {
	seeds := 5
	if testing.Short() {
		seeds = 2
	}
	collapsed := 0
	for s := 1; s <= seeds; s++ {
		cfg := DefaultConfig()
		cfg.Seed = uint64(s)
		tr := mustNew(t, cfg)
		tr.Run(10_000)
		m := tr.Metrics()
		allDead := m.Dead[0] == m.Units[0] && m.Dead[1] == m.Units[1]
		t.Logf("seed %d: mse %.4f spread %.3g dead %v mean %.3f", s, m.MSE, m.Spread, m.Dead, m.MeanPred)
		if m.Spread < 0.05 && m.MSE < 1.0 && allDead && math.Abs(m.MeanPred-MeanLnX) < 0.1 {
			collapsed++
		}
	}
	if collapsed < seeds-seeds/5 {
		t.Fatalf("%d of %d seeds collapsed, want at least %d", collapsed, seeds, seeds-seeds/5)
	}
}

// The collapse happens at the first step: one huge SGD update drives every
// first-layer pre-activation negative on (0,1].
func TestQuestionFirstStepKillsLayerOne(t *testing.T) {
	tr := mustNew(t, DefaultConfig())
	tr.Run(1)
	m := tr.Metrics()
	if m.Dead[0] != 50 {
		t.Fatalf("after one step %d of 50 first-layer units are dead, want all", m.Dead[0])
	}
	if m.UpdateRatio[0] < 1 {
		t.Fatalf("first-layer update/weight ratio %.3g: want the step to be larger than the weights", m.UpdateRatio[0])
	}
}

// Only the init changed (still SGD 0.01, batch 50): it learns.
func TestQuestionWithNormalInitLearns(t *testing.T) {
	for s := 1; s <= 3; s++ {
		cfg := DefaultConfig()
		cfg.Seed, cfg.Init = uint64(s), InitNormal
		tr := mustNew(t, cfg)
		tr.Run(10_000)
		m := tr.Metrics()
		if m.Spread < 3 || m.MSEAbove001 > 0.02 {
			t.Fatalf("seed %d: spread %.3g, mse above 0.01 %.3g: it did not learn", s, m.Spread, m.MSEAbove001)
		}
	}
}

// Only the optimizer changed (uniform init, Adam 1e-4): it does not collapse,
// but it stays far off after 10,000 steps.
func TestQuestionWithAdamStaysFarOff(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 steps; run without -short")
	}
	cfg := DefaultConfig()
	cfg.Optimizer, cfg.LR = OptAdam, 1e-4
	tr := mustNew(t, cfg)
	tr.Run(10_000)
	m := tr.Metrics()
	if m.MSE < 0.3 || m.Spread < 0.05 {
		t.Fatalf("mse %.3g, spread %.3g: want far off (mse ≳ 0.4) but not collapsed", m.MSE, m.Spread)
	}
}

// The answer's setup reaches MSE < 1e-4 on x ≥ 0.01 (peers: 19–23k steps).
func TestAnswerConverges(t *testing.T) {
	seeds := []uint64{2, 3, 4}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, s := range seeds {
		cfg := DefaultConfig()
		cfg.Seed, cfg.Init, cfg.Optimizer, cfg.LR, cfg.Batch = s, InitNormal, OptAdam, 1e-4, 500
		tr := mustNew(t, cfg)
		reached := int64(-1)
		for tr.Step() < 40_000 {
			tr.Run(1000)
			if tr.Metrics().MSEAbove001 < 1e-4 {
				reached = tr.Step()
				break
			}
		}
		t.Logf("seed %d: below 1e-4 at step %d", s, reached)
		if reached < 0 {
			t.Fatalf("seed %d: mse above 0.01 still %.3g after 40,000 steps", s, tr.Metrics().MSEAbove001)
		}
	}
}

func TestDivergenceStopsAtOnce(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR = InitNormal, OptSGD, 50
	tr := mustNew(t, cfg)
	done := tr.Run(10_000)
	div, at, why := tr.Diverged()
	if !div || at < 1 || int64(done) != at || why == "" {
		t.Fatalf("diverged %v at %d after %d steps (%q)", div, at, done, why)
	}
	if tr.Run(10) != 0 {
		t.Fatal("a diverged trainer kept stepping")
	}
	tr.Reset(1)
	if div, _, _ := tr.Diverged(); div || tr.Step() != 0 {
		t.Fatal("Reset did not clear the divergence")
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	for _, opt := range []string{OptSGD, OptAdam} {
		for _, dense := range []bool{false, true} {
			cfg := DefaultConfig()
			cfg.Init, cfg.Optimizer = InitNormal, opt
			tr := mustNew(t, cfg)
			tr.dense = dense
			if a := testing.AllocsPerRun(100, func() { tr.Run(1) }); a != 0 {
				t.Fatalf("%s (dense %v): %v allocations per step", opt, dense, a)
			}
		}
	}
	cfg := DefaultConfig()
	cfg.Dropout = 0.1
	tr := mustNew(t, cfg)
	if a := testing.AllocsPerRun(100, func() { tr.Run(1) }); a != 0 {
		t.Fatalf("dropout: %v allocations per step", a)
	}
}

func TestHistoryStaysBoundedAndExact(t *testing.T) {
	h := NewHistory()
	var sum float64
	const n = 1_000_003
	for i := 1; i <= n; i++ {
		v := float64(i % 97)
		h.Add(v)
		sum += v
	}
	if len(h.Buckets) > HistoryCap {
		t.Fatalf("%d buckets", len(h.Buckets))
	}
	var got float64
	var count int64
	for i, b := range h.Buckets {
		got += b.Sum
		count += b.Count
		if i < len(h.Buckets)-1 && b.Count != h.Width {
			t.Fatalf("bucket %d holds %d steps, width %d", i, b.Count, h.Width)
		}
		if b.First != int64(i)*h.Width+1 {
			t.Fatalf("bucket %d starts at step %d", i, b.First)
		}
		if b.Min != 0 || b.Max != 96 {
			t.Fatalf("bucket %d min %v max %v", i, b.Min, b.Max)
		}
	}
	if count != n || got != sum || h.Steps != n {
		t.Fatalf("history holds %d steps summing to %v, want %d and %v", count, got, n, sum)
	}
	// 10^8 steps: the merge rule keeps it at HistoryCap buckets, width 2^16.
	if a := testing.AllocsPerRun(1000, func() { h.Add(1) }); a != 0 {
		t.Fatalf("History.Add allocates %v", a)
	}
}

// A 10^8-step run through the history's own merge rule: bounded, and the
// whole run still covered end to end.
func TestHistoryOf1e8Steps(t *testing.T) {
	if testing.Short() {
		t.Skip("10^8 additions; run without -short")
	}
	h := NewHistory()
	const n = 100_000_000
	for i := 0; i < n; i++ {
		h.Add(1)
	}
	if len(h.Buckets) > HistoryCap || cap(h.Buckets) > HistoryCap || h.Steps != n {
		t.Fatalf("%d buckets (cap %d) for %d steps", len(h.Buckets), cap(h.Buckets), h.Steps)
	}
	last := h.Buckets[len(h.Buckets)-1]
	if h.Buckets[0].First != 1 || last.First+last.Count-1 != n {
		t.Fatal("the history does not cover the whole run")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR, cfg.Hidden = InitNormal, OptAdam, 1e-3, []int{7, 5}
	tr := mustNew(t, cfg)
	tr.Run(200)
	path := filepath.Join(t.TempDir(), "net.json")
	if err := tr.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	s, n, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Step != 200 || s.Config.Optimizer != OptAdam || HiddenString(s.Config.Hidden) != "7,5" {
		t.Fatalf("loaded step %d config %+v", s.Step, s.Config)
	}
	want := tr.Network().Predict(tr.gridX)
	got := n.Predict(tr.gridX)
	if !sameFloats(want, got) {
		t.Fatal("loaded network predicts differently")
	}
	tr2 := mustNew(t, s.Config)
	if err := tr2.LoadNetwork(n, s.Step); err != nil {
		t.Fatal(err)
	}
	if !sameFloats(tr2.Snapshot().Pred, tr.Snapshot().Pred) {
		t.Fatal("trainer with the loaded network predicts differently")
	}
	// PyTorch layout: layer 1's w is 5 rows of 7.
	data, _ := os.ReadFile(path)
	if !strings.Contains(string(data), `"format": "lnfit-network"`) || len(s.Layers[1].W) != 5 || len(s.Layers[1].W[0]) != 7 {
		t.Fatal("saved layout is not out rows of in numbers")
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	tr := mustNew(t, DefaultConfig())
	var buf bytes.Buffer
	if err := tr.Export().Encode(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.String()
	cases := []struct{ name, doc, want string }{
		{"empty", "", "not valid lnfit JSON"},
		{"truncated", good[:len(good)/2], "not valid lnfit JSON"},
		{"not json", "hello", "not valid lnfit JSON"},
		{"format", strings.Replace(good, `"lnfit-network"`, `"keras"`, 1), "format is"},
		{"version", strings.Replace(good, `"version": 1`, `"version": 9`, 1), "version 9 is not supported"},
		{"sizes", strings.Replace(good, `"sizes": [`, `"sizes": [2,`, 1), "want [1, hidden…, 1]"},
		{"unknown field", strings.Replace(good, `"step"`, `"stepz"`, 1), "unknown field"},
		{"nan", strings.Replace(good, `"b": [`, `"b": [NaN,`, 1), "not valid lnfit JSON"},
		{"huge", strings.Replace(good, `"b": [`, `"b": [1e999,`, 1), "not valid lnfit JSON"},
		{"row length", strings.Replace(good, `"w": [`+"\n"+`    [`, `"w": [`+"\n"+`    [0.5,`, 1), "numbers, want"},
		{"activation", strings.Replace(good, `"activation": "relu"`, `"activation": "gelu"`, 1), "activation gelu: want one of relu"},
		{"trailing", good + "{}", "extra data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := DecodeNetwork(strings.NewReader(c.doc))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want it to say %q", err, c.want)
			}
		})
	}
}

func TestSaveRefusesNaNNetwork(t *testing.T) {
	tr := mustNew(t, DefaultConfig())
	tr.net.Params[0] = math.NaN()
	dir := t.TempDir()
	path := filepath.Join(dir, "net.json")
	if err := tr.SaveFile(path); err == nil {
		t.Fatal("saved a NaN network")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a failed save left %d files behind", len(entries))
	}
}

func TestBestConstant(t *testing.T) {
	if BestConstant(0) != -1 {
		t.Fatal("mean of ln x on (0,1] is −1")
	}
	// Peers measured −0.954 for [0.01, 1].
	if c := BestConstant(0.01); math.Abs(c+0.9535) > 0.001 {
		t.Fatalf("mean of ln x on [0.01,1] = %.4f", c)
	}
}

func TestConfigValidation(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.Hidden = nil },
		func(c *Config) { c.Hidden = []int{0} },
		func(c *Config) { c.Activation = "gelu" },
		func(c *Config) { c.Init = "zeros" },
		func(c *Config) { c.Optimizer = "lion" },
		func(c *Config) { c.LR = 0 },
		func(c *Config) { c.LR = math.NaN() },
		func(c *Config) { c.LR = math.Inf(1) },
		func(c *Config) { c.Batch = 0 },
		func(c *Config) { c.XMin = 1 },
		func(c *Config) { c.XMin = -0.1 },
		func(c *Config) { c.Data = "file" },
		func(c *Config) { c.Dropout = 1 },
		func(c *Config) { c.Hidden = []int{4096, 4096} },            // 16.8 million parameters (16,793,601)
		func(c *Config) { c.Hidden = []int{4096}; c.Batch = 10000 }, // 41 million batch×unit buffers
	}
	for i, f := range bad {
		c := DefaultConfig()
		f(&c)
		if _, err := New(c); err == nil {
			t.Errorf("case %d: bad config accepted: %+v", i, c)
		}
	}
}

func TestDeathStepsOfTheQuestion(t *testing.T) {
	tr := mustNew(t, DefaultConfig())
	tr.Run(20)
	m := tr.Metrics()
	// Peers: layer 1 dead after step 1, layer 2 after step 2.
	if m.DiedAt[0] != 1 || m.DiedAt[1] < 1 || m.DiedAt[1] > 3 {
		t.Fatalf("layers died at %v, want [1, 2±1]", m.DiedAt)
	}
	cfg := DefaultConfig()
	cfg.Init = InitNormal
	ok := mustNew(t, cfg)
	ok.Run(200)
	if d := ok.Metrics().DiedAt; d[0] != 0 || d[1] != 0 {
		t.Fatalf("a healthy run reports dead layers at %v", d)
	}
}

func TestAdamMomentsReported(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR = InitNormal, OptAdam, 1e-3
	tr := mustNew(t, cfg)
	tr.Run(10)
	m := tr.Metrics()
	if len(m.AdamM) != 3 || m.AdamV[0] <= 0 || m.AdamM[0] <= 0 {
		t.Fatalf("adam moments %v %v", m.AdamM, m.AdamV)
	}
}

// Lanes forked from one trainer see the same batches: two lanes with the
// same optimizer stay bit-identical, and a lane with another optimizer
// still draws the same data.
func TestForkedLanesAreFair(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init = InitNormal
	base := mustNew(t, cfg)
	base.Run(37)
	a, b, c := base.Fork(), base.Fork(), base.Fork()
	_ = c.SetOptimizer(OptAdam)
	if !sameFloats(a.net.Params, base.net.Params) || a.Step() != 37 {
		t.Fatal("a fork does not start from the same weights and step")
	}
	for i := 0; i < 50; i++ {
		a.Run(3)
		b.Run(3)
		c.Run(3)
		if !sameFloats(a.ws.x, c.ws.x) {
			t.Fatal("lanes with different optimizers saw different batches")
		}
	}
	if !sameFloats(a.net.Params, b.net.Params) {
		t.Fatal("two sgd lanes drifted apart")
	}
	if sameFloats(a.net.Params, c.net.Params) {
		t.Fatal("the adam lane did not train differently")
	}
	// And the base, stepped alike, matches its sgd forks: forking took nothing from it.
	base.Run(150)
	if !sameFloats(a.net.Params, base.net.Params) {
		t.Fatal("the base and its fork differ after the same steps")
	}
}

func TestSessionRaceStaysInLockstepAndFair(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Init = InitNormal
	s := NewSession(mustNew(t, cfg), "test")
	s.Run(10)
	if err := s.Race([]Lane{{Optimizer: OptSGD}, {Optimizer: OptAdam}, {Optimizer: OptSGD}}, 0); err != nil {
		t.Fatal(err)
	}
	s.Run(40)
	s.Run(5)
	a, b, c := s.Lanes()[0], s.Lanes()[1], s.Lanes()[2]
	if a.Step() != b.Step() || b.Step() != c.Step() || a.Step() <= 15 {
		t.Fatalf("lanes at steps %d, %d, %d", a.Step(), b.Step(), c.Step())
	}
	if !sameFloats(a.net.Params, c.net.Params) || sameFloats(a.net.Params, b.net.Params) {
		t.Fatal("same-optimizer lanes differ, or the adam lane does not")
	}
	if err := s.Set("init", InitXavier, AllLanes); err != nil {
		t.Fatal(err)
	}
	if s.Lanes()[1].Config().Optimizer != OptAdam || s.Lanes()[1].Step() != 0 || !sameFloats(s.Lanes()[0].net.Params, s.Lanes()[1].net.Params) {
		t.Fatal("Reinit did not restart every lane from the same weights with its optimizer")
	}
	s.EndRace(1)
	if s.Racing() || s.Main().Config().Optimizer != OptAdam {
		t.Fatal("EndRace did not keep the chosen lane")
	}
	if err := s.Race([]Lane{{Optimizer: OptSGD}}, 0); err == nil {
		t.Fatal("a one-lane race was accepted")
	}
}

// Diagnosis on constructed networks: all dead, none dead, saturated.
func TestDiagnoseConstructedNetworks(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Hidden = []int{4, 3}
	tr := mustNew(t, cfg)
	tr.Run(1)
	L := tr.net.Layers
	fill(L[0].W, 1)
	fill(L[0].B, -5) // w·x + b ≤ −4 on (0,1]: every first-layer unit dead
	fill(L[2].B, -1) // the output is its bias: the best constant
	s := tr.Snapshot()
	d := Diagnose(s)
	if d.Status != StatusCollapsed || s.Metrics.Dead[0] != 4 || s.Metrics.Spread != 0 || !strings.Contains(d.Text, "mean of ln x") {
		t.Fatalf("all dead: %v %q dead %v", d.Status, d.Text, s.Metrics.Dead)
	}
	fill(L[2].B, 40)
	if d := Diagnose(tr.Snapshot()); d.Status != StatusCollapsed || !strings.Contains(d.Text, "a constant (+4") {
		t.Fatalf("dead, far from the mean: %q", d.Text)
	}
	fill(L[0].B, 1) // every first-layer unit alive everywhere
	for i := range L[0].W {
		L[0].W[i] = float64(i + 1)
	}
	fill(L[1].W, 1)
	fill(L[1].B, 0)
	s = tr.Snapshot()
	if s.Metrics.Dead[0] != 0 || s.Metrics.Dead[1] != 0 || Diagnose(s).Status != StatusLearning {
		t.Fatalf("none dead: dead %v, %q", s.Metrics.Dead, Diagnose(s).Text)
	}
	cfg.Activation = "tanh"
	th := mustNew(t, cfg)
	th.Run(1)
	fill(th.net.Layers[0].B, 50) // tanh saturated at +1 for every x
	fill(th.net.Layers[1].B, 50)
	if d := Diagnose(th.Snapshot()); d.Status != StatusSaturated {
		t.Fatalf("saturated tanh: %v %q", d.Status, d.Text)
	}
}
