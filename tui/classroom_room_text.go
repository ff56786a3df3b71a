package tui

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"lnfit/engine"
)

// The class room's words and figures in a few cells.

// fitParts joins parts with " · " into lines of at most w cells, a part
// never split between lines; a part wider than a line alone is cut with a
// mark.
func fitParts(w int, parts ...string) []string {
	var lines []string
	line := ""
	for _, p := range parts {
		switch {
		case line == "":
			line = " " + p
		case ansi.StringWidth(line+" · "+p) <= w:
			line += " · " + p
		default:
			lines = append(lines, ansi.Truncate(line, max(w, 0), "…"))
			line = " " + p
		}
	}
	return append(lines, ansi.Truncate(line, max(w, 0), "…"))
}

// plural is "1 session", "2 sessions".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// stepCount is "1 step", "20,000 steps".
func stepCount(n int64) string {
	if n == 1 {
		return "1 step"
	}
	return engine.Commas(n) + " steps"
}

// seconds is a CPU time in a few cells: 0.42s, 3.1s, 47s.
func seconds(d time.Duration) string {
	switch s := d.Seconds(); {
	case s < 1:
		return fmt.Sprintf("%.2fs", s)
	case s < 10:
		return fmt.Sprintf("%.1fs", s)
	default:
		return fmt.Sprintf("%.0fs", s)
	}
}

// cut shortens s to w cells without a mark (the list is read by column).
func cut(s string, w int) string { return ansi.Truncate(s, max(w, 0), "") }

// since is how long ago t was, in a few cells: 45s, 12m, 1h05.
func since(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", max(int(d.Seconds()), 0))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02d", int(d.Hours()), int(d.Minutes())%60)
}

// teachingCount is the teacher's header's count of students, from the hub.
func teachingCount(f *frame) string {
	if f.forks == 0 {
		return fmt.Sprintf("teaching: %d following", f.followers)
	}
	return fmt.Sprintf("teaching: %d following, %d forked", f.followers, f.forks)
}

// A follower sees the teacher's lesson but cannot move it: its waiting
// caption, its header and its ? say who does (space and L are the teacher's).

// lessonGoesOn is who moves a waiting caption on: "space continues" (the
// one playing it), "the teacher continues" (a follower).
func lessonGoesOn(r roleKind) string {
	if r == roleFollower {
		return "the teacher continues"
	}
	return "space continues"
}

// captionMark ends a waiting caption: the key that moves it on, or who.
func captionMark(r roleKind) string {
	if r == roleFollower {
		return "[the teacher continues]"
	}
	return "[space]"
}

// lessonHelp is ?'s sentence about a running lesson.
func lessonHelp(r roleKind) string {
	if r == roleFollower {
		return "The teacher plays this lesson: the teacher moves it on and ends it; f gives you a copy to change. "
	}
	return "A lesson is running: it sets up the run, so the keys that change it are off until it ends (L ends it). "
}

// changedFrom is what a fork's label says it changed from the teacher's:
// its parts the teacher's label lacks, the preset's name left out (a
// fork's label counts from the run it was cloned from, which a lesson's
// set may have changed already).
func changedFrom(teacher, fork string) string {
	has := map[string]bool{}
	for _, p := range strings.Split(teacher, " · ") {
		has[p] = true
	}
	var out []string
	for i, p := range strings.Split(fork, " · ") {
		if i > 0 && !has[p] || i == 0 && !has[p] && strings.Contains(p, " → ") {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return "nothing yet"
	}
	return strings.Join(out, " · ")
}

// maxSeatName is the most cells of a name the class room keeps.
const maxSeatName = 16

// SeatName is a student's name as the class room shows it: printable
// characters only, runs of spaces made one, at most maxSeatName cells; ""
// if nothing is left. A name typed at the class code is anything a client
// sends, so it is cleaned, not trusted.
func SeatName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if b.Len() > 4*maxSeatName {
			break // the rest would be cut anyway
		}
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case !unicode.IsPrint(r) || r == utf8.RuneError:
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(ansi.Truncate(b.String(), maxSeatName, ""))
}
