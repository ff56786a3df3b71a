package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// The message line counts captions as the screen does: the caption that
// training reached is the one it names, space while the lesson trains says
// it paused and how it goes on, and the next space trains on (F-L1).
func TestLessonMessageCountsTheCaptionOnScreen(t *testing.T) {
	l, err := runner.GetLesson("seed-story")
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	m := New(engine.NewSession(tr, "question"), Options{Lesson: l, StartPaused: true})
	m.now = func() time.Time { return fixedNow }
	m.budget, m.stepCap = time.Hour, 300
	m = sized(m, 100, 30)
	_, total := m.lessonCaptions()
	paused := false
	for guard := 0; len(m.run.Captions) < 6; guard++ {
		if guard > 10_000 {
			t.Fatal("the lesson does not reach its 6th caption")
		}
		shown := len(m.run.Captions)
		switch {
		case m.run.Waiting:
			m = press(m, "space")
			if !m.run.Waiting && !strings.Contains(m.msg, fmt.Sprintf("training on to caption %d of %d — space pauses", shown+1, total)) {
				t.Fatalf("space at caption %d: message %q", shown, m.msg)
			}
		case m.running && !paused && m.session.Step() > 0: // once: pause mid-training, as the teacher did
			m = press(m, "space")
			paused = true
			if m.running || !strings.Contains(m.msg, fmt.Sprintf("— space trains on to caption %d of %d", shown+1, total)) {
				t.Fatalf("space while training: running %v, message %q", m.running, m.msg)
			}
			m = press(m, "space")
			if !m.running || !strings.Contains(m.msg, fmt.Sprintf("training on to caption %d of %d", shown+1, total)) {
				t.Fatalf("space after the pause: running %v, message %q", m.running, m.msg)
			}
		default:
			next, _ := m.Update(tickMsg{id: m.tickID})
			m = next.(Model)
			if m.run.Waiting && len(m.run.Captions) > shown {
				if want := fmt.Sprintf("caption %d of %d", len(m.run.Captions), total); !strings.Contains(m.msg, want) {
					t.Fatalf("caption %d came by training, the message says %q", len(m.run.Captions), m.msg)
				}
			}
		}
	}
	if !paused {
		t.Fatal("the lesson never trained: the pause was not tried")
	}
}
