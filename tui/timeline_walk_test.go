package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"
)

// The walk's visits to the timeline (walk_test.go): random keys reach it
// rarely, so each walk sometimes tours it on purpose, and the walks count
// what the tours covered: a scrub, a resize on a moment, a branch, a
// return to the live run, in a lesson and as a follower.

// timelineCover is what TestWalkStates' walks must have covered.
var timelineCover = []string{"scrub", "resize", "branch", "return", "lesson", "follower"}

// press is a key and the frame after it, as the walk's run takes them.
func (w *walk) press(k string) {
	w.key(k)
	if w.finished {
		return
	}
	w.m = settle(w.m)
	if w.m.in.dirty {
		w.tick()
	}
	if !w.m.in.dirty {
		w.check()
	}
}

// tour is t, a few moves on the timeline, a resize there, and a way back
// (enter branches; esc, t or space return), checked after each.
func (w *walk) tour(covered map[string]int) {
	w.press("t")
	if w.finished || !w.m.onTimeline() {
		return // t said why not here (the picker, the map, the class room)
	}
	moves := []string{"left", "shift+left", "right", "shift+right", "h", "e", "u", "pgdown", "?", "w"}
	for range 1 + w.rng.IntN(4) {
		at := w.m.tl.at
		w.press(moves[w.rng.IntN(len(moves))])
		if w.finished {
			return
		}
		if w.m.tl.at != at {
			covered["scrub"]++
		}
	}
	w.w, w.h = 60+w.rng.IntN(141), 16+w.rng.IntN(45)
	w.log = append(w.log, fmt.Sprintf("[%dx%d]", w.w, w.h))
	w.m = w.update(tea.WindowSizeMsg{Width: w.w, Height: w.h})
	w.check()
	covered["resize"]++
	if w.m.lessonActive() {
		covered["lesson"]++
	}
	if w.m.role.following() {
		covered["follower"]++
	}
	end := []string{"enter", "esc", "t", "space"}[w.rng.IntN(4)]
	w.press(end)
	if !w.finished && !w.m.onTimeline() {
		covered["return"]++
		if end == "enter" && !w.m.msgBad {
			covered["branch"]++
		}
	}
}
