package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// wrapWords keeps the advice whole, cuts only between words, and leaves no
// short word alone on the last line.
func TestWrapKeepsTheAdviceAndNoLoneWord(t *testing.T) {
	verdict := "collapsed to a constant (-0.86): every ReLU in layer 1 is dead; only the output bias learns, heading for the mean of ln x (-1.00) — try i (init)"
	for _, c := range []struct {
		text     string
		w, lines int
	}{
		{verdict, 59, 2}, {verdict, 79, 2}, {verdict, 40, 3}, {verdict, 30, 1},
		{"not trained yet: net(x) runs from +71.7 to +131.1 on (0,1], where ln x is below 0", 79, 2},
		{"init: normal (truncated normal σ 0.1, b = 0.1) — restarted from step 0, seed 1", 59, 2},
		{"collapsed to the mean of ln x (≈ -1.00): every ReLU in layer 1 is dead — try i (init)", 79, 2},
	} {
		got := wrapWords(c.text, c.w, c.lines)
		if len(got) > c.lines {
			t.Errorf("%q at %d: %d lines, want at most %d", c.text, c.w, len(got), c.lines)
		}
		words := map[string]bool{"…": true}
		for _, w := range strings.Fields(c.text) {
			words[w] = true
		}
		for _, l := range got {
			if lipgloss.Width(l) > c.w {
				t.Errorf("%q at %d: line %q is wider", c.text, c.w, l)
			}
			for _, w := range strings.Fields(l) {
				if !words[w] {
					t.Errorf("%q at %d: %q is a cut word (lines %q)", c.text, c.w, w, got)
				}
			}
		}
		if last := got[len(got)-1]; len(got) > 1 && len(strings.Fields(last)) == 1 && lipgloss.Width(last) <= 3 {
			t.Errorf("%q at %d: a lone word %q on the last line", c.text, c.w, last)
		}
		if strings.Contains(c.text, "— try i (init)") && c.w >= 20 && !strings.Contains(strings.Join(got, "\n"), "— try i (init)") {
			t.Errorf("%q at %d: the advice is not whole on one line: %q", c.text, c.w, got)
		}
	}
}

// The init lab keeps its figures whole at 60 wide: the min and max columns
// give way first.
func TestLabFiguresWholeAt60(t *testing.T) {
	m := sized(newModel(t, "question", 3), 60, 16)
	m = press(m, "h")
	view := m.View().Content
	for _, want := range []string{"‖ΔW‖/‖W‖ 0.", "dead 50/50"} {
		if !strings.Contains(view, want) {
			t.Fatalf("the lab at 60×16 lacks %q:\n%s", want, view)
		}
	}
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "‖ΔW‖") && strings.Contains(l, "…") || strings.Contains(l, "dead 50/50 …") {
			t.Fatalf("a cut figure: %q\n%s", l, view)
		}
	}
}
