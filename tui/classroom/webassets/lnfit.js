// The browser door: the join form, then lnfit's dashboard in xterm.js over
// one WebSocket. Binary messages are the terminal's bytes both ways; text
// messages are JSON: {"t":"join",...} first, then {"t":"size",...}.
(() => {
  'use strict';
  const violations = []; // what the page's Content-Security-Policy blocked: the browser test wants none
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.lnfit = { term: null, violations };
  const $ = (id) => document.getElementById(id);
  const form = $('join'), status = $('status'), ended = $('ended'), box = $('term');
  const needCode = document.body.dataset.code === 'required';
  for (const e of document.querySelectorAll('.code')) e.hidden = !needCode;
  $('code').required = needCode;
  const enc = new TextEncoder();
  let term = null, fit = null, ws = null;

  function send(obj) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  // keys sends the terminal's input in pieces of 4 kB: the server takes a
  // message of at most 8 kB, and a paste can be longer.
  function keys(b) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    for (let i = 0; i < b.length; i += 4096) ws.send(b.subarray(i, i + 4096));
  }

  // fitTerm fills the window with the terminal, at a font small enough for
  // the dashboard's 60 columns where it can be (a phone held upright).
  function fitTerm() {
    let size = 14;
    term.options.fontSize = size;
    fit.fit();
    while (term.cols < 62 && size > 7) {
      term.options.fontSize = --size;
      fit.fit();
    }
  }

  function makeTerm() {
    term = new Terminal({ fontSize: 14, scrollback: 0, cursorBlink: false,
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace' });
    fit = new FitAddon.FitAddon();
    term.loadAddon(fit);
    term.open(box);
    term.onData((d) => keys(enc.encode(d)));
    term.onBinary((d) => keys(Uint8Array.from(d, (c) => c.charCodeAt(0))));
    term.onResize(({ cols, rows }) => send({ t: 'size', cols, rows }));
    window.addEventListener('resize', fitTerm);
    window.lnfit.term = term; // the browser test reads term.buffer.active
  }

  function join() {
    form.hidden = true; ended.hidden = true; box.hidden = false; status.textContent = '';
    if (!term) makeTerm();
    term.reset();
    fitTerm();
    const name = $('name').value.trim(), code = $('code').value;
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => send({ t: 'join', name, code, cols: term.cols, rows: term.rows });
    ws.onmessage = (e) => { if (typeof e.data !== 'string') term.write(new Uint8Array(e.data)); };
    ws.onclose = (e) => {
      const why = e.reason || (e.code === 1006 ? 'the connection to the class was lost' : 'the session ended');
      if (e.code === 4001) { // a wrong class code: the form again
        box.hidden = true; form.hidden = false; status.textContent = why; $('code').select();
        return;
      }
      $('why').textContent = why;
      ended.hidden = false;
    };
    term.focus();
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); join(); });
  $('again').addEventListener('click', () => { ended.hidden = true; box.hidden = true; form.hidden = false; $('name').focus(); });
  $('name').focus();
})();
