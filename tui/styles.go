package tui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/guptarohit/asciigraph"
	"github.com/muesli/termenv"
)

// styles is every colour and border the dashboard uses, in one place.
type styles struct {
	Title, Header, Dim, Panel, PanelTitle lipgloss.Style
	Good, Bad, Warn, Msg, Banner, Picked  lipgloss.Style
	// asciigraph draws its own ANSI codes; with no colour they must be left off.
	TargetColor, PredColor, LossColor, SmoothColor asciigraph.AnsiColor
	TargetMark, PredMark, LossMark, SmoothMark     lipgloss.Style
	// Race lanes A–D: a colour and, so they differ without colour, a glyph.
	LaneColors []asciigraph.AnsiColor
	LaneMarks  []lipgloss.Style
	LaneChars  []asciigraph.CharSet
	LaneGlyphs []string
	Caption    lipgloss.Style
	color      bool
	projector  bool
}

func newStyles() styles {
	color := lipgloss.ColorProfile() != termenv.Ascii
	s := styles{color: color}
	s.Title = lipgloss.NewStyle().Bold(true)
	s.Header = lipgloss.NewStyle()
	s.Dim = lipgloss.NewStyle().Faint(true)
	s.Panel = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	s.PanelTitle = lipgloss.NewStyle().Bold(true)
	s.Good = lipgloss.NewStyle().Foreground(lipgloss.Color("10"))
	s.Bad = lipgloss.NewStyle().Foreground(lipgloss.Color("9")).Bold(true)
	s.Warn = lipgloss.NewStyle().Foreground(lipgloss.Color("11"))
	s.Msg = lipgloss.NewStyle().Foreground(lipgloss.Color("14"))
	s.Banner = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("15")).Background(lipgloss.Color("1")).Padding(0, 1)
	s.Picked = lipgloss.NewStyle().Reverse(true)
	s.TargetMark = lipgloss.NewStyle().Foreground(lipgloss.Color("12"))
	s.PredMark = lipgloss.NewStyle().Foreground(lipgloss.Color("11"))
	s.LossMark = lipgloss.NewStyle().Foreground(lipgloss.Color("13"))
	s.SmoothMark = lipgloss.NewStyle().Foreground(lipgloss.Color("10"))
	if color {
		s.TargetColor, s.PredColor = asciigraph.Blue, asciigraph.Yellow
		s.LossColor, s.SmoothColor = asciigraph.Magenta, asciigraph.Green
	}
	s.LaneGlyphs = []string{"─", "•", "×", "+"}
	s.LaneChars = []asciigraph.CharSet{asciigraph.DefaultCharSet, asciigraph.CreateCharSet("•"),
		asciigraph.CreateCharSet("×"), asciigraph.CreateCharSet("+")}
	for _, c := range []string{"11", "14", "10", "13"} {
		s.LaneMarks = append(s.LaneMarks, lipgloss.NewStyle().Foreground(lipgloss.Color(c)))
	}
	if color {
		s.LaneColors = []asciigraph.AnsiColor{asciigraph.Yellow, asciigraph.Aqua, asciigraph.Lime, asciigraph.Fuchsia}
	}
	s.Caption = lipgloss.NewStyle().Border(lipgloss.NormalBorder(), true, false).Padding(0, 1).Bold(true)
	if !color {
		// No colour: series must still differ, so the legend names their marks.
		s.Banner = lipgloss.NewStyle().Bold(true).Reverse(true).Padding(0, 1)
	}
	return s
}

// classroom is the projector look: bold everywhere, a boxed caption in
// reverse video, and the dim text made plain (projectors wash faint out).
func (s styles) classroom() styles {
	s.projector = true
	s.Dim = lipgloss.NewStyle()
	s.Header = s.Header.Bold(true)
	s.Caption = lipgloss.NewStyle().Bold(true).Reverse(true).Padding(1, 2)
	return s
}
