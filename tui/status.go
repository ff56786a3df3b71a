package tui

import (
	"math"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
)

// msgLife is how long a status message stays on screen.
const msgLife = 6 * time.Second

// caption is the lesson's text, when a lesson is loaded.
func (m Model) caption(w int) string {
	f := &m.frame
	if !f.lesson || f.caption == "" {
		return ""
	}
	// Wrapped here, as every other line is (lipgloss's own wrap kept a
	// trailing space where a word ended at the edge: one column too wide).
	inner := w - m.st.Caption.GetHorizontalFrameSize() // the projector's box has borders too: wrapped wider, lipgloss re-wrapped it
	lines := wrapWords(f.caption, inner, math.MaxInt)
	if len(lines) == 0 { // a caption of spaces
		lines = []string{""}
	}
	if f.waiting {
		if last := len(lines) - 1; lipgloss.Width(lines[last])+len("   [space]") <= inner {
			lines[last] += "   [space]"
		} else {
			lines = append(lines, "[space]")
		}
	}
	return m.st.Caption.Width(w).Render(strings.Join(lines, "\n"))
}

// shortCaption is the caption in two lines at most, for short screens.
func (m Model) shortCaption(w int) string {
	f := &m.frame
	text := f.caption
	if f.waiting {
		text += " [space]"
	}
	lines := wrapWords(text, w-1, 2)
	for i, l := range lines {
		lines[i] = m.st.Title.Render(" " + l)
	}
	return strings.Join(lines, "\n")
}

// statusLine is the last message, wrapped to at most two lines; an empty
// line when there is none, so nothing below moves.
func (m Model) statusLine(w int) string {
	f := &m.frame
	if f.msg == "" {
		return ""
	}
	st := m.st.Msg
	if f.msgBad {
		st = m.st.Bad
	}
	lines := wrapWords(f.msg, w-1, 2)
	for i, l := range lines {
		lines[i] = st.Render(" " + l)
	}
	return strings.Join(lines, "\n")
}

// keyLine always starts with ? and q, then fits as many of the working
// keys (the frame's, from the action table) as the width allows.
func (m Model) keyLine(w int) string {
	var out []string
	used := 0
	for i, it := range m.frame.keyLine {
		cell := m.st.Title.Render(it[0]) + " " + m.st.Dim.Render(it[1])
		cw := lipgloss.Width(cell)
		sep := 0
		if i > 0 {
			sep = 3
		}
		if used+sep+cw > w-1 {
			break
		}
		out = append(out, cell)
		used += sep + cw
	}
	return " " + strings.Join(out, m.st.Dim.Render(" · "))
}
