// The full-screen game in xterm.js: terminal bytes in (binary frames), keys and sizes out.
// A session the game ended (quit, takeover, kick: close code 1000) or refused (4001, 4003)
// stays ended until the player asks again; a dropped connection reconnects by itself.
"use strict";
(function () {
  const box = document.getElementById("terminal");
  const status = document.getElementById("status");
  const again = document.getElementById("reconnect");
  const term = new Terminal({
    cursorBlink: false,
    fontFamily: '"DejaVu Sans Mono", ui-monospace, monospace',
    fontSize: 15,
    scrollback: 0,
    allowProposedApi: false,
  });
  const fit = new FitAddon.FitAddon();
  term.loadAddon(fit);
  term.open(box);
  fit.fit();
  let socket = null;
  let tries = 0;

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function connect() {
    again.hidden = true;
    status.textContent = "Connecting…";
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const url = scheme + "//" + location.host + "/play/terminal.ws?cols=" + term.cols + "&rows=" + term.rows;
    socket = new WebSocket(url);
    socket.binaryType = "arraybuffer";
    let reason = "";
    socket.onopen = function () { tries = 0; status.textContent = "Connected."; term.focus(); };
    socket.onmessage = function (event) {
      if (typeof event.data === "string") {
        const data = JSON.parse(event.data);
        if (data.closed) reason = data.closed;
        return;
      }
      term.write(new Uint8Array(event.data));
    };
    socket.onclose = function (event) {
      socket = null;
      if (event.code === 1000 || event.code === 4001 || event.code === 4003) {
        status.textContent = reason || "The game ended this session.";
        if (event.code === 4001) { location.href = "/signin"; return; }
        again.hidden = false;
        return;
      }
      tries += 1;
      const wait = Math.min(30, 2 ** (tries - 1));
      status.textContent = "Connection lost. Trying again in " + wait + " seconds.";
      setTimeout(connect, wait * 1000);
    };
  }

  term.onData(function (data) { send({ i: data }); });
  term.onBinary(function (data) { send({ i: data }); });
  term.onResize(function (size) { send({ r: [size.cols, size.rows] }); });
  window.addEventListener("resize", function () { fit.fit(); });
  again.addEventListener("click", connect);
  connect();
})();
