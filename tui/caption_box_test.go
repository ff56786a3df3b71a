package tui

import (
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// Seen on seed-story's map caption in the projector layout (--classroom):
// the caption was wrapped 2 columns wider than its box, so lipgloss wrapped
// it again and left "up," alone on a line. In either layout no caption line
// could have taken the next line's first word.
func TestCaptionWrapsOnceInItsBox(t *testing.T) {
	text := "The collapse map of the question's setup: learning rate across, init scale up, and each cell counts the seeds that collapsed there. Walk it with the arrow keys; enter restarts the net in that cell."
	for _, o := range []Options{{StartPaused: true}, {StartPaused: true, Classroom: true}} {
		m := New(newModel(t, "question", 0).session, o)
		inner := m.st.Caption.GetHorizontalFrameSize()
		for w := minWidth; w <= 200; w++ {
			m.frame.lesson, m.frame.caption, m.frame.waiting = true, text, true
			var lines []string
			for _, l := range strings.Split(m.caption(w), "\n") {
				if l = strings.Trim(l, "║─═╔╗╚╝ "); l != "" {
					lines = append(lines, l)
				}
			}
			for i := 0; i+1 < len(lines); i++ {
				next, sep := strings.Fields(lines[i+1])[0], 1
				if next == "[space]" {
					sep = 3 // it follows the caption after three spaces
				}
				if lipgloss.Width(lines[i])+sep+lipgloss.Width(next) <= w-inner {
					t.Fatalf("classroom %v, %d wide: line %q could have taken %q:\n%s", o.Classroom, w, lines[i], next, m.caption(w))
				}
			}
		}
	}
}
