package tui

import (
	"fmt"
	"strings"
	"testing"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// followerRows: what a follower's timeline says of its keys is true for a
// follower: its ? rows and its hint never offer a branch or say training
// is paused (enter is the teacher's key; the teacher's run goes on).
func followerRows(t *testing.T, student Model) {
	t.Helper()
	if strings.Contains(student.timelineHint(), "enter") || strings.Contains(student.timelineHint(), "paused") {
		t.Errorf("a follower's timeline hint: %q", student.timelineHint())
	}
	h := keys(student, "?")
	if h.mode != modeHelp || len(h.frame.helpRows) == 0 {
		t.Fatalf("? on a follower's timeline: mode %d, %d columns", h.mode, len(h.frame.helpRows))
	}
	for _, col := range h.frame.helpRows {
		for _, row := range col {
			if strings.Contains(row, "branch") || strings.Contains(row, "paus") {
				t.Errorf("a follower's help over a moment offers %q", row)
			}
		}
	}
}

// A follower's copy of the teacher's moments follows the teacher's list as
// it changes; a moment on the follower's screen that the teacher lets go
// (its budget, its last frames) stays on that screen, in its place.
func TestFollowerKeepsItsMoment(t *testing.T) {
	teacher, student, hub, _ := classroom(t)
	share := func() {
		teacher.refresh()
		f, _ := hub.latest()
		next, _ := student.Update(sharedFrameMsg{f})
		student = next.(Model)
	}
	teacher.advance(runner.Budget{Steps: 60})
	share()
	student = keys(student, "t", "left", "left")
	on := student.tl.keep.At(student.tl.at)
	pub := student.shared.moments
	i := -1
	for j, mo := range pub {
		if mo == on {
			i = j
		}
	}
	if i < 1 {
		t.Fatalf("the follower's moment (step %d) is not in the teacher's list past its first", on.Step)
	}
	// The teacher's next list lacks that moment and has one more at its end.
	next := append(append(append([]*engine.Moment(nil), pub[:i]...), pub[i+1:]...), pub[len(pub)-1])
	student.shared.moments = next
	student.refresh()
	if got := student.tl.keep.At(student.tl.at); got != on || student.tl.at != i || student.tl.keep.Len() != len(next)+1 {
		t.Fatalf("after the teacher let step %d go: on step %d at %d of %d, want it at %d of %d",
			on.Step, got.Step, student.tl.at, student.tl.keep.Len(), i, len(next)+1)
	}
	if v := student.render(); !strings.Contains(v, fmt.Sprintf("moment %d of %d", i+1, len(next)+1)) {
		t.Fatalf("the follower's line:\n%s", v)
	}
	student = keys(student, "left")
	if got := student.tl.keep.At(student.tl.at); got != pub[i-1] {
		t.Fatalf("← from the kept moment: step %d, want %d", got.Step, pub[i-1].Step)
	}
}
