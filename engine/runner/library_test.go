package runner

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"lnfit/engine"
)

// The runner's tests play lessons with a library of their own: the three
// setups they name, so this package's tests import nothing above the
// engine either. (Package presets tests the real library and its lessons.)
func init() {
	UseLibrary(Library{Presets: func(name string) (string, engine.Config, error) {
		c := engine.DefaultConfig() // the question's: U[0,1), SGD 0.01, batch 50
		switch name {
		case "question":
		case "answer":
			c.Init, c.Optimizer, c.LR, c.Batch = engine.InitNormal, engine.OptAdam, 1e-4, 500
		case "divergent":
			c.Init, c.LR = engine.InitNormal, 5
		default:
			return "", c, fmt.Errorf("unknown preset %q", name)
		}
		return name, c, nil
	}})
}

// engine/… depends on nothing above it: no file of the engine, its tests
// included, imports a package of lnfit outside engine/.
func TestEngineImportsNothingAbove(t *testing.T) {
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		if strings.HasSuffix(f.Name.Name, "_test") { // an external test package is no part of the engine
			return nil
		}
		for _, im := range f.Imports {
			p := strings.Trim(im.Path.Value, `"`)
			if strings.HasPrefix(p, "lnfit/") && !strings.HasPrefix(p, "lnfit/engine") {
				t.Errorf("%s imports %s", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
