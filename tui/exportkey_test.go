package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
