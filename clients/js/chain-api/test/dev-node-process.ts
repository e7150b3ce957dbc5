// A `--dev --tmp` node of the release build on free ports, and the submit helpers, shared by the
// dev-node test (test/dev-node.test.ts) and the measurement programs (bench/). The node binary:
// $TIMEBANK_NODE, or the release build `scripts/lib.sh` makes.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, existsSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ApiPromise } from '@polkadot/api';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { ISubmittableResult } from '@polkadot/types/types';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME ?? '/root', '.cache/timebank/target');
export const nodeBinary = process.env.TIMEBANK_NODE ?? join(targetDir, 'release/timebank-node');

export const NODE_START_TIMEOUT_MS = 60_000;
export const CONNECT_TIMEOUT_MS = 30_000;
export const IN_BLOCK_TIMEOUT_MS = 30_000;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}${nodeLogTail()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A loopback TCP port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let node: ChildProcess | undefined;
let nodeExit: Promise<void> = Promise.resolve();
let workDir = '';
let logPath = '';

export function nodeLogTail(): string {
  if (!logPath || !existsSync(logPath)) return '';
  return `\nlast lines of the node log (${logPath}):\n${readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n')}`;
}

function killNode(): void {
  if (node && node.exitCode === null && node.signalCode === null) node.kill('SIGKILL');
}
// Also when the process dies without stopping the node (an uncaught error, Ctrl-C).
process.on('exit', killNode);

/** Starts the node and resolves with its RPC port once it has produced a block. */
export async function startDevNode(): Promise<number> {
  assert.ok(existsSync(nodeBinary), `no node binary at ${nodeBinary}: build it (scripts/run-dev) or set TIMEBANK_NODE`);
  workDir = mkdtempSync(join(tmpdir(), 'timebank-js-client-'));
  logPath = join(workDir, 'node.log');
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  const log = openSync(logPath, 'a');
  node = spawn(
    nodeBinary,
    ['--dev', '--tmp', '--rpc-port', String(rpcPort), '--port', String(p2pPort),
      '--no-prometheus', '--no-telemetry', '--no-mdns'],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const child = node;
  nodeExit = new Promise((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  // Wait until it answers JSON-RPC over HTTP (same port as WebSocket) and has produced a block.
  const deadline = Date.now() + NODE_START_TIMEOUT_MS;
  for (;;) {
    if (spawnError) assert.fail(`cannot start ${nodeBinary}: ${spawnError.message}`);
    if (child.exitCode !== null) assert.fail(`the node exited with code ${child.exitCode} before serving RPC${nodeLogTail()}`);
    try {
      const reply = await fetch(`http://127.0.0.1:${rpcPort}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'chain_getHeader', params: [] }),
        signal: AbortSignal.timeout(2_000),
      });
      const header = (await reply.json()) as { result?: { number?: string } };
      if (header.result?.number !== undefined && Number(header.result.number) >= 1) return rpcPort;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) assert.fail(`the node served no block over RPC within ${NODE_START_TIMEOUT_MS / 1000} s${nodeLogTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Stops the node (SIGTERM, then SIGKILL after 10 s) and removes its directory. */
export async function stopDevNode(): Promise<void> {
  if (node && node.exitCode === null && node.signalCode === null) {
    node.kill('SIGTERM');
    const stopped = await Promise.race([nodeExit.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
    if (!stopped) killNode();
    await nodeExit;
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}

/** Signs with @polkadot/api's normal flow and resolves with the result once the call is in a block. */
export function submitInBlock(tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair, what: string): Promise<ISubmittableResult> {
  const sent = new Promise<ISubmittableResult>((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    let settled = false;
    tx.signAndSend(signer, (result) => {
      if (settled) return;
      if (result.status.isInBlock) {
        settled = true;
        unsubscribe?.();
        resolve(result);
      } else if (result.isError) {
        settled = true;
        unsubscribe?.();
        reject(new Error(`${what}: the transaction was ${result.status.type}`));
      }
    })
      .then((unsub) => {
        unsubscribe = unsub;
        if (settled) unsub();
      })
      .catch((error: unknown) => reject(new Error(`${what}: refused: ${String(error)}`)));
  });
  return withTimeout(sent, IN_BLOCK_TIMEOUT_MS, `${what} was not included in a block`);
}

/** Signs and submits a call that the node must refuse before it enters the pool; the refusal's message. */
export async function refusal(tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair, what: string): Promise<string> {
  try {
    await submitInBlock(tx, signer, what);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return assert.fail(`${what} was included in a block; it should have been refused`);
}

export function eventNames(result: ISubmittableResult): string[] {
  return result.events.map(({ event }) => `${event.section}.${event.method}`);
}

/** The failed call's named module error, `pallet.Error`, or undefined when it succeeded. */
export function moduleError(api: ApiPromise, result: ISubmittableResult): string | undefined {
  const error = result.dispatchError;
  if (!error) return undefined;
  if (!error.isModule) return error.toString();
  const { section, name } = api.registry.findMetaError(error.asModule);
  return `${section}.${name}`;
}
