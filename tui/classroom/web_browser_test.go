package classroom

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The page in a real browser: headless Chromium (Debian's chromium, which
// .ci/run installs) through chromedp opens the page on 127.0.0.1, joins by
// the form, reads the dashboard out of xterm.js's buffer, presses keys,
// resizes the window, forks and follows.

// chromium is the browser binary, or "" when none is installed.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts headless Chromium with a fresh profile; it is stopped when
// the test ends.
func browser(t *testing.T, w, h int) context.Context {
	t.Helper()
	bin := chromium()
	if bin == "" {
		t.Skip("no chromium binary on PATH (chromium, chromium-browser, google-chrome): apt-get install chromium, as .ci/run does")
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(w, h),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true)}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelC(); cancelA() })
	if err := chromedp.Do(ctx); err != nil { // the first run starts the browser, for the context's life
		t.Fatalf("starting %s: %v", bin, err)
	}
	return ctx
}

// bufferJS is the dashboard as xterm.js holds it: the active buffer's lines.
const bufferJS = `(() => {
	const t = window.lnfit && window.lnfit.term;
	if (!t) return "";
	const b = t.buffer.active, lines = [];
	for (let i = 0; i < b.length; i++) lines.push(b.getLine(i).translateToString(true));
	return lines.join("\n");
})()`

func termText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return evaluate[string](t, ctx, bufferJS)
}

// waitTerm waits until cond holds of the terminal's text.
func waitTerm(t *testing.T, ctx context.Context, what string, cond func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(backstop)
	for {
		s := termText(t, ctx)
		if cond(s) {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("the page's terminal: no %s after %v:\n%s", what, backstop, s)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// do runs steps, each run bounded by the backstop: a hang is caught, never
// a slow machine (the browser's own context has no timeout: it would stop it).
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, backstop)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, backstop)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// header is the dashboard's header: its first three lines (a narrow
// window wraps it).
func header(s string) string {
	lines := strings.SplitN(s, "\n", 4)
	return strings.Join(lines[:min(3, len(lines))], "\n")
}

func hasText(what string) func(string) bool {
	return func(s string) bool { return strings.Contains(s, what) }
}

func pressIn(t *testing.T, ctx context.Context, keys string) {
	t.Helper()
	do(t, ctx, "pressing "+keys, chromedp.SendKeys(chromedp.CSS(".xterm-helper-textarea"), keys))
}

func TestBrowserFollowsAndForks(t *testing.T) {
	ctx := browser(t, 1000, 640)
	c, web := startWebClass(t, Config{Broadcast: true})
	teacher, keys := teacherScreen(t, c, nil)
	do(t, ctx, "opening the page and joining", chromedp.Navigate("http://"+web+"/"), chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "cleo"), chromedp.Click(chromedp.CSS("#join button")))
	waitTerm(t, ctx, "the teacher's run", hasText("following the teacher"))
	cols, rows := evaluate[int](t, ctx, `window.lnfit.term.cols`), evaluate[int](t, ctx, `window.lnfit.term.rows`)
	if cols < 80 || rows < 24 {
		t.Fatalf("a 1000×640 window fitted to %d×%d", cols, rows)
	}
	if v := evaluate[[]string](t, ctx, `window.lnfit.violations`); len(v) > 0 {
		t.Fatalf("the page's Content-Security-Policy blocked what it needs: %q", v)
	}
	_, _ = keys.Write([]byte("k"))
	teacher.waitFor(t, "cleo") // the name typed on the page, in the teacher's class room

	pressIn(t, ctx, "o")
	waitTerm(t, ctx, "refusal of o", hasText("is the teacher's key"))

	// A smaller window: addon-fit makes the terminal smaller, the server
	// draws the dashboard at the new size (its key line is at the new bottom).
	do(t, ctx, "a smaller window", chromedp.EmulateViewport(640, 420))
	waitTerm(t, ctx, "the dashboard redrawn in the smaller window", func(s string) bool {
		c2, r2 := evaluate[int](t, ctx, `window.lnfit.term.cols`), evaluate[int](t, ctx, `window.lnfit.term.rows`)
		lines := strings.Split(s, "\n")
		bottom := strings.Join(lines[max(0, min(len(lines), r2)-3):min(len(lines), r2)], "\n")
		return c2 < cols && r2 < rows && widest(s) <= c2 && strings.Contains(bottom, "help")
	})

	pressIn(t, ctx, "f")
	// The header's words (the status line's "from step" may pass between two reads).
	waitTerm(t, ctx, "a fork", func(s string) bool { return strings.Contains(header(s), "your own copy") })
	teacher.waitFor(t, "fork")
	pressIn(t, ctx, "F")
	waitTerm(t, ctx, "following again", func(s string) bool {
		return strings.Contains(header(s), "following the teacher")
	})

	// A phone held upright (390×700 CSS pixels): the font shrinks until the
	// dashboard's 60 columns fit, and the dashboard is drawn, not its "too
	// small" note.
	do(t, ctx, "a phone's window", chromedp.EmulateViewport(390, 700))
	waitTerm(t, ctx, "the dashboard on a phone", func(s string) bool {
		return evaluate[int](t, ctx, `window.lnfit.term.cols`) >= 60 && strings.Contains(header(s), "following the teacher")
	})
}

// With LNFIT_WEB_SCREENSHOT=FILE, the page as a student sees it once their
// run has trained a while, 1000×640, for docs/web.png.
func TestBrowserScreenshot(t *testing.T) {
	path := os.Getenv("LNFIT_WEB_SCREENSHOT")
	if path == "" {
		t.Skip("LNFIT_WEB_SCREENSHOT=FILE takes docs/web.png")
	}
	ctx := browser(t, 1000, 640)
	_, web := startWebClass(t, Config{})
	do(t, ctx, "opening the page and joining", chromedp.EmulateViewport(1000, 640), chromedp.Navigate("http://"+web+"/"), chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), "cleo"), chromedp.Click(chromedp.CSS("#join button")))
	waitTerm(t, ctx, "a run past step 200,000", func(s string) bool { return stepOn(s) > 200_000 })
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
