package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// Found by TestWalkStates at LNFIT_WALK_SEED=2753: the activations
// lesson's first caption at 81 columns was 82 wide, because lipgloss's wrap
// kept the space after a word that ended at the edge. A caption fits every
// width, whole (no word left out, none cut), with [space] when it waits.
func TestCaptionFitsEveryWidth(t *testing.T) {
	m := newModel(t, "question", 0)
	texts := []string{
		"Collapsed at step 1: dead ReLU 50/50 in layer 1, so net(x) is -49.2084 for every x. Only the output bias still learns; watch it head for the mean of ln x, -1.0000.",
		"short",
		strings.Repeat("word ", 60),
		"   ",
	}
	for _, text := range texts {
		for _, waiting := range []bool{false, true} {
			for w := minWidth; w <= 200; w++ {
				m.frame.lesson, m.frame.caption, m.frame.waiting = true, text, waiting
				out := m.caption(w)
				for i, l := range strings.Split(out, "\n") {
					if lipgloss.Width(l) > w {
						t.Fatalf("%q at %d: line %d is %d wide", text, w, i, lipgloss.Width(l))
					}
				}
				if got, want := strings.Fields(strings.ReplaceAll(out, "─", "")), strings.Fields(text); len(got) != len(want)+btoi(waiting) {
					t.Fatalf("%q at %d: %d words shown, want %d:\n%s", text, w, len(got), len(want)+btoi(waiting), out)
				}
				if waiting != strings.Contains(out, "[space]") {
					t.Fatalf("%q at %d, waiting %v:\n%s", text, w, waiting, out)
				}
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
