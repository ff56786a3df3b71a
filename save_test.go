package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/tui"
)

// --save: what it writes, what it never replaces, and what it refuses before training.

func TestSaveLoadThroughTheCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "net.json")
	r := runCmd(t, "--headless", "--json", "--preset", "answer-batch-50", "--steps", "400", "--save", path)
	if r.code != 0 {
		t.Fatalf("save: exit %d %s", r.code, r.stderr)
	}
	first := decodeSummary(t, r.stdout)
	// Load with 0 more steps: the same network, so the same grid MSE.
	r = runCmd(t, "--headless", "--json", "--load", path, "--steps", "0")
	if r.code != 0 {
		t.Fatalf("load: exit %d %s", r.code, r.stderr)
	}
	again := decodeSummary(t, r.stdout)
	if again["mse"] != first["mse"] || again["steps"] != 400.0 || again["optimizer"] != "adam" || again["preset"] != "loaded" {
		t.Fatalf("after load: %v, before: %v", again, first)
	}
	// A flag overrides the loaded configuration.
	r = runCmd(t, "--headless", "--json", "--load", path, "--steps", "10", "--optimizer", "sgd")
	if m := decodeSummary(t, r.stdout); r.code != 0 || m["optimizer"] != "sgd" || m["lr"] != 0.01 || m["steps"] != 410.0 {
		t.Fatalf("override after load: %v", m)
	}
	// Sizes that do not match the file are refused.
	r = runCmd(t, "--headless", "--load", path, "--hidden", "5")
	if r.code != exitUsage || !strings.Contains(r.stderr, "hidden sizes 50,10") {
		t.Fatalf("mismatched load: exit %d %q", r.code, r.stderr)
	}
}

func TestSaveNeverOverwritesOtherFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(path, []byte("my notes"), 0o644)
	r := runCmd(t, "--headless", "--steps", "5", "--save", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, "not overwriting") {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(path); string(b) != "my notes" {
		t.Fatal("the file was changed")
	}
}

// A file that appears at --save's path while training is kept; the network
// goes to a fresh name and the summary says so.
func TestSaveKeepsAFileThatAppearedDuringTraining(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan cmdResult, 1)
	go func() {
		var out, errb strings.Builder
		code := run(ctx, []string{"--headless", "--json", "--steps", "100000000", "--save", victim}, environment{stdout: &out, stderr: &errb})
		done <- cmdResult{code, out.String(), errb.String()}
	}()
	time.Sleep(200 * time.Millisecond)
	os.WriteFile(victim, []byte("my text"), 0o644)
	cancel()
	r := <-done
	if b, _ := os.ReadFile(victim); string(b) != "my text" {
		t.Fatal("--save replaced a file that appeared during training")
	}
	m := decodeSummary(t, r.stdout)
	if m["saved"] != filepath.Join(dir, "victim-1.txt") || !strings.Contains(m["save_note"].(string), "kept") {
		t.Fatalf("summary %v", m)
	}
}

// The dashboard's --save directory is checked before the dashboard starts.
func TestDashboardSaveDirCheckedFirst(t *testing.T) {
	called := false
	var errb bytes.Buffer
	env := environment{stdout: new(bytes.Buffer), stderr: &errb, stdoutTTY: true,
		dashboard: func(context.Context, *engine.Session, tui.Options) error { called = true; return nil }}
	missing := filepath.Join(t.TempDir(), "nope", "net.json")
	code := run(context.Background(), []string{"--save", missing}, env)
	if code != exitUsage || called || !strings.Contains(errb.String(), "does not exist") {
		t.Fatalf("exit %d, dashboard called %v, stderr %q", code, called, errb.String())
	}
}

func TestSaveDirNotWritable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes anywhere")
	}
	dir := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(dir, 0o500)
	r := runCmd(t, "--headless", "--save", filepath.Join(dir, "net.json"))
	if r.code != exitUsage || !strings.Contains(r.stderr, "cannot write in "+dir) {
		t.Fatalf("exit %d %q", r.code, r.stderr)
	}
}
