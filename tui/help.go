package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
)

// helpRoom is the ? overlay: every key that works now, in as many columns
// as fit, the why in wrapped words, and the current config token. Its
// state is its scroll.
type helpRoom struct {
	scroll int
	lines  int    // its content's lines at this size (from the last frame)
	said   string // the last thing its scrolling said ("the end of the help"), to take back when it moves
	w, h   int
}

func (r *helpRoom) SetSize(w, h int) { r.w, r.h = w, h }

// last is the first line shown when scrolled to the end.
func (r *helpRoom) last() int { return max(r.lines-(r.h-1), 0) }

// scrollBy moves the window, and says so when it is already at an end.
func (r *helpRoom) scrollBy(d int) string {
	top := max(0, min(r.scroll, r.last()))
	next := max(0, min(top+d, r.last()))
	r.scroll = next
	switch {
	case next != top:
		return ""
	case r.lines <= r.h:
		return "the help fits on the screen: nothing to scroll"
	case d < 0:
		return "the top of the help"
	}
	return "the end of the help"
}

// View draws the overlay from the frame's working rows and token.
func (r *helpRoom) View(f *frame, st styles) string {
	all := r.content(f, st)
	h := r.h
	if len(all) <= h {
		return block(strings.Join(all, "\n"), r.w, h)
	}
	// Longer than the screen: a window that ↑/↓ scroll, and a line that says so.
	top := max(0, min(r.scroll, len(all)-(h-1)))
	shown := append([]string(nil), all[top:top+h-1]...)
	more := fmt.Sprintf(" ↑/↓ scroll · lines %d–%d of %d", top+1, top+h-1, len(all))
	return block(strings.Join(append(shown, st.Dim.Render(more)), "\n"), r.w, h)
}

// content is every line of the overlay at this width.
func (r *helpRoom) content(f *frame, st styles) []string {
	w := r.w
	title := st.Title.Render(" keys") + st.Dim.Render("  (? closes)")
	if race := raceHelp(f, st, w); race != "" { // a class's challenge, for a student (classroom_room_challenge.go)
		title += "\n" + race
	}
	var cols [][]string
	for _, c := range f.helpRows {
		if len(c) > 0 {
			cols = append(cols, c)
		}
	}
	// As many columns side by side as fit; the rest go below.
	colW := 0
	for _, c := range cols {
		for _, row := range c {
			colW = max(colW, lipgloss.Width(row))
		}
	}
	colW += 3
	perRow := max(1, (w-1)/colW)
	var keyLines []string
	for start := 0; start < len(cols); start += perRow {
		end := min(start+perRow, len(cols))
		rows := 0
		for _, c := range cols[start:end] {
			rows = max(rows, len(c))
		}
		for i := 0; i < rows; i++ {
			line := " "
			for _, c := range cols[start:end] {
				cell := ""
				if i < len(c) {
					cell = c[i]
				}
				line += cell + strings.Repeat(" ", colW-lipgloss.Width(cell))
			}
			keyLines = append(keyLines, strings.TrimRight(line, " "))
		}
	}
	text := "o swaps the optimizer and keeps the weights; i swaps the init and restarts from the same seed, " +
		"so i on the question is exactly the question-normal-init preset. c races lanes from the same weights on the same batches."
	if f.lesson && !f.lessonDone {
		text = lessonHelp(f.role) + text
	}
	about := wrapWords(text, w-2, 5)
	for i, l := range about {
		about[i] = st.Dim.Render(" " + l)
	}
	// The token is cut into lines that fit; ParseToken joins them back.
	tok, width := f.token, max(w-2, 10)
	var tokLines []string
	for len(tok) > width {
		tokLines, tok = append(tokLines, " "+tok[:width]), tok[width:]
	}
	tokLines = append(tokLines, " "+tok)
	token := " this setup:\n" + strings.Join(tokLines, "\n") + "\n" +
		st.Dim.Render(truncate(" (lnfit --config 'TOKEN' starts here from step 0; line breaks are ignored)", w))
	return strings.Split(title+"\n\n"+strings.Join(keyLines, "\n")+"\n\n"+strings.Join(about, "\n")+"\n\n"+token, "\n")
}
