package tui

import "lnfit/engine"

// Options are what the command passes to the dashboard.
type Options struct {
	Preset   string // shown in the header
	SavePath string // where w saves ("" = a name made from the preset)
}

func Run(tr *engine.Trainer, o Options) error { return nil }
