import { describe, expect, it } from "vitest";
import { SseParser } from "./event-stream";

describe("SseParser", () => {
  it("parses messages split anywhere across chunks, with comments and CRLF", () => {
    const parser = new SseParser();
    const text =
      ': connected\r\nretry: 2000\r\n\r\nid: 7\r\nevent: order.created\r\ndata: {"id":\r\ndata: "ord_1"}\r\n\r\n: keepalive\n\nid: 8\nevent: closed\ndata:{"reason":"unauthorized"}\n\n';
    const messages = [];
    for (let index = 0; index < text.length; index += 3)
      messages.push(...parser.push(text.slice(index, index + 3)));
    expect(messages).toEqual([
      { id: "7", type: "order.created", data: '{"id":\n"ord_1"}' },
      { id: "8", type: "closed", data: '{"reason":"unauthorized"}' },
    ]);
  });

  it("keeps an unfinished message until its blank line arrives", () => {
    const parser = new SseParser();
    expect(parser.push("id: 1\nevent: bid.created\ndata: {}\n")).toEqual([]);
    expect(parser.push("\n")).toEqual([{ id: "1", type: "bid.created", data: "{}" }]);
  });
});
