package main

import (
	"os"
	"path/filepath"
	"testing"

	gossh "golang.org/x/crypto/ssh"
)

// --host-key makes a missing key, and a missing directory 0700, but never
// changes an existing directory's mode (a course folder, or "."); the key
// it makes is the one the server serves.
func TestHostKeyKeepsItsDirectorysMode(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "hk")
	srv := startServer(t, environment{}, "--host-key", key)
	srv.stop()
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("the key's directory: %v, %v; want it left 0755", fi.Mode().Perm(), err)
	}
	fi, err := os.Stat(key)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the key: %v, %v; want 0600", fi, err)
	}
	b, _ := os.ReadFile(key)
	if _, err := gossh.ParsePrivateKey(b); err != nil {
		t.Fatalf("the key does not parse: %v", err)
	}
	fresh := filepath.Join(dir, "new", "deeper", "hk")
	if _, err := hostKeyPath(fresh); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{filepath.Dir(fresh), filepath.Dir(filepath.Dir(fresh))} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("%s: %v, %v; want a new directory 0700", d, fi.Mode().Perm(), err)
		}
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o755 {
		t.Fatalf("the parent changed to %v", fi.Mode().Perm())
	}
}
