package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"lnfit/engine"
)

type unitsJSON struct {
	Units      []int       `json:"units"`
	Dead       []int       `json:"dead"`
	Kinks      [][]float64 `json:"kinks"`
	UnitStates []struct {
		Layer     int      `json:"layer"`
		Unit      int      `json:"unit"`
		Kink      *float64 `json:"kink"`
		LiveSide  string   `json:"live_side"`
		Dead      bool     `json:"dead"`
		DiedAt    *int64   `json:"died_at"`
		DiedExact *bool    `json:"died_exact"`
	} `json:"unit_states"`
	Reference struct {
		Kinks int     `json:"kinks"`
		MSE   float64 `json:"mse"`
	} `json:"reference_fit"`
}

func decodeUnits(t *testing.T, args ...string) unitsJSON {
	t.Helper()
	r := runCmd(t, append([]string{"--headless", "--json"}, args...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var u unitsJSON
	if err := json.Unmarshal([]byte(r.stdout), &u); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	return u
}

// The question after one step: every first-layer unit's kink has left (0,1],
// each is dead, and died at step 1; units keeps its meaning.
func TestJSONUnitsOfTheCollapse(t *testing.T) {
	u := decodeUnits(t, "--steps", "1")
	if len(u.Units) != 2 || u.Units[0] != 50 || u.Units[1] != 10 {
		t.Fatalf("units %v: want the units per layer, as before", u.Units)
	}
	if len(u.Kinks) != 2 || len(u.Kinks[0]) != 0 || len(u.Kinks[1]) != 0 {
		t.Fatalf("kinks %v: want two empty lists", u.Kinks)
	}
	if len(u.UnitStates) != 60 {
		t.Fatalf("%d unit states, want 60", len(u.UnitStates))
	}
	for i, s := range u.UnitStates[:50] {
		if s.Layer != 1 || s.Unit != i || !s.Dead || s.LiveSide != "none" || s.DiedAt == nil || *s.DiedAt != 1 || s.DiedExact == nil || !*s.DiedExact || s.Kink == nil {
			t.Fatalf("unit state %d: %+v", i, s)
		}
	}
	if u.Reference.Kinks != 0 || !(u.Reference.MSE > 0.2 && u.Reference.MSE < 0.3) {
		t.Fatalf("reference %+v: want the best line's mse (about 0.245)", u.Reference)
	}
}

// A net with kinks: the lists are ascending, in (0,1], and agree with the
// unit states (a first-layer unit lists its kink iff it lies in (0,1]).
func TestJSONKinksAgreeWithUnitStates(t *testing.T) {
	u := decodeUnits(t, "--preset", "xavier-adam", "--steps", "300")
	if len(u.Kinks[0]) == 0 {
		t.Fatal("no first-layer kink: the test compares nothing")
	}
	in := 0
	dead := 0
	for _, s := range u.UnitStates {
		if s.Layer == 1 && s.Kink != nil && *s.Kink > 0 && *s.Kink < 1 {
			in++
		}
		if s.Dead {
			dead++
			if s.LiveSide == "both" {
				t.Fatalf("dead unit %+v live on all of (0,1]", s)
			}
		}
	}
	if in != len(u.Kinks[0]) {
		t.Fatalf("%d first-layer kinks listed, %d unit states with a kink in (0,1)", len(u.Kinks[0]), in)
	}
	if dead != u.Dead[0]+u.Dead[1] {
		t.Fatalf("%d dead unit states, dead %v", dead, u.Dead)
	}
	for _, k := range u.Kinks {
		for i, x := range k {
			if !(x > 0 && x <= 1) || i > 0 && x < k[i-1] {
				t.Fatalf("kinks %v: want ascending, in (0,1]", k)
			}
		}
	}
	if u.Reference.Kinks != len(u.Kinks[0])+len(u.Kinks[1]) {
		t.Fatalf("reference with %d kinks, the net has %d+%d", u.Reference.Kinks, len(u.Kinks[0]), len(u.Kinks[1]))
	}
}

// The text says what the JSON says: the kink count, layer 1's kinks in
// (0,1] of its units and its dead, and the reference fit's kinks.
func TestTextSummarySaysTheKinks(t *testing.T) {
	args := []string{"--preset", "xavier-adam", "--steps", "300"}
	u := decodeUnits(t, args...)
	r := runCmd(t, append([]string{"--headless"}, args...)...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	total := len(u.Kinks[0]) + len(u.Kinks[1])
	for _, want := range []string{
		fmt.Sprintf("kinks         %d in (0,1] · layer 1: %d of %d units kink there, %d dead", total, len(u.Kinks[0]), u.Units[0], u.Dead[0]),
		fmt.Sprintf("reference     the best %d-kink line reaches mse %s", total, engine.FormatValue(u.Reference.MSE)),
	} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("no %q in\n%s", want, r.stdout)
		}
	}
	r = runCmd(t, "--headless", "--preset", "tanh", "--steps", "3")
	if !strings.Contains(r.stdout, "kinks         none: tanh units are smooth") {
		t.Fatalf("tanh: %s", r.stdout)
	}
}
