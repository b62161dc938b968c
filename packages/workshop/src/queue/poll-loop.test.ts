import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startPollLoop } from './poll-loop.js';

test('stopping a poll loop aborts the signal its round was given, and waits for that round to end', async () => {
  let signal: AbortSignal | undefined;
  let started!: () => void;
  const running = new Promise<void>((resolve) => { started = resolve; });
  const loop = startPollLoop(async (stopping) => {
    signal = stopping;
    started();
    // A round that waits until it is told to stop, as a relay retrying a broker that is down.
    await new Promise((resolve) => stopping.addEventListener('abort', resolve, { once: true }));
    return false;
  }, { intervalMs: 10, maxErrorDelayMs: 100, onError: () => undefined });
  await running;
  assert.equal(signal?.aborted, false);
  await loop.stop();
  assert.equal(signal?.aborted, true);
});
