package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"lnfit/engine"
	"lnfit/tui"
)

// --web: the browser door beside --serve gives the teacher both lines and
// serves the page; alone, it needs no host key and writes none.

var webLine = regexp.MustCompile(`students: http://(127\.0\.0\.1:\d+)`)

func getPage(t *testing.T, addr string) string {
	t.Helper()
	resp, err := (&http.Client{Timeout: time.Minute}).Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("GET the page: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET the page: %s", resp.Status)
	}
	return string(b)
}

func TestWebBesideServe(t *testing.T) {
	got := make(chan tui.Options, 1)
	teacher := func(ctx context.Context, _ *engine.Session, o tui.Options) error {
		got <- o
		<-ctx.Done()
		return nil
	}
	srv := startServer(t, environment{dashboard: teacher}, "--web", "127.0.0.1:0", "--broadcast", "--class-code", "owl")
	m := webLine.FindStringSubmatch(srv.out.String())
	if m == nil {
		t.Fatalf("the banner gives no web address: %s", srv.out.String())
	}
	if page := getPage(t, m[1]); !strings.Contains(page, "Your teacher's run") || !strings.Contains(page, `data-code="required"`) {
		t.Fatalf("the page is not the broadcast's with a code:\n%s", page)
	}
	select {
	case o := <-got:
		_, port, _ := strings.Cut(srv.addr, ":")
		if want := "ssh -p " + port + " 127.0.0.1 · http://" + m[1]; o.Address != want || o.ClassCode != "owl" {
			t.Fatalf("the teacher's footer gets %q and code %q, want %q and owl", o.Address, o.ClassCode, want)
		}
	case <-time.After(time.Minute):
		t.Fatal("no teacher's dashboard")
	}
}

func TestWebAloneWritesNoHostKey(t *testing.T) {
	home := t.TempDir()
	t.Chdir(home) // wish writes ./id_ed25519 when given no key: it must not
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	out, errOut := &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"--web", "127.0.0.1:0"}, environment{stdout: out, stderr: errOut}) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Error("lnfit --web did not stop")
		}
	}()
	var m []string
	for deadline := time.Now().Add(time.Minute); m == nil && time.Now().Before(deadline); {
		m = webLine.FindStringSubmatch(out.String())
		time.Sleep(20 * time.Millisecond)
	}
	if m == nil {
		t.Fatalf("lnfit --web did not start: %s %s", out.String(), errOut.String())
	}
	if page := getPage(t, m[1]); !strings.Contains(page, "A run of your own") {
		t.Fatalf("not the page of a class of own runs:\n%s", page)
	}
	if strings.Contains(out.String(), "host key") || strings.Contains(out.String(), "ssh -p") {
		t.Fatalf("the browser door alone speaks of SSH: %s", out.String())
	}
	if es, _ := os.ReadDir(home); len(es) > 0 {
		t.Fatalf("lnfit --web wrote files (its home and working directory): %v", es)
	}
}
