// Package presets holds lnfit's named configurations: the seed question's,
// its answer's, one-factor changes between the two, and a few other lessons.
// They are data: adding a preset is adding an entry to All.
package presets

import (
	"fmt"
	"strings"

	"lnfit/engine"
)

// Preset is a named configuration and the one thing it teaches.
type Preset struct {
	Name   string
	Teach  string // one line: what running it shows
	Config engine.Config
}

// Default is the preset `go run .` opens: the question, so the first thing a
// newcomer sees is the collapse to −1.
const Default = "question"

func cfg(init, opt string, lr float64, batch int, more ...func(*engine.Config)) engine.Config {
	c := engine.DefaultConfig()
	c.Init, c.Optimizer, c.LR, c.Batch = init, opt, lr, batch
	for _, f := range more {
		f(&c)
	}
	return c
}

func xmin(v float64) func(*engine.Config)    { return func(c *engine.Config) { c.XMin = v } }
func act(a string) func(*engine.Config)      { return func(c *engine.Config) { c.Activation = a } }
func data(d string) func(*engine.Config)     { return func(c *engine.Config) { c.Data = d } }
func dropout(p float64) func(*engine.Config) { return func(c *engine.Config) { c.Dropout = p } }
func target(t string) func(*engine.Config)   { return func(c *engine.Config) { c.Target = t } }

// All is every preset, in the order lists show them.
var All = []Preset{
	{"question", "The seed's question: U[0,1) weights and biases, SGD 0.01, batch 50. Step 1 kills every ReLU; the net predicts −1 (the mean of ln x) forever.",
		cfg(engine.InitUniform, engine.OptSGD, 0.01, 50)},
	{"answer", "The seed's answer: truncated-normal σ 0.1 weights, biases 0.1, Adam 1e-4, batch 500. Fits ln(x) to MSE < 1e-4 on x ≥ 0.01 in 19–22k steps on seeds 2–5; seed 1, the default, takes 82k (a few units die early).",
		cfg(engine.InitNormal, engine.OptAdam, 1e-4, 500)},
	{"question-normal-init", "Only the init changed (still SGD 0.01, batch 50): it learns. The init, not the optimizer, was the problem.",
		cfg(engine.InitNormal, engine.OptSGD, 0.01, 50)},
	{"question-adam", "Only the optimizer changed (Adam 1e-4, uniform init): no collapse, since each step moves a weight by ~1e-4, but it crawls.",
		cfg(engine.InitUniform, engine.OptAdam, 1e-4, 50)},
	{"question-rmsprop", "Only the optimizer changed, to RMSProp 1e-3: no collapse (5/5 seeds), MSE on x ≥ 0.01 of 0.0005–0.005 after 30k steps. Small normalized steps keep the ReLUs alive.",
		cfg(engine.InitUniform, engine.OptRMSProp, 1e-3, 50)},
	{"question-small-lr", "Only the learning rate changed (SGD 1e-4): the first step is too small to kill the ReLUs, so small steps, not Adam, are what help.",
		cfg(engine.InitUniform, engine.OptSGD, 1e-4, 50)},
	{"question-batch-500", "Only the batch changed (500): it still collapses. Batch size is not the problem.",
		cfg(engine.InitUniform, engine.OptSGD, 0.01, 500)},
	{"answer-xmin", "The answer's second idea: sample x from [0.01, 1]. Faster on x ≥ 0.01, but the net never sees the steep end near 0.",
		cfg(engine.InitNormal, engine.OptAdam, 1e-4, 500, xmin(0.01))},
	{"answer-batch-50", "The answer at batch 50: more steps to converge, but each is 10× cheaper, so fewer seconds.",
		cfg(engine.InitNormal, engine.OptAdam, 1e-4, 50)},
	{"answer-grid", "The answer trained on the fixed 1000-point grid (full batch): no sampling noise in the loss.",
		cfg(engine.InitNormal, engine.OptAdam, 1e-3, 50, data(engine.DataGrid))},
	{"answer-dropout", "The answer's first idea, dropout 0.1 on hidden units: noisier and slower; it does not help a 1-D regression.",
		cfg(engine.InitNormal, engine.OptAdam, 1e-4, 500, dropout(0.1))},
	{"xavier-adam", "Glorot-uniform weights, zero biases, Adam 1e-3. Learns well, yet about half the first layer is dead from step 0: with b = 0 and x > 0, every unit with w < 0 never fires.",
		cfg(engine.InitXavier, engine.OptAdam, 1e-3, 50)},
	{"he-momentum", "He-normal weights (made for ReLU), zero biases, SGD with momentum 0.9: fast and bumpy; as with xavier, units with w < 0 are dead on x > 0 from the start.",
		cfg(engine.InitHe, engine.OptMomentum, 0.01, 50)},
	{"leaky-relu", "The question's setup with leaky ReLU: the leak keeps the giant first gradients flowing, and instead of dying the run diverges within 10 steps.",
		cfg(engine.InitUniform, engine.OptSGD, 0.01, 50, act("leaky-relu"))},
	{"tanh", "The question's setup with tanh: no unit dies, but all saturate at +1 for every x, so the net is just as constant (−1). Saturation is tanh's way of dying.",
		cfg(engine.InitUniform, engine.OptSGD, 0.01, 50, act("tanh"))},
	{"divergent", "SGD at lr 5 from a good init: each step overshoots by about nine times, flipping the prediction's sign, so the loss grows about 80-fold a step and overflows to ∞ at step 162.",
		cfg(engine.InitNormal, engine.OptSGD, 5, 50)},
	// Other functions (issue 24). Claims measured on seeds 1–5 by
	// presets/targets_test.go, e.g.
	//   lnfit --headless --preset square-answer --steps 200000 --until 1e-4 --seed N
	{"sin-question", "The question's setup on sin(2πx): it collapses too (5/5 seeds), to the mean of the target, 0. The collapse is the init's, not ln's.",
		cfg(engine.InitUniform, engine.OptSGD, 0.01, 50, target("sin"))},
	{"square-answer", "The answer on x²: MSE < 1e-4 on the whole domain in 4–48k steps on seeds 1–5, 9k the median (ln: 19–82k, 22k the median, and on x ≥ 0.01 only): no steep end near 0 to chase.",
		cfg(engine.InitNormal, engine.OptAdam, 1e-4, 500, target("square"))},
	{"abs-kink", "The answer on |x − 0.5|: one kink is all it needs. MSE < 1e-5 in 3–5k steps on seeds 1–5, with a first-layer kink within 0.011 of 0.5 (within 0.001 on 4 of 5); watch a unit find it.",
		cfg(engine.InitNormal, engine.OptAdam, 1e-4, 500, target("abs"))},
}

// Get returns the preset called name, with a Config the caller may change.
func Get(name string) (Preset, error) {
	for _, p := range All {
		if p.Name == name {
			p.Config = p.Config.Clone()
			return p, nil
		}
	}
	return Preset{}, fmt.Errorf("unknown preset %q (known: %s)", name, strings.Join(Names(), ", "))
}

// Names lists every preset name, in All's order.
func Names() []string {
	out := make([]string, len(All))
	for i, p := range All {
		out[i] = p.Name
	}
	return out
}
