package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"lnfit/engine"
	"lnfit/tui/export"
)

// exportOptions are the flags that take a run out of lnfit (issue 25):
// data, a figure and a recording.
type exportOptions struct {
	history    string // the loss history: CSV, or JSON for a .json name
	curve      string // x,target,net on the evaluation grid
	curveUnits bool   // … and each hidden unit's output
	curveEvery string // "caption": one more curve at each lesson caption
	plot       string // the figure: .svg or .png
	record     string // the dashboard's output as asciicast v2
}

// registerExportFlags adds the export flags to fs.
func registerExportFlags(fs *flag.FlagSet, e *exportOptions) {
	file := func(p *string, name, usage string, check func(string) error) {
		fs.Func(name, usage, func(v string) error {
			if v == "" {
				return errNoValue
			}
			if check != nil {
				if err := check(v); err != nil {
					return err
				}
			}
			*p = v
			return nil
		})
	}
	file(&e.history, "history", "write the loss history as kept (a row per bucket: steps, mean, min, max batch loss) to FILE: CSV, or JSON if FILE ends in .json", nil)
	file(&e.curve, "curve", "write x,target,net on the 1000-point grid to FILE (CSV; net_A, net_B, … in a race)", nil)
	fs.BoolVar(&e.curveUnits, "curve-units", false, "--curve: add each hidden unit's output (h1_1 … h2_10)")
	file(&e.curveEvery, "curve-every", "headless, with --lesson and --curve NAME.csv: also the curve at each caption, to NAME-01.csv, NAME-02.csv, … (the only value: caption)",
		func(v string) error {
			if v != "caption" {
				return fmt.Errorf("want caption (one curve at each lesson caption)")
			}
			return nil
		})
	file(&e.plot, "plot", "draw the fit and the loss history as a figure for a slide: FILE.svg or FILE.png", func(v string) error {
		_, err := export.PlotFormat(v)
		return err
	})
	file(&e.record, "record", "record the dashboard's screen to FILE as asciicast v2 (asciinema play FILE replays it)", nil)
}

// check refuses export flags that cannot go together or with the run
// asked for, before anything is trained.
func (e exportOptions) check(o *options) error {
	switch {
	case e.curveUnits && e.curve == "":
		return usagef("--curve-units goes with --curve FILE")
	case e.curveEvery != "" && e.curve == "":
		return usagef("--curve-every goes with --curve FILE")
	case e.curveEvery != "" && o.lesson == "":
		return usagef("--curve-every caption goes with --lesson (captions come from a lesson)")
	case e.curveEvery != "" && !o.headless:
		return usagef("--curve-every caption goes with --headless (the dashboard's export key writes the curve it shows)")
	case e.record != "" && o.headless:
		return usagef("--record records the dashboard; --headless has no screen to record")
	}
	given := e.given()
	served := o.serve != "" || o.web != ""
	if served && o.broadcast && len(given) == 1 && given[0] == "record" {
		return nil // the teacher's dashboard is this terminal: it can be recorded
	}
	if len(given) > 0 && (served || o.mapAxes != "") {
		cmd := "--serve"
		if !served {
			cmd = "--map"
		}
		return usagef("--%s goes with a run (headless or the dashboard), not %s", given[0], cmd)
	}
	paths := map[string]string{}
	if o.save != "" {
		paths[filepath.Clean(o.save)] = "save"
	}
	for _, g := range given {
		p := filepath.Clean(e.path(g))
		if other, ok := paths[p]; ok {
			return usagef("--%s and --%s both name %s: give each its own file", other, g, engine.EscapeText(e.path(g)))
		}
		paths[p] = g
	}
	return nil
}

// given lists the file flags set, in a fixed order.
func (e exportOptions) given() []string {
	var out []string
	for _, name := range []string{"history", "curve", "plot", "record"} {
		if e.path(name) != "" {
			out = append(out, name)
		}
	}
	return out
}

func (e exportOptions) path(name string) string {
	switch name {
	case "history":
		return e.history
	case "curve":
		return e.curve
	case "plot":
		return e.plot
	case "record":
		return e.record
	}
	return ""
}

// historyJSON reports whether --history asks for JSON.
func (e exportOptions) historyJSON() bool { return strings.EqualFold(filepath.Ext(e.history), ".json") }
