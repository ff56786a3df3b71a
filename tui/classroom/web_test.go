package classroom

import (
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
)

// The browser door serves one page, its assets and the socket; nothing
// else; a socket opened from another site's page is refused.
func TestWebServesOnlyThePage(t *testing.T) {
	_, web := startWebClass(t, Config{})
	resp, body := get(t, web, "/", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, `<script src="/xterm.js">`) || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
		t.Fatalf("/: %s %q\n%s", resp.Status, resp.Header, body)
	}
	if !strings.Contains(body, "A run of your own") || !strings.Contains(body, `data-code=""`) || strings.Contains(body, "{{") {
		t.Fatalf("the page does not say what an open class of own runs is:\n%s", body)
	}
	_, web2 := startWebClass(t, Config{Broadcast: true, ClassCode: "owl"})
	if _, body := get(t, web2, "/", nil); !strings.Contains(body, "Your teacher's run, live") || !strings.Contains(body, `data-code="required"`) {
		t.Fatalf("the page does not say what a broadcast with a code is:\n%s", body)
	}
	for _, path := range []string{"/xterm.js", "/addon-fit.js", "/xterm.css", "/lnfit.js", "/lnfit.css"} {
		if resp, body := get(t, web, path, nil); resp.StatusCode != 200 || len(body) < 100 {
			t.Fatalf("%s: %s, %d bytes", path, resp.Status, len(body))
		}
	}
	resp, gz := get(t, web, "/xterm.js", http.Header{"Accept-Encoding": {"gzip"}})
	if resp.Header.Get("Content-Encoding") != "gzip" || len(gz) > 200_000 {
		t.Fatalf("/xterm.js gzipped: %q, %d bytes", resp.Header.Get("Content-Encoding"), len(gz))
	}
	for _, path := range []string{"/index.html", "/webassets/xterm.js", "/xterm.js.map", "/../server.go", "/debug/pprof/", "/?x=1", "/ws/x"} {
		if resp, _ := get(t, web, path, nil); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("%s: %s, want 404", path, resp.Status)
		}
	}
	if resp, _ := get(t, web, socketPath, http.Header{"Origin": {"http://" + web}}); resp.StatusCode == 200 || resp.StatusCode == 101 {
		t.Fatalf("a plain GET of the socket path: %s", resp.Status)
	}
	hdr := http.Header{"Origin": {"http://evil.example"}, "Connection": {"Upgrade"}, "Upgrade": {"websocket"},
		"Sec-Websocket-Version": {"13"}, "Sec-Websocket-Key": {"dGhlIHNhbXBsZSBub25jZQ=="}}
	if resp, _ := get(t, web, socketPath, hdr); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a socket from another site's page: %s, want 403", resp.Status)
	}
}

// A tab is a session like an SSH one: the dashboard at the tab's size, keys
// act, a resize redraws at the new size, q ends it with a normal close, and
// the log says who came by which door.
func TestWebSession(t *testing.T) {
	c, web := startWebClass(t, Config{})
	a := joinTab(t, web, "ada", "", 100, 30)
	a.waitFor(t, "lnfit · question")
	a.press("o")
	a.waitFor(t, "momentum lr 0.01")
	a.resize(t, 70, 20)
	eventually(t, "the dashboard redrawn at 70 columns", func() bool {
		scr := a.screen()
		return strings.Contains(scr, "lnfit") && widest(scr) <= 70 && widest(scr) > 50
	})
	a.press("q")
	if ce := a.closed(t); ce.Code != websocket.StatusNormalClosure {
		t.Fatalf("q: the socket closed with %v, want a normal close", ce)
	}
	eventually(t, "the session's end logged", func() bool { return strings.Contains(c.log.String(), "msg=disconnected user=ada") })
	for _, want := range []string{"msg=login user=ada from=127.0.0.1", "method=web", "msg=connected user=ada from=127.0.0.1", "door=web"} {
		if !strings.Contains(c.log.String(), want) {
			t.Fatalf("the log does not say %q:\n%s", want, c.log.String())
		}
	}
}

// widest is the screen's widest line, trailing spaces aside.
func widest(scr string) int {
	n := 0
	for _, l := range strings.Split(scr, "\n") {
		n = max(n, len([]rune(strings.TrimRight(l, " "))))
	}
	return n
}
