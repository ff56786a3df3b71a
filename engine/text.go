package engine

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text from outside — token labels, lesson titles and captions, file paths,
// flag names — reaches a terminal. A control character there can move the
// cursor, clear the screen or retitle the window, so every such text passes
// through here once: CheckText refuses it where the user typed it (a token,
// a lesson), EscapeText makes it inert where it is only echoed (a path, a
// flag name in an error).

// MaxTextLen caps a caption, title or label, in characters.
const MaxTextLen = 500

// unsafeRune reports C0 and C1 controls (U+009B is an 8-bit CSI), DEL, and
// the bidirectional overrides and isolates that reorder what is shown.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// CheckText refuses text with control characters, invalid UTF-8, or more
// than max characters, saying which and where.
func CheckText(what, s string, max int) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	n := 0
	for i, r := range s {
		if unsafeRune(r) {
			return fmt.Errorf("%s has a control character (%U) at byte %d; only printable text is allowed", what, r, i)
		}
		n++
	}
	if n > max {
		return fmt.Errorf("%s is %d characters long; at most %d", what, n, max)
	}
	return nil
}

// EscapeText writes s with every unsafe character (and invalid byte) as a
// visible escape such as \x1b or \u202e, so echoing it is harmless.
func EscapeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x80 && unsafeRune(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// ShortText escapes s and cuts it to max characters with an ellipsis: for
// errors that quote bad content.
func ShortText(s string, max int) string {
	if len(s) > 4*max {
		s = s[:4*max]
	}
	e := []rune(EscapeText(s))
	if len(e) > max {
		return string(e[:max]) + "…"
	}
	return string(e)
}

// NearMiss is the one choice a mistyped word most likely meant, or "" when
// none is close: the same word in another case or with _ for - ("Question",
// "seed_story"), a word one of whose dash-separated parts is a choice
// ("truncated-normal" → normal), or a choice within a small edit distance
// (a typo, a missing letter, two letters swapped: "answr", "optimiser").
// A tie between two choices suggests neither: one suggestion or none.
func NearMiss(word string, choices []string) string {
	norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }
	w := norm(word)
	if w == "" || len(w) > 100 {
		return ""
	}
	for _, c := range choices {
		if c == word {
			return "" // not a miss
		}
	}
	for _, c := range choices {
		if norm(c) == w {
			return c
		}
	}
	if strings.Contains(w, "-") {
		var found []string
		for _, part := range strings.Split(w, "-") {
			for _, c := range choices {
				if norm(c) == part {
					found = append(found, c)
				}
			}
		}
		if len(found) == 1 {
			return found[0]
		}
	}
	best, bestD, tie := "", 0, false
	for _, c := range choices {
		d := editDistance(w, norm(c))
		// Short words need a closer match: one edit in four letters, at most two.
		if d == 0 || d > min(2, max(1, len([]rune(c))/4)) {
			continue
		}
		switch {
		case best == "" || d < bestD:
			best, bestD, tie = c, d, false
		case d == bestD:
			tie = true
		}
	}
	if tie {
		return ""
	}
	return best
}

// editDistance is the optimal-string-alignment distance: insertions,
// deletions, substitutions and swaps of two neighbours each cost one.
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}
