// An sshrealm bridge client in plain JavaScript (Node 20+, no packages).
//
//   SSHREALM_BRIDGE_CODE=<code> node examples/js-client/client.mjs http://127.0.0.1:7777 my-bot
//
// registers with the code an admin issued (`sshrealm bridge add-client my-bot ...`), or
// without one waits for an admin to approve the name (servers with allow_pending), keeps
// the token in .sshrealm-token-<name> (mode 600) for the next run, prints the shared state,
// then every event it may see. As a library: import { BridgeClient } from "./client.mjs".
import { readFile, writeFile } from "node:fs/promises";
import { connectWebSocket } from "./ws.mjs";

export class BridgeError extends Error {
  constructor(status, body) {
    super(`${status} ${body.error}: ${JSON.stringify(body.detail)}`);
    this.status = status;
    this.error = body.error;
    this.detail = body.detail;
  }
}

export class BridgeClient {
  constructor(baseUrl, token = null) {
    this.baseUrl = baseUrl.replace(/\/$/, "");
    this.token = token;
  }

  async #call(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await res.json();
    if (res.status >= 400) throw new BridgeError(res.status, answer);
    return { status: res.status, ...answer };
  }

  /**
   * POST /register with the admin's one-time `code` (or a pending `claim`): returns
   * {status: "approved", token} or {status: "pending", claim}.
   */
  async register(name, language = "javascript", { claim, code } = {}) {
    const body = { name, language, ...(claim ? { claim } : {}), ...(code ? { code } : {}) };
    const answer = await this.#call("POST", "/register", body);
    if (answer.status === "approved") this.token = answer.token;
    return answer;
  }

  /** GET /universal: {players: [...]} (balances are null without state.balances). */
  universal() {
    return this.#call("GET", "/universal");
  }

  /** POST /bridge with a raw {target, action, data} envelope. */
  bridge(target, action, data, requestId = undefined) {
    return this.#call("POST", "/bridge", { target, action, data, ...(requestId ? { request_id: requestId } : {}) });
  }

  grantTokens(player, amount, reason, requestId) {
    return this.bridge("tokens", "grant", { player, amount, reason }, requestId);
  }

  messagePlayer(player, text) {
    return this.bridge("player", "message", { player, text });
  }

  /**
   * GET /events as a WebSocket. Resolves once the stream is open (events published after
   * that are delivered). `onEvent` gets each parsed message; call `close()` when done.
   */
  async events(types, onEvent) {
    const query = types && types.length ? `?types=${types.join(",")}` : "";
    const url = this.baseUrl.replace(/^http/, "ws") + "/events" + query;
    if (typeof globalThis.WebSocket === "function") {
      // Browsers cannot set headers on a WebSocket, so the API also takes ?token=.
      const sep = query ? "&" : "?";
      const ws = new globalThis.WebSocket(`${url}${sep}token=${encodeURIComponent(this.token)}`);
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = () => reject(new Error("WebSocket failed to open"));
      });
      ws.onmessage = (m) => onEvent(JSON.parse(m.data));
      return { close: () => ws.close(), impl: "global" };
    }
    const ws = await connectWebSocket(url, { Authorization: `Bearer ${this.token}` });
    ws.onmessage = (m) => onEvent(JSON.parse(m.data));
    return { close: () => ws.close(), impl: "mini" };
  }
}

async function obtainToken(client, name, tokenFile) {
  const saved = await readFile(tokenFile, "utf8").catch(() => "");
  if (saved.trim()) {
    client.token = saved.trim();
    console.log(`using the token saved in ${tokenFile}`);
    return;
  }
  const code = process.env.SSHREALM_BRIDGE_CODE;
  let answer = await client.register(name, "javascript", { code });
  const claim = answer.claim;
  while (answer.status === "pending") {
    console.log(`waiting for an admin to approve ${name} (@bridge approve ${name}) ...`);
    await new Promise((r) => setTimeout(r, 5000));
    answer = await client.register(name, "javascript", { claim });
  }
  await writeFile(tokenFile, `${answer.token}\n`, { mode: 0o600 });
  console.log(`registered; token saved in ${tokenFile}`);
  console.log("capabilities:", answer.capabilities.join(", ") || "(none)");
}

async function main([baseUrl = "http://127.0.0.1:7777", name = "js-example"]) {
  const client = new BridgeClient(baseUrl);
  const tokenFile = process.env.SSHREALM_BRIDGE_TOKEN_FILE ?? `.sshrealm-token-${name}`;
  await obtainToken(client, name, tokenFile);
  const { players } = await client.universal();
  for (const p of players) console.log(`${p.name}\t${p.online ? "online" : "offline"}\t${p.room ?? "-"}`);
  await client.events([], (event) => console.log(JSON.stringify(event)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
