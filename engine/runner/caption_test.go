package runner

import (
	"fmt"
	"strings"
	"testing"

	"lnfit/engine"
)

// stepTo plays a lesson headless until it waits or ends.
func stepTo(t *testing.T, text string) *Runner {
	t.Helper()
	l, err := ParseLesson("t", text)
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := engine.New(engine.DefaultConfig())
	r := New(engine.NewSession(tr, "question"), l)
	r.Advance(Budget{})
	return r
}

// Figures are the run's numbers at the caption's step, per lane and per
// layer, formatted as the header formats them.
func TestCaptionFiguresAreTheRunsNumbers(t *testing.T) {
	r := stepTo(t, "preset question-normal-init\nrace sgd:0.01,adam:0.001\nrun 300\n"+
		"say {step}|{mse_above_0_01}|{mse_above_0_01.B}|{mse.B}|{dead.1.B}|{dead.2}|{lr.B}|{optimizer.B}|{batch}|{{literal}|{init_desc}\nwait")
	s := r.Session
	a, b := s.Lanes()[0].Metrics(), s.Lanes()[1].Metrics()
	want := fmt.Sprintf("300|%s|%s|%s|%d/%d|%d/%d|0.001|adam|50|{literal}|%s",
		engine.FormatValue(a.MSEAbove001), engine.FormatValue(b.MSEAbove001), engine.FormatValue(b.MSE),
		b.Dead[0], b.Units[0], a.Dead[1], a.Units[1], engine.InitDescription[engine.InitNormal])
	if !r.Waiting || r.Caption != want {
		t.Fatalf("caption\n %q, want\n %q", r.Caption, want)
	}
	if a.MSEAbove001 == b.MSEAbove001 {
		t.Fatal("the lanes did not differ: the test shows nothing")
	}
	if got := r.Captions[0]; got.Text != want || got.Step != 300 || got.Missed != "" {
		t.Fatalf("recorded %+v", got)
	}
}

// A false expectation replaces the caption with one computed line saying
// what happened, and the lesson goes on; a true one lets the caption show.
func TestExpectationsGuardCaptions(t *testing.T) {
	r := stepTo(t, "preset question\nrun 1\nexpect converged\nsay It converged.\nexpect collapsed\nexpect dead.1=all\nexpect step>=1\nsay Collapsed at {step}.\nwait")
	if len(r.Captions) != 2 || !r.Waiting {
		t.Fatalf("captions %+v", r.Captions)
	}
	missed := r.Captions[0]
	if missed.Missed != "converged" || strings.Contains(missed.Text, "It converged") ||
		!strings.Contains(missed.Text, "at step 1") || !strings.Contains(missed.Text, "collapsed") || strings.Contains(missed.Text, "\n") {
		t.Fatalf("missed expectation: %+v", missed)
	}
	if held := r.Captions[1]; held.Missed != "" || held.Text != "Collapsed at 1." {
		t.Fatalf("held expectation: %+v", held)
	}
	// A comparison that fails names the figure's value.
	r = stepTo(t, "preset question\nrun 1\nexpect mse_above_0_01<0.01\nsay Fitted.\nwait")
	if c := r.Captions[0]; c.Missed != "mse_above_0_01<0.01" || !strings.Contains(c.Text, "mse_above_0_01 is "+engine.FormatValue(r.Session.Main().Metrics().MSEAbove001)) {
		t.Fatalf("%+v", c)
	}
	// A lane's status, and not.
	r = stepTo(t, "preset divergent\nrace sgd,adam:0.0001\nrun 300\nexpect diverged\nexpect not diverged.B\nsay A diverged at {diverged_at}, B did not ({diverged_at.B}).\nwait")
	if c := r.Captions[0]; c.Missed != "" || !strings.HasSuffix(c.Text, "B did not (—).") {
		t.Fatalf("%+v", c)
	}
}

// A figure of a lane or layer the run does not have stops the lesson with
// the line, as a set of a missing lane does.
func TestMissingLaneIsALessonError(t *testing.T) {
	r := stepTo(t, "preset question\nsay B is at {mse.B}\nwait")
	if !r.Done || r.Err == nil || !strings.Contains(r.Err.Error(), "line 2") || !strings.Contains(r.Err.Error(), "no lane B") {
		t.Fatalf("err %v", r.Err)
	}
	r = stepTo(t, "preset question\nset hidden 20\nsay {dead.2}\nwait")
	if r.Err == nil || !strings.Contains(r.Err.Error(), "1 hidden layer") {
		t.Fatalf("err %v", r.Err)
	}
}

func TestMalformedCaptionsAndExpectsAreRejected(t *testing.T) {
	cases := map[string]string{
		"say ok\nsay {nope}":                      "line 2 (say): unknown figure nope",
		"say {dead}":                              "dead needs a hidden layer",
		"say {dead.0}":                            "want a hidden layer from 1",
		"say {mse.E}":                             "want a lane from A to D",
		"say {mse.B.C}":                           "want a lane from A to D",
		"say {step":                               "a { with no }",
		"expect":                                  "needs a condition",
		"expect soon\nsay x":                      "unknown condition soon",
		"expect spread<x\nsay x":                  "want a number after <",
		"expect mse<0.01\nsay x":                  "here write mse_above_0_01<",
		"expect mse_above_0_01<x\nsay x":          "want a number after <",
		"expect optimizer=1\nsay x":               "a word, not a number",
		"expect died_at.1=all\nsay x":             "want a number after =",
		"expect spread=all\nsay x":                "want a number after =",
		"expect bogus<1\nsay x":                   "unknown figure bogus",
		"expect collapsed.Q\nsay x":               "want a lane from A to D",
		"expect collapsed\nrun 1\nsay x":          "line 2 (run): the expect on line 1 must come just before the say",
		"say x\nexpect collapsed":                 "line 2 (expect): no say follows it",
		"expect collapsed\nexpect learning\nwait": "line 3 (wait): the expect on line 1",
	}
	for text, want := range cases {
		_, err := ParseLesson("t", text)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", text, err, want)
		}
	}
	l, err := ParseLesson("t", "expect collapsed # a comment\nexpect dead.1>=50\nexpect mse_above_0_01<=1e-3\nsay {{not a figure} # kept")
	if err != nil || len(l.Commands) != 1 || len(l.Commands[0].Expects) != 3 || l.Commands[0].Expects[1].op != ">=" {
		t.Fatalf("%+v %v", l, err)
	}
}

// Every verdict's status is an expect word: a lesson can assert any state
// the verdict engine can report, diverging (finite, but the loss growing
// step after step) included.
func TestEveryStatusIsAnExpectWord(t *testing.T) {
	n := 0
	for s := engine.StatusUntrained; s.String() != "unknown"; s++ {
		for _, cond := range []string{s.String(), "not " + s.String(), s.String() + ".B"} {
			if e, err := parseCondition(cond); err != nil || e.Status != s.String() {
				t.Errorf("expect %s: %+v, %v", cond, e, err)
			}
		}
		n++
	}
	if n < 7 { // untrained … diverging: the loop must have walked them
		t.Fatalf("walked %d statuses", n)
	}
	_, err := parseCondition("soon")
	if err == nil || !strings.Contains(err.Error(), "diverging") {
		t.Fatalf("the unknown-condition error does not list diverging: %v", err)
	}
	// lr 5 from the normal init: the loss grows ×80 a step, finite until step 162.
	r := stepTo(t, "preset divergent\nrun 12\nexpect diverging\nexpect not diverged\nsay {status} at {step}: {verdict}\nwait")
	c := r.Captions[0]
	if c.Missed != "" || !strings.HasPrefix(c.Text, "diverging at 12: diverging: the loss grew ×") {
		t.Fatalf("%+v", c)
	}
	r = stepTo(t, "preset question\nrun 1\nexpect diverging\nsay Diverging.\nwait")
	if c := r.Captions[0]; c.Missed != "diverging" || !strings.Contains(c.Text, "collapsed") {
		t.Fatalf("a collapsed run met expect diverging: %+v", c)
	}
}
