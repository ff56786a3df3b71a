package engine

import (
	"fmt"
	"strconv"
	"strings"
)

// Data modes.
const (
	DataSample = "sample" // a fresh batch of x ~ U(xmin, B] every step, B the domain's end (1)
	DataGrid   = "grid"   // full batch: the same GridPoints points of (xmin, B] every step
)

// Limits on what a Config may ask for, so bad input is an error, not an OOM.
const (
	MaxBatch  = 100_000
	MaxHidden = 4096
	MaxLayers = 16
	// A network and its batch buffers must fit in memory with room to spare:
	// parameters (×4 with gradients and optimizer state) and batch × units
	// (×6 per-unit buffers), each far below the machine's memory.
	MaxParams     = 10_000_000
	MaxBatchUnits = 20_000_000
)

// Config is everything that decides a run. The same Config gives the same run, bit for bit.
type Config struct {
	Hidden     []int   `json:"hidden"`
	Activation string  `json:"activation"`
	Init       string  `json:"init"`
	Optimizer  string  `json:"optimizer"`
	LR         float64 `json:"lr"`
	Batch      int     `json:"batch"`
	XMin       float64 `json:"xmin"`
	Data       string  `json:"data"`
	Dropout    float64 `json:"dropout"`
	Seed       uint64  `json:"seed"`
	InitScale  float64 `json:"init_scale"` // every initial weight and bias is multiplied by it
	Target     string  `json:"target"`     // a built-in's name or an expression in x; "" is ln
	// The domain (DomainLo, DomainHi] of the target: the evaluation grid
	// and the plots span it; training samples (XMin, DomainHi]. A Config
	// from before domains existed has both 0: the question's (0, 1].
	DomainLo float64 `json:"domain_lo"`
	DomainHi float64 `json:"domain_hi"`
	// Points: the user's data (--points), with Target "points"; nil otherwise.
	// Shared, never written: a file is not carried by tokens or saves.
	Points *PointSet `json:"-"`
}

// Hi is the domain's closed end (1 for a Config from before domains).
func (c Config) Hi() float64 {
	if c.DomainHi == 0 && c.DomainLo >= 0 {
		return 1
	}
	return c.DomainHi
}

// DefaultConfig is the question's setup.
func DefaultConfig() Config {
	return Config{
		Hidden:     []int{50, 10},
		Activation: "relu",
		Init:       InitUniform,
		Optimizer:  OptSGD,
		LR:         0.01,
		Batch:      50,
		Data:       DataSample,
		Seed:       1,
		InitScale:  1,
		Target:     TargetLn,
		DomainHi:   1,
	}
}

// Validate says exactly what is wrong with a Config, or returns nil. Each
// setting's range is checked by its entry in the settings table; what is
// left here are the limits that involve several settings at once.
func (c Config) Validate() error {
	for _, s := range settings {
		if err := s.Check(c); err != nil {
			return err
		}
	}
	if n := paramCount(c.Sizes()); n > MaxParams {
		return fmt.Errorf("hidden %s: %d parameters, at most %d", HiddenString(c.Hidden), n, MaxParams)
	}
	return checkBatchUnits(c, c.Batch)
}

func checkNamed(name string, c Config) error {
	s, _ := LookupSetting(name)
	return s.Check(c)
}

// CheckLR accepts a finite learning rate in (0, 1e6].
func CheckLR(lr float64) error { return checkNamed("lr", Config{LR: lr}) }

// Sizes returns the layer sizes [1, hidden…, 1].
func (c Config) Sizes() []int {
	s := make([]int, 0, len(c.Hidden)+2)
	s = append(s, 1)
	s = append(s, c.Hidden...)
	return append(s, 1)
}

// Clone returns a copy that shares no slices with c.
func (c Config) Clone() Config {
	c.Hidden = append([]int(nil), c.Hidden...)
	return c
}

// HiddenString writes hidden sizes the way the --hidden flag reads them: "50,10".
func HiddenString(h []int) string {
	parts := make([]string, len(h))
	for i, v := range h {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ",")
}

// ParseHidden reads "50,10" into []int{50, 10}.
func ParseHidden(v string) ([]int, error) {
	var c Config
	s, _ := LookupSetting("hidden")
	if err := s.Apply(&c, v); err != nil {
		return nil, err
	}
	return c.Hidden, nil
}

// checkBatchUnits refuses a batch whose per-unit buffers would not fit.
func checkBatchUnits(c Config, batch int) error {
	if c.Data == DataGrid {
		batch = GridPoints
		if c.Points != nil {
			batch = len(c.Points.X)
		}
	}
	units := 1
	for _, h := range c.Hidden {
		units += h
	}
	if batch*units > MaxBatchUnits {
		return fmt.Errorf("batch %d with %d units: %d batch×unit buffers, at most %d (use a smaller batch or fewer units)",
			batch, units, batch*units, MaxBatchUnits)
	}
	return nil
}
