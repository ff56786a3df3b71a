package tui

import (
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/guptarohit/asciigraph"
)

// styles is every colour and border the dashboard uses, in one place.
type styles struct {
	Title, Header, Dim, Panel, PanelTitle lipgloss.Style
	Good, Bad, Warn, Msg, Banner, Picked  lipgloss.Style
	// asciigraph draws its own ANSI codes; with no colour they must be left off.
	TargetColor, PredColor, LossColor, SmoothColor asciigraph.AnsiColor
	TargetMark, PredMark, LossMark, SmoothMark     lipgloss.Style
	BothMark                                       lipgloss.Style // ln(x) and net(x) in one cell
	// Race lanes A–D: a colour and, so they differ without colour, a glyph.
	LaneColors []asciigraph.AnsiColor
	LaneMarks  []lipgloss.Style
	LaneChars  []asciigraph.CharSet
	LaneGlyphs []string
	Caption    lipgloss.Style
	color      bool // colours and text attributes; false: plain characters only
	projector  bool
}

// newStyles builds the styles for a terminal's colour profile. A terminal
// without colour (NO_COLOR, TERM=dumb, not a terminal) gets no escape codes
// at all: every style is plain and the series differ by their characters.
func newStyles(p colorprofile.Profile) styles {
	color := p > colorprofile.ASCII
	s := styles{color: color}
	plain := lipgloss.NewStyle()
	s.Panel = plain.Border(lipgloss.RoundedBorder()).Padding(0, 1)
	s.LaneGlyphs = []string{"─", "•", "×", "+"}
	s.LaneChars = []asciigraph.CharSet{asciigraph.DefaultCharSet, asciigraph.CreateCharSet("•"),
		asciigraph.CreateCharSet("×"), asciigraph.CreateCharSet("+")}
	s.Caption = plain.Border(lipgloss.NormalBorder(), true, false).Padding(0, 1)
	s.LaneMarks = []lipgloss.Style{plain, plain, plain, plain}
	if !color {
		s.Title, s.Header, s.Dim, s.PanelTitle = plain, plain, plain, plain
		s.Good, s.Bad, s.Warn, s.Msg, s.Banner, s.Picked = plain, plain, plain, plain, plain, plain
		s.TargetMark, s.PredMark, s.LossMark, s.SmoothMark, s.BothMark = plain, plain, plain, plain, plain
		return s
	}
	c := lipgloss.Color
	s.Title = plain.Bold(true)
	s.Header = plain
	s.Dim = plain.Faint(true)
	s.PanelTitle = plain.Bold(true)
	s.Good = plain.Foreground(c("10"))
	s.Bad = plain.Foreground(c("9")).Bold(true)
	s.Warn = plain.Foreground(c("11"))
	s.Msg = plain.Foreground(c("14"))
	s.Banner = plain.Bold(true).Foreground(c("15")).Background(c("1")).Padding(0, 1)
	s.Picked = plain.Reverse(true)
	s.TargetMark = plain.Foreground(c("12"))
	s.PredMark = plain.Foreground(c("11"))
	s.LossMark = plain.Foreground(c("13"))
	s.SmoothMark = plain.Foreground(c("10"))
	s.BothMark = plain.Foreground(c("10")).Bold(true)
	s.TargetColor, s.PredColor = asciigraph.Blue, asciigraph.Yellow
	s.LossColor, s.SmoothColor = asciigraph.Magenta, asciigraph.Green
	for i, col := range []string{"11", "14", "10", "13"} {
		s.LaneMarks[i] = plain.Foreground(c(col))
	}
	s.LaneColors = []asciigraph.AnsiColor{asciigraph.Yellow, asciigraph.Aqua, asciigraph.Lime, asciigraph.Fuchsia}
	s.Caption = s.Caption.Bold(true)
	return s
}

// classroom is the projector look: bold everywhere, a boxed caption in
// reverse video, and the dim text made plain (projectors wash faint out).
func (s styles) classroom() styles {
	s.projector = true
	s.Dim = lipgloss.NewStyle()
	if s.color {
		s.Header = s.Header.Bold(true)
		s.Caption = lipgloss.NewStyle().Bold(true).Reverse(true).Padding(1, 2)
	} else {
		s.Caption = lipgloss.NewStyle().Border(lipgloss.DoubleBorder()).Padding(0, 1)
	}
	return s
}
