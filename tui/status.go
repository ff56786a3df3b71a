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
		mark := captionMark(f.role)
		if last := len(lines) - 1; lipgloss.Width(lines[last])+3+lipgloss.Width(mark) <= inner {
			lines[last] += "   " + mark
		} else {
			lines = append(lines, mark)
		}
	}
	return m.st.Caption.Width(w).Render(strings.Join(lines, "\n"))
}

// shortCaption is the caption two lines at a time, for short screens: a
// longer one is in pages that space turns (captionPage), each but the
// last ending " …", so all of it can be read at 60×16.
func (m Model) shortCaption(w int) string {
	pages := m.captionPages(w)
	lines := pages[m.captionPage(len(pages))]
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = m.st.Title.Render(" " + l)
	}
	return strings.Join(out, "\n")
}

// captionPages is the short caption's pages of two lines.
func (m Model) captionPages(w int) [][]string {
	f := &m.frame
	text := f.caption
	if f.waiting {
		text += " " + captionMark(f.role)
	}
	lines := wrapWords(text, w-3, 1<<20) // two cells spare for a page's " …"
	if n := len(lines); n%2 == 1 && n >= 3 && loneLine(lines[n-1], captionMark(f.role)) {
		// The last page would be a word or two ("x. [space]"): the line
		// before it goes along, and the page before ends a line early.
		lines = append(lines[:n-2:n-2], "", lines[n-2], lines[n-1])
	}
	var pages [][]string
	for i := 0; i < len(lines); i += 2 {
		page := append([]string(nil), lines[i:min(i+2, len(lines))]...)
		if page[len(page)-1] == "" { // the early end loneLine asked for
			page = page[:len(page)-1]
		}
		if i+2 < len(lines) {
			page[len(page)-1] += " …"
		}
		pages = append(pages, page)
	}
	if len(pages) == 0 {
		pages = [][]string{{""}}
	}
	return pages
}

// loneLine: a caption's line that is too little for a page of its own,
// the mark ("[space]") and at most one word.
func loneLine(line, mark string) bool {
	return len(strings.Fields(strings.Replace(line, mark, "", 1))) <= 1
}

// captionPage is the page of the caption on screen: the one space turned
// to, for this caption (a new caption starts at its first).
func (m Model) captionPage(pages int) int {
	if m.capFor != m.frame.caption {
		return 0
	}
	return min(m.capPage, pages-1)
}

// captionCut reports whether the caption on screen is the short one with
// more than one page, and which page is shown.
func (m Model) captionCut() (page, pages int, cut bool) {
	if m.caption(m.width) == "" || m.layout().caption == m.caption(m.width) {
		return 0, 1, false
	}
	pages = len(m.captionPages(m.width))
	page = m.captionPage(pages)
	return page, pages, pages > 1
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

// maxAdvice is the widest "— what to do" tail wrapWords keeps whole; a
// longer one (a map cell's figures) wraps as words.
const maxAdvice = 40

// wrapWords wraps text at spaces to lines of at most w cells, at most
// maxLines lines. What a line of advice says to do is kept whole: from the
// word before the last "—" on, a short tail is one unit that never breaks,
// and when the text is longer than maxLines it is the words before it that
// are cut, at a word, marked " …". A last line of one short word ("0",
// "1") takes the word before it along, so no number stands alone.
func wrapWords(text string, w, maxLines int) []string {
	words := strings.Fields(text)
	items, cutHead, tail := words, words, ""
	for i := len(words) - 1; i > 1; i-- {
		if words[i] == "—" {
			// The dash keeps the word before it, so no line starts with it;
			// where the text is cut, " …" stands before the dash instead.
			if t := strings.Join(words[i-1:], " "); lipgloss.Width(t) <= w && lipgloss.Width(t) <= maxAdvice {
				items = append(append([]string(nil), words[:i-1]...), t)
				cutHead, tail = words[:i-1], strings.Join(words[i:], " ")
			}
			break
		}
	}
	lines := wrapLines(items, w)
	if len(lines) > maxLines && maxLines > 0 {
		lines = cutLines(cutHead, tail, w, maxLines)
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = truncate(strings.Join(l, " "), w) // a single word wider than w: cut, and marked
	}
	return out
}

// wrapLines is wrapItems by words, with a short lone last word joined by
// the word before it.
func wrapLines(items []string, w int) [][]string {
	var lines [][]string
	var cur []string
	curW := 0
	for _, it := range items {
		iw := lipgloss.Width(it)
		if len(cur) > 0 && curW+1+iw > w {
			lines, cur, curW = append(lines, cur), nil, 0
		}
		if len(cur) > 0 {
			curW++
		}
		cur, curW = append(cur, it), curW+iw
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	if n := len(lines); n >= 2 && len(lines[n-1]) == 1 && lipgloss.Width(lines[n-1][0]) <= 3 && len(lines[n-2]) >= 2 {
		prev := lines[n-2]
		moved := prev[len(prev)-1]
		if lipgloss.Width(moved)+1+lipgloss.Width(lines[n-1][0]) <= w {
			lines[n-2], lines[n-1] = prev[:len(prev)-1], append([]string{moved}, lines[n-1]...)
		}
	}
	return lines
}

// cutLines fits head and tail in maxLines lines: the head's words as far
// as they go, then " …", then the tail whole (on the last line, or a line
// of its own when the last line cannot also hold it).
func cutLines(head []string, tail string, w, maxLines int) [][]string {
	lines := wrapLines(head, w)
	if len(lines) > maxLines {
		lines = lines[:maxLines]
	}
	end := []string{"…"}
	if tail != "" {
		end = append(end, tail)
	}
	endW := lipgloss.Width(strings.Join(end, " "))
	last := lines[len(lines)-1]
	for len(last) > 0 && lipgloss.Width(strings.Join(last, " "))+1+endW > w {
		last = last[:len(last)-1]
	}
	if len(last) == 0 && len(lines) >= 2 && tail != "" { // the tail takes the last line: the one before ends in …
		lines[len(lines)-1] = []string{tail}
		prev := lines[len(lines)-2]
		for len(prev) > 1 && lipgloss.Width(strings.Join(prev, " "))+2 > w {
			prev = prev[:len(prev)-1]
		}
		lines[len(lines)-2] = append(append([]string(nil), prev...), "…")
		return lines
	}
	lines[len(lines)-1] = append(append([]string(nil), last...), end...)
	return lines
}
