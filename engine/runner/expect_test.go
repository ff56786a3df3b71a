package runner

import (
	"os"
	"strings"
	"testing"
)

// docs/lessons.md has one row for every word expect takes, and no other.
func TestLessonDocsListEveryStatus(t *testing.T) {
	b, err := os.ReadFile("../../docs/lessons.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(string(b), "\n") {
		if w, ok := strings.CutPrefix(l, "| `"); ok {
			w, _, _ = strings.Cut(w, "`")
			rows = append(rows, w)
		}
	}
	if strings.Join(rows, ",") != strings.Join(statusNames, ",") {
		t.Fatalf("docs/lessons.md lists %v; expect takes %v", rows, statusNames)
	}
}
