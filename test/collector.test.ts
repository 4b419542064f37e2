/**
 * The demo collector validates with the library's own `validateEvent` (dist/index.mjs) or says it
 * cannot: no weaker fallback. Every POST in its request log names the validator that ran.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

interface Ctx {
  method: string;
  url: string;
  pathname: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  rawBody: Buffer;
}
interface Line {
  writeKey: string;
  valid: boolean;
  problems: string[];
  event: Record<string, unknown>;
}
interface Collector {
  handle(ctx: Ctx): Promise<{ status: number; json: Record<string, unknown> } | null>;
  flush(): Promise<void>;
}
type CreateCollector = (o: { dataDir: string; distFile: string }) => Collector;

let createCollector: CreateCollector;
beforeAll(async () => {
  // (A computed specifier: demo/ is plain JavaScript without type declarations.)
  const mod = (await import(new URL('../demo/collector.mjs', import.meta.url).href)) as {
    createCollector: CreateCollector;
  };
  createCollector = mod.createCollector;
});

let dir: string;
let error: ReturnType<typeof vi.spyOn>;
const made: Collector[] = [];
const collector = (distFile: string) => {
  const c = createCollector({ dataDir: path.join(dir, 'data'), distFile });
  made.push(c);
  return c;
};
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-collector-'));
  error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(async () => {
  for (const c of made.splice(0)) await c.flush(); // its writes, before the directory goes
  error.mockRestore();
  fs.rmSync(dir, { recursive: true, force: true });
});

const request = (method: string, pathname: string, body = ''): Ctx => ({
  method,
  url: pathname,
  pathname,
  query: new URLSearchParams(),
  headers: { 'content-type': 'text/plain' },
  rawBody: Buffer.from(body),
});
const post = (c: Collector, batch: unknown[], writeKey = 'wk') =>
  c.handle(
    request('POST', '/collect', JSON.stringify({ batch, sentAt: new Date().toISOString(), writeKey })),
  );
const get = async (c: Collector, pathname: string) => (await c.handle(request('GET', pathname)))!.json;
const events = async (c: Collector) => (await get(c, '/collector/events.json')).events as Line[];
const requests = async (c: Collector) =>
  (await get(c, '/collector/requests.json')).requests as Array<Record<string, unknown>>;

/** A stand-in for dist/index.mjs: `validateEvent` reports `{bad: true}` events. */
const VALIDATOR = "export function validateEvent(e) { return e && e.bad ? ['bad event'] : []; }\n";

describe('demo collector: which validator runs', () => {
  it('without dist/index.mjs: says so once, and stores every event as invalid with the reason', async () => {
    const distFile = path.join(dir, 'dist', 'index.mjs');
    const c = collector(distFile);
    expect((await post(c, [{ type: 'track' }, { bad: true }]))!.status).toBe(200);
    expect((await post(c, [{}]))!.status).toBe(200);
    const problem = 'validator unavailable: ' + distFile + ' not found';
    expect((await events(c)).map((l) => [l.valid, l.problems])).toEqual([
      [false, [problem]],
      [false, [problem]],
      [false, [problem]],
    ]);
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0]![0])).toContain(problem);
    expect((await requests(c)).map((r) => [r.status, r.validator, r.invalid])).toEqual([
      [200, 'unavailable', 2],
      [200, 'unavailable', 1],
    ]);
    // What is stored on disk says the same.
    await c.flush();
    const stored = fs
      .readFileSync(path.join(dir, 'data', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(stored.map((l) => l.problems)).toEqual([[problem], [problem], [problem]]);
  });

  it('with a dist/index.mjs that does not export validateEvent: the same, with that reason', async () => {
    const distFile = path.join(dir, 'index.mjs');
    fs.writeFileSync(distFile, 'export const version = "0.0.0";\n');
    const c = collector(distFile);
    await post(c, [{ type: 'track' }]);
    await post(c, [{ type: 'track' }]);
    const problem = 'validator unavailable: ' + distFile + ' does not export validateEvent';
    expect((await events(c)).map((l) => [l.valid, l.problems])).toEqual([
      [false, [problem]],
      [false, [problem]],
    ]);
    expect(error).toHaveBeenCalledTimes(1);
    expect((await requests(c)).map((r) => r.validator)).toEqual(['unavailable', 'unavailable']);
  });

  it('with validateEvent: uses it, and names it on every POST, rejected ones included', async () => {
    const distFile = path.join(dir, 'index.mjs');
    fs.writeFileSync(distFile, VALIDATOR);
    const c = collector(distFile);
    await post(c, [{ type: 'track' }, { bad: true }]);
    expect((await events(c)).map((l) => [l.valid, l.problems])).toEqual([
      [true, []],
      [false, ['bad event']],
    ]);
    // A body that is not a batch (400), and an injected fault (503).
    expect((await c.handle(request('POST', '/collect', 'not json')))!.status).toBe(400);
    await c.handle(request('POST', '/collector/control', JSON.stringify({ writeKey: 'down', status: 503 })));
    expect((await post(c, [{ type: 'track' }], 'down'))!.status).toBe(503);
    expect((await requests(c)).map((r) => [r.method, r.status, r.validator])).toEqual([
      ['POST', 200, 'dist/index.mjs'],
      ['POST', 400, 'dist/index.mjs'],
      ['POST', 503, 'dist/index.mjs'],
    ]);
    expect(error).not.toHaveBeenCalled();
  });

  it('a validateEvent that throws or returns no list marks the event invalid', async () => {
    const distFile = path.join(dir, 'index.mjs');
    fs.writeFileSync(
      distFile,
      "export function validateEvent(e) { if (e.boom) throw new Error('boom'); return e.bad ? 'bad' : undefined; }\n",
    );
    const c = collector(distFile);
    await post(c, [{ boom: true }, { bad: true }, {}]);
    expect((await events(c)).map((l) => [l.valid, l.problems])).toEqual([
      [false, ['validator threw: boom']],
      [false, ['validator returned string, not a list of problems']],
      [false, ['validator returned undefined, not a list of problems']],
    ]);
  });

  it('picks up a build made while it runs, and reports a build that goes away again', async () => {
    const distFile = path.join(dir, 'index.mjs');
    const c = collector(distFile);
    await post(c, [{ type: 'track' }]);
    fs.writeFileSync(distFile, VALIDATOR);
    await post(c, [{ type: 'track' }]);
    fs.rmSync(distFile);
    await post(c, [{ type: 'track' }]);
    expect((await requests(c)).map((r) => r.validator)).toEqual([
      'unavailable',
      'dist/index.mjs',
      'unavailable',
    ]);
    expect((await events(c)).map((l) => l.valid)).toEqual([false, true, false]);
    expect(error).toHaveBeenCalledTimes(2); // once per time it became unavailable
  });
});
