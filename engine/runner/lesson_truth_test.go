package runner

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"lnfit/engine"
)

// TestLessonsAreTrue plays every built-in lesson through the runner on
// seeds 1–5 (1–2 with -short; 1 under the race detector, which looks at
// memory, and a lesson plays on one goroutine) as the dashboard drives it:
// Settle after each space, a frame's budget of steps per Advance. It fails
// if an expectation is false, if a caption on screen quotes a figure the
// state no longer has or a number the metrics contradict, or if a caption
// is never on screen long enough to be read. Seed 1 is also played as
// headless mode plays it (one Advance to each stop, no Settle), and the two
// must show the same captions at the same steps.
func TestLessonsAreTrue(t *testing.T) {
	if len(Lessons) < 3 { // builtin_ext_test.go links the presets' lessons in
		t.Fatalf("only %d built-in lessons to check", len(Lessons))
	}
	seeds := 5
	switch {
	case raceDetector:
		seeds = 1
	case testing.Short():
		seeds = 2
	}
	for _, l := range Lessons {
		t.Run(l.Name, func(t *testing.T) {
			for _, p := range scriptProblems(l) {
				t.Error(p)
			}
			var first *Runner
			for seed := uint64(1); seed <= uint64(seeds); seed++ {
				r, problems := playTruthfully(l, seed, true)
				for _, p := range problems {
					t.Error(p)
				}
				if seed == 1 {
					first = r
				}
			}
			headless, problems := playTruthfully(l, 1, false)
			for _, p := range problems {
				t.Error(p)
			}
			if a, b := captionLog(headless.Captions), captionLog(first.Captions); a != b {
				t.Fatalf("seed 1: headless and the dashboard show different captions:\n%s\nvs\n%s", a, b)
			}
		})
	}
}

func captionLog(cs []Caption) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%d: %s\n", c.Step, c.Text)
	}
	return b.String()
}

// scriptProblems are the rules a built-in lesson's text keeps: every caption
// waits for the presenter (else the next one, or "End of the lesson",
// replaces it before anyone reads it), and every number in it is a figure,
// except zero and the fixed ones that name a range or a part of the net.
func scriptProblems(l *Lesson) (out []string) {
	for i, c := range l.Commands {
		if c.Op != "say" {
			continue
		}
		waits := false
		for _, n := range l.Commands[i+1:] {
			if n.Op == "wait" {
				waits = true
			}
			if n.Op != "show" && n.Op != "speed" {
				break
			}
		}
		if !waits {
			out = append(out, fmt.Sprintf("line %d: the caption does not wait (only show or speed may come between say and wait), so the run moves on under it or the next caption replaces it at once: %q", c.Line, c.Arg))
		}
		if n := fixedNumber(c.caption); n != "" {
			out = append(out, fmt.Sprintf("line %d: the caption quotes the fixed number %q; compute it with a {figure}: %q", c.Line, n, c.Arg))
		}
	}
	return out
}

// Fixed text that names a range or a part of the net, not a figure.
var definitional = []string{"(0,1]", "x ≥ 0.01", "x = 0.01", "x = 0.1", "layer 1", "layer 2", "W1", "z1"}

var numberRE = regexp.MustCompile(`[0-9]+([.,][0-9]+)*`)

// fixedNumber is the first number in a caption's literal text, or "".
func fixedNumber(parts []captionPart) string {
	for _, p := range parts {
		text := p.text
		for _, d := range definitional {
			text = strings.ReplaceAll(text, d, "")
		}
		for _, n := range numberRE.FindAllString(text, -1) {
			if n != "0" { // zero is a sign, not a figure: "below 0"
				return n
			}
		}
	}
	return ""
}

// playTruthfully plays a lesson on a seed, checking at every stop what a
// screen would show then, and returns the runner and what was false.
func playTruthfully(l *Lesson, seed uint64, dashboard bool) (*Runner, []string) {
	cfg := engine.DefaultConfig()
	cfg.Seed = seed
	tr, err := engine.New(cfg)
	if err != nil {
		return nil, []string{err.Error()}
	}
	var problems []string
	r := New(engine.NewSession(tr, "question"), l)
	mode := "headless"
	budget := Budget{}
	if dashboard {
		mode, budget = "dashboard", Budget{Steps: 997} // a frame's worth, and prime so stops fall mid-chunk
		r.Settle()
	}
	checked := 0
	onScreen := "" // the dashboard: the setup of the frame drawn at the last stop
	first := ""    // the setup at the first stop: seed-story's is the question's
	look := func() {
		if first == "" {
			first = configToken(r.Session)
		}
		where := fmt.Sprintf("%s seed %d step %s", mode, seed, engine.Commas(r.Session.Step()))
		for ; checked < len(r.Captions); checked++ {
			if c := r.Captions[checked]; c.Missed != "" {
				problems = append(problems, fmt.Sprintf("%s: expect %s did not hold: %s", where, c.Missed, c.Text))
			}
		}
		if r.Waiting {
			problems = append(problems, shownCaptionProblems(r, where)...)
		}
		problems = append(problems, directiveProblems(r, l, where, onScreen, first)...)
		if dashboard {
			onScreen = r.Session.Setup().Token()
		}
	}
	look()
	for guard := 0; !r.Done; guard++ {
		if guard > 1_000_000 {
			return r, append(problems, fmt.Sprintf("%s seed %d: the lesson does not end", mode, seed))
		}
		r.Advance(budget)
		look()
		if r.Waiting {
			r.Continue()
			if dashboard {
				r.Settle() // the dashboard's space runs the instant commands at once
				look()
			}
		}
	}
	if r.Err != nil {
		problems = append(problems, fmt.Sprintf("%s seed %d: %v", mode, seed, r.Err))
	}
	return r, problems
}

// shownCaptionProblems compares the caption on screen with the run now: its
// figures computed afresh must give the same text (nothing moved since it
// was shown), and each figure's number must agree with the metrics read
// here directly, to the precision printed.
func shownCaptionProblems(r *Runner, where string) (out []string) {
	var say *Command
	for i := r.pc - 1; i >= 0 && say == nil; i-- {
		if r.Lesson.Commands[i].Op == "say" {
			say = &r.Lesson.Commands[i]
		}
	}
	if say == nil {
		return nil
	}
	now, missed, err := r.caption(*say)
	if err != nil {
		return []string{fmt.Sprintf("%s line %d: %v", where, say.Line, err)}
	}
	if now != r.Caption {
		out = append(out, fmt.Sprintf("%s line %d: the caption on screen is stale:\n  shown %q\n  now   %q", where, say.Line, r.Caption, now))
	}
	if missed != "" {
		return out // the caption says what happened instead; its expect was reported
	}
	vs := newViews(r.Session)
	for _, p := range say.caption {
		if p.ref.name == "" || p.ref.fig.value == nil {
			continue
		}
		text, _ := vs.text(p.ref)
		want, ok := direct(r.Session, p.ref)
		if !ok {
			continue
		}
		if !agrees(text, want) {
			out = append(out, fmt.Sprintf("%s line %d: {%s} is printed %q but the run says %v", where, say.Line, p.ref.name, text, want))
		}
	}
	return out
}

// direct reads a figure from the session without caption.go, for the
// figures whose meaning is a field of the metrics or the configuration.
func direct(s *engine.Session, ref figRef) (float64, bool) {
	ln := s.Lanes()[ref.lane]
	m := ln.Metrics()
	c := ln.Config()
	switch ref.name {
	case "step":
		return float64(ln.Step()), true
	case "mse":
		return m.MSE, true
	case "mse_above_0_01":
		return m.MSEAbove001, true
	case "mean_pred":
		return m.MeanPred, true
	case "spread":
		return m.Spread, true
	case "loss":
		return m.Loss, true
	case "dead":
		return float64(m.Dead[ref.layer]), true
	case "saturated":
		return float64(m.Saturated[ref.layer]), true
	case "lr":
		return c.LR, true
	case "batch":
		return float64(c.Batch), true
	case "init_scale":
		return c.InitScale, true
	case "best_constant":
		return engine.TargetMean(c), true // BestConstant(c.XMin) for ln
	case "diverged_at":
		_, at, _ := ln.Diverged()
		return float64(at), true
	case "kinks":
		u := ln.Units(0)
		return float64(u.InDomain(ref.layer)), true
	case "net_kinks":
		return float64(ln.Units(0).NetKinks), true
	case "reference_mse":
		return engine.ReferenceFitFor(ln.Units(0).NetKinks).MSE, true
	}
	return 0, false
}

// agrees reads the number a figure printed (its first number: "50/50"
// gives 50, "1,234" gives 1234) and compares it with want to the digits printed.
func agrees(text string, want float64) bool {
	if text == "—" {
		return want == 0
	}
	tok := strings.ReplaceAll(strings.TrimPrefix(text, "+"), ",", "")
	tok, _, _ = strings.Cut(tok, "/")
	tok = strings.TrimSuffix(tok, "%")
	got, err := strconv.ParseFloat(tok, 64)
	switch {
	case err != nil:
		return false
	case math.IsNaN(got) || math.IsNaN(want) || math.IsInf(got, 0) || math.IsInf(want, 0):
		return math.IsNaN(got) && math.IsNaN(want) || got == want
	}
	digits := tok
	if i := strings.IndexAny(digits, "eE"); i >= 0 {
		digits = digits[:i]
	}
	decimals := 0
	if i := strings.IndexByte(digits, '.'); i >= 0 {
		decimals = len(digits) - i - 1
	}
	tol := 0.5 * math.Pow(10, -float64(decimals))
	if i := strings.IndexAny(tok, "eE"); i >= 0 {
		exp, _ := strconv.Atoi(tok[i+1:])
		tol *= math.Pow(10, float64(exp))
	}
	return math.Abs(got-want) <= tol*(1+1e-9)
}

// configToken names the main lane's configuration, label aside.
func configToken(s *engine.Session) string { return (engine.Setup{Config: s.Main().Config()}).Token() }

// directiveProblems: a lesson's map is of one setup, already on screen when
// the map opens (the dashboard maps the setup of the frame it drew last:
// onScreen, "" headless), and seed-story's is the question's, where it
// starts (first); then the directives are applied (cleared), as the
// dashboard does.
func directiveProblems(r *Runner, l *Lesson, where, onScreen, first string) (out []string) {
	for _, d := range r.Directives {
		if d.Op != "show" || d.Arg != "map" {
			continue
		}
		if r.Session.Racing() {
			out = append(out, fmt.Sprintf("%s line %d: the map opens during a race; it shows one setup", where, d.Line))
		}
		if now := r.Session.Setup().Token(); onScreen != "" && now != onScreen {
			out = append(out, fmt.Sprintf("%s line %d: the map opens on a setup the screen has not shown yet (%s); show it with a caption and a wait first", where, d.Line, now))
		}
		if got := configToken(r.Session); l.Name == "seed-story" && got != first {
			out = append(out, fmt.Sprintf("%s: seed-story's map is of %s, not the question's setup %s", where, got, first))
		}
	}
	r.Directives = nil
	return out
}

// The truth test is not blind: each kind of false lesson is caught.
func TestTruthTestCatchesFalseLessons(t *testing.T) {
	parse := func(name, text string) *Lesson {
		t.Helper()
		l, err := ParseLesson(name, text)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	// The activations lesson as it was: "Collapsed to −1." at step 1, no wait at the end.
	old := parse("old", "preset question\nsay ReLU.\nwait\nuntil collapsed max 5000\nsay Collapsed to −1.\nwait\nrun 50\nsay Done.")
	if p := strings.Join(scriptProblems(old), "\n"); !strings.Contains(p, `fixed number "1"`) || !strings.Contains(p, "line 8: the caption does not wait") {
		t.Errorf("script problems:\n%s", p)
	}
	cases := []struct {
		name, text, want string
		dashboardOnly    bool
	}{
		{"t", "preset question\nrun 1\nexpect converged\nsay Converged.\nwait", "expect converged did not hold", false},
		{"t", "preset question\nrun 3\nsay At step {step}.\nset init normal\nwait", "the caption on screen is stale", false},
		{"seed-story", "preset question\nsay Q.\nwait\npreset answer\nshow map\nsay The map.\nwait", "not the question's setup", false},
		{"t", "preset question\nsay Q.\nwait\npreset answer\nshow map\nsay The map.\nwait", "a setup the screen has not shown yet", true},
		{"t", "preset question\nrace sgd,adam\nshow map\nsay The map.\nwait", "the map opens during a race", false},
	}
	for _, c := range cases {
		for _, dashboard := range []bool{false, true} {
			if c.dashboardOnly && !dashboard {
				continue
			}
			_, problems := playTruthfully(parse(c.name, c.text), 1, dashboard)
			if p := strings.Join(problems, "\n"); !strings.Contains(p, c.want) {
				t.Errorf("%q (dashboard %v): problems %q, want %q", c.text, dashboard, p, c.want)
			}
		}
	}
}

func TestAgreesReadsThePrintedPrecision(t *testing.T) {
	cases := []struct {
		text string
		want float64
		ok   bool
	}{
		{"0.0034", 0.00341, true}, {"0.0034", 0.0036, false}, {"-0.9995", -0.99951, true},
		{"3.25e-05", 3.254e-5, true}, {"3.25e-05", 3.4e-5, false}, {"23,000", 23000, true},
		{"23,000", 23001, false}, {"50/50", 50, true}, {"8/10", 9, false}, {"+71.7167", 71.71672, true},
		{"NaN", math.NaN(), true}, {"NaN", 1, false}, {"+Inf", math.Inf(1), true}, {"—", 0, true}, {"—", 6, false}, {"0.01", 0.01, true},
	}
	for _, c := range cases {
		if got := agrees(c.text, c.want); got != c.ok {
			t.Errorf("agrees(%q, %v) = %v", c.text, c.want, got)
		}
	}
}
