package runner

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"lnfit/engine"
)

// Captions hold live figures, computed when the caption is shown, so a
// lesson never says what the screen contradicts:
//
//	say Collapsed to {mean_pred}: {dead.1} ReLUs of layer 1 are dead.
//	say Lane B: {mse_above_0_01.B} on x ≥ 0.01 at step {step}.
//
// A figure is {name}, {name.L} for a per-layer one (hidden layer L, from 1)
// and either may end in .A–.D for a race's lane (lane A without). {{ writes
// a {. The runner expands a caption once, at the step it is shown; headless
// and the dashboard print the same text. Figures are formatted as the
// dashboard's header formats them (engine.FormatValue, Commas, k/n).

// A figure is one named value a caption or an expectation may quote.
type figure struct {
	layer bool // takes .L: a hidden layer, from 1
	count bool // a count of the layer's units: expect FIGURE=all compares with their number
	text  func(v *laneView, layer int) string
	value func(v *laneView, layer int) float64 // nil: text only (not for expect)
}

// laneView is one lane at the moment a caption is shown, computed once.
type laneView struct {
	t     *engine.Trainer
	snap  *engine.Snapshot
	units *engine.UnitReport // the kinks, taken only for a caption that quotes them
}

func (v *laneView) u() *engine.UnitReport {
	if v.units == nil {
		r := v.t.Units(0)
		v.units = &r
	}
	return v.units
}

// kinksBelow counts the net's distinct kink positions in (0, x].
func (v *laneView) kinksBelow(x float64) int {
	seen := map[float64]bool{}
	for _, ks := range v.u().Kinks {
		for _, k := range ks {
			if k <= x {
				seen[k] = true
			}
		}
	}
	return len(seen)
}

func (v *laneView) s() *engine.Snapshot {
	if v.snap == nil {
		sn := v.t.Snapshot()
		v.snap = &sn
	}
	return v.snap
}

func (v *laneView) m() *engine.Metrics { return &v.s().Metrics }

func (v *laneView) diagnosis() engine.Diagnosis { return engine.Diagnose(*v.s()) }

// predRange is the prediction's min and max on the grid.
func (v *laneView) predRange() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range v.s().Pred {
		lo, hi = math.Min(lo, p), math.Max(hi, p)
	}
	return lo, hi
}

// steepShare is the share of the grid's squared error from x < 0.01.
func (v *laneView) steepShare() float64 {
	sn := v.s()
	var all, steep float64
	for i, p := range sn.Pred {
		d := (p - sn.Target[i]) * (p - sn.Target[i])
		all += d
		if sn.GridX[i] < 0.01 {
			steep += d
		}
	}
	return steep / all
}

// metric is a Metrics field, printed by engine.FormatValue (a nil text).
func metric(get func(m *engine.Metrics) float64) figure {
	return figure{value: func(v *laneView, _ int) float64 { return get(v.m()) }}
}

// perLayer is a count of a hidden layer's units, printed k/n.
func perLayer(get func(m *engine.Metrics, l int) (k, n int)) figure {
	return figure{layer: true, count: true,
		value: func(v *laneView, l int) float64 { k, _ := get(v.m(), l); return float64(k) },
		text:  func(v *laneView, l int) string { k, n := get(v.m(), l); return fmt.Sprintf("%d/%d", k, n) }}
}

// perUnit is a count of a hidden layer's units from the units report, printed k/n.
func perUnit(get func(r *engine.UnitReport, l int) int) figure {
	return figure{layer: true, count: true,
		value: func(v *laneView, l int) float64 { return float64(get(v.u(), l)) },
		text:  func(v *laneView, l int) string { return fmt.Sprintf("%d/%d", get(v.u(), l), len(v.u().Layers[l])) }}
}

// stepOf is a step number with commas, or — for 0 (not yet).
func stepOf(layer bool, get func(v *laneView, l int) int64) figure {
	return figure{layer: layer,
		value: func(v *laneView, l int) float64 { return float64(get(v, l)) },
		text: func(v *laneView, l int) string {
			if n := get(v, l); n > 0 {
				return engine.Commas(n)
			}
			return "—"
		}}
}

// setup is a Config value, printed as the header prints it.
func setup(get func(c *engine.Config) float64, format func(float64) string) figure {
	f := func(v *laneView, _ int) float64 { return get(&v.s().Config) }
	return figure{value: f, text: func(v *laneView, l int) string { return format(f(v, l)) }}
}

func word(get func(v *laneView) string) figure {
	return figure{text: func(v *laneView, _ int) string { return get(v) }}
}

func gFormat(x float64) string      { return strconv.FormatFloat(x, 'g', -1, 64) }
func commasFormat(x float64) string { return engine.Commas(int64(x)) }

// figures is every name a caption or expect may use.
var figures = map[string]figure{
	"step":           {value: func(v *laneView, _ int) float64 { return float64(v.t.Step()) }, text: func(v *laneView, _ int) string { return engine.Commas(v.t.Step()) }},
	"loss":           metric(func(m *engine.Metrics) float64 { return m.Loss }),
	"mse":            metric(func(m *engine.Metrics) float64 { return m.MSE }), // on the (0,1] grid, as the header's "mse (0,1]"
	"mse_above_0_01": metric(func(m *engine.Metrics) float64 { return m.MSEAbove001 }),
	"spread":         metric(func(m *engine.Metrics) float64 { return m.Spread }),
	"mean_pred":      metric(func(m *engine.Metrics) float64 { return m.MeanPred }),
	"grad_norm":      metric(func(m *engine.Metrics) float64 { return m.GradNorm }),
	"mean_off":       {value: func(v *laneView, _ int) float64 { return math.Abs(v.m().MeanPred - v.s().BestConstant) }},
	"steep_share": {value: func(v *laneView, _ int) float64 { return v.steepShare() },
		text: func(v *laneView, _ int) string { return fmt.Sprintf("%.0f%%", 100*v.steepShare()) }},
	// the prediction's range, signed as the untrained verdict writes it: "+61.2"
	"pred_min": {value: func(v *laneView, _ int) float64 { lo, _ := v.predRange(); return lo },
		text: func(v *laneView, _ int) string { lo, _ := v.predRange(); return signedValue(lo) }},
	"pred_max": {value: func(v *laneView, _ int) float64 { _, hi := v.predRange(); return hi },
		text: func(v *laneView, _ int) string { _, hi := v.predRange(); return signedValue(hi) }},
	"dead":          perLayer(func(m *engine.Metrics, l int) (int, int) { return m.Dead[l], m.Units[l] }),
	"alive":         perLayer(func(m *engine.Metrics, l int) (int, int) { return m.Units[l] - m.Dead[l], m.Units[l] }),
	"saturated":     perLayer(func(m *engine.Metrics, l int) (int, int) { return m.Saturated[l], m.Units[l] }),
	"died_at":       stepOf(true, func(v *laneView, l int) int64 { return v.m().DiedAt[l] }),
	"diverged_at":   stepOf(false, func(v *laneView, _ int) int64 { _, at, _ := v.t.Diverged(); return at }),
	"status":        word(func(v *laneView) string { return v.diagnosis().Status.String() }),
	"verdict":       word(func(v *laneView) string { return v.diagnosis().Text }),
	"best_constant": setup(func(c *engine.Config) float64 { return engine.TargetMean(*c) }, engine.FormatValue),
	"lr":            setup(func(c *engine.Config) float64 { return c.LR }, gFormat),
	"batch":         setup(func(c *engine.Config) float64 { return float64(c.Batch) }, commasFormat),
	"init_scale":    setup(func(c *engine.Config) float64 { return c.InitScale }, gFormat),
	"xmin":          setup(func(c *engine.Config) float64 { return c.XMin }, gFormat),
	"dropout":       setup(func(c *engine.Config) float64 { return c.Dropout }, gFormat),
	"seed":          setup(func(c *engine.Config) float64 { return float64(c.Seed) }, gFormat),
	"optimizer":     word(func(v *laneView) string { return v.s().Config.Optimizer }),
	"activation":    word(func(v *laneView) string { return v.s().Config.Activation }),
	"init":          word(func(v *laneView) string { return v.s().Config.Init }),
	"init_desc":     word(func(v *laneView) string { return engine.InitDescription[v.s().Config.Init] }),
}

// The units' figures (issue 21): a layer's units with a kink in (0,1], those
// live on all of it, the net's distinct kinks there and below x = 0.1, and
// the best continuous piecewise-linear fit with as many kinks.
func init() {
	figures["kinks"] = perUnit(func(r *engine.UnitReport, l int) int { return r.InDomain(l) })
	figures["live_all"] = perUnit(func(r *engine.UnitReport, l int) int {
		n := 0
		for _, u := range r.Layers[l] {
			if u.Live == engine.SideBoth {
				n++
			}
		}
		return n
	})
	count := func(get func(v *laneView) int) figure {
		return figure{value: func(v *laneView, _ int) float64 { return float64(get(v)) },
			text: func(v *laneView, _ int) string { return engine.Commas(int64(get(v))) }}
	}
	figures["net_kinks"] = count(func(v *laneView) int { return v.u().NetKinks })
	figures["kinks_below_0_1"] = count(func(v *laneView) int { return v.kinksBelow(0.1) })
	figures["reference_mse"] = figure{value: func(v *laneView, _ int) float64 { return v.u().Reference.MSE }}
}

// signedValue writes a prediction as the verdict and the fit plot's note
// write it (engine.Signed): "+71.7", "−0.42".
func signedValue(x float64) string { return engine.Signed(x) }

// FigureNames lists every figure, sorted, for error messages and docs.
func FigureNames() []string {
	out := make([]string, 0, len(figures))
	for name, f := range figures {
		if f.layer {
			name += ".L"
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// figRef is a parsed {name.L.X}.
type figRef struct {
	name  string
	fig   figure
	layer int // 0-based
	lane  int // 0-based; lane A without a suffix
}

// parseFigure reads "mse", "dead.1" or "mse_above_0_01.B".
func parseFigure(s string) (figRef, error) {
	parts := strings.Split(s, ".")
	ref := figRef{name: parts[0]}
	f, ok := figures[ref.name]
	if !ok {
		return ref, fmt.Errorf("unknown figure %s (want one of %s; a race's lane as .B)",
			engine.QuoteValue(ref.name), strings.Join(FigureNames(), ", "))
	}
	ref.fig, parts = f, parts[1:]
	if f.layer {
		if len(parts) == 0 {
			return ref, fmt.Errorf("%s needs a hidden layer: %s.1, %s.2 …", ref.name, ref.name, ref.name)
		}
		n, err := strconv.Atoi(parts[0])
		if err != nil || n < 1 || n > engine.MaxLayers {
			return ref, fmt.Errorf("%s.%s: want a hidden layer from 1 to %d", ref.name, engine.ShortText(parts[0], 20), engine.MaxLayers)
		}
		ref.layer, parts = n-1, parts[1:]
	}
	if len(parts) > 0 {
		l := parts[0]
		if len(parts) > 1 || len(l) != 1 || l[0] < 'A' || l[0] >= 'A'+engine.MaxLanes {
			return ref, fmt.Errorf("%s: after %s want a lane from A to %c", engine.QuoteValue(s), ref.name, 'A'+engine.MaxLanes-1)
		}
		ref.lane = int(l[0] - 'A')
	}
	return ref, nil
}

// captionPart is literal text, or a figure when ref.name is set.
type captionPart struct {
	text string
	ref  figRef
}

// parseCaption splits a caption into text and figures, refusing unknown ones.
func parseCaption(text string) ([]captionPart, error) {
	var parts []captionPart
	var lit strings.Builder
	for i := 0; i < len(text); i++ {
		switch {
		case strings.HasPrefix(text[i:], "{{"):
			lit.WriteByte('{')
			i++
		case text[i] == '{':
			end := strings.IndexByte(text[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("a { with no } (write {{ for a brace)")
			}
			ref, err := parseFigure(text[i+1 : i+end])
			if err != nil {
				return nil, err
			}
			if lit.Len() > 0 {
				parts = append(parts, captionPart{text: lit.String()})
				lit.Reset()
			}
			parts = append(parts, captionPart{ref: ref})
			i += end
		default:
			lit.WriteByte(text[i])
		}
	}
	if lit.Len() > 0 {
		parts = append(parts, captionPart{text: lit.String()})
	}
	return parts, nil
}

// views reads the session's lanes once per caption.
type views []*laneView

func newViews(s *engine.Session) views {
	out := make(views, len(s.Lanes()))
	for i, t := range s.Lanes() {
		out[i] = &laneView{t: t}
	}
	return out
}

// get evaluates a figure, or says why it cannot be (no such lane or layer now).
func (vs views) get(ref figRef) (*laneView, error) {
	if ref.lane >= len(vs) {
		return nil, fmt.Errorf("%s: there is no lane %c (%d lane(s))", ref.name, 'A'+ref.lane, len(vs))
	}
	v := vs[ref.lane]
	if ref.fig.layer && ref.layer >= len(v.m().Units) {
		return nil, fmt.Errorf("%s.%d: the net has %d hidden layer(s)", ref.name, ref.layer+1, len(v.m().Units))
	}
	return v, nil
}

func (vs views) text(ref figRef) (string, error) {
	v, err := vs.get(ref)
	if err != nil {
		return "", err
	}
	if ref.fig.text == nil {
		return engine.FormatValue(ref.fig.value(v, ref.layer)), nil
	}
	return ref.fig.text(v, ref.layer), nil
}

func (vs views) expand(parts []captionPart) (string, error) {
	var b strings.Builder
	for _, p := range parts {
		if p.ref.name == "" {
			b.WriteString(p.text)
			continue
		}
		t, err := vs.text(p.ref)
		if err != nil {
			return "", err
		}
		b.WriteString(t)
	}
	return b.String(), nil
}

// caption computes what a say command shows now: its text with live
// figures, or, if an expectation is false, one computed line saying what
// happened instead; missed names the expectation ("" when all held).
func (r *Runner) caption(c Command) (text, missed string, err error) {
	vs := newViews(r.Session)
	for _, e := range c.Expects {
		ok, instead, err := vs.holds(e)
		if err != nil {
			return "", "", fmt.Errorf("expect %s: %v", e.Text, err)
		}
		if !ok {
			return fmt.Sprintf("Not what this lesson expected (%s) at step %s: %s.",
				e.Text, engine.Commas(r.Session.Step()), instead), e.Text, nil
		}
	}
	text, err = vs.expand(c.caption)
	return text, "", err
}

// say shows a caption: what exec runs for a say command.
func (r *Runner) say(c Command) error {
	text, missed, err := r.caption(c)
	if err != nil {
		return err
	}
	r.Caption = text
	r.Captions = append(r.Captions, Caption{Step: r.Session.Step(), Text: text, Missed: missed})
	return nil
}
