// A minimal RFC 6455 WebSocket client over node:http, for Node versions without a global
// WebSocket (Node 20 has one only behind --experimental-websocket; Node 22+ and browsers
// have it built in, and client.mjs uses that when present). It reads text frames, answers
// pings and closes cleanly; that is all the sshrealm event stream needs.
import crypto from "node:crypto";
import http from "node:http";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export function connectWebSocket(url, headers = {}) {
  const key = crypto.randomBytes(16).toString("base64");
  return new Promise((resolve, reject) => {
    const req = http.request(url.replace(/^ws/, "http"), {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": key,
        ...headers,
      },
    });
    req.on("upgrade", (res, socket, head) => {
      const expected = crypto.createHash("sha1").update(key + GUID).digest("base64");
      if (res.headers["sec-websocket-accept"] !== expected) {
        socket.destroy();
        reject(new Error("bad Sec-WebSocket-Accept"));
        return;
      }
      resolve(new MiniWebSocket(socket, head));
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => reject(Object.assign(new Error(`HTTP ${res.statusCode}: ${body}`), { status: res.statusCode })));
    });
    req.on("error", reject);
    req.end();
  });
}

class MiniWebSocket {
  constructor(socket, head) {
    this.socket = socket;
    this.buffer = head;
    this.fragments = [];
    this.onmessage = () => {};
    this.onclose = () => {};
    socket.on("data", (chunk) => this.#read(chunk));
    socket.on("close", () => this.onclose());
    if (head.length) queueMicrotask(() => this.#read(Buffer.alloc(0)));
  }

  #read(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const frame = parseFrame(this.buffer);
      if (!frame) return;
      this.buffer = this.buffer.subarray(frame.size);
      if (frame.opcode === 0x8) {
        this.#send(0x8, frame.payload.subarray(0, 2));
        this.socket.end();
      } else if (frame.opcode === 0x9) {
        this.#send(0xa, frame.payload);
      } else if (frame.opcode === 0x1 || frame.opcode === 0x0) {
        this.fragments.push(frame.payload);
        if (frame.fin) {
          const text = Buffer.concat(this.fragments).toString("utf8");
          this.fragments = [];
          this.onmessage({ data: text });
        }
      }
    }
  }

  #send(opcode, payload) {
    // Client frames must be masked (RFC 6455 section 5.3).
    const mask = crypto.randomBytes(4);
    const length = payload.length;
    const header = length < 126 ? Buffer.from([0x80 | opcode, 0x80 | length])
      : Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff]);
    const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]));
    if (!this.socket.writableEnded) this.socket.write(Buffer.concat([header, mask, body]));
  }

  close() {
    this.#send(0x8, Buffer.from([0x03, 0xe8])); // 1000: normal closure
    this.socket.end();
  }
}

function parseFrame(buf) {
  if (buf.length < 2) return null;
  const fin = (buf[0] & 0x80) !== 0;
  const opcode = buf[0] & 0x0f;
  const masked = (buf[1] & 0x80) !== 0;
  let length = buf[1] & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buf.length < 4) return null;
    length = buf.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buf.length < 10) return null;
    length = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskKey = masked ? buf.subarray(offset, offset + 4) : null;
  if (masked) offset += 4;
  if (buf.length < offset + length) return null;
  let payload = buf.subarray(offset, offset + length);
  if (maskKey) payload = Buffer.from(payload.map((byte, i) => byte ^ maskKey[i % 4]));
  return { fin, opcode, payload, size: offset + length };
}
