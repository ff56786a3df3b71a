package presets

import (
	"testing"

	"lnfit/engine"
)

func TestEveryPresetIsValidAndDocumented(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range All {
		if seen[p.Name] {
			t.Errorf("duplicate preset %q", p.Name)
		}
		seen[p.Name] = true
		if err := p.Config.Validate(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		if len(p.Teach) < 20 {
			t.Errorf("%s: no description of what it teaches", p.Name)
		}
	}
	if _, err := Get(Default); err != nil {
		t.Fatal(err)
	}
}

// The seed's two setups, exactly as the question and the answer wrote them.
func TestSeedPresetsMatchTheSeed(t *testing.T) {
	q, _ := Get("question")
	a, _ := Get("answer")
	want := map[string]engine.Config{
		"question": {Hidden: []int{50, 10}, Activation: "relu", Init: "uniform", Optimizer: "sgd", LR: 0.01, Batch: 50, Data: "sample", Seed: 1},
		"answer":   {Hidden: []int{50, 10}, Activation: "relu", Init: "normal", Optimizer: "adam", LR: 1e-4, Batch: 500, Data: "sample", Seed: 1},
	}
	for name, got := range map[string]engine.Config{"question": q.Config, "answer": a.Config} {
		w := want[name]
		if engine.HiddenString(got.Hidden) != "50,10" || got.Activation != w.Activation || got.Init != w.Init ||
			got.Optimizer != w.Optimizer || got.LR != w.LR || got.Batch != w.Batch || got.XMin != 0 || got.Data != w.Data || got.Dropout != 0 {
			t.Errorf("%s: %+v, want %+v", name, got, w)
		}
	}
}

func TestGetReturnsACopy(t *testing.T) {
	p, _ := Get("question")
	p.Config.Hidden[0] = 3
	q, _ := Get("question")
	if q.Config.Hidden[0] != 50 {
		t.Fatal("changing a preset's config changed the preset")
	}
	if _, err := Get("nope"); err == nil {
		t.Fatal("unknown preset accepted")
	}
}
