// Runs against a live bridge: SSHREALM_BRIDGE_URL=http://127.0.0.1:7777 node --test examples/js-client/
// The client name (SSHREALM_BRIDGE_CLIENT, default js-example) must have been added by an
// admin with tokens.grant and state.balances (`sshrealm bridge add-client js-example
// --capabilities tokens.grant,state.balances`), and its one-time code passed in
// SSHREALM_BRIDGE_CODE; SSHREALM_BRIDGE_PLAYER (default ana) must be an existing player.
// A code gives one token: to rerun against the same server, pass that token in
// SSHREALM_BRIDGE_TOKEN (or rotate the client for a new code).
import assert from "node:assert/strict";
import { test } from "node:test";
import { BridgeClient, BridgeError } from "./client.mjs";

const baseUrl = process.env.SSHREALM_BRIDGE_URL;
const name = process.env.SSHREALM_BRIDGE_CLIENT ?? "js-example";
const player = process.env.SSHREALM_BRIDGE_PLAYER ?? "ana";
const skip = baseUrl ? false : "set SSHREALM_BRIDGE_URL to a running bridge";

test("register, read, grant, and see the event", { skip, timeout: 10_000 }, async () => {
  const client = new BridgeClient(baseUrl, process.env.SSHREALM_BRIDGE_TOKEN);
  if (!client.token) {
    const reg = await client.register(name, "javascript", { code: process.env.SSHREALM_BRIDGE_CODE });
    assert.equal(reg.status, "approved");
    assert.ok(reg.capabilities.includes("tokens.grant"));
  }

  const again = await new BridgeClient(baseUrl).register(name).catch((e) => e);
  assert.ok(again instanceof BridgeError);
  assert.equal(again.error, "already-registered");

  const before = (await client.universal()).players.find((p) => p.name === player);
  assert.ok(before, `player ${player} is in /universal`);

  const seen = [];
  let gotCredit;
  const credited = new Promise((resolve) => (gotCredit = resolve));
  const stream = await client.events(["tokens-credited"], (event) => {
    seen.push(event);
    if (event.type === "tokens-credited" && event.data.player === player) gotCredit(event);
  });
  try {
    const granted = await client.grantTokens(player, 100, "js-example");
    assert.equal(granted.ok, true);
    const event = await credited;
    assert.equal(event.data.amount, 100);
    assert.equal(event.data.reason, "js-example");
    assert.ok(seen.every((e) => e.type === "tokens-credited"));
  } finally {
    stream.close();
  }

  const after = (await client.universal()).players.find((p) => p.name === player);
  assert.equal(after.balance, before.balance + 100);
});

test("malformed requests are 4xx with a JSON error", { skip }, async () => {
  const client = new BridgeClient(baseUrl);
  await assert.rejects(client.universal(), (e) => e instanceof BridgeError && e.status === 401);
  const res = await fetch(`${baseUrl}/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{not json",
  });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error, "bad-json");
});
