package runner_test

// The built-in lessons and presets live above the engine: this external
// test package links them into the test binary (presets hands them to
// runner.UseLibrary when it starts), so the truth test and the caption
// tests play the real lessons while the engine's own code imports nothing
// above it.
import _ "lnfit/presets"
