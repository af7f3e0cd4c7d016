// The accessible page: game lines appended to a role="log" region (announced politely as
// they arrive), a native text box with history on the up and down arrows. A session the game
// ended (quit, takeover, kick) stays ended until asked again; a dropped connection reconnects.
"use strict";
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("command");
  const input = document.getElementById("line");
  const status = document.getElementById("status");
  const again = document.getElementById("reconnect");
  const MAX_LINES = 2000;
  const history = [];
  let back = 0;
  let socket = null;
  let tries = 0;

  function add(text, typed) {
    const p = document.createElement("p");
    p.textContent = text;
    if (typed) p.className = "typed";
    log.append(p);
    while (log.childElementCount > MAX_LINES) log.firstElementChild.remove();
    log.scrollTop = log.scrollHeight;
  }

  function connect() {
    again.hidden = true;
    status.textContent = "Connecting…";
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + location.host + "/play/text.ws");
    let reason = "";
    socket.onmessage = function (event) {
      const data = JSON.parse(event.data);
      if (data.closed) reason = data.closed;
      for (const line of data.lines || []) add(line, false);
    };
    socket.onopen = function () { tries = 0; status.textContent = "Connected. Type a command below."; };
    socket.onclose = function (event) {
      socket = null;
      if (event.code === 4001) { location.href = "/signin"; return; }
      if (event.code === 1000 || event.code === 4003) {
        status.textContent = reason || "The game ended this session.";
        again.hidden = false;
        return;
      }
      tries += 1;  // the network dropped: try again, waiting longer each time
      const wait = Math.min(30, 2 ** (tries - 1));
      status.textContent = "Connection lost. Trying again in " + wait + " seconds.";
      setTimeout(connect, wait * 1000);
    };
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const line = input.value;
    if (!socket || socket.readyState !== WebSocket.OPEN) { status.textContent = "Not connected."; return; }
    if (line.trim()) { history.push(line); add("> " + line, true); }
    back = 0;
    socket.send(JSON.stringify({ line: line }));
    input.value = "";
  });

  input.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
    if (!history.length) return;
    event.preventDefault();
    back = event.key === "ArrowUp" ? Math.min(history.length, back + 1) : Math.max(0, back - 1);
    input.value = back ? history[history.length - back] : "";
  });

  again.addEventListener("click", connect);
  connect();
})();
