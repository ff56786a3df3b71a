package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
)

// play runs a lesson to its end headless, the presenter pressing space at
// once, and returns the runner.
func play(t *testing.T, l *Lesson, budget Budget) *Runner {
	t.Helper()
	tr, _ := engine.New(engine.DefaultConfig())
	r := New(engine.NewSession(tr, "question"), l)
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

// The same lesson gives the same captions at the same steps and the same
// final numbers whatever the budget per call: one step at a time, 7 steps,
// or time slices of 2 ms. The checks are fixed in steps, never in time.
func TestLessonIsDeterministicAtAnyBudget(t *testing.T) {
	text := `preset question
say start
run 1
until collapsed max 5000
say collapsed
set init normal
until mse<0.05 max 20000
say learned
race sgd,adam:0.001
run 700
say raced`
	l, err := ParseLesson("det", text)
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		captions string
		mse      [2]float64
	}
	result := func(r *Runner) outcome {
		var o outcome
		for _, c := range r.Captions {
			o.captions += fmt.Sprintf("%d:%s;", c.Step, c.Text)
		}
		for i, ln := range r.Session.Lanes() {
			o.mse[i] = ln.Metrics().MSE
		}
		return o
	}
	base := result(play(t, l, Budget{}))
	if !strings.Contains(base.captions, "2:collapsed;") {
		t.Fatalf("captions %s: the collapse (step 2) is not caught at once", base.captions)
	}
	for _, b := range []Budget{{Steps: 1}, {Steps: 7}, {Time: 2 * time.Millisecond}} {
		if got := result(play(t, l, b)); got != base {
			t.Fatalf("budget %+v: %+v, want %+v", b, got, base)
		}
	}
}

// A race whose lane A diverges still ends its run: the other lanes carry the count.
func TestLessonRunEndsWhenLaneADiverges(t *testing.T) {
	l, err := ParseLesson("t", "preset divergent\nrace sgd,adam\nrun 2000\nsay done")
	if err != nil {
		t.Fatal(err)
	}
	r := play(t, l, Budget{Steps: 100})
	s := r.Session
	if d, _, _ := s.Lanes()[0].Diverged(); !d || s.Lanes()[1].Step() != 2000 || r.Caption != "done" {
		t.Fatalf("lane A diverged %v, lane B at %d, caption %q", d, s.Lanes()[1].Step(), r.Caption)
	}
}

func TestMalformedLessonsAreRejected(t *testing.T) {
	cases := map[string]string{
		"":                                "no commands",
		"# only a comment":                "no commands",
		"dance":                           `unknown command dance`,
		"preset nope":                     `unknown preset "nope"`,
		"set lr -1":                       "lr -1: want a number > 0",
		"set lr x":                        `lr x: want a number`,
		"set colour red":                  `unknown setting colour`,
		"set init zeros":                  `init zeros: want one of uniform`,
		"set init he lane B":              `only optimizer and lr take a lane`,
		"set lr 0.1 lane Q":               `lane Q: want A to D`,
		"race sgd":                        "2 to 4",
		"race sgd,lion":                   `optimizer lion: want one of`,
		"race sgd,adam:0":                 `lr 0: want`,
		"run 0":                           "not a step count",
		"run x":                           "not a step count",
		"until soon":                      `unknown condition soon`,
		"until mse<0":                     "want mse<V",
		"until step>=-1":                  "want step>=N",
		"until converged max 0":           "max",
		"say":                             "needs the text",
		"wait now":                        "takes nothing",
		"title":                           "needs the text",
		"say hi\x1b[2J":                   "control character",
		"say a\u009b2J":                   "control character (U+009B)",
		"say \u202eevil":                  "control character (U+202E)",
		"say " + strings.Repeat("x", 501): "at most 500",
		"say ok\nrun 5\nfly away":         "line 3",
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
	if err != nil || l.Title != "Mine" || len(l.Commands) != 3 {
		t.Fatalf("%+v %v", l, err)
	}
	if _, err := GetLesson("nope"); err == nil || !strings.Contains(err.Error(), "unknown lesson nope") {
		t.Fatalf("unknown lesson: %v", err)
	}
}

func FuzzParseLesson(f *testing.F) {
	f.Add("title T\npreset question\nsay hi\nwait\nrun 1\nuntil collapsed max 20000\nshow lab\nset init normal")
	f.Add("until mse<1e-3 max 5\nrace sgd,adam\nrace off\nset seed 3")
	f.Add("challenge mse<1e-3 max 50000\nrun 5\nchallenge off")
	f.Add("preset divergent\nuntil diverging max 1000\nexpect diverging\nsay {verdict}")
	f.Fuzz(func(t *testing.T, text string) {
		l, err := ParseLesson("fuzz", text)
		if err != nil {
			return
		}
		for _, st := range l.Commands {
			if (st.Op == "run" || st.Op == "until") && (st.N < 1 || st.N > maxLessonSteps) {
				t.Fatalf("accepted a step count %d", st.N)
			}
			if c := st.Race; st.Op == "challenge" && c != nil && (!(c.MSE > 0) || c.Max < 1 || c.Max > maxLessonSteps) {
				t.Fatalf("accepted a challenge %+v", *c)
			}
			if st.Op == "until" && !strings.Contains(" collapsed converged diverging mse step ", " "+st.Cond+" ") {
				t.Fatalf("accepted until with condition %q", st.Cond)
			}
		}
	})
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
	if len(l.Commands) != 8 || l.Commands[3].N != 1 || l.Commands[4].N != 20000 || l.Commands[7].Arg != "Caption with a # inside" {
		t.Fatalf("%+v", l.Commands)
	}
}
