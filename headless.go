package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"lnfit/engine"
	"lnfit/presets"
)

// untilCap is the step cap for --until when --steps is not given.
const untilCap = 1_000_000

// checkEvery is how often (in steps) --until looks at mse_above_0_01.
const checkEvery = 1000

// jsonFloat writes NaN and ±Inf as null: JSON has no such numbers, and a
// diverged run must still print a summary a script can decode.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(v)
}

// result is one trained network's figures: the summary's own (lane A's)
// and each race lane's. Embedded, its keys sit at the summary's top level.
type result struct {
	Optimizer      string    `json:"optimizer"`
	LR             float64   `json:"lr"`
	Steps          int64     `json:"steps"`
	Loss           jsonFloat `json:"loss"`
	MSE            jsonFloat `json:"mse"`
	MSEAbove001    jsonFloat `json:"mse_above_0_01"`
	Spread         jsonFloat `json:"spread"`
	Dead           []int     `json:"dead"`
	Status         string    `json:"status"`
	Diagnosis      string    `json:"diagnosis"`
	Diverged       bool      `json:"diverged"`
	DivergedAt     *int64    `json:"diverged_at"`
	ReachedUntilAt *int64    `json:"reached_until_at"`
}

func resultOf(snap engine.Snapshot, reached *int64) result {
	m, d := snap.Metrics, engine.Diagnose(snap)
	r := result{
		Optimizer: snap.Config.Optimizer, LR: snap.Config.LR, Steps: snap.Step,
		Loss: jsonFloat(m.Loss), MSE: jsonFloat(m.MSE), MSEAbove001: jsonFloat(m.MSEAbove001),
		Spread: jsonFloat(m.Spread), Dead: m.Dead, Status: d.Status.String(), Diagnosis: d.Text,
		Diverged: snap.Diverged, ReachedUntilAt: reached,
	}
	if snap.Diverged {
		at := snap.DivergedAt
		r.DivergedAt = &at
	}
	return r
}

// summary is the headless result; its JSON keys are a contract with scripts.
type summary struct {
	result
	Preset      string    `json:"preset"`
	Init        string    `json:"init"`
	Activation  string    `json:"activation"`
	Hidden      []int     `json:"hidden"`
	Batch       int       `json:"batch"`
	XMin        float64   `json:"xmin"`
	Seed        uint64    `json:"seed"`
	Data        string    `json:"data"`
	Dropout     float64   `json:"dropout"`
	MeanPred    jsonFloat `json:"mean_pred"`
	Units       []int     `json:"units"`
	Until       *float64  `json:"until"`
	Interrupted bool      `json:"interrupted"`
	Saved       string    `json:"saved,omitempty"`
	SaveError   string    `json:"save_error,omitempty"`
	ElapsedS    float64   `json:"elapsed_s"`
	StepsPerS   float64   `json:"steps_per_s"`
	Lanes       []result  `json:"lanes,omitempty"`
	Lesson      string    `json:"lesson,omitempty"`
	Captions    []string  `json:"captions,omitempty"`
}

func headless(ctx context.Context, tr *engine.Trainer, o *options, preset string, env environment) int {
	if o.save != "" {
		if err := checkSaveTarget(o.save); err != nil {
			fmt.Fprintf(env.stderr, "lnfit: --save: %v\n", err)
			return exitUsage
		}
	}
	limit := o.steps
	if o.set["until"] && !o.set["steps"] {
		limit = untilCap
	}
	var bar *progressBar // progress only where a person watches
	if env.stderrTTY {
		bar = &progressBar{w: env.stderr, total: limit}
	}
	session := engine.NewSession(tr)
	if len(o.lanes) > 0 {
		_ = session.Race(o.lanes, 0) // names checked by ParseLanes
	}
	var player *presets.Player
	if o.lessonDef != nil {
		player = presets.NewPlayer(o.lessonDef, session, preset)
	}
	var captions []string
	reached := make([]*int64, engine.MaxLanes)

	interrupted := false
	start := time.Now()
	var done int64
	lastDraw := start
	for player != nil {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		if err := player.Advance(); err != nil {
			fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
			return exitFailure
		}
		if player.Waiting { // nobody to wait for: show the caption and go on
			captions = append(captions, player.Caption)
			if !o.json {
				fmt.Fprintf(env.stdout, "› step %s: %s\n", engine.Commas(session.Main().Step()), player.Caption)
			}
			player.Continue()
			continue
		}
		if player.Done {
			break
		}
		n := min(player.Remaining(), 100)
		session.Run(int(n))
		done += n
		player.Check()
	}
	if player != nil {
		preset = player.Label
		if player.Caption != "" && (len(captions) == 0 || captions[len(captions)-1] != player.Caption) {
			captions = append(captions, player.Caption)
			if !o.json {
				fmt.Fprintf(env.stdout, "› step %s: %s\n", engine.Commas(session.Main().Step()), player.Caption)
			}
		}
		limit = 0 // the lesson decided how long to train
	}
	lanes := session.Lanes
	for done < limit {
		if ctx.Err() != nil {
			interrupted = true
			break
		}
		// Sub-chunks keep Ctrl-C prompt even at huge batch sizes; --until
		// looks at the grid on every multiple of checkEvery. Lanes move in
		// lockstep; a diverged lane stops, the others go on.
		n := min(limit-done, checkEvery-done%checkEvery, 100)
		alive := 0
		for _, l := range lanes {
			if int64(l.Run(int(n))) == n {
				alive++
			}
		}
		done += n
		if alive == 0 {
			break
		}
		if o.set["until"] && done%checkEvery == 0 {
			all := true
			for i, l := range lanes {
				if reached[i] == nil {
					if d, _, _ := l.Diverged(); !d && l.Metrics().MSEAbove001 < o.until {
						at := l.Step()
						reached[i] = &at
					}
				}
				if reached[i] == nil {
					all = false
				}
			}
			if all {
				break
			}
		}
		if bar != nil && time.Since(lastDraw) > 100*time.Millisecond {
			lastDraw = time.Now()
			bar.draw(done, time.Since(start), lanes[0].Metrics().LastLoss)
		}
	}
	elapsed := time.Since(start)
	if bar != nil {
		bar.clear()
	}

	snap := lanes[0].Snapshot()
	cfg := snap.Config
	s := summary{
		result: resultOf(snap, reached[0]),
		Preset: preset, Init: cfg.Init, Activation: cfg.Activation, Hidden: cfg.Hidden, Batch: cfg.Batch,
		XMin: cfg.XMin, Seed: cfg.Seed, Data: cfg.Data, Dropout: cfg.Dropout,
		MeanPred: jsonFloat(snap.Metrics.MeanPred), Units: snap.Metrics.Units,
		Interrupted: interrupted, ElapsedS: elapsed.Seconds(),
	}
	if len(lanes) > 1 {
		for i, l := range lanes {
			r := resultOf(l.Snapshot(), reached[i])
			s.Diverged = s.Diverged || r.Diverged
			s.Lanes = append(s.Lanes, r)
		}
	}
	if o.set["until"] {
		u := o.until
		s.Until = &u
	}
	if player != nil {
		s.Lesson, s.Captions = player.Lesson.Name, captions
	}
	if elapsed > 0 {
		s.StepsPerS = float64(done) / elapsed.Seconds()
	}
	if o.save != "" {
		if err := lanes[0].SaveFile(o.save); err != nil {
			s.SaveError = err.Error()
			fmt.Fprintf(env.stderr, "lnfit: --save %s: %v\n", o.save, err)
		} else {
			s.Saved = o.save
		}
	}
	if o.json {
		enc := json.NewEncoder(env.stdout)
		if err := enc.Encode(s); err != nil {
			fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
			return exitFailure
		}
	} else {
		writeSummary(env.stdout, s)
	}
	switch {
	case s.Diverged:
		return exitDiverged
	case s.SaveError != "":
		return exitFailure
	}
	return exitOK
}

// checkSaveTarget refuses to overwrite a file that is not an lnfit network:
// --save FILE may replace an earlier save, never somebody's other data.
func checkSaveTarget(path string) error {
	fi, err := os.Stat(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return fmt.Errorf("%s is a directory", path)
	}
	if _, _, err := engine.LoadFile(path); err != nil {
		return fmt.Errorf("%s exists and is not an lnfit network (%v); not overwriting it", path, err)
	}
	return nil
}

func writeSummary(w io.Writer, s summary) {
	fmt.Fprintf(w, "lnfit · preset %s · %s lr %g · init %s · %s · hidden %s · batch %d · seed %d · data %s\n",
		s.Preset, s.Optimizer, s.LR, s.Init, s.Activation, engine.HiddenString(s.Hidden), s.Batch, s.Seed, s.Data)
	if s.XMin != 0 || s.Dropout != 0 {
		fmt.Fprintf(w, "              xmin %g · dropout %g\n", s.XMin, s.Dropout)
	}
	fmt.Fprintf(w, "steps         %s in %.2f s (%s steps/s)\n", engine.Commas(s.Steps), s.ElapsedS, engine.Commas(int64(s.StepsPerS)))
	fmt.Fprintf(w, "loss          %s (mean of the last 100 batch losses)\n", engine.FormatValue(float64(s.Loss)))
	fmt.Fprintf(w, "mse           %s on the (0,1] grid · %s on x ≥ 0.01\n", engine.FormatValue(float64(s.MSE)), engine.FormatValue(float64(s.MSEAbove001)))
	fmt.Fprintf(w, "prediction    spread %s · mean %s\n", engine.FormatValue(float64(s.Spread)), engine.FormatValue(float64(s.MeanPred)))
	parts := make([]string, len(s.Dead))
	for i := range s.Dead {
		parts[i] = fmt.Sprintf("layer %d %d/%d", i+1, s.Dead[i], s.Units[i])
	}
	fmt.Fprintf(w, "dead units    %s\n", strings.Join(parts, " · "))
	if s.Until != nil {
		if s.ReachedUntilAt != nil {
			fmt.Fprintf(w, "until         mse on x ≥ 0.01 < %g at step %s\n", *s.Until, engine.Commas(*s.ReachedUntilAt))
		} else {
			fmt.Fprintf(w, "until         mse on x ≥ 0.01 < %g: not reached\n", *s.Until)
		}
	}
	if s.Interrupted {
		fmt.Fprintln(w, "interrupted   stopped early by a signal; the figures are for the steps done")
	}
	if s.Saved != "" {
		fmt.Fprintf(w, "saved         %s\n", s.Saved)
	}
	if s.SaveError != "" {
		fmt.Fprintf(w, "not saved     %s\n", s.SaveError)
	}
	fmt.Fprintf(w, "verdict       %s\n", s.Diagnosis)
	if len(s.Lanes) > 0 {
		fmt.Fprintf(w, "\nrace: %d lanes from the same weights on the same batches\n", len(s.Lanes))
		for i, l := range s.Lanes {
			until := ""
			if l.ReachedUntilAt != nil {
				until = " · until reached at step " + engine.Commas(*l.ReachedUntilAt)
			}
			fmt.Fprintf(w, "  %c %-9s lr %-8g mse %s · x≥0.01 %s · %s%s\n", 'A'+i, l.Optimizer, l.LR,
				engine.FormatValue(float64(l.MSE)), engine.FormatValue(float64(l.MSEAbove001)), l.Diagnosis, until)
		}
	}
}

// progressBar draws one line on a terminal's stderr.
type progressBar struct {
	w     io.Writer
	total int64
}

func (p *progressBar) draw(done int64, el time.Duration, loss float64) {
	const width = 30
	frac := 0.0
	if p.total > 0 {
		frac = float64(done) / float64(p.total)
	}
	fill := int(frac * width)
	rate := float64(done) / el.Seconds()
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%% %s/%s steps · %s steps/s · loss %s\x1b[K",
		strings.Repeat("█", fill), strings.Repeat("·", width-fill), 100*frac,
		engine.Commas(done), engine.Commas(p.total), engine.Commas(int64(rate)), engine.FormatValue(loss))
}

func (p *progressBar) clear() { fmt.Fprint(p.w, "\r\x1b[K") }
