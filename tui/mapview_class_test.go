package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// mapRows counts the collapse map's init-scale rows on screen ("   1 │ ~4 …").
var mapRow = regexp.MustCompile(`(?m)^\s*[0-9.]+ │`)

// captionWords is the screen's text with the caption box's borders gone,
// words joined by one space: where a caption is found whole.
func captionWords(v string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if strings.ContainsRune("║─═╔╗╚╝", r) {
			return ' '
		}
		return r
	}, v)), " ")
}

// TestEveryCaptionScreenIsWholeAt80x24's class half: seed-story played by
// a teacher with a follower, both at 80×24: each caption is whole on both
// screens, neither is cut, the map keeps rows enough to see its cliff, and
// the follower's captions offer no key it lacks (F-C8).
func TestEveryClassCaptionScreenIsWholeAt80x24(t *testing.T) {
	teacher, student, hub, _ := classroom(t)
	teacher.opts.Address, teacher.opts.ClassCode = "ssh -p 2323 THIS-MACHINE", "owl" // the footer a class has
	teacher = smallMaps(sized(teacher, 80, 24))
	student.opts.Maps = teacher.opts.Maps // one class, one map cache, as --serve has it
	student = sized(student, 80, 24)
	l := lessonModel(t, "seed-story", Options{}).run.Lesson
	teacher.startLesson(l)
	teacher.pace, teacher.stepCap = pace{speed: len(speeds) - 1}, 5000
	captions := 0
	for guard := 0; guard < 10_000 && !teacher.run.Done; guard++ {
		switch {
		case teacher.run.Waiting:
			captions++
			if teacher.mode == modeMap {
				room := teacher.openRoom()
				if room == nil {
					t.Fatal("the map room shows no map")
				}
				waitMap(t, teacher.opts.Maps, room)
			}
			teacher = quiet(teacher)
			f, _ := hub.latest()
			next, _ := student.Update(sharedFrameMsg{f})
			student = next.(Model)
			if student.mode == modeMap {
				if room := student.openRoom(); room != nil {
					waitMap(t, student.opts.Maps, room)
				}
			}
			student = quiet(student)
			for _, c := range []struct {
				who string
				m   Model
			}{{"teacher", teacher}, {"follower", student}} {
				where := fmt.Sprintf("%s, caption %d at step %d", c.who, captions, teacher.session.Step())
				v := c.m.render()
				checkPagedUncut(t, where, c.m, v)
				if c.m.mode == modeMap {
					t.Logf("%s: the map shows %d rows", where, len(mapRow.FindAllString(v, -1)))
				}
				if c.m.mode == modeMap && len(mapRow.FindAllString(v, -1)) < 3 {
					t.Errorf("%s: the map shows %d rows:\n%s", where, len(mapRow.FindAllString(v, -1)), v)
				}
				if c.who == "follower" {
					for _, k := range []string{"i (another init)", "c (race", "L (another lesson)"} {
						if strings.Contains(c.m.frame.caption, k) {
							t.Errorf("%s: the follower is offered %q:\n%s", where, k, v)
						}
					}
				}
			}
			teacher = press(teacher, "space")
		case !teacher.running:
			teacher = press(teacher, "space")
		default:
			next, _ := teacher.Update(tickMsg{id: teacher.tickID})
			teacher = next.(Model)
		}
	}
	// The end: the follower's last caption offers what a follower has.
	teacher = quiet(teacher)
	f, _ := hub.latest()
	next, _ := student.Update(sharedFrameMsg{f})
	student = quiet(next.(Model))
	if end := student.frame.caption; end == teacher.frame.caption || strings.Contains(end, "L (another lesson)") || !strings.Contains(end, "f ") {
		t.Errorf("the follower's end of the lesson: %q (the teacher's: %q)", end, teacher.frame.caption)
	}
	if !strings.Contains(teacher.frame.caption, "L (another lesson)") {
		t.Errorf("the teacher's end of the lesson: %q", teacher.frame.caption)
	}
	if !teacher.run.Done || captions < 10 {
		t.Fatalf("the lesson did not end (%d captions)", captions)
	}
}

// checkPagedUncut: nothing on the screen is cut but a paged caption's own
// " …", and the caption is whole: on screen, or read across its pages, none
// of which is a lone word and the mark ("x. [space]").
func checkPagedUncut(t *testing.T, where string, m Model, v string) {
	t.Helper()
	checkFits(t, v, m.width, m.height)
	want := strings.Join(strings.Fields(m.frame.caption), " ")
	_, pages, cut := m.captionCut()
	if !cut {
		checkUncut(t, v, m.width, m.height)
		if !strings.Contains(captionWords(v), want) {
			t.Fatalf("%s: the caption is not on screen whole:\n%s", where, v)
		}
		return
	}
	all := m.captionPages(m.width)
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "…") && !strings.HasSuffix(l, " …") {
			t.Fatalf("%s: line cut: %q", where, l)
		}
	}
	var read []string
	mark := captionMark(m.frame.role)
	for p, page := range all {
		text := strings.TrimSuffix(strings.Join(page, " "), " …")
		if p == pages-1 && loneLine(text, mark) {
			t.Errorf("%s: the caption's last page %d of %d is only %q", where, p+1, pages, text)
		}
		read = append(read, strings.Fields(text)...)
	}
	if got := strings.TrimSuffix(strings.Join(read, " "), " "+mark); got != want {
		t.Fatalf("%s: the pages read\n%q\nwant\n%q", where, got, want)
	}
}
