package main

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lnfit/engine"
	"lnfit/engine/runner"
)

// Every rule of the table is enforced through the command, with its own
// message: a rule shadowed by another, or one a command skips, fails here.
func TestEveryRuleIsEnforced(t *testing.T) {
	tok := engine.Setup{Label: "x", Config: engine.DefaultConfig()}.Token()
	sample := map[string][]string{
		"config": {"--config", tok}, "load": {"--load", "net.json"}, "preset": {"--preset", "answer"},
		"json": {"--json"}, "until": {"--until", "1e-3"}, "steps": {"--steps", "5"}, "headless": {"--headless"},
		"broadcast": {"--broadcast"}, "max-sessions": {"--max-sessions", "3"}, "idle-timeout": {"--idle-timeout", "5m"},
		"max-session": {"--max-session", "1h"}, "class-code": {"--class-code", "x"}, "authorized-keys": {"--authorized-keys", "k"},
		"host-key": {"--host-key", "h"}, "serve": {"--serve", ":0"}, "web": {"--web", ":0"}, "seeds": {"--seeds", "2"},
		"map": {"--map", "lr=1e-3:1e-2:2,batch=1:50:2"}, "lesson": {"--lesson", "activations"},
		"compare": {"--compare", "sgd,adam"}, "save": {"--save", "x.json"}, "classroom": {"--classroom"},
		"challenge": {"--challenge", "mse<1e-3"}, "init": {"--init", "normal"}, "init-scale": {"--init-scale", "2"},
	}
	with := func(args []string, flags ...string) []string {
		for _, f := range flags {
			a, ok := sample[f]
			if !ok {
				t.Fatalf("no sample for --%s: add one", f)
			}
			args = append(args, a...)
		}
		return args
	}
	needsOf := func(f string) []string { // what f needs, so that only the rule under test is broken
		for _, r := range rules {
			if r.flag == f && len(r.needs) > 0 {
				return r.needs[:1]
			}
		}
		return nil
	}
	checked := 0
	for _, r := range rules {
		var cases [][]string
		var wants []string
		if len(r.needs) > 0 {
			cases, wants = append(cases, with(nil, r.flag)), append(wants, r.broken(r.needs[0]).Error())
		}
		for _, x := range r.excludes {
			args := with(nil, append(append([]string{r.flag, x}, needsOf(r.flag)...), needsOf(x)...)...)
			cases, wants = append(cases, args), append(wants, r.broken(x).Error())
		}
		for i, args := range cases {
			res := runCmd(t, args...)
			if res.code != exitUsage || res.stderr != "lnfit: "+wants[i]+"\n" {
				t.Errorf("%q: exit %d, stderr %q; want 2 and %q", args, res.code, res.stderr, wants[i])
			}
			checked++
		}
	}
	if checked < len(rules) {
		t.Fatalf("only %d cases for %d rules", checked, len(rules))
	}
	// A flag with what it needs passes its rule.
	if err := checkRules(map[string]bool{"json": true, "headless": true, "seeds": true, "map": true}); err != nil {
		t.Fatalf("--json --headless --seeds --map: %v", err)
	}
}

// Errors become exit statuses in one place: usage 2, failure 1, diverged 3.
func TestReportMapsErrorsToStatuses(t *testing.T) {
	for _, c := range []struct {
		err    error
		code   int
		stderr string
	}{
		{nil, exitOK, ""},
		{flag.ErrHelp, exitOK, ""},
		{usagef("--lr 0: want a number"), exitUsage, "lnfit: --lr 0: want a number\n"},
		{errors.New("disk full"), exitFailure, "lnfit: disk full\n"},
		{divergedError{}, exitDiverged, ""}, // the summary said it
		{divergedError{also: errors.New("--save x: disk full")}, exitDiverged, "lnfit: --save x: disk full\n"},
		{reportedError{exitFailure}, exitFailure, ""}, // serve printed its own
	} {
		var b bytes.Buffer
		if code := report(&b, c.err); code != c.code || b.String() != c.stderr {
			t.Errorf("report(%v) = %d, %q; want %d, %q", c.err, code, b.String(), c.code, c.stderr)
		}
	}
}

func TestStepsAsAnExponent(t *testing.T) {
	r := runCmd(t, "--headless", "--json", "--steps", "2e2")
	if m := decodeSummary(t, r.stdout); r.code != 0 || m["steps"] != 200.0 || m["steps_trained"] != 200.0 {
		t.Fatalf("exit %d, summary %v", r.code, m)
	}
}

// The text summary says what this command trained, where the network is,
// and a dash where there is no loss yet; JSON keeps null.
func TestHeadlessFiguresSayWhatWasMeasured(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "net.json")
	if r := runCmd(t, "--headless", "--steps", "300", "--save", path); r.code != 0 {
		t.Fatalf("save: exit %d %s", r.code, r.stderr)
	}
	r := runCmd(t, "--headless", "--load", path, "--steps", "0")
	if r.code != 0 || !strings.Contains(r.stdout, "steps         none trained by this command; the network is at step 300\n") ||
		!strings.Contains(r.stdout, "loss          — (") || strings.Contains(r.stdout, "NaN") {
		t.Fatalf("--load --steps 0: exit %d\n%s", r.code, r.stdout)
	}
	m := decodeSummary(t, runCmd(t, "--headless", "--json", "--load", path, "--steps", "0").stdout)
	if m["loss"] != nil || m["steps"] != 300.0 || m["steps_trained"] != 0.0 {
		t.Fatalf("JSON: %v", m)
	}
	r = runCmd(t, "--headless", "--load", path, "--steps", "10")
	if !strings.Contains(r.stdout, "steps         10 trained in ") || !strings.Contains(r.stdout, "; the network is at step 310\n") {
		t.Fatalf("--load --steps 10:\n%s", r.stdout)
	}
	lesson := filepath.Join(dir, "restart.lesson")
	os.WriteFile(lesson, []byte("run 30\npreset question\n"), 0o644)
	r = runCmd(t, "--headless", "--lesson", lesson)
	if !strings.Contains(r.stdout, "steps         30 trained in ") || !strings.Contains(r.stdout, "the network is at step 0 (it was restarted since)") ||
		!strings.Contains(r.stdout, "loss          — (") {
		t.Fatalf("a lesson that restarts:\n%s", r.stdout)
	}
	r = runCmd(t, "--headless", "--steps", "30")
	if !strings.Contains(r.stdout, "steps         30 in ") || strings.Contains(r.stdout, "trained") {
		t.Fatalf("a plain run keeps its line:\n%s", r.stdout)
	}
}

// A summary whose grid evaluation is cut short (after a signal, on a huge
// net) says which figures it covers and which it left out.
func TestSummaryCutShortSaysWhatIsLeftOut(t *testing.T) {
	cfg := engine.DefaultConfig()
	cfg.Hidden = []int{20, 5}
	tr, err := engine.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := engine.NewSession(tr, "question")
	r := runner.New(s, nil)
	r.Steps = 20
	for !r.Done {
		r.Advance(runner.Budget{Steps: 100})
	}
	asked := 0
	sum := summarize(s, r, 0, func(int) func() bool { return func() bool { asked++; return asked > 1 } })
	if sum.GridPoints != 16 || sum.Dead != nil || len(sum.LeftOut) != 5 || sum.Kinks != nil || sum.Status != "unknown" {
		t.Fatalf("cut short: points %d dead %v left out %v status %s", sum.GridPoints, sum.Dead, sum.LeftOut, sum.Status)
	}
	var b bytes.Buffer
	writeSummary(&b, sum, false)
	for _, want := range []string{"on 16 of the 1000 grid points", "dead units    left out", "verdict       left out"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	writeSummary(&b, sum, true)
	m := decodeSummary(t, b.String())
	if m["grid_points"] != 16.0 || m["dead"] != nil || len(m["left_out"].([]any)) != 5 {
		t.Fatalf("JSON cut short: %v", m)
	}
	// In a race each lane has its own stop: lane A whole, lane B cut after two parts.
	if err := s.Race([]engine.Lane{{Optimizer: "sgd", LR: 0.01}, {Optimizer: "adam", LR: 1e-3}}, 0); err != nil {
		t.Fatal(err)
	}
	race := summarize(s, r, 0, func(lane int) func() bool {
		parts := 0
		return func() bool { parts++; return lane == 1 && parts > 2 }
	})
	if race.Lanes[0].GridPoints != engine.GridPoints || race.Lanes[1].GridPoints != 24 || race.GridPoints != engine.GridPoints {
		t.Fatalf("race: lane points %d, %d", race.Lanes[0].GridPoints, race.Lanes[1].GridPoints)
	}
	s.EndRace(0)
	whole := summarize(s, r, 0, nil)
	if whole.GridPoints != engine.GridPoints || whole.LeftOut != nil || len(whole.Dead) != 2 || whole.MSE != jsonFloat(tr.Metrics().MSE) {
		t.Fatalf("whole: %+v", whole.result)
	}
}
