package classroom

import (
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

func newKey(t *testing.T) (gossh.Signer, string) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return signer, strings.TrimSpace(string(gossh.MarshalAuthorizedKey(signer.PublicKey())))
}

func writeKeys(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "authorized_keys")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Repro 8: authorized_keys options are honoured as OpenSSH honours them,
// an option this server cannot honour refuses its line (reported with its
// number), and every login, refused or not, is logged.
func TestAuthorizedKeysOptions(t *testing.T) {
	elsewhere, elsewhereLine := newKey(t)
	expired, expiredLine := newKey(t)
	command, commandLine := newKey(t)
	plain, plainLine := newKey(t)
	local, localLine := newKey(t)
	norm, normLine := newKey(t)
	file := writeKeys(t,
		"# the class",
		`from="10.9.9.9",expiry-time="20990101" `+elsewhereLine,
		`expiry-time="20000101" `+expiredLine,
		`command="ls" `+commandLine,
		"ssh-ed25519 not-a-key",
		plainLine+" teacher",
		`from="127.0.0.0/8,!127.0.0.9" `+localLine,
		`restrict `+normLine,
	)
	c := startClass(t, Config{AuthorizedKeys: file})
	skipped := strings.Join(c.Skipped(), "\n")
	for _, want := range []string{"line 3: expired", "line 4: option command=\"ls\" is not supported", "line 5: not a public key"} {
		if !strings.Contains(skipped, want) {
			t.Errorf("the skipped lines do not say %q:\n%s", want, skipped)
		}
	}
	login := func(s gossh.Signer) error {
		conn, err := gossh.Dial("tcp", c.addr, clientConfig("k", gossh.PublicKeys(s)))
		if err == nil {
			conn.Close()
		}
		return err
	}
	for name, s := range map[string]gossh.Signer{"from=10.9.9.9": elsewhere, "expired": expired, "command=": command} {
		if err := login(s); err == nil {
			t.Errorf("the %s key was let in from 127.0.0.1", name)
		}
	}
	for name, s := range map[string]gossh.Signer{"plain": plain, "from=127.0.0.0/8": local, "restrict": norm} {
		if err := login(s); err != nil {
			t.Errorf("the %s key was refused: %v", name, err)
		}
	}
	// restrict means no terminal: the session is told so, no dashboard.
	conn, err := gossh.Dial("tcp", c.addr, clientConfig("k", gossh.PublicKeys(norm)))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	sess, _ := conn.NewSession()
	var out syncBuffer
	sess.Stdout, sess.Stderr = &out, &out
	_ = sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{})
	_ = sess.Shell()
	_ = sess.Wait()
	if !strings.Contains(out.String(), "may not open a terminal") {
		t.Errorf("a restrict key got %q", out.String())
	}
	log := c.log.String()
	for _, want := range []string{"does not admit 127.0.0.1", "expired on 2000-01-01", `msg=login user=k from=127.0.0.1`, "method=publickey"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log does not say %q:\n%s", want, log)
		}
	}
	if n := strings.Count(log, `msg="login refused"`); n < 3 {
		t.Errorf("%d refused logins logged, want at least 3:\n%s", n, log)
	}
}

// A file with no usable key is refused at start, and a class code with
// keys is refused rather than half-applied.
func TestAccessRefusedAtStart(t *testing.T) {
	_, line := newKey(t)
	dir := t.TempDir()
	for name, cfg := range map[string]Config{
		"no usable key": {AuthorizedKeys: writeKeys(t, "# nothing", "ssh-rsa garbage", `tunnel="1" `+line)},
		"code and keys": {AuthorizedKeys: writeKeys(t, line), ClassCode: "owl"},
		"missing file":  {AuthorizedKeys: filepath.Join(dir, "nope")},
	} {
		cfg.HostKeyPath = filepath.Join(dir, "key")
		cfg.NewSession = questionSession
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: New accepted it", name)
		} else if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: the error is not one line: %q", name, err)
		}
	}
}

func TestFromPatterns(t *testing.T) {
	ip := netip.MustParseAddr
	for _, c := range []struct {
		from string
		addr string
		ok   bool
	}{
		{"127.0.0.1", "127.0.0.1", true},
		{"10.9.9.9", "127.0.0.1", false},
		{"127.0.0.*", "127.0.0.7", true},
		{"127.0.0.*,!127.0.0.7", "127.0.0.7", false},
		{"10.0.0.0/8,192.168.1.?", "192.168.1.5", true},
		{"10.0.0.0/8", "::ffff:10.1.2.3", true},
		{"!10.0.0.0/8", "127.0.0.1", false}, // only negations: nothing admits
		{"2001:db8::/32", "2001:db8::1", true},
	} {
		pats, err := parseFrom(c.from)
		if err != nil {
			t.Fatalf("%s: %v", c.from, err)
		}
		if got := fromAllows(pats, ip(c.addr)); got != c.ok {
			t.Errorf("from=%q, %s: %v, want %v", c.from, c.addr, got, c.ok)
		}
	}
	for _, bad := range []string{"", "10.0.0.0/99", "a,,b", "[x"} {
		if _, err := parseFrom(bad); err == nil {
			t.Errorf("from=%q was accepted", bad)
		}
	}
	for _, c := range []struct {
		v    string
		want string
	}{{"20300102", "2030-01-02 00:00:00"}, {"203001021504", "2030-01-02 15:04:00"}, {"20300102150405Z", "2030-01-02 15:04:05"}} {
		got, err := parseExpiry(c.v)
		if err != nil || got.Format(time.DateTime) != c.want {
			t.Errorf("expiry %s: %v %v", c.v, got, err)
		}
	}
	for _, bad := range []string{"2030", "20301301", "yesterday"} {
		if _, err := parseExpiry(bad); err == nil {
			t.Errorf("expiry %q was accepted", bad)
		}
	}
}

// Repro 8: class codes cannot be guessed: each wrong code is counted
// against the address, and once its tries are spent even the right code
// is refused from it (and not asked), while another address gets in.
func TestClassCodeGuessing(t *testing.T) {
	const burst = 5
	c := startClass(t, Config{ClassCode: "owl", Limits: Limits{FailBurst: burst, FailRate: 1e-9, FailDelay: time.Millisecond, ConnBurst: 1000}})
	asked := 0
	guess := func(from, code string) error {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(from)}, Timeout: 10 * time.Second}
		raw, err := d.Dial("tcp", c.addr)
		if err != nil {
			t.Skipf("no loopback address %s here: %v", from, err)
		}
		cc := clientConfig("guesser", gossh.RetryableAuthMethod(gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			if len(qs) > 0 {
				asked++
			}
			return []string{code}, nil
		}), 10))
		conn, chans, reqs, err := gossh.NewClientConn(raw, c.addr, cc)
		if err != nil {
			raw.Close()
			return err
		}
		go gossh.DiscardRequests(reqs)
		go func() {
			for ch := range chans {
				_ = ch.Reject(gossh.Prohibited, "")
			}
		}()
		conn.Close()
		return nil
	}
	for i := range 40 {
		if err := guess("127.0.0.1", fmt.Sprintf("guess%d", i)); err == nil {
			t.Fatalf("guess %d was let in", i)
		}
	}
	if err := guess("127.0.0.1", "owl"); err == nil {
		t.Fatal("the right code was let in from an address that had spent its tries")
	}
	t.Logf("41 connections trying codes from one address: %d codes asked for (the burst is %d)", asked, burst)
	if asked > burst {
		t.Fatalf("%d codes were asked for from one address; the limit is %d", asked, burst)
	}
	if err := guess("127.0.0.2", "owl"); err != nil {
		t.Fatalf("another address was refused: %v", err)
	}
	log := c.log.String()
	if n := strings.Count(log, `msg="login refused"`); n < burst {
		t.Errorf("%d refused logins logged, want at least %d", n, burst)
	}
	if !strings.Contains(log, "address locked out") || !strings.Contains(log, "method=keyboard-interactive") {
		t.Errorf("the log does not tell the lockout:\n%s", log)
	}
}
