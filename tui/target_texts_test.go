package tui

import (
	"strings"
	"testing"
	"time"

	"lnfit/engine"
)

// targetModel is a paused dashboard on target over domain after steps.
func targetModel(t *testing.T, target, domain string, steps, w, h int) Model {
	t.Helper()
	cfg := engine.DefaultConfig()
	cfg.Init, cfg.Optimizer, cfg.LR = engine.InitNormal, engine.OptAdam, 1e-3
	for k, v := range map[string]string{"domain": domain, "target": target} {
		s, _ := engine.LookupSetting(k)
		if err := s.Apply(&cfg, v); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tr.Run(steps)
	m := New(engine.NewSession(tr, "mine"), Options{StartPaused: true})
	m.now = func() time.Time { return fixedNow }
	m.rate.reset(fixedNow, tr.Step())
	return sized(m, w, h)
}

// The init lab speaks of the run's own domain and target: with sin(6x)+x²
// on (-1,1] it said "fire on all of (0,1]" and "turn toward ln x" (issue
// 24's trial, [5]).
func TestLabSaysTheTargetAndDomain(t *testing.T) {
	m := press(targetModel(t, "sin(6*x) + x^2", "-1:1", 300, 100, 40), "h")
	v := strings.Join(strings.Fields(m.render()), " ")
	for _, want := range []string{"fire on all of (-1,1]", "toward the target", "the mean of the target over the sampled range"} {
		if !strings.Contains(v, want) {
			t.Errorf("the lab lacks %q:\n%s", want, m.render())
		}
	}
	if strings.Contains(v, "ln x") || strings.Contains(v, "(0,1]") {
		t.Errorf("the lab speaks of ln x or (0,1]:\n%s", m.render())
	}
	// The question's lab reads as it did.
	q := press(sized(newModel(t, "question", 300), 100, 40), "h")
	if v := strings.Join(strings.Fields(q.render()), " "); !strings.Contains(v, "fire on all of (0,1]") && !strings.Contains(v, "Every unit is off for every x") {
		t.Errorf("the question's lab:\n%s", q.render())
	}
}

// The error view's title keeps an expression whole after its minus.
func TestErrorTitleBracketsAnExpression(t *testing.T) {
	m := press(targetModel(t, "sin(6*x) + x^2", "-1:1", 300, 100, 40), "e")
	if v := m.render(); !strings.Contains(v, "|net(x) − (sin(6*x) + x^2)|") {
		t.Errorf("error view title:\n%s", v)
	}
	q := press(sized(newModel(t, "question", 300), 100, 40), "e")
	if v := q.render(); !strings.Contains(v, "|net(x) − ln(x)|") {
		t.Errorf("the question's error view title:\n%s", v)
	}
}
