package tui

import (
	"strings"
	"testing"
)

// A short caption's pages never end on a page of a lone word and the mark
// ("[space]", "x. [space]"): the line before it goes along (F-L2, F-C3).
// Captions of every length from 1 to 60 words are tried at 60 wide, so the
// lone last line is met (the test fails if it never is).
func TestCaptionPagesNeverEndOnALoneWord(t *testing.T) {
	m := newModel(t, "question", 0)
	m.frame.lesson, m.frame.waiting = true, true
	mark := captionMark(m.frame.role)
	met := 0
	var words []string
	for n := 1; n <= 60; n++ {
		words = append(words, []string{"ln", "x.", "bends", "most", "where", "the", "kinks"}[n%7])
		m.frame.caption = strings.Join(words, " ")
		if lines := wrapWords(m.frame.caption+" "+mark, 60-3, 1<<20); len(lines)%2 == 1 && len(lines) >= 3 && loneLine(lines[len(lines)-1], mark) {
			met++
		}
		pages := m.captionPages(60)
		var read []string
		for i, p := range pages {
			text := strings.TrimSuffix(strings.Join(p, " "), " …")
			if i == len(pages)-1 && len(pages) > 1 && loneLine(text, mark) {
				t.Fatalf("%d words: the last page is only %q", n, text)
			}
			if len(p) > 2 {
				t.Fatalf("%d words: page %d has %d lines", n, i+1, len(p))
			}
			read = append(read, strings.Fields(text)...)
		}
		if got, want := strings.Join(read, " "), m.frame.caption+" "+mark; got != want {
			t.Fatalf("%d words: the pages read %q, want %q", n, got, want)
		}
	}
	if met == 0 {
		t.Fatal("no caption length left a lone last line: the test checks nothing")
	}
}
