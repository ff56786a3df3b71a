package presets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lnfit/engine"
)

// Every built-in lesson parses and plays to its end headless, and ends
// where its captions say it does.
func TestBuiltInLessonsRun(t *testing.T) {
	for _, l := range Lessons {
		t.Run(l.Name, func(t *testing.T) {
			if testing.Short() && l.Name != "activations" {
				t.Skip("tens of thousands of steps; run without -short")
			}
			tr, _ := engine.New(engine.DefaultConfig())
			s := engine.NewSession(tr)
			p := NewPlayer(l, s, "question")
			var captions []string
			for guard := 0; !p.Done; guard++ {
				if guard > 1_000_000 {
					t.Fatal("the lesson does not end")
				}
				if err := p.Advance(); err != nil {
					t.Fatal(err)
				}
				if p.Waiting {
					captions = append(captions, p.Caption)
					p.Continue()
					continue
				}
				if p.Training {
					s.Run(int(min(p.Remaining(), 500)))
					p.Check()
				}
			}
			if p.Caption != "" && captions[len(captions)-1] != p.Caption {
				captions = append(captions, p.Caption) // the last one needs no wait
			}
			if len(captions) < 3 {
				t.Fatalf("only %d captions shown", len(captions))
			}
			switch l.Name {
			case "seed-story":
				if !s.Racing() || len(s.Lanes) != 2 {
					t.Fatal("the seed story does not end in a race")
				}
				if m := s.Lanes[1].Metrics(); m.MSEAbove001 > 1e-3 {
					t.Fatalf("the adam lane did not fit: %.3g", m.MSEAbove001)
				}
			case "optimizers":
				if len(s.Lanes) != 4 || s.Lanes[2].Config().Optimizer != "rmsprop" {
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
	s := engine.NewSession(tr)
	l, _ := GetLesson("seed-story")
	p := NewPlayer(l, s, "question")
	for i := 0; i < 2; i++ { // caption 1, wait; run 1
		_ = p.Advance()
		p.Continue()
	}
	_ = p.Advance()
	for p.Training {
		s.Run(int(p.Remaining()))
		p.Check()
	}
	if m := s.Main().Metrics(); s.Main().Step() != 1 || m.Dead[0] != 50 {
		t.Fatalf("step %d, dead %v", s.Main().Step(), m.Dead)
	}
}

func TestMalformedLessonsAreRejected(t *testing.T) {
	cases := map[string]string{
		"":                        "no commands",
		"# only a comment":        "no commands",
		"dance":                   `unknown command "dance"`,
		"preset nope":             `unknown preset "nope"`,
		"set lr -1":               "learning rate -1",
		"set lr x":                `lr "x" is not a number`,
		"set colour red":          `unknown setting "colour"`,
		"set init zeros":          `unknown init`,
		"race sgd":                "2 to 4",
		"race sgd,lion":           `unknown optimizer "lion"`,
		"run 0":                   "not a step count",
		"run x":                   "not a step count",
		"until soon":              `unknown condition "soon"`,
		"until mse<0":             "want mse<V",
		"until step>=-1":          "want step>=N",
		"until converged max 0":   "max",
		"say":                     "needs the caption",
		"wait now":                "takes nothing",
		"title":                   "needs a title",
		"say hi\x1b[2J":           "control characters",
		"say ok\nrun 5\nfly away": "line 3",
	}
	for text, want := range cases {
		_, err := ParseLesson("t", text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
	}
}

func TestLessonFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mine.lesson")
	os.WriteFile(path, []byte("title Mine\npreset answer\nsay hello\nrun 10\n"), 0o644)
	l, err := GetLesson(path)
	if err != nil || l.Title != "Mine" || len(l.Steps) != 3 {
		t.Fatalf("%+v %v", l, err)
	}
	if _, err := GetLesson("nope"); err == nil || !strings.Contains(err.Error(), "seed-story") {
		t.Fatalf("unknown lesson: %v", err)
	}
}

func FuzzParseLesson(f *testing.F) {
	f.Add(seedStory)
	f.Add(optimizersLesson)
	f.Add(activationsLesson)
	f.Add("until mse<1e-3 max 5\nrace sgd,adam\nrace off\nset seed 3")
	f.Fuzz(func(t *testing.T, text string) {
		l, err := ParseLesson("fuzz", text)
		if err != nil {
			return
		}
		for _, st := range l.Steps {
			if (st.Op == "run" || st.Op == "until") && (st.N < 1 || st.N > maxLessonSteps) {
				t.Fatalf("accepted a step count %d", st.N)
			}
		}
	})
}

// A race whose lane A diverges still ends its run: the other lanes carry the count.
func TestLessonRunEndsWhenLaneADiverges(t *testing.T) {
	l, err := ParseLesson("t", "preset divergent\nrace sgd,adam\nrun 2000\nsay done")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	s := engine.NewSession(tr)
	p := NewPlayer(l, s, "question")
	for guard := 0; !p.Done; guard++ {
		if guard > 10_000 {
			t.Fatal("the lesson never ends")
		}
		_ = p.Advance()
		if p.Training {
			s.Run(int(min(p.Remaining(), 100)))
			p.Check()
		}
	}
	if d, _, _ := s.Lanes[0].Diverged(); !d || s.Lanes[1].Step() != 2000 || p.Caption != "done" {
		t.Fatalf("lane A diverged %v, lane B at %d, caption %q", d, s.Lanes[1].Step(), p.Caption)
	}
}

// The README's example script, comments and all, parses.
func TestReadmeLessonExampleParses(t *testing.T) {
	text := `title The seed's story
preset question          # start over from a preset (same seed)
say Watch the first step.
wait                     # the presenter presses space
run 1                    # train 1 step
until collapsed max 20000   # or converged, mse<1e-3, step>=N
set init normal          # optimizer, init, lr, batch, activation, seed
race sgd,adam            # fork lanes; "race off" keeps lane A
say Caption with a # inside`
	l, err := ParseLesson("readme", text)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Steps) != 8 || l.Steps[3].N != 1 || l.Steps[4].N != 20000 || l.Steps[7].Arg != "Caption with a # inside" {
		t.Fatalf("%+v", l.Steps)
	}
}
