package tui

import (
	"strings"
	"testing"
)

// A text longer than its lines ends in " …" after a whole word: the
// verdict "heading for the mean o …" (issue 24's trial, [14]) cut one.
func TestWrapWordsMarksAfterAWholeWord(t *testing.T) {
	text := "collapsed to a constant (-0.87): every ReLU in layer 1 is dead; only the output bias learns, heading for the mean of ln x (-1.00)"
	for w := 20; w <= 70; w++ {
		for _, n := range []int{1, 2} {
			lines := wrapWords(text, w, n)
			last := lines[len(lines)-1]
			if !strings.HasSuffix(last, " …") {
				continue
			}
			words := strings.Fields(strings.TrimSuffix(last, " …"))
			if got := words[len(words)-1]; !strings.Contains(text, got+" ") {
				t.Errorf("width %d, %d lines: %q ends in a cut word %q", w, n, last, got)
			}
			if len([]rune(last)) > w {
				t.Errorf("width %d: %q is wider", w, last)
			}
		}
	}
}
