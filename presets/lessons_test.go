package presets

import (
	"strings"
	"testing"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// play runs a lesson to its end headless, the presenter pressing space at
// once, and returns the runner.
func play(t *testing.T, l *runner.Lesson, budget runner.Budget) *runner.Runner {
	t.Helper()
	tr, _ := engine.New(engine.DefaultConfig())
	r := runner.New(engine.NewSession(tr, "question"), l)
	for guard := 0; !r.Done; guard++ {
		if guard > 10_000_000 {
			t.Fatal("the lesson does not end")
		}
		r.Advance(budget)
		if r.Waiting {
			r.Continue()
		}
	}
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	return r
}

// Every built-in lesson parses and plays to its end headless, and ends
// where its captions say it does.
func TestBuiltInLessonsRun(t *testing.T) {
	for _, l := range Lessons {
		t.Run(l.Name, func(t *testing.T) {
			if testing.Short() && l.Name != "activations" {
				t.Skip("tens of thousands of steps; run without -short")
			}
			r := play(t, l, runner.Budget{})
			s := r.Session
			if len(r.Captions) < 3 {
				t.Fatalf("only %d captions shown", len(r.Captions))
			}
			switch l.Name {
			case "seed-story":
				last := r.Captions[len(r.Captions)-1]
				if s.Racing() || s.Label() != "question" || !strings.Contains(last.Text, "collapse map") {
					t.Fatalf("the seed story does not end on the question's map: %q", last.Text)
				}
				raced := false
				for _, c := range r.Captions {
					raced = raced || strings.Contains(c.Text, "Both fit ln(x)")
				}
				if !raced {
					t.Fatal("the seed story has no race")
				}
			case "optimizers":
				if len(s.Lanes()) != 4 || s.Lanes()[2].Config().Optimizer != "rmsprop" {
					t.Fatalf("lanes %v", s.Optimizers())
				}
			case "activations":
				if s.Main().Config().Activation != "tanh" {
					t.Fatal("the activations lesson does not end on tanh")
				}
				if d := engine.Diagnose(s.Main().Snapshot()); d.Status != engine.StatusSaturated {
					t.Fatalf("tanh from the question's init: %s", d.Text)
				}
			}
		})
	}
}

// The seed story's first captions match what happens: after "run 1" every
// first-layer ReLU is dead.
func TestSeedStoryFirstStepKillsLayerOne(t *testing.T) {
	tr, _ := engine.New(engine.DefaultConfig())
	s := engine.NewSession(tr, "question")
	l, _ := runner.GetLesson("seed-story")
	r := runner.New(s, l)
	r.Advance(runner.Budget{}) // caption 1, wait
	r.Continue()
	r.Advance(runner.Budget{}) // show units, caption 2 (the kinks at step 0), wait
	if s.Main().Step() != 0 || !r.Waiting || !strings.HasPrefix(r.Caption, "Inside the net") {
		t.Fatalf("before the first step: step %d, caption %q", s.Main().Step(), r.Caption)
	}
	r.Continue()
	r.Advance(runner.Budget{}) // run 1, caption 3, wait
	if m := s.Main().Metrics(); s.Main().Step() != 1 || m.Dead[0] != 50 || !r.Waiting || !strings.HasPrefix(r.Caption, "One step.") {
		t.Fatalf("step %d, dead %v, caption %q", s.Main().Step(), m.Dead, r.Caption)
	}
}

// The runner resolves lessons with these presets and lists these lessons
// wherever this package is linked in, and an unknown lesson's error names them.
func TestRunnerUsesThisLibrary(t *testing.T) {
	if len(runner.Lessons) != len(LessonTexts) || runner.Lessons[0] != Lessons[0] {
		t.Fatalf("runner.Lessons has %d lessons, want these %d", len(runner.Lessons), len(LessonTexts))
	}
	l, err := runner.ParseLesson("t", "preset answer-xmin\nrun 1")
	if err != nil || l.Commands[0].Arg != "answer-xmin" || l.Commands[0].Start.XMin != 0.01 {
		t.Fatalf("preset answer-xmin: %+v %v", l, err)
	}
	if _, err := runner.ParseLesson("t", "preset nope"); err == nil || !strings.Contains(err.Error(), "known: question") {
		t.Fatalf("unknown preset: %v", err)
	}
	if _, err := runner.GetLesson("nope"); err == nil || !strings.Contains(err.Error(), "seed-story") {
		t.Fatalf("unknown lesson: %v", err)
	}
}

func FuzzParseLesson(f *testing.F) {
	for _, lt := range LessonTexts {
		f.Add(lt.Text)
	}
	f.Fuzz(func(t *testing.T, text string) {
		l, err := runner.ParseLessonWith("fuzz", text, Resolve)
		if err != nil {
			return
		}
		for _, c := range l.Commands {
			if c.Op == "preset" && c.Start.Validate() != nil {
				t.Fatalf("accepted preset %q with a bad configuration", c.Arg)
			}
		}
	})
}

// A caption that names a room speaks of the room on screen: the script
// opened it ("show units") since the last room it showed.
func TestCaptionsNameTheRoomOnScreen(t *testing.T) {
	rooms := map[string]string{"units": "units room", "lab": "init lab", "map": "collapse map"}
	for _, l := range Lessons {
		shown := "fit"
		for _, c := range l.Commands {
			switch c.Op {
			case "show":
				shown = c.Arg
			case "say":
				for room, words := range rooms {
					if strings.Contains(c.Arg, "The "+words) && shown != room {
						t.Errorf("%s line %d: the caption speaks of the %s, but the room on screen is %q", l.Name, c.Line, words, shown)
					}
				}
			}
		}
	}
}
