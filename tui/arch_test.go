package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// tick advances the dashboard one frame, pressing space at every caption,
// as a presenter would.
func tickLesson(t *testing.T, m Model) Model {
	t.Helper()
	for guard := 0; guard < 200_000; guard++ {
		switch {
		case m.run.Waiting:
			m = press(m, "space")
		case m.run.Done:
			return m
		case !m.running:
			m = press(m, "space")
		default:
			next, _ := m.Update(tickMsg{id: m.tickID})
			m = next.(Model)
		}
	}
	t.Fatal("the lesson did not end")
	return m
}

// The same lesson gives the same captions at the same steps and the same
// numbers in the dashboard at two frame budgets (100 steps a frame, and full
// speed with its time budget) as headless does.
func TestLessonInTheDashboardMatchesHeadless(t *testing.T) {
	text := `preset question
say start
wait
run 1
until collapsed max 5000
say collapsed
wait
set init normal
until mse<0.05 max 20000
say learned
race sgd,adam:0.001
run 700
say raced`
	l, err := runner.ParseLesson("det", text)
	if err != nil {
		t.Fatal(err)
	}
	outcome := func(r *runner.Runner) string {
		o := ""
		for _, c := range r.Captions {
			o += fmt.Sprintf("%d:%s; ", c.Step, c.Text)
		}
		for _, ln := range r.Session.Lanes() {
			o += fmt.Sprintf("mse %v; ", ln.Metrics().MSE)
		}
		return o
	}
	tr, _ := engine.New(engine.DefaultConfig())
	headless := runner.New(engine.NewSession(tr, "question"), l)
	for !headless.Done {
		headless.Advance(runner.Budget{})
		headless.Continue()
	}
	want := outcome(headless)
	for _, speed := range []int{4, len(speeds) - 1} { // 100 steps a frame; max
		tr, _ := engine.New(engine.DefaultConfig())
		m := New(engine.NewSession(tr, "question"), Options{Lesson: l, StartPaused: true})
		m = sized(m, 100, 30)
		m.pace.speed = speed
		m = tickLesson(t, m)
		if got := outcome(m.run); got != want {
			t.Fatalf("speed %s:\n got %s\nwant %s", speedLabel(speeds[speed]), got, want)
		}
	}
}

// While a lesson runs, keys that would change the setup are refused with a
// reason; keys that only look still work; L ends the lesson.
func TestKeysUnderALesson(t *testing.T) {
	l, _ := runner.GetLesson("seed-story")
	tr, _ := engine.New(engine.DefaultConfig())
	m := sized(New(engine.NewSession(tr, "question"), Options{Lesson: l, StartPaused: true}), 100, 30)
	before := m.session.Main().Config()
	for _, k := range []string{"o", "i", "a", "+", "-", "]", "[", "r", "R", "p", "c", "n"} {
		m = press(m, k)
		if !m.msgBad || !strings.Contains(m.msg, "the lesson sets up the run") {
			t.Fatalf("%s under a lesson: message %q", k, m.msg)
		}
	}
	if after := m.session.Main().Config(); fmt.Sprint(after) != fmt.Sprint(before) || m.session.Step() != 0 || m.mode != modePlots {
		t.Fatalf("keys changed the run under a lesson: %+v", after)
	}
	m = press(m, "h")
	if m.mode != modeLab {
		t.Fatal("h does not open the init lab under a lesson")
	}
	m = press(m, "h", "?")
	if m.mode != modeHelp || strings.Contains(m.render(), "next / previous optimizer") {
		t.Fatal("the help lists keys that are off under a lesson")
	}
	m = press(m, "?", "L")
	if m.lessonActive() {
		t.Fatal("L did not end the lesson")
	}
	m = press(m, "o")
	if m.session.Main().Config().Optimizer != "momentum" {
		t.Fatal("after the lesson, o does not work")
	}
}

// Any dashboard state → the help's token → a new session from that token
// gives the same configuration and lanes, each lane's learning rate too,
// and lanes added mid-race (all restarting from step 0).
func TestTokenRoundTripFromTheDashboard(t *testing.T) {
	m := sized(newModel(t, "question-normal-init", 30), 120, 40)
	m = press(m, "c", "tab", "-", "-", "-", "n", "n", "C", "tab", "o", "+")
	want := m.session.Setup()
	if len(want.Lanes) != 3 || want.Lanes[1].LR != 1e-4 {
		t.Fatalf("setup %+v", want)
	}
	got, err := engine.ParseToken(m.frame.token)
	if err != nil {
		t.Fatal(err)
	}
	s := engine.NewSession(mustTrainer(t, got.Config), got.Label)
	if err := s.Race(got.Lanes, 0); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(s.Setup()) != fmt.Sprint(want) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", s.Setup(), want)
	}
	for _, l := range s.Lanes() {
		if l.Step() != 0 {
			t.Fatal("a token's lanes do not start from step 0")
		}
	}
}

func mustTrainer(t *testing.T, c engine.Config) *engine.Trainer {
	t.Helper()
	tr, err := engine.New(c)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// panicky panics on its first key, like a bug in a room would.
type panicky struct{ Model }

func (p panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		panic("a bug in a room")
	}
	next, cmd := p.Model.Update(msg)
	return panicky{next.(Model)}, cmd
}

// A panic inside the dashboard comes back as an error (a non-zero exit),
// and a cancelled context (SIGTERM) as a clean end.
func TestPanicIsAnErrorAndCancelIsClean(t *testing.T) {
	m := newModel(t, "question", 0)
	in, w := io.Pipe()
	go func() { time.Sleep(100 * time.Millisecond); w.Write([]byte("x")) }()
	err := runModel(context.Background(), panicky{m}, tea.WithInput(in), tea.WithOutput(io.Discard),
		tea.WithWindowSize(80, 24), tea.WithoutSignals())
	if !errors.Is(err, tea.ErrProgramPanic) {
		t.Fatalf("a panic gave %v, want an error wrapping ErrProgramPanic", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	in2, _ := io.Pipe()
	err = runModel(ctx, m, tea.WithInput(in2), tea.WithOutput(io.Discard), tea.WithWindowSize(80, 24), tea.WithoutSignals())
	if err != nil {
		t.Fatalf("a cancelled context gave %v, want nil", err)
	}
}
