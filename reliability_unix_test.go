//go:build unix

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO given as --load, --lesson or --save never blocks: it is refused at
// once as "not a regular file" (or, for --save, as not an lnfit network).
func TestFIFOsAreRefusedAtOnce(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "f")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	for _, args := range [][]string{
		{"--headless", "--steps", "1", "--load", fifo},
		{"--headless", "--lesson", fifo},
		{"--headless", "--steps", "1", "--save", fifo},
	} {
		done := make(chan cmdResult, 1)
		go func() { done <- runCmd(t, args...) }()
		select {
		case r := <-done:
			if r.code != exitUsage || !strings.Contains(r.stderr, "FIFO") {
				t.Errorf("%v: exit %d, %q", args, r.code, r.stderr)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%v blocked on the FIFO", args)
		}
	}
}

// /dev/zero as a lesson is refused at once, not read until memory runs out.
func TestDevZeroLessonIsRefused(t *testing.T) {
	r := runCmd(t, "--headless", "--lesson", "/dev/zero")
	if r.code != exitUsage || !strings.Contains(r.stderr, "a device, not a regular file") {
		t.Fatalf("exit %d, %q", r.code, r.stderr)
	}
}

// A step that takes seconds is cancelled within a second of the signal
// (ten under the race detector), and the summary is still printed. The batch
// is large beside the 1000-point grid, so the summary's evaluation is cheap
// next to the step it interrupts.
func TestSlowStepIsCancelledPromptly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan cmdResult, 1)
	go func() {
		var out, errb strings.Builder
		code := run(ctx, []string{"--headless", "--activation", "tanh", "--hidden", "300,300", "--batch", "8000", "--steps", "5"},
			environment{stdout: &out, stderr: &errb})
		done <- cmdResult{code, out.String(), errb.String()}
	}()
	time.Sleep(300 * time.Millisecond)
	cancel()
	cancelled := time.Now()
	select {
	case r := <-done:
		if el := time.Since(cancelled); el > raceSlowdown*time.Second {
			t.Fatalf("the run ended %v after the cancel", el)
		}
		if r.code != exitOK || !strings.Contains(r.stdout, "interrupted") {
			t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the run did not stop after a cancel")
	}
}

// A summary that cannot be written (a pipe closed early) is an error, not exit 0.
func TestClosedStdoutIsAnError(t *testing.T) {
	r, w, _ := os.Pipe()
	r.Close()
	var errb strings.Builder
	code := run(context.Background(), []string{"--headless", "--json", "--steps", "1"}, environment{stdout: w, stderr: &errb})
	w.Close()
	if code != exitFailure || !strings.Contains(errb.String(), "writing the summary") {
		t.Fatalf("exit %d, %q", code, errb.String())
	}
}
