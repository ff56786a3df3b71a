package tui

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
	"lnfit/presets"
)

// liveAt is the question trained k steps through the dashboard's runner,
// paused, sized w×h: the live screen a moment at step k must repeat.
func liveAt(t *testing.T, k int64, w, h int) Model {
	t.Helper()
	p, _ := presets.Get("question")
	tr, _ := engine.New(p.Config)
	m := New(engine.NewSession(tr, "question"), Options{StartPaused: true})
	m.now = func() time.Time { return fixedNow }
	m.advance(runner.Budget{Steps: k})
	m.rate.reset(fixedNow, m.session.Step())
	m.refresh()
	return sized(m, w, h)
}

var figureRE = regexp.MustCompile(`[-+]?[0-9][0-9,]*(\.[0-9]+)?(e[-+]?[0-9]+)?`)

// figures are the numbers of the screen's lines from the first that holds
// from to the last before one that holds until ("" the screen's end, less
// its key line), in order; the lab's legend (no figure of the run) is left
// out, since it gives way to the timeline's line.
func figures(t *testing.T, screen, from, until string) []string {
	t.Helper()
	lines := strings.Split(screen, "\n")
	lines = lines[:len(lines)-1] // the key line
	start := -1
	for i, l := range lines {
		if start < 0 && strings.Contains(l, from) {
			start = i
		}
		if start >= 0 && until != "" && strings.Contains(l, until) {
			lines = lines[:i]
			break
		}
	}
	if start < 0 {
		t.Fatalf("no line holds %q:\n%s", from, screen)
	}
	var words []string
	for _, l := range lines[start:] {
		words = append(words, strings.Fields(l)...)
	}
	text := strings.ReplaceAll(strings.Join(words, " "), "W: weights; z(x): pre-activations on the 1000 grid points.", "")
	return figureRE.FindAllString(text, -1)
}

// Every figure of a moment's screen is the live screen's at that step:
// the diagnostics under the plots (‖∇‖ among them, which was 0.0000 on the
// timeline), the init lab's rows and its notes (the mean prediction); and
// after enter branches there, the live line's figures are that step's too.
func TestTimelineFiguresAreTheLiveOnes(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}} {
		w, h := size[0], size[1]
		for _, k := range []int64{1, 5, 40} {
			live := quiet(liveAt(t, k, w, h))
			m := sized(timelineModel(t, Options{}), w, h)
			m = keys(m, "t")
			for m.tl.keep.At(m.tl.at).Step > k {
				m = keys(m, "left")
			}
			if m.tl.keep.At(m.tl.at).Step != k {
				t.Fatalf("no moment at step %d: %v", k, m.tl.keep.Steps())
			}
			m = quiet(m)
			check := func(what string, want, got []string) {
				t.Helper()
				if strings.Join(want, " ") != strings.Join(got, " ") {
					t.Errorf("%d×%d step %d, %s: the moment's figures\n%v\nare not the live run's\n%v", w, h, k, what, got, want)
				}
			}
			wantDiag := figures(t, live.render(), "dead ReLU", "")
			check("diagnostics", wantDiag, figures(t, m.render(), "dead ReLU", ""))
			if !strings.Contains(live.render(), "‖∇‖") {
				t.Fatalf("the live screen shows no ‖∇‖:\n%s", live.render())
			}
			lab := quiet(keys(live, "h")).render()
			if !strings.Contains(strings.Join(strings.Fields(lab), " "), "Mean prediction") {
				t.Fatalf("%d×%d: the live lab has no mean prediction, so this test tells nothing:\n%s", w, h, lab)
			}
			check("init lab", figures(t, lab, "init lab", "dead ReLU"), figures(t, quiet(keys(m, "h")).render(), "init lab", "dead ReLU"))

			b := quiet(keys(m, "enter"))
			if b.mode != modePlots || b.session.Step() != k {
				t.Fatalf("enter: mode %d at step %d, want the plots at %d", b.mode, b.session.Step(), k)
			}
			check("the live line after enter", wantDiag, figures(t, b.render(), "dead ReLU", ""))
		}
	}
}
