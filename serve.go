package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"lnfit/engine"
	"lnfit/tui"
	"lnfit/tui/classroom"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"
)

// `lnfit --serve ADDR`: the flags, made into a classroom.Config. The
// classroom itself (its limits, its logins, its sessions) is package
// tui/classroom.

func defaultMaxSessions() int { return 20 * runtime.GOMAXPROCS(0) }

func serve(ctx context.Context, st start, o *options, env environment) int {
	if o.broadcast && !env.stdoutTTY && env.dashboard == nil {
		fmt.Fprintln(env.stderr, "lnfit: --broadcast: this terminal is the teacher's dashboard, and stdout is not a terminal")
		return exitUsage
	}
	keyPath := "" // the browser door alone needs no host key
	if o.serve != "" {
		var err error
		if keyPath, err = hostKeyPath(o.hostKey); err != nil {
			fmt.Fprintf(env.stderr, "lnfit: --host-key: %v\n", err)
			return exitUsage
		}
	}
	var logOut io.Writer = env.stderr
	var held *heldLog
	if o.broadcast { // the teacher's dashboard owns the terminal: hold the log until it ends
		held = &heldLog{max: 500}
		logOut = held
	}
	cls, err := classroom.New(classroom.Config{
		HostKeyPath: keyPath, NewSession: st.session, Lesson: st.lesson, Classroom: o.classroom, Broadcast: o.broadcast,
		MaxSessions: o.maxSessions, IdleTimeout: o.idleTimeout, SessionLimit: o.sessionLimit,
		ClassCode: o.classCode, AuthorizedKeys: o.authorizedKeys, Log: logOut, Challenge: o.challenge,
	})
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: --serve: %v\n", err)
		return exitUsage
	}
	for _, skipped := range cls.Skipped() {
		fmt.Fprintf(env.stderr, "lnfit: --authorized-keys %s: %s\n", engine.EscapeText(o.authorizedKeys), skipped)
	}
	doors, lines, err := listenDoors(o)
	if err != nil {
		fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
		return exitUsage
	}
	lim := cls.Limits()
	fmt.Fprintf(env.stdout, "lnfit classroom on %s (%s)\n", doors[0].ln.Addr(), map[bool]string{true: "broadcast: students follow this terminal's run", false: "every student gets a run of their own"}[o.broadcast])
	if o.serve != "" {
		fmt.Fprintf(env.stdout, "host key %s (%s)\n", cls.Fingerprint(), keyPath)
	}
	for _, d := range doors {
		fmt.Fprintf(env.stdout, "students: %s\n", d.line)
	}
	fmt.Fprintf(env.stdout, "access: %s\n", cls.Access())
	fmt.Fprintf(env.stdout, "at most %d sessions, %s without a key, %s in all, terminals drawn at most %d×%d; Ctrl-C closes the class\n",
		o.maxSessions, o.idleTimeout, o.sessionLimit, lim.MaxWidth, lim.MaxHeight)

	served := make(chan error, len(doors))
	for _, d := range doors {
		serveOn := cls.Serve
		if d.web {
			serveOn = cls.ServeWeb
		}
		go func() { served <- serveOn(d.ln) }()
	}

	code := exitOK
	if o.broadcast {
		// The students are told at once, however long the teacher's
		// dashboard takes to end.
		stop := context.AfterFunc(ctx, func() { _ = cls.Close() })
		defer stop()
		s, err := st.session()
		if err != nil {
			fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
			code = exitUsage
		} else {
			rec, recCode := openRecording(o, env, s.Label()) // --record: the class's screen, as the teacher sees it
			dash := env.dashboard
			if dash == nil {
				dash = func(ctx context.Context, s *engine.Session, o tui.Options) error {
					var popts []tea.ProgramOption
					if rec != nil {
						popts = rec.options()
					}
					return tui.RunProgram(ctx, s, o, popts...)
				}
			}
			teacher := tui.Options{Lesson: st.lesson, Classroom: o.classroom, SavePath: o.save, Hub: cls.Hub(), Pool: cls.Pool(), Maps: cls.Maps(),
				Address: strings.Join(lines, " · "), ClassCode: o.classCode} // the footer: what to give the students
			if recCode != exitOK {
				code = recCode
			} else if err := dash(ctx, s, teacher); err != nil {
				fmt.Fprintf(env.stderr, "lnfit: %v\n", err)
				code = exitFailure
			}
			if rec != nil && !rec.finish(o.export.record, env.stderr) {
				code = exitFailure
			}
		}
	} else {
		select {
		case <-ctx.Done():
		case err := <-served:
			if err != nil && !errors.Is(err, classroom.ErrClosed) {
				fmt.Fprintf(env.stderr, "lnfit: serving: %v\n", err)
				code = exitFailure
			}
		}
	}
	_ = cls.Close()
	if held != nil {
		held.flush(env.stderr)
	}
	return code
}

// door is one listening door: the SSH one (--serve) and the browser one (--web).
type door struct {
	ln   net.Listener
	web  bool
	line string // what to give the students
}

// listenDoors listens on --serve and --web; lines are the doors' lines for
// the teacher's footer.
func listenDoors(o *options) (doors []door, lines []string, err error) {
	for _, d := range []struct {
		flag, addr string
		web        bool
	}{{"serve", o.serve, false}, {"web", o.web, true}} {
		if d.addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", d.addr)
		if err != nil {
			for _, open := range doors {
				_ = open.ln.Close()
			}
			return nil, nil, fmt.Errorf("--%s %s: %v", d.flag, engine.EscapeText(d.addr), err)
		}
		host, port, _ := net.SplitHostPort(ln.Addr().String())
		if host == "::" || host == "0.0.0.0" || host == "" {
			host = "THIS-MACHINE"
		}
		line := fmt.Sprintf("ssh -p %s %s", port, host)
		if d.web {
			line = "http://" + net.JoinHostPort(host, port)
		}
		doors = append(doors, door{ln: ln, web: d.web, line: line})
		lines = append(lines, line)
	}
	return doors, lines, nil
}

// hostKeyPath is --host-key, or lnfit/host_ed25519 in the user's config
// directory, so the key, and students' known_hosts, last. A missing key is
// made here (ensureHostKey), not by wish: its key generator chmods the
// key's directory to 0700 even when that is the course folder, or ".".
func hostKeyPath(given string) (string, error) {
	path := given
	if path == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("no config directory for the host key (%v): give --host-key FILE", err)
		}
		path = filepath.Join(dir, "lnfit", "host_ed25519")
	}
	return path, ensureHostKey(path)
}

// ensureHostKey writes a new ed25519 key (0600) at path if nothing is
// there. Only a missing directory is created (0700); an existing one keeps
// its mode.
func ensureHostKey(path string) error {
	if _, err := os.Lstat(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return nil // a key (or something the server will name when it reads it)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil { // MkdirAll leaves existing directories as they are
		return err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := gossh.MarshalPrivateKey(priv, "")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(pem.EncodeToMemory(block))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
	}
	return werr
}

// heldLog keeps the last log lines while the teacher's dashboard owns the
// terminal, and prints them after.
type heldLog struct {
	mu    sync.Mutex
	max   int
	lines []string
}

func (h *heldLog) Write(p []byte) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lines = append(h.lines, strings.TrimRight(string(p), "\n"))
	if len(h.lines) > h.max {
		h.lines = h.lines[len(h.lines)-h.max:]
	}
	return len(p), nil
}

func (h *heldLog) flush(w io.Writer) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, l := range h.lines {
		fmt.Fprintln(w, l)
	}
}
