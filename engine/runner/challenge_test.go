package runner

import (
	"strings"
	"testing"
)

// A lesson's challenge command parses like --challenge, reaches the
// dashboard as a directive at its place in the script (after the steps
// before it), and marks the lesson as one only a teacher can play.
func TestLessonChallenge(t *testing.T) {
	for _, bad := range []string{"challenge", "challenge mse", "challenge mse<0", "challenge mse<1e-3 max", "challenge mse<1e-3 max 0",
		"challenge mse<1e-3 max 99999999999", "challenge loss<1", "challenge mse<1e-3 min 5", "challenge of"} {
		_, err := ParseLesson("t", bad)
		if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "line 1 (challenge)") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	l, err := ParseLesson("race", "run 7\nchallenge mse<1e-3 max 50000 # the seed's question\nrun 3\nchallenge off")
	if err != nil {
		t.Fatal(err)
	}
	if c := l.Commands[1].Race; c == nil || c.MSE != 1e-3 || c.Max != 50000 || l.Commands[3].Race != nil {
		t.Fatalf("parsed %+v", l.Commands)
	}
	if l.Challenges() != 2 {
		t.Fatalf("the challenge is on line %d, want 2", l.Challenges())
	}
	if err := l.ErrChallengeSolo(); err == nil || !strings.Contains(err.Error(), "lesson race line 2 (challenge)") || !strings.Contains(err.Error(), "--broadcast") {
		t.Fatalf("the refusal: %v", err)
	}
	r := play(t, l, Budget{Steps: 1})
	var at []string
	for _, d := range r.Directives {
		at = append(at, d.Op+" "+d.Arg)
	}
	if got := strings.Join(at, "; "); got != "challenge mse<1e-3 max 50000; challenge off" {
		t.Fatalf("directives %q", got)
	}
	plain, _ := ParseLesson("plain", "run 1")
	if plain.Challenges() != 0 || plain.ErrChallengeSolo() != nil {
		t.Fatal("a lesson without a challenge is refused")
	}
}
