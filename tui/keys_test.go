package tui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"lnfit/engine"
)

func TestKeysChangeTheModel(t *testing.T) {
	m := sized(newModel(t, "question", 10), 100, 30)

	m = press(m, "o")
	if c := m.session.Lane(m.sel).Config(); c.Optimizer != "momentum" || m.session.Lane(m.sel).Step() != 10 {
		t.Fatalf("o: optimizer %s at step %d, want momentum at 10 (weights kept)", c.Optimizer, m.session.Lane(m.sel).Step())
	}
	if !strings.Contains(m.render(), "momentum lr") || !strings.Contains(m.render(), "optimizer: momentum") {
		t.Fatal("the header or message does not show the new optimizer")
	}
	m = press(m, "O", "O")
	if c := m.session.Lane(m.sel).Config(); c.Optimizer != "adam" {
		t.Fatalf("O O from momentum: %s, want adam", c.Optimizer)
	}

	m = press(m, "i")
	if c := m.session.Lane(m.sel).Config(); c.Init != "normal" || m.session.Lane(m.sel).Step() != 0 {
		t.Fatalf("i: init %s at step %d, want normal at 0", c.Init, m.session.Lane(m.sel).Step())
	}
	m = press(m, "I")
	if c := m.session.Lane(m.sel).Config(); c.Init != "uniform" {
		t.Fatalf("I: init %s", c.Init)
	}

	m = press(m, "n")
	if m.session.Lane(m.sel).Step() != 1 || m.snap().Step != 1 {
		t.Fatalf("n: step %d (snapshot %d), want exactly 1", m.session.Lane(m.sel).Step(), m.snap().Step)
	}
	m = press(m, "n", "n")
	if m.session.Lane(m.sel).Step() != 3 {
		t.Fatalf("n n: step %d, want 3", m.session.Lane(m.sel).Step())
	}

	lr := m.session.Lane(m.sel).Config().LR
	m = press(m, "+")
	if got := m.session.Lane(m.sel).Config().LR; got != 2*lr {
		t.Fatalf("+: lr %g, want %g", got, 2*lr)
	}
	m = press(m, "-", "-")
	if got := m.session.Lane(m.sel).Config().LR; got != lr/2 {
		t.Fatalf("- -: lr %g, want %g", got, lr/2)
	}

	b := m.session.Lane(m.sel).Config().Batch
	m = press(m, "]")
	if got := m.session.Lane(m.sel).Config().Batch; got <= b {
		t.Fatalf("]: batch %d, was %d", got, b)
	}
	m = press(m, "[", "[")
	if got := m.session.Lane(m.sel).Config().Batch; got >= b {
		t.Fatalf("[ [: batch %d, was %d", got, b)
	}

	m = press(m, "<")
	if speeds[m.pace.speed] == 0 {
		t.Fatal("< did not slow down")
	}
	m = press(m, ">")
	if speeds[m.pace.speed] != 0 {
		t.Fatal("> did not return to max")
	}

	m = press(m, "a")
	if c := m.session.Lane(m.sel).Config(); c.Activation != "leaky-relu" || m.session.Lane(m.sel).Step() != 0 {
		t.Fatalf("a: activation %s at step %d", c.Activation, m.session.Lane(m.sel).Step())
	}

	m = press(m, "l")
	if m.plots.logLoss {
		t.Fatal("l did not switch to linear")
	}
	m = press(m, "s")
	if !m.plots.smooth {
		t.Fatal("s did not turn smoothing on")
	}

	seed := m.session.Lane(m.sel).Config().Seed
	m = press(m, "n", "r")
	if m.session.Lane(m.sel).Step() != 0 || m.session.Lane(m.sel).Config().Seed != seed {
		t.Fatal("r did not reset with the same seed")
	}
	m = press(m, "R")
	if m.session.Lane(m.sel).Config().Seed != seed+1 {
		t.Fatal("R did not reset with a new seed")
	}

	m = press(m, "?")
	if m.mode != modeHelp || !strings.Contains(m.render(), "previous optimizer") {
		t.Fatal("? did not show the full help")
	}
	m = press(m, "?")

	m = press(m, "p", "down", "enter")
	if m.session.Label() != "answer" || m.session.Lane(m.sel).Config().Optimizer != "adam" || m.session.Lane(m.sel).Config().Batch != 500 {
		t.Fatalf("p ↓ enter: preset %s, config %+v", m.session.Label(), m.session.Lane(m.sel).Config())
	}
	m = press(m, "p", "esc")
	if m.mode == modePicker || m.session.Label() != "answer" {
		t.Fatal("esc did not close the picker unchanged")
	}
}

func TestPauseStopsTheStepCount(t *testing.T) {
	m := sized(newModel(t, "question", 0), 100, 30)
	m = press(m, "space")
	if !m.running {
		t.Fatal("space did not start")
	}
	next, _ := m.Update(tickMsg{id: m.tickID})
	m = next.(Model)
	if m.session.Lane(m.sel).Step() == 0 {
		t.Fatal("a tick while running trained nothing")
	}
	m = press(m, "space")
	stopped := m.session.Lane(m.sel).Step()
	// The tick already in flight carries the old id and must be dropped.
	next, _ = m.Update(tickMsg{id: m.tickID - 1})
	next, _ = next.(Model).Update(tickMsg{id: m.tickID})
	m = next.(Model)
	if m.session.Lane(m.sel).Step() != stopped {
		t.Fatalf("paused at %d, but ticks moved it to %d", stopped, m.session.Lane(m.sel).Step())
	}
}

func TestOneTickAtFullSpeedKeepsItsBudget(t *testing.T) {
	m := sized(newModel(t, "answer", 0), 120, 40)
	m = press(m, "space")
	// A frame's training is bounded by its time, not by steps: with a budget
	// spent at once, a tick at full speed takes its first chunk (one step,
	// before the runner knows a step's cost) and returns. No clock is read here.
	m.budget = time.Nanosecond
	next, cmd := m.Update(tickMsg{id: m.tickID})
	if got := next.(Model).session.Lane(0).Step(); cmd == nil || got != 1 {
		t.Fatalf("a full-speed tick with its budget spent: %d steps (want 1), next tick %v", got, cmd != nil)
	}
	if m.frameBudget() != time.Nanosecond {
		t.Fatal("the frame's budget is not the model's")
	}
}

func TestDivergencePausesWithABanner(t *testing.T) {
	m := sized(newModel(t, "divergent", 0), 100, 30)
	m = press(m, "space")
	for i := 0; i < 200 && m.running; i++ {
		next, _ := m.Update(tickMsg{id: m.tickID})
		m = next.(Model)
	}
	if m.running || !m.snap().Diverged {
		t.Fatal("divergence did not pause the dashboard")
	}
	v := m.render()
	if !strings.Contains(v, "DIVERGED at step") || !strings.Contains(v, "r resets") {
		t.Fatalf("no divergence banner:\n%s", v)
	}
	m = press(m, "r")
	if m.snap().Diverged || m.session.Lane(m.sel).Step() != 0 {
		t.Fatal("r did not recover from divergence")
	}
}

func TestSaveKeyNeverOverwritesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "net.json")
	os.WriteFile(path, []byte("somebody's file"), 0o644)
	m := sized(newModel(t, "question", 5), 100, 30)
	m.opts.SavePath = path
	m = press(m, "w")
	if b, _ := os.ReadFile(path); string(b) != "somebody's file" {
		t.Fatal("w overwrote a file it did not write")
	}
	alt := filepath.Join(dir, "net-1.json")
	if _, _, err := engine.LoadFile(alt); err != nil {
		t.Fatalf("w did not save to a new name: %v", err)
	}
	if !strings.Contains(m.render(), "net-1.json") {
		t.Fatal("the message does not say where it saved")
	}
	// Saving again replaces our own file, not a third one.
	m = press(m, "n", "w")
	if _, err := os.Stat(filepath.Join(dir, "net-2.json")); err == nil {
		t.Fatal("a second save made another file instead of replacing ours")
	}
	// A save that fails says why and keeps going.
	m.opts.SavePath = filepath.Join(dir, "no", "such", "dir", "x.json")
	m = press(m, "w")
	if !m.msgBad || !strings.Contains(m.msg, "not saved") {
		t.Fatalf("failed save message %q", m.msg)
	}
}

func TestProgramFlow(t *testing.T) {
	m := newModel(t, "question", 0)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("question")) },
		teatest.WithDuration(5*time.Second))
	tm.Type("onn")
	tm.Type("i") // init: uniform → normal, restarted from step 0, optimizer kept
	tm.Type("n")
	tm.Type("q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	c := final.session.Main().Config()
	if c.Optimizer != "momentum" || c.Init != "normal" || final.session.Step() != 1 || final.running {
		t.Fatalf("final: optimizer %s, init %s, step %d, running %v", c.Optimizer, c.Init, final.session.Step(), final.running)
	}
	final.refresh() // q quits at once: the last keys' frame was never built
	if !strings.Contains(final.render(), "momentum lr 0.01") {
		t.Fatal("the final frame does not show the new optimizer")
	}
}

func TestSaveKeyKeepsAFileReplacedSinceItsSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mine.json")
	m := sized(newModel(t, "question", 5), 100, 30)
	m.opts.SavePath = path
	m = press(m, "w")
	if _, _, err := engine.LoadFile(path); err != nil {
		t.Fatalf("first save: %v", err)
	}
	if err := os.WriteFile(path, []byte("somebody replaced it"), 0o644); err != nil {
		t.Fatal(err)
	}
	m = press(m, "w")
	if b, _ := os.ReadFile(path); string(b) != "somebody replaced it" {
		t.Fatal("w overwrote a file that was replaced after its own save")
	}
	if _, _, err := engine.LoadFile(filepath.Join(dir, "mine-1.json")); err != nil || !strings.Contains(m.msg, "mine-1.json") {
		t.Fatalf("the save did not go to a fresh name: %v, %q", err, m.msg)
	}
}

func TestRaceKeys(t *testing.T) {
	m := sized(newModel(t, "question-normal-init", 20), 120, 40)
	m = press(m, "c")
	if !m.session.Racing() || strings.Join(m.session.Optimizers(), ",") != "sgd,adam" {
		t.Fatalf("c: lanes %v", m.session.Optimizers())
	}
	v := m.render()
	for _, want := range []string{"A sgd lr 0.01", "B adam lr 0.001", "─── A sgd", "••• B adam"} {
		if !strings.Contains(v, want) {
			t.Errorf("race view lacks %q", want)
		}
	}
	m = press(m, "C")
	if len(m.session.Lanes()) != 3 || m.session.Optimizers()[2] != "momentum" {
		t.Fatalf("C: lanes %v", m.session.Optimizers())
	}
	m = press(m, "tab", "O")
	if got := m.session.Optimizers(); got[0] != "sgd" || got[1] != "adagrad" {
		t.Fatalf("tab o changed %v, want only lane B", got)
	}
	m = press(m, "n", "n")
	for i, l := range m.session.Lanes() {
		if l.Step() != 22 {
			t.Fatalf("lane %d at step %d, want 22 (lockstep)", i, l.Step())
		}
	}
	m = press(m, "c")
	if m.session.Racing() || m.session.Lane(m.sel).Config().Optimizer != "adagrad" {
		t.Fatalf("c during a race kept %s, want the selected adagrad", m.session.Lane(m.sel).Config().Optimizer)
	}
}

func TestPickerWithAnUnknownPresetLabel(t *testing.T) {
	m := sized(newModel(t, "question", 0), 100, 30)
	m.session.Origin = "from-a-token"
	m = press(m, "p", "enter")
	if m.mode == modePicker || m.session.Label() != "question" {
		t.Fatalf("picker: open %v, preset %s", m.mode == modePicker, m.session.Label())
	}
}

func TestFastTypingIsNotLost(t *testing.T) {
	m := sized(newModel(t, "question", 0), 100, 30)
	next, _ := m.Update(tea.KeyPressMsg{Code: 'o', Text: "ooo"})
	m = settle(next.(Model))
	if got := m.session.Lane(m.sel).Config().Optimizer; got != "rmsprop" {
		t.Fatalf("ooo: optimizer %s, want rmsprop (three steps from sgd)", got)
	}
	next, _ = m.Update(tea.KeyPressMsg{Code: 'n', Text: "nn"})
	if got := settle(next.(Model)).session.Lane(0).Step(); got != 2 {
		t.Fatalf("nn: step %d, want 2", got)
	}
}
