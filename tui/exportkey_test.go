package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lnfit/engine/runner"
)

// E writes the history, the curve and the figure beside the save file; a
// second E keeps the files it wrote as its own, and never replaces one it
// did not write. A student's session writes nothing and says how instead.
func TestExportKeyWritesBesideTheSave(t *testing.T) {
	dir := t.TempDir()
	m := sized(newModel(t, "question", 30), 100, 30)
	m.opts.SavePath = filepath.Join(dir, "net.json")
	m = press(m, "E")
	for _, name := range []string{"net-history.csv", "net-curve.csv", "net-plot.svg"} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Size() == 0 {
			t.Fatalf("%s: %v (message %q)", name, err, m.msg)
		}
	}
	if m.msgBad || !strings.Contains(m.msg, "net-history.csv") {
		t.Fatalf("message %q", m.msg)
	}
	foreign := filepath.Join(dir, "net-curve.csv")
	if err := os.WriteFile(foreign, []byte("someone's data\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m = press(m, "E")
	if b, _ := os.ReadFile(foreign); string(b) != "someone's data\n" {
		t.Fatal("E replaced a file it did not write")
	}
	if _, err := os.Stat(filepath.Join(dir, "net-curve-1.csv")); err != nil {
		t.Fatalf("no fresh name for the curve: %v (message %q)", err, m.msg)
	}

	s := sized(newModel(t, "question", 30), 100, 30)
	s.opts.SavePath = "-"
	s = press(s, "E")
	if s.msgBad || !strings.Contains(s.msg, "lnfit --headless --config") {
		t.Fatalf("a student's E: %q", s.msg)
	}
}

// A student's E at 80×24 prints its whole command, with the step in plain
// digits (main's TestHomeCommandParses runs it through the flag parser);
// during a lesson it names the lesson, not the steps so far.
func TestStudentExportSaysACommandThatIsTrue(t *testing.T) {
	s := sized(newModel(t, "question", 1234), 80, 24)
	s.opts.SavePath = "-"
	s = press(s, "E")
	want := HomeCommand(1234, "")
	if !strings.Contains(s.msg, want) || strings.Contains(s.msg, "1,234") {
		t.Fatalf("a student's E: %q; want it to hold %q", s.msg, want)
	}
	if line := s.statusLine(80); strings.Contains(line, "…") {
		t.Fatalf("E's message is cut at 80 wide:\n%s", line)
	}

	l, err := runner.GetLesson("seed-story")
	if err != nil {
		t.Fatal(err)
	}
	ls := newModel(t, "question", 0)
	ls = sized(New(ls.session, Options{StartPaused: true, Remote: true, Lesson: l}), 80, 24)
	ls = press(ls, "E")
	if !strings.Contains(ls.msg, "--lesson seed-story") || strings.Contains(ls.msg, "--steps") {
		t.Fatalf("a student's E in a lesson: %q", ls.msg)
	}
}

// E's message says the folder first and whole, and E sits beside the file
// w saved, also when w had to take a fresh name.
func TestExportFollowsTheSaveAndNamesTheFolder(t *testing.T) {
	dir := t.TempDir()
	m := sized(newModel(t, "question", 0), 80, 24)
	m.opts.SavePath = filepath.Join(dir, "net.json")
	if err := os.WriteFile(m.opts.SavePath, []byte("someone's net\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m = press(m, "E")
	if _, err := os.Stat(filepath.Join(dir, "net-1-history.csv")); err != nil {
		t.Fatalf("E before w is not beside w's fresh name: %v (message %q)", err, m.msg)
	}
	m = press(m, "w")
	if _, err := os.Stat(filepath.Join(dir, "net-1.json")); err != nil {
		t.Fatalf("w: %v (message %q)", err, m.msg)
	}
	m = press(m, "E")
	if !strings.HasPrefix(m.msg, "exported to "+dir+": net-1-history.csv") {
		t.Fatalf("E's message %q; want the folder first, then the files beside net-1.json", m.msg)
	}
	if line := m.statusLine(80); strings.Contains(line, "…") && len(dir) < 60 {
		t.Fatalf("E's message is cut at 80 wide:\n%s", line)
	}
}

// A follower's w shows the teacher's token and E the headless command of
// the teacher's run, as a student's own session does (README, classroom.md).
func TestFollowerWAndEGiveTheTeachersRun(t *testing.T) {
	teacher, student, hub, _ := classroom(t)
	teacher.session.Run(1234)
	teacher.refresh()
	f, _ := hub.latest()
	next, _ := student.Update(sharedFrameMsg{f})
	student = next.(Model)

	student = press(student, "E")
	if want := HomeCommand(1234, ""); student.msgBad || !strings.Contains(student.msg, want) || !strings.Contains(student.msg, "teacher's run") {
		t.Fatalf("a follower's E: %q; want the teacher's run's command %q", student.msg, want)
	}
	student = press(student, "w")
	view := student.View().Content
	tok := teacher.session.Setup().Token()
	if student.msgBad || student.mode != modeHelp || !strings.Contains(strings.ReplaceAll(strings.ReplaceAll(view, "\n", ""), " ", ""), tok[len(tok)-20:]) {
		t.Fatalf("a follower's w: %q, mode %v; want the help open at the teacher's token\n%s", student.msg, student.mode, view)
	}
	if !student.role.following() {
		t.Fatal("w or E made the follower something else")
	}
}

// A follower of a lesson is not told to press space or L (the teacher's).
func TestFollowerOfALessonIsNotToldTheTeachersKeys(t *testing.T) {
	l, err := runner.GetLesson("seed-story")
	if err != nil {
		t.Fatal(err)
	}
	teacher, student, hub, _ := classroom(t)
	teacher.startLesson(l)
	for i := 0; i < 200 && !teacher.run.Waiting; i++ {
		teacher.stepCap, teacher.running = 1000, true
		teacher.train()
	}
	teacher.refresh()
	f, _ := hub.latest()
	next, _ := student.Update(sharedFrameMsg{f})
	student = press(next.(Model), "?")
	if !student.frame.waiting {
		t.Fatal("the teacher's lesson is not waiting at a caption")
	}
	if c := student.caption(100); strings.Contains(c, "[space]") {
		t.Fatalf("a follower's caption says [space]: %q", c)
	}
	help := strings.Join(student.help.content(&student.frame, student.st), "\n")
	if strings.Contains(help, "L ends it") || !strings.Contains(help, "f gives you a copy") {
		t.Fatalf("a follower's help:\n%s", help)
	}
}

// With names longer than the line (a points run's), E's message still says
// which files it wrote: their kinds first, then the folder and the stem.
func TestExportNamesLongFilesWhole(t *testing.T) {
	dir, err := os.MkdirTemp("", "e") // a short folder, as a teacher's is: t.TempDir's is half the line
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	t.Chdir(dir)
	m := sized(newModel(t, "question", 0), 80, 24)
	base := "lnfit-question-normal-init-domain-0.05-2-xmin-0.05-target-points-step14400"
	m.opts.SavePath = base + ".json"
	m = press(m, "E")
	if _, err := os.Stat(base + "-history.csv"); err != nil {
		t.Fatalf("E: %v (message %q)", err, m.msg)
	}
	line := m.statusLine(80)
	for _, want := range []string{"-history.csv", "-curve.csv", "-plot.svg", base} {
		if !strings.Contains(strings.ReplaceAll(line, "\n", " "), want) {
			t.Errorf("E's message at 80 wide lacks %q:\n%s", want, line)
		}
	}
	if strings.Contains(line, "…") {
		t.Errorf("E's message is cut at 80 wide:\n%s", line)
	}
}
