package export

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"lnfit/engine"
)

// A figure for a 16:9 slide: 12 × 6.75 inches (a PNG at 144 dpi is
// 1728 × 972 pixels), with type large enough to read from the back.
const (
	plotW, plotH = 12 * vg.Inch, 6.75 * vg.Inch
	plotDPI      = 144
	fitClip      = 50 // |net(x)| beyond this is drawn at the edge, and the legend says so
)

// svgMark is the comment an lnfit SVG carries after its XML declaration.
const svgMark = "<!-- lnfit plot -->"

// laneColors are distinct on a projector and in grey print.
var laneColors = []color.Color{
	color.RGBA{0x1f, 0x6f, 0xd0, 0xff}, // blue
	color.RGBA{0xd9, 0x5f, 0x02, 0xff}, // orange
	color.RGBA{0x1b, 0x9e, 0x77, 0xff}, // green
	color.RGBA{0x9b, 0x30, 0x9b, 0xff}, // purple
}

// PlotFormat is "svg" or "png", from the file name's extension.
func PlotFormat(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".svg":
		return "svg", nil
	case ".png":
		return "png", nil
	}
	return "", fmt.Errorf("want a name ending in .svg or .png")
}

// WritePlot draws the run's fit and loss history side by side.
func WritePlot(w io.Writer, r Run, format string) error {
	if len(r.Lanes) == 0 {
		return fmt.Errorf("no lanes to plot")
	}
	fit, loss := fitPlot(r), lossPlot(r)
	var c vg.CanvasWriterTo
	switch format {
	case "svg":
		c = vgsvg.New(plotW, plotH)
	case "png":
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(plotW, plotH), vgimg.UseDPI(plotDPI))}
	default:
		return fmt.Errorf("unknown plot format %q (svg or png)", format)
	}
	dc := draw.New(c)
	dc.SetColor(color.White) // a white page, not a transparent or black one
	dc.Fill(dc.Rectangle.Path())
	title := fit.Title.TextStyle
	title.Font.Size = 20
	dc.FillText(title, vg.Point{X: plotW / 2, Y: plotH - 10}, r.title(func(t string) bool { return title.Width(t) < plotW-20 }))
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadTop: 44, PadBottom: 10, PadLeft: 10, PadRight: 18, PadX: 28}
	canvases := plot.Align([][]*plot.Plot{{fit, loss}}, tiles, dc)
	fit.Draw(canvases[0][0])
	loss.Draw(canvases[0][1])
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return err
	}
	out := buf.Bytes()
	if format == "svg" {
		out = markSVG(out)
	} else {
		out = markPNG(out)
	}
	_, err := w.Write(out)
	return err
}

// title names the run; what does not fit the page's width (fits) is left
// out: first the configuration, then the end of the label.
func (r Run) title(fits func(string) bool) string {
	s := r.Lanes[0].Snap
	step := " · step " + engine.Commas(s.Step)
	tail := ""
	if !r.Racing() {
		tail = fmt.Sprintf(" · %s lr %g · init %s · %s", s.Config.Optimizer, s.Config.LR, s.Config.Init, s.Config.Activation)
	}
	diverged := ""
	if s.Diverged {
		diverged = " · diverged at step " + engine.Commas(s.DivergedAt)
	}
	if !fits("lnfit · " + r.Label + step + tail + diverged) {
		tail = ""
	}
	label := r.Label
	for n := len([]rune(label)) - 1; !fits("lnfit · "+label+step+tail+diverged) && n > 8; n-- {
		label = engine.ShortText(r.Label, n)
	}
	return "lnfit · " + label + step + tail + diverged
}

// laneName is the legend's name for a lane's curve.
func (r Run) laneName(l Lane) string {
	if !r.Racing() {
		return "net(x)"
	}
	return fmt.Sprintf("%s: %s lr %g", l.Name, l.Snap.Config.Optimizer, l.Snap.Config.LR)
}

// sans is the figure's typeface: Liberation Sans, which gonum embeds.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.TextStyle.Font = font.From(sans, 16)
	p.Title.Text = title
	p.Title.Padding = 8
	p.X.Label.Text, p.Y.Label.Text = x, y
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, 14)
		a.Tick.Label.Font = font.From(sans, 12)
	}
	p.Legend.TextStyle.Font = font.From(sans, 13)
	p.Add(plotter.NewGrid())
	return p
}

// fitPlot is the target (the user's points as dots) and each lane's
// net(x) on the grid, with the kinks, over the run's domain.
func fitPlot(r Run) *plot.Plot {
	s0 := r.Lanes[0].Snap
	c := s0.Config
	p := newPlot("fit: net(x) vs "+engine.TargetTitle(c)+" on "+engine.DomainText(c), "x", "y")
	if ps := c.Points; ps != nil {
		pts := make(plotter.XYs, len(ps.X))
		for i := range ps.X {
			pts[i] = plotter.XY{X: ps.X[i], Y: ps.Y[i]}
		}
		if dots, err := plotter.NewScatter(pts); err == nil {
			dots.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
			p.Add(dots)
			p.Legend.Add(fmt.Sprintf("the %s points (%s)", engine.Commas(int64(len(ps.X))), engine.ShortText(filepath.Base(ps.Name), 30)), dots)
		}
	} else {
		target := line(s0.GridX, s0.Target, color.Black, 2)
		target.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
		p.Add(target)
		p.Legend.Add(engine.TargetTitle(c), target)
	}
	clipped := false
	var kinkGlyph *plotter.Scatter
	for i, l := range r.Lanes {
		ys := make([]float64, len(l.Snap.Pred))
		for j, v := range l.Snap.Pred {
			ys[j] = clamp(v, fitClip)
			clipped = clipped || ys[j] != v
		}
		net := line(l.Snap.GridX, ys, laneColors[i%len(laneColors)], 2.5)
		p.Add(net)
		p.Legend.Add(r.laneName(l), net)
		if len(l.Kinks) > 0 {
			var pts plotter.XYs
			for _, x := range l.Kinks {
				pts = append(pts, plotter.XY{X: x, Y: clamp(interp(l.Snap.GridX, l.Snap.Pred, x), fitClip)})
			}
			sc, err := plotter.NewScatter(pts)
			if err == nil {
				sc.GlyphStyle = draw.GlyphStyle{Color: laneColors[i%len(laneColors)], Radius: vg.Points(4), Shape: draw.RingGlyph{}}
				p.Add(sc)
				kinkGlyph = sc
			}
		}
	}
	if kinkGlyph != nil {
		thumb := *kinkGlyph
		if r.Racing() { // each lane's kinks are in its colour: the legend's in none of them
			thumb.GlyphStyle.Color = color.Gray{0x60}
		}
		p.Legend.Add("kinks (a layer-1 ReLU switches)", &thumb)
	}
	if clipped {
		p.Legend.Add(fmt.Sprintf("(net(x) beyond ±%d drawn at ±%d)", fitClip, fitClip))
	}
	p.Legend.Top, p.Legend.Left = false, false
	p.X.Min, p.X.Max = c.DomainLo, c.Hi()
	return p
}

// lossPlot is each lane's history as kept: the buckets' mean batch loss
// (solid) and their largest batch loss (dotted: the max envelope), log y.
func lossPlot(r Run) *plot.Plot {
	p := newPlot("loss: MSE of each batch (log scale)", "step", "loss")
	any := false
	var means []*plotter.Line
	for i, l := range r.Lanes {
		var mean, top plotter.XYs
		for _, b := range l.Snap.History {
			x := float64(l.Snap.HistStart + b.First + b.Count - 1) // the bucket's last step
			if v := b.Mean(); v > 0 && !math.IsInf(v, 0) {
				mean = append(mean, plotter.XY{X: x, Y: v})
			}
			if b.Max > 0 && !math.IsInf(b.Max, 0) {
				top = append(top, plotter.XY{X: x, Y: b.Max})
			}
		}
		if len(mean) == 0 || len(top) == 0 {
			continue
		}
		any = true
		c := laneColors[i%len(laneColors)]
		env, _ := plotter.NewLine(top)
		env.Color, env.Width = faded(c), vg.Points(0.8)
		env.Dashes = []vg.Length{vg.Points(1.5), vg.Points(2)}
		avg, _ := plotter.NewLine(mean)
		avg.Color, avg.Width = c, vg.Points(1.2)
		p.Add(env) // every envelope first, so no lane's envelope hides another's mean
		means = append(means, avg)
		name := "mean"
		if r.Racing() {
			name = l.Name + ": " + name
		}
		p.Legend.Add(name, avg)
		p.Legend.Add(strings.Replace(name, "mean", "largest batch", 1), env)
	}
	for _, m := range means {
		p.Add(m)
	}
	if any {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = decades{}
		if p.Y.Min == p.Y.Max { // one point (one step): gonum would widen it by ±1, below 0 on a log axis
			p.Y.Min, p.Y.Max = p.Y.Min/math.Sqrt(10), p.Y.Max*math.Sqrt(10) // half a decade either side
		}
	} else {
		p.Title.Text += " — no steps yet"
	}
	p.Legend.Top = true
	return p
}

// decades ticks a log axis at powers of ten, at most maxLabels of them
// labelled: a diverged run's loss spans hundreds of decades, and gonum's
// LogTicks would label every one.
type decades struct{}

const maxLabels = 8

func (decades) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi >= lo) || math.IsInf(hi, 0) {
		return nil
	}
	a, b := int(math.Floor(math.Log10(lo))), int(math.Ceil(math.Log10(hi)))
	step := max(1, (b-a+maxLabels-1)/maxLabels)
	var ticks []plot.Tick
	for e := a; e <= b; e++ {
		v := math.Pow10(e)
		if v < lo || v > hi {
			continue
		}
		t := plot.Tick{Value: v}
		if e%step == 0 {
			t.Label = "1e" + strconv.Itoa(e) // 10^e, never 1.0000000000000005e+266
			if e >= -3 && e <= 4 {
				t.Label = strconv.FormatFloat(math.Pow10(e), 'f', -1, 64)
			}
		}
		if t.Label != "" || b-a <= 4*maxLabels { // minor ticks only while they stay apart
			ticks = append(ticks, t)
		}
	}
	labelled := 0
	for _, t := range ticks {
		labelled += min(len(t.Label), 1)
	}
	if labelled < 2 { // a loss inside one or two decades: 2 and 5 times its powers too, so two values can be read
		ticks = slices.DeleteFunc(ticks, func(t plot.Tick) bool { return t.Label == "" })
		for e := a - 1; e <= b; e++ {
			for _, m := range []float64{2, 5} {
				if v := m * math.Pow10(e); v >= lo && v <= hi {
					ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', 3, 64)})
				}
			}
		}
	}
	if len(ticks) < 2 { // still fewer than two: the ends themselves
		ticks = []plot.Tick{{Value: lo, Label: strconv.FormatFloat(lo, 'g', 3, 64)}, {Value: hi, Label: strconv.FormatFloat(hi, 'g', 3, 64)}}
	}
	return ticks
}

func line(xs, ys []float64, c color.Color, width float64) *plotter.Line {
	pts := make(plotter.XYs, 0, len(xs))
	for i := range xs {
		if !math.IsNaN(ys[i]) {
			pts = append(pts, plotter.XY{X: xs[i], Y: ys[i]})
		}
	}
	l, err := plotter.NewLine(pts)
	if err != nil { // no finite point at all: an empty line draws nothing
		l = &plotter.Line{}
	}
	l.Color, l.Width = c, vg.Points(width)
	return l
}

func clamp(v, lim float64) float64 {
	switch {
	case math.IsNaN(v):
		return v
	case v > lim:
		return lim
	case v < -lim:
		return -lim
	}
	return v
}

// interp reads ys at x from the sorted grid xs, linearly.
func interp(xs, ys []float64, x float64) float64 {
	i := 0
	for i < len(xs)-1 && xs[i+1] < x {
		i++
	}
	if i == len(xs)-1 || x <= xs[0] {
		return ys[i]
	}
	t := (x - xs[i]) / (xs[i+1] - xs[i])
	return ys[i] + t*(ys[i+1]-ys[i])
}

func faded(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8((v>>8 + 2*255) / 3) }
	return color.RGBA{mix(r), mix(g), mix(b), 0xff}
}

// markSVG puts svgMark after the XML declaration, so the file can be
// recognised as lnfit's.
func markSVG(b []byte) []byte {
	i := bytes.IndexByte(b, '\n') + 1
	out := make([]byte, 0, len(b)+len(svgMark)+1)
	out = append(out, b[:i]...)
	out = append(out, svgMark+"\n"...)
	return append(out, b[i:]...)
}
