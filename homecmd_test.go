package main

import (
	"bytes"
	"strings"
	"testing"

	"lnfit/engine"
	"lnfit/presets"
	"lnfit/tui"
)

// The command a student's E prints parses as printed (the TOKEN put in):
// through the real flag parser, the rules and the start, to the same steps.
func TestHomeCommandParses(t *testing.T) {
	p, err := presets.Get("question")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := engine.New(p.Config)
	if err != nil {
		t.Fatal(err)
	}
	token := engine.NewSession(tr, "question").Setup().Token()
	for _, c := range []struct {
		step   int64
		lesson string
	}{{0, ""}, {514_462, ""}, {engine.MaxStep, ""}, {0, "seed-story"}, {3_000, "seed-story"}} {
		line := tui.HomeCommand(c.step, c.lesson)
		line, _, _ = strings.Cut(line, " (") // the note after the command
		args := strings.Fields(strings.ReplaceAll(line, "TOKEN", token))
		if args[0] != "lnfit" {
			t.Fatalf("%q does not start with lnfit", line)
		}
		o, err := parseFlags(args[1:], &bytes.Buffer{})
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if err := checkRules(o.set); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if _, err := resolveStart(o); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		if c.lesson == "" && o.steps != c.step || c.lesson != "" && o.lesson != c.lesson {
			t.Fatalf("%q parsed to steps %d, lesson %q", line, o.steps, o.lesson)
		}
	}
}

// A flag given no value before the next flag is named as such, not as a
// stray argument; a cut token says to copy every line of it.
func TestFlagMistakesNameTheCause(t *testing.T) {
	for _, args := range [][]string{{"--preset", "--steps", "10"}, {"--preset", "--steps"}, {"--lr", "--headless"}} {
		_, err := parseFlags(args, &bytes.Buffer{})
		if err == nil || !strings.Contains(err.Error(), "took --") {
			t.Errorf("%q: %v; want it to say the flag took the next flag as its value", args, err)
		}
	}
	if _, err := parseFlags([]string{"--headless", "--steps", "10", "--json"}, &bytes.Buffer{}); err != nil {
		t.Fatalf("good flags refused: %v", err)
	}
	tok := engine.Setup{Label: "question", Config: engine.DefaultConfig()}.Token()
	for _, cut := range []string{tok[:len(tok)/2], tok[:len(tok)*2/3]} {
		o, err := parseFlags([]string{"--config", cut}, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := resolveStart(o); err == nil || !strings.Contains(err.Error(), "looks incomplete") {
			t.Errorf("half a token: %v; want it to say the token looks incomplete", err)
		}
	}
}
