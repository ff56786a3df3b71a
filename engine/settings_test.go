package engine

import (
	"strings"
	"testing"
)

func TestNearMiss(t *testing.T) {
	presets := []string{"question", "answer", "question-adam", "answer-xmin", "divergent"}
	for _, c := range []struct {
		word    string
		choices []string
		want    string
	}{
		{"answr", presets, "answer"},
		{"Question", presets, "question"},
		{"question", presets, ""}, // not a miss
		{"seed_story", []string{"seed-story", "activations"}, "seed-story"},
		{"truncated-normal", Inits, "normal"},
		{"optimiser", []string{"optimizer", "init", "lr"}, "optimizer"},
		{"sdg", Optimizers, "sgd"},
		{"adm", Optimizers, "adam"},
		{"lion", Optimizers, ""},
		{"zeros", Inits, ""},
		{"xyz", []string{"xa", "xb"}, ""}, // a tie suggests neither
		{"", presets, ""},
	} {
		if got := NearMiss(c.word, c.choices); got != c.want {
			t.Errorf("NearMiss(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

func TestSettingErrorSuggests(t *testing.T) {
	c := DefaultConfig()
	s, _ := LookupSetting("init")
	err := s.Apply(&c, "truncated-normal")
	if err == nil || err.Error() != `init truncated-normal: want one of uniform, normal, xavier, he; did you mean normal?` {
		t.Fatalf("got %v", err)
	}
	// Checked rather than applied (a token's lanes, a race), the same suggestion.
	if err := CheckOptimizer("adm"); err == nil || !strings.HasSuffix(err.Error(), "; did you mean adam?") {
		t.Fatalf("CheckOptimizer(adm): %v", err)
	}
	if s, _ := LookupSetting("seed"); s.Apply(&c, "1e3") != nil || c.Seed != 1000 {
		t.Fatalf("seed 1e3: seed %d", c.Seed)
	}
	s, _ = LookupSetting("batch")
	if err := s.Apply(&c, "1e3"); err != nil || c.Batch != 1000 {
		t.Fatalf("batch 1e3: %v, batch %d", err, c.Batch)
	}
	for _, bad := range []string{"1.5", "1e400", "NaN", "0x10", "9223372036854775808"} {
		if err := s.Apply(&c, bad); err == nil {
			t.Errorf("batch %s accepted", bad)
		}
	}
}

func TestParseWhole(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "10000": 10000, "1e4": 10000, "2.5e3": 2500, "-3": -3, "1E2": 100} {
		if n, ok := ParseWhole(in); !ok || n != want {
			t.Errorf("ParseWhole(%q) = %d, %v", in, n, ok)
		}
	}
	for _, in := range []string{"1.5", "1e-4", "", "abc", "Inf", "NaN", "0x1p4", " 7", "1e30"} {
		if n, ok := ParseWhole(in); ok {
			t.Errorf("ParseWhole(%q) = %d, accepted", in, n)
		}
	}
}
