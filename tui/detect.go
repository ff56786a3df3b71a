package tui

import (
	"os"

	"github.com/charmbracelet/colorprofile"
)

// detectProfile reads the terminal's colour support from stdout and the
// environment (NO_COLOR, TERM=dumb and COLORTERM are honoured).
func detectProfile() colorprofile.Profile {
	return colorprofile.Detect(os.Stdout, os.Environ())
}
