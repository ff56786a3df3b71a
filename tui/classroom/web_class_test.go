package classroom

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	gossh "golang.org/x/crypto/ssh"
)

// The browser door shares the SSH door's class: its code, its limiter, its
// seats, its roles and its time limits.

// The class code typed on the page: the right one gives the dashboard; a
// wrong one costs FailDelay and asks again (4001); an address out of tries
// is refused at the socket, and over SSH too, for its wrong codes are the
// same count.
func TestWebClassCode(t *testing.T) {
	const delay = 200 * time.Millisecond
	c, web := startWebClass(t, Config{ClassCode: "owl", Limits: Limits{FailBurst: 3, FailDelay: delay}})
	ok := joinTab(t, web, "ada", "owl", 80, 24)
	ok.waitFor(t, "lnfit · question")
	for i := range 3 {
		start := time.Now()
		bad := joinTab(t, web, "eve", "cat", 80, 24)
		ce := bad.closed(t)
		if ce.Code != closeWrongCode || ce.Reason != "wrong class code" {
			t.Fatalf("wrong code %d: closed with %v", i+1, ce)
		}
		if el := time.Since(start); el < delay {
			t.Fatalf("wrong code %d was answered in %v, before the %v a wrong code costs", i+1, el, delay)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), backstop)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, "ws://"+web+socketPath, &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://" + web}}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("an address out of tries got a socket: %v %v", err, resp)
	}
	if conn, err := gossh.Dial("tcp", c.addr, clientConfig("s", codeAuth("owl"))); err == nil {
		conn.Close()
		t.Fatal("an address locked out by wrong codes on the page logged in over SSH")
	}
	for _, want := range []string{"msg=\"login refused\" user=eve from=127.0.0.1", "address locked out", "msg=login user=ada"} {
		if !strings.Contains(c.log.String(), want) {
			t.Fatalf("the log does not say %q:\n%s", want, c.log.String())
		}
	}
}

// --max-sessions counts both doors: with one seat, a tab is refused while
// an SSH session has it, and an SSH session while a tab has it.
func TestWebSeatsCountWithSSH(t *testing.T) {
	c, web := startWebClass(t, Config{MaxSessions: 1})
	a := dialRaw(t, c.addr, 80, 24, nil)
	a.waitFor(t, "lnfit")
	tb := joinTab(t, web, "ada", "", 80, 24)
	if ce := tb.closed(t); ce.Code != closeRefused || !strings.Contains(ce.Reason, "the class is full") {
		t.Fatalf("a tab beside a full class: closed with %v", ce)
	}
	_ = a.conn.Close()
	eventually(t, "the SSH seat given back", func() bool { return c.sessions.Load() == 0 })
	tb = joinTab(t, web, "ada", "", 80, 24)
	tb.waitFor(t, "lnfit · question")
	b := dialRaw(t, c.addr, 80, 24, nil)
	b.waitFor(t, "the class is full")
}

// Broadcast in a tab: it follows the teacher, f forks, F follows again, and
// the teacher's class room lists it by the name typed on the page.
func TestWebBroadcastRoles(t *testing.T) {
	c, web := startWebClass(t, Config{Broadcast: true})
	teacher, keys := teacherScreen(t, c, nil)
	tb := joinTab(t, web, "adal", "", 100, 30)
	tb.waitFor(t, "following the teacher")
	tb.press("o")
	tb.waitFor(t, "is the teacher's key")
	tb.press("f")
	tb.waitFor(t, "your own copy from step")
	_, _ = keys.Write([]byte("k"))
	teacher.waitFor(t, "adal")
	tb.press("F")
	tb.waitFor(t, "following the teacher again")
}

// The time limits hold in a tab: one without a key is closed after the
// idle timeout, the reason on its terminal and in the close.
func TestWebIdleTimeout(t *testing.T) {
	_, web := startWebClass(t, Config{IdleTimeout: time.Second})
	tb := joinTab(t, web, "ada", "", 80, 24)
	tb.waitFor(t, "lnfit · question")
	ce := tb.closed(t)
	if ce.Code != websocket.StatusNormalClosure || ce.Reason != "closed after 1s without a key" {
		t.Fatalf("an idle tab: closed with %v", ce)
	}
	if !strings.Contains(tb.screen(), "lnfit: closed after 1s without a key") {
		t.Fatalf("the reason is not left on the tab's terminal:\n%s", tb.screen())
	}
}

// A tab asking for 2000×2000 is drawn at most at the SSH door's 320×100.
func TestWebSizeIsClamped(t *testing.T) {
	c, web := startWebClass(t, Config{})
	tb := joinTab(t, web, "ada", "", 400, 120)
	tb.send(t, webMsg{T: "size", Cols: 2000, Rows: 2000})
	eventually(t, "a frame drawn at the clamp", func() bool {
		scr := tb.screen()
		return strings.Contains(scr, "lnfit · question") && widest(scr) > 300
	})
	if w := widest(tb.screen()); w > c.Limits().MaxWidth {
		t.Fatalf("a line %d wide, past the %d-column clamp", w, c.Limits().MaxWidth)
	}
}
