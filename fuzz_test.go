package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// FuzzFlags: any command line gives exit 0, 2 or 3 and never a panic or a
// multi-line error. Training is capped by forcing --steps small.
func FuzzFlags(f *testing.F) {
	for _, s := range []string{"--preset answer", "--lr abc", "--hidden 50,0", "--xmin 1", "--batch -1",
		"--optimizer adam --lr 1e-4", "--until 1e-4", "--data grid", "--seed 18446744073709551615", "--dropout 0.9",
		"--activation tanh --init he", "--lr 1e300", "--preset divergent", "--load /nonexistent"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := append(strings.Fields(line), "--headless", "--json", "--steps", "3", "--batch", "4")
		for _, a := range args {
			if strings.HasPrefix(a, "--save") || strings.HasPrefix(a, "-save") {
				return // the fuzzer must not write files
			}
		}
		var out, errb bytes.Buffer
		code := run(context.Background(), args, environment{stdout: &out, stderr: &errb})
		switch code {
		case exitOK, exitDiverged:
			if out.Len()+errb.Len() == 0 { // a summary, or --help/--version/--list-presets
				t.Fatalf("%q: exit %d and nothing printed", line, code)
			}
		case exitUsage:
			if n := strings.Count(strings.TrimSpace(errb.String()), "\n"); n != 0 {
				t.Fatalf("%q: %d-line error %q", line, n+1, errb.String())
			}
		default:
			t.Fatalf("%q: exit %d: %s", line, code, errb.String())
		}
	})
}
