package tui

import (
	"strings"
	"time"
)

// msgLife is how long a status message stays on screen.
const msgLife = 6 * time.Second

// caption is the lesson's text, when a lesson is loaded.
func (m Model) caption(w int) string {
	f := &m.frame
	if !f.lesson || f.caption == "" {
		return ""
	}
	text := f.caption
	if f.waiting {
		text += "   [space]"
	}
	return m.st.Caption.Width(w).Render(text)
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
	if m.msg == "" || m.now().Sub(m.msgAt) > msgLife {
		return ""
	}
	st := m.st.Msg
	if m.msgBad {
		st = m.st.Bad
	}
	lines := wrapWords(m.msg, w-1, 2)
	for i, l := range lines {
		lines[i] = st.Render(" " + l)
	}
	return strings.Join(lines, "\n")
}
