package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"lnfit/engine"
	"lnfit/engine/runner"
)

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
	MSEAboveOn     string    `json:"mse_above_0_01_on"` // which part of the domain it covers, per target (issue 24)
	Spread         jsonFloat `json:"spread"`
	Dead           []int     `json:"dead"`
	Status         string    `json:"status"`
	Diagnosis      string    `json:"diagnosis"`
	Diverged       bool      `json:"diverged"`
	DivergedAt     *int64    `json:"diverged_at"`
	ReachedUntilAt *int64    `json:"reached_until_at"`
	// GridPoints is how many of the 1000 grid points the grid figures cover:
	// fewer only when a signal cut the summary's evaluation short, and then
	// LeftOut names the figures that need every point.
	GridPoints int      `json:"grid_points"`
	LeftOut    []string `json:"left_out,omitempty"`
}

func resultOf(snap engine.Snapshot, points int, reached int64) result {
	m, d := snap.Metrics, engine.Diagnose(snap)
	r := result{
		Optimizer: snap.Config.Optimizer, LR: snap.Config.LR, Steps: snap.Step,
		Loss: jsonFloat(m.Loss), MSE: jsonFloat(m.MSE), MSEAbove001: jsonFloat(m.MSEAbove001), MSEAboveOn: m.MSEAboveOn,
		Spread: jsonFloat(m.Spread), Dead: m.Dead, Status: d.Status.String(), Diagnosis: d.Text,
		Diverged: snap.Diverged, GridPoints: points,
	}
	if points < engine.GridPoints && d.Status != engine.StatusDiverged && d.Status != engine.StatusUntrained {
		// A sample cannot tell a dead unit from one that fires between its
		// points, and the verdict rests on those counts.
		r.LeftOut = []string{"dead", "verdict", "kinks", "unit_states", "reference_fit"}
		r.Status = "unknown"
		r.Diagnosis = fmt.Sprintf("left out: the grid was evaluated at %d of its %d points before the summary's time (%.1f s after the signal) ran out",
			points, engine.GridPoints, summaryBudget.Seconds())
	} else if points < engine.GridPoints {
		r.LeftOut = []string{"dead", "kinks", "unit_states", "reference_fit"}
	}
	if reached > 0 {
		r.ReachedUntilAt = &reached
	}
	if snap.Diverged {
		at := snap.DivergedAt
		r.DivergedAt = &at
	}
	return r
}

// summary is the headless result; its JSON keys are a contract with scripts.
// The configuration's keys come from the settings table (Config).
type summary struct {
	result
	// kinks, unit_states, reference_fit: units_summary.go
	unitsSummary
	Config      engine.Config `json:"-"`
	Preset      string        `json:"preset"`
	Trained     int64         `json:"steps_trained"` // by this command (steps is the network's own count)
	MeanPred    jsonFloat     `json:"mean_pred"`
	Units       []int         `json:"units"`
	Until       *float64      `json:"until"`
	Interrupted bool          `json:"interrupted"`
	Saved       string        `json:"saved,omitempty"`
	SaveNote    string        `json:"save_note,omitempty"`
	SaveError   string        `json:"save_error,omitempty"`
	ElapsedS    float64       `json:"elapsed_s"`
	StepsPerS   float64       `json:"steps_per_s"`
	Lanes       []result      `json:"lanes,omitempty"`
	Lesson      string        `json:"lesson,omitempty"`
	Captions    []string      `json:"captions,omitempty"`
	// The steps of the moments a dashboard's timeline would keep of this run
	// (--json only: every step to 10, then about 20 a decade, and setup changes).
	SnapshotSteps []int64 `json:"snapshot_steps,omitempty"`
	// Points is the --points file a run trained on (null: a target function).
	Points *pointsFile `json:"points"`
}

// pointsFile names the user's points: the file as given and how many.
type pointsFile struct {
	Path  string `json:"path"`
	Count int    `json:"count"`
}

// MarshalJSON writes the summary's own keys and one key per setting.
func (s summary) MarshalJSON() ([]byte, error) {
	type plain summary // without this method
	raw, err := json.Marshal(plain(s))
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	for _, st := range engine.Settings() {
		v, err := json.Marshal(st.JSONValue(s.Config))
		if err != nil {
			return nil, err
		}
		if _, taken := m[st.JSON]; !taken { // optimizer and lr: lane A's, the same values
			m[st.JSON] = v
		}
	}
	return json.Marshal(m)
}

// summarize reads every lane once. stops (nil: never) gives each lane a
// func that may cut its grid evaluation short: after a signal, a huge
// network's summary then comes at once, with what it could not afford
// left out.
func summarize(s *engine.Session, r *runner.Runner, elapsed time.Duration, stops func(lane int) func() bool) summary {
	lanes := s.Lanes()
	results := make([]result, len(lanes))
	var snap engine.Snapshot
	for i, l := range lanes {
		var stop func() bool
		if stops != nil {
			stop = stops(i)
		}
		sn, points := l.SummarySnapshot(stop)
		results[i] = resultOf(sn, points, r.Reached[i])
		if i == 0 {
			snap = sn
		}
	}
	sum := summary{
		result: results[0], Config: snap.Config, Preset: s.Label(), Trained: r.Taken,
		MeanPred: jsonFloat(snap.Metrics.MeanPred), Units: snap.Metrics.Units, ElapsedS: elapsed.Seconds(),
	}
	if ps := snap.Config.Points; ps != nil {
		sum.Points = &pointsFile{Path: ps.Name, Count: len(ps.X)}
	}
	if sum.GridPoints >= engine.GridPoints { // a summary cut short after a signal cannot afford the units' grid pass
		sum.unitsSummary = unitsOf(lanes[0])
	}
	if len(lanes) > 1 {
		for _, lr := range results {
			sum.Diverged = sum.Diverged || lr.Diverged
			sum.Lanes = append(sum.Lanes, lr)
		}
	}
	if r.Lesson != nil {
		sum.Lesson = r.Lesson.Name
		for _, c := range r.Captions {
			sum.Captions = append(sum.Captions, c.Text)
		}
	}
	if r.Timeline != nil {
		sum.SnapshotSteps = r.Timeline.Steps()
	}
	if elapsed > 0 {
		sum.StepsPerS = float64(r.Taken) / elapsed.Seconds()
	}
	return sum
}

func writeSummary(w io.Writer, s summary, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(s)
	}
	var b strings.Builder
	var cfg []string
	for _, st := range engine.Settings() {
		cfg = append(cfg, st.Name+" "+st.Get(s.Config))
	}
	fmt.Fprintf(&b, "lnfit · preset %s\n", s.Preset)
	fmt.Fprintf(&b, "config        %s\n", strings.Join(cfg, " · "))
	fmt.Fprintf(&b, "steps         %s\n", stepsLine(s))
	if math.IsNaN(float64(s.Loss)) && !s.Diverged {
		fmt.Fprintf(&b, "loss          — (no batch trained since the network was made, loaded or restarted)\n")
	} else {
		fmt.Fprintf(&b, "loss          %s (mean of the last 100 batch losses)\n", engine.FormatValue(float64(s.Loss)))
	}
	if s.GridPoints < engine.GridPoints {
		fmt.Fprintf(&b, "mse           ≈ %s on %d of the %d grid points (an even sample of (0,1]) · ≈ %s on x ≥ 0.01\n",
			engine.FormatValue(float64(s.MSE)), s.GridPoints, engine.GridPoints, engine.FormatValue(float64(s.MSEAbove001)))
		fmt.Fprintf(&b, "prediction    spread ≥ %s · mean ≈ %s (on the same points)\n", engine.FormatValue(float64(s.Spread)), engine.FormatValue(float64(s.MeanPred)))
		fmt.Fprintf(&b, "dead units    left out: counting them needs all %d grid points, and the time after the signal ran out\n", engine.GridPoints)
	} else {
		// The grid spans the target's domain; the second figure's part is per target (issue 24).
		dom := domainText(s.Config)
		switch s.MSEAboveOn {
		case engine.AbovePoints: // one figure: both are on the points
			fmt.Fprintf(&b, "mse           %s on the %s points of %s\n", engine.FormatValue(float64(s.MSE)),
				engine.Commas(int64(s.Points.Count)), engine.EscapeText(s.Points.Path))
		case engine.AboveWhole: // one figure: the grid covers the whole domain
			fmt.Fprintf(&b, "mse           %s on the %s grid (the whole domain)\n", engine.FormatValue(float64(s.MSE)), dom)
		default:
			fmt.Fprintf(&b, "mse           %s on the %s grid · %s %s\n", engine.FormatValue(float64(s.MSE)), dom,
				engine.FormatValue(float64(s.MSEAbove001)), engine.MSEWhere(engine.Metrics{MSEAboveOn: s.MSEAboveOn}))
		}
		fmt.Fprintf(&b, "prediction    spread %s · mean %s\n", engine.FormatValue(float64(s.Spread)), engine.FormatValue(float64(s.MeanPred)))
		parts := make([]string, len(s.Dead))
		for i := range s.Dead {
			parts[i] = fmt.Sprintf("layer %d %d/%d", i+1, s.Dead[i], s.Units[i])
		}
		fmt.Fprintf(&b, "dead units    %s\n", strings.Join(parts, " · "))
	}
	if s.GridPoints >= engine.GridPoints {
		writeUnitsText(&b, s.unitsSummary, strings.ReplaceAll(domainText(s.Config), ", ", ","))
	}
	if s.Until != nil {
		where := engine.MSEWhere(engine.Metrics{MSEAboveOn: s.MSEAboveOn})
		if s.ReachedUntilAt != nil {
			fmt.Fprintf(&b, "until         mse %s < %g at step %s\n", where, *s.Until, engine.Commas(*s.ReachedUntilAt))
		} else {
			fmt.Fprintf(&b, "until         mse %s < %g: not reached\n", where, *s.Until)
		}
	}
	if s.Interrupted {
		fmt.Fprintln(&b, "interrupted   stopped early by a signal; the figures are for the steps done")
	}
	if s.Saved != "" {
		fmt.Fprintf(&b, "saved         %s\n", engine.EscapeText(s.Saved))
	}
	if s.SaveNote != "" {
		fmt.Fprintf(&b, "              %s\n", s.SaveNote)
	}
	if s.SaveError != "" {
		fmt.Fprintf(&b, "not saved     %s\n", engine.EscapeText(s.SaveError))
	}
	fmt.Fprintf(&b, "verdict       %s\n", s.Diagnosis)
	if len(s.Lanes) > 0 {
		fmt.Fprintf(&b, "\nrace: %d lanes from the same weights on the same batches\n", len(s.Lanes))
		for i, l := range s.Lanes {
			until := ""
			if l.ReachedUntilAt != nil {
				until = " · until reached at step " + engine.Commas(*l.ReachedUntilAt)
			}
			approx := "" // a sample of the grid, after a signal
			if l.GridPoints < engine.GridPoints {
				approx = "≈ "
			}
			second := fmt.Sprintf(" · x≥0.01 %s%s", approx, engine.FormatValue(float64(l.MSEAbove001)))
			if l.MSEAboveOn == engine.AbovePoints || l.MSEAboveOn == engine.AboveWhole {
				second = "" // the same figure as the mse for this target
			}
			fmt.Fprintf(&b, "  %c %-9s lr %-8g mse %s%s%s · %s%s\n", 'A'+i, l.Optimizer, l.LR,
				approx, engine.FormatValue(float64(l.MSE)), second, l.Diagnosis, until)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// domainText is the domain as the summary writes it: "(0, 1]", open at A
// as the sampler is; "[A, B]" for points, whose smallest x is a point.
func domainText(c engine.Config) string {
	domain, _ := engine.LookupSetting("domain")
	if c.Points != nil {
		return "[" + strings.Replace(domain.Get(c), ":", ", ", 1) + "]"
	}
	return "(" + strings.Replace(domain.Get(c), ":", ", ", 1) + "]"
}

// stepsLine says what this command trained and where the network is: they
// differ after --load (it starts late) and in a lesson that restarts it.
func stepsLine(s summary) string {
	rate := fmt.Sprintf("in %.2f s (%s steps/s)", s.ElapsedS, engine.Commas(int64(s.StepsPerS)))
	switch {
	case s.Trained == 0:
		return fmt.Sprintf("none trained by this command; the network is at step %s", engine.Commas(s.Steps))
	case s.Trained == s.Steps:
		return fmt.Sprintf("%s %s", engine.Commas(s.Steps), rate)
	case s.Steps < s.Trained:
		return fmt.Sprintf("%s trained %s; the network is at step %s (it was restarted since)", engine.Commas(s.Trained), rate, engine.Commas(s.Steps))
	}
	return fmt.Sprintf("%s trained %s; the network is at step %s", engine.Commas(s.Trained), rate, engine.Commas(s.Steps))
}

// progressBar draws one line on a terminal's stderr.
type progressBar struct {
	w     io.Writer
	total int64
	last  time.Time
}

func (p *progressBar) draw(done int64, el time.Duration, loss float64) {
	if time.Since(p.last) < 100*time.Millisecond || el <= 0 {
		return
	}
	p.last = time.Now()
	const width = 30
	frac := 0.0
	if p.total > 0 {
		frac = min(float64(done)/float64(p.total), 1)
	}
	fill := int(frac * width)
	rate := float64(done) / el.Seconds()
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%% %s/%s steps · %s steps/s · loss %s\x1b[K",
		strings.Repeat("█", fill), strings.Repeat("·", width-fill), 100*frac,
		engine.Commas(done), engine.Commas(p.total), engine.Commas(int64(rate)), engine.FormatValue(loss))
}

func (p *progressBar) clear() { fmt.Fprint(p.w, "\r\x1b[K") }
