package engine

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// FileFormat and FileVersion mark a saved network; Load refuses anything else.
const (
	FileFormat  = "lnfit-network"
	FileVersion = 1
)

// SavedLayer is one linear layer as other tools read it: W as Out rows of In
// numbers (PyTorch's Linear.weight), b as Out numbers.
type SavedLayer struct {
	W [][]float64 `json:"w"`
	B []float64   `json:"b"`
}

// SavedNetwork is the JSON document written by Save.
type SavedNetwork struct {
	Format     string       `json:"format"`
	Version    int          `json:"version"`
	Sizes      []int        `json:"sizes"`
	Activation string       `json:"activation"`
	Step       int64        `json:"step"`
	Config     Config       `json:"config"`
	Layers     []SavedLayer `json:"layers"`
}

// Export turns the trainer's current network into a SavedNetwork.
func (t *Trainer) Export() SavedNetwork {
	s := SavedNetwork{
		Format:     FileFormat,
		Version:    FileVersion,
		Sizes:      append([]int(nil), t.net.Sizes...),
		Activation: t.act.String(),
		Step:       t.rec.step,
		Config:     t.cfg.Clone(),
	}
	for _, L := range t.net.Layers {
		sl := SavedLayer{W: make([][]float64, L.Out), B: append([]float64(nil), L.B...)}
		for o := range sl.W {
			sl.W[o] = append([]float64(nil), L.W[o*L.In:(o+1)*L.In]...)
		}
		s.Layers = append(s.Layers, sl)
	}
	return s
}

// Encode writes s as indented JSON.
func (s SavedNetwork) Encode(w io.Writer) error {
	for _, L := range s.Layers {
		for _, row := range L.W {
			if !finite(row) {
				return errors.New("the network has NaN or infinite weights: nothing to save")
			}
		}
		if !finite(L.B) {
			return errors.New("the network has NaN or infinite biases: nothing to save")
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(s)
}

// maxFileSize bounds what Decode reads: a 4096-wide net is far smaller.
const maxFileSize = MaxNetworkFile

// maxNumberText is the longest a number in a saved network may be written:
// %g of a float64 needs at most 24 characters; the rest is room for spaces.
const maxNumberText = 64

// checkRowLengths refuses, before decoding any number, a file whose layers
// hold a row longer than MaxHidden numbers could be: a single huge row would
// otherwise cost gigabytes to decode only to be refused for its length.
func checkRowLengths(data []byte) error {
	var head struct {
		Layers []struct {
			W []json.RawMessage `json:"w"`
			B json.RawMessage   `json:"b"`
		} `json:"layers"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil // DecodeNetwork says what is wrong
	}
	limit := MaxHidden * maxNumberText
	for l, L := range head.Layers {
		if len(L.W) > MaxHidden {
			return fmt.Errorf("layer %d: w has %d rows, at most %d", l, len(L.W), MaxHidden)
		}
		for o, row := range L.W {
			if len(row) > limit {
				return fmt.Errorf("layer %d: w row %d is %s bytes long, more than %d numbers can be", l, o, Commas(int64(len(row))), MaxHidden)
			}
		}
		if len(L.B) > limit {
			return fmt.Errorf("layer %d: b is %s bytes long, more than %d numbers can be", l, Commas(int64(len(L.B))), MaxHidden)
		}
	}
	return nil
}

// DecodeNetwork reads and checks a saved network, saying exactly what is
// wrong: format, version, shapes, configuration and every number.
func DecodeNetwork(r io.Reader) (SavedNetwork, *Network, error) {
	var s SavedNetwork
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return s, nil, err
	}
	if len(data) > maxFileSize {
		return s, nil, fmt.Errorf("file is larger than %d MB: not an lnfit network", maxFileSize>>20)
	}
	if err := checkRowLengths(data); err != nil {
		return s, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, nil, fmt.Errorf("not valid lnfit JSON: %v", err)
	}
	if dec.More() {
		return s, nil, errors.New("not valid lnfit JSON: extra data after the network")
	}
	if s.Format != FileFormat {
		return s, nil, fmt.Errorf("format is %q, want %q", ShortText(s.Format, 40), FileFormat)
	}
	if s.Version != FileVersion {
		return s, nil, fmt.Errorf("version %d is not supported (this lnfit reads version %d)", s.Version, FileVersion)
	}
	if err := checkSizes(s.Sizes); err != nil {
		return s, nil, err
	}
	if len(s.Sizes)-2 > MaxLayers {
		return s, nil, fmt.Errorf("sizes %v: at most %d hidden layers", s.Sizes, MaxLayers)
	}
	act, err := ParseActivation(s.Activation)
	if err != nil {
		return s, nil, err
	}
	if s.Step < 0 || s.Step > MaxStep {
		return s, nil, fmt.Errorf("step %d: want 0 to %d", s.Step, int64(MaxStep))
	}
	if s.Config.Data == "" {
		s.Config.Data = DataSample
	}
	if s.Config.InitScale == 0 { // a file from before init-scale existed
		s.Config.InitScale = 1
	}
	if err := s.Config.Validate(); err != nil {
		return s, nil, fmt.Errorf("config: %v", err)
	}
	if HiddenString(s.Config.Hidden) != HiddenString(s.Sizes[1:len(s.Sizes)-1]) {
		return s, nil, fmt.Errorf("config hidden %v does not match sizes %v", s.Config.Hidden, s.Sizes)
	}
	if s.Config.Activation != s.Activation {
		return s, nil, fmt.Errorf("config activation %q does not match activation %q", s.Config.Activation, s.Activation)
	}
	if len(s.Layers) != len(s.Sizes)-1 {
		return s, nil, fmt.Errorf("%d layers, but sizes %v need %d", len(s.Layers), s.Sizes, len(s.Sizes)-1)
	}
	n, _ := NewNetwork(s.Sizes, act)
	for l, sl := range s.Layers {
		L := n.Layers[l]
		if len(sl.W) != L.Out {
			return s, nil, fmt.Errorf("layer %d: w has %d rows, want %d (one per output)", l, len(sl.W), L.Out)
		}
		for o, row := range sl.W {
			if len(row) != L.In {
				return s, nil, fmt.Errorf("layer %d: w row %d has %d numbers, want %d (one per input)", l, o, len(row), L.In)
			}
			for i, v := range row {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return s, nil, fmt.Errorf("layer %d: w[%d][%d] is not a finite number", l, o, i)
				}
			}
			copy(L.W[o*L.In:], row)
		}
		if len(sl.B) != L.Out {
			return s, nil, fmt.Errorf("layer %d: b has %d numbers, want %d", l, len(sl.B), L.Out)
		}
		copy(L.B, sl.B)
	}
	return s, n, nil
}

// LoadFile reads a saved network from path (a regular file of at most
// MaxNetworkFile bytes).
func LoadFile(path string) (SavedNetwork, *Network, error) {
	data, err := ReadFileCapped(path, MaxNetworkFile)
	if err != nil {
		return SavedNetwork{}, nil, err
	}
	s, n, err := DecodeNetwork(bytes.NewReader(data))
	if err != nil {
		return s, nil, fmt.Errorf("%s: %v", EscapeText(path), err)
	}
	return s, n, nil
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so a crash never leaves a half-written file.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(name, path); err != nil {
		return err
	}
	ok = true
	return nil
}

// SaveFile writes the trainer's network to path atomically.
func (t *Trainer) SaveFile(path string) error {
	s := t.Export()
	return WriteFileAtomic(path, s.Encode)
}

// FileState is what was at a path when lnfit last looked: nothing, or a
// file with this identity, size, time and content hash. A save may replace
// only what it saw (a file it wrote itself, or an earlier save it checked).
type FileState struct {
	Exists bool
	info   os.FileInfo
	sum    [sha256.Size]byte
}

// StatFile records what is at path now.
func StatFile(path string) (FileState, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return FileState{}, nil
	}
	if err != nil {
		return FileState{}, err
	}
	st := FileState{Exists: true, info: fi}
	if fi.Mode().IsRegular() {
		data, err := ReadFileCapped(path, MaxNetworkFile)
		if err == nil {
			st.sum = sha256.Sum256(data)
		}
	}
	return st, nil
}

// Same reports whether two looks saw the same file, unchanged.
func (a FileState) Same(b FileState) bool {
	if a.Exists != b.Exists {
		return false
	}
	if !a.Exists {
		return true
	}
	return os.SameFile(a.info, b.info) && a.info.Size() == b.info.Size() &&
		a.info.ModTime().Equal(b.info.ModTime()) && a.sum == b.sum
}

// SaveGuarded saves the trainer's network to path, but replaces what is at
// path only if it is still exactly what the caller last saw there (seen).
// If path changed since — a file appeared, or was replaced — that file is
// kept and the network goes to a fresh name (path-1.json, -2, …) created
// exclusively, so nothing is replaced that lnfit did not write or check.
// It returns the path written and what is there now.
func (t *Trainer) SaveGuarded(path string, seen FileState) (string, FileState, error) {
	s := t.Export()
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", FileState{}, err
	}
	name := tmp.Name()
	defer os.Remove(name) // after a rename or a link it is gone or a second name
	werr := s.Encode(tmp)
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return "", FileState{}, werr
	}
	target := path
	now, err := StatFile(path)
	switch {
	case err != nil:
		return "", FileState{}, err
	case now.Exists && now.Same(seen):
		// What we saw is still there: replace it atomically.
		if err := os.Rename(name, path); err != nil {
			return "", FileState{}, err
		}
	default:
		// Nothing there (or something new): create a name that is free at
		// this very moment. Link fails if the name exists, so a file that
		// appears between the look and the save is never replaced.
		target, err = LinkFresh(name, path, now.Exists)
		if err != nil {
			return "", FileState{}, err
		}
	}
	after, err := StatFile(target)
	return target, after, err
}

// LinkFresh links tmp to path (if skipPath is false) or to the first free
// path-N name, failing only on errors other than "exists": a link never
// replaces a file that appeared meanwhile. Every file lnfit writes lands so.
func LinkFresh(tmp, path string, skipPath bool) (string, error) {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for i := 0; i < 10_000; i++ {
		p := path
		if i > 0 {
			p = fmt.Sprintf("%s-%d%s", base, i, ext)
		} else if skipPath {
			continue
		}
		err := os.Link(tmp, p)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no free name beside %s", EscapeText(path))
}
