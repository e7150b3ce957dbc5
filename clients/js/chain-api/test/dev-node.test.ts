// @polkadot/api against a real development node, configured only by `createTimebankApi`: reads a
// `timebank_*` answer, signs and submits a fee-free officer call with the standard flow, and reads
// a pallet's named error from a failed call. Starts its own `--dev --tmp` node on free ports and
// always kills it. The node binary: $TIMEBANK_NODE, or the release build `scripts/lib.sh` makes.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, existsSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { ISubmittableResult } from '@polkadot/types/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { createTimebankApi, timebankRpc } from '../src/index';

const targetDir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME ?? '/root', '.cache/timebank/target');
const nodeBinary = process.env.TIMEBANK_NODE ?? join(targetDir, 'release/timebank-node');

const NODE_START_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 30_000;
const IN_BLOCK_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
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

function nodeLogTail(): string {
  if (!logPath || !existsSync(logPath)) return '';
  return `\nlast lines of the node log (${logPath}):\n${readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n')}`;
}

function killNode(): void {
  if (node && node.exitCode === null && node.signalCode === null) node.kill('SIGKILL');
}
// Also when the test process dies without running `after` (an uncaught error, Ctrl-C).
process.on('exit', killNode);

async function startDevNode(): Promise<number> {
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

/** An account's free native tokens (the metadata gives the shape; no generated types here). */
async function freeBalance(api: ApiPromise, address: string): Promise<bigint> {
  const account = (await api.query.system.account(address)).toJSON() as { data: { free: number | string } };
  return BigInt(account.data.free);
}

/** Signs with @polkadot/api's normal flow and resolves with the result once the call is in a block. */
function submitInBlock(tx: SubmittableExtrinsic<'promise'>, signer: KeyringPair, what: string): Promise<ISubmittableResult> {
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

describe('@timebank/chain-api against a dev node', { timeout: 180_000 }, () => {
  let api: ApiPromise;
  let alice: KeyringPair;
  let newMember: KeyringPair;
  const apiMessages: string[] = [];
  const commitment = `0x${randomBytes(32).toString('hex')}`;
  const roles = { volunteer: true, recipient: false, familyProxy: false };

  before(async () => {
    const rpcPort = await startDevNode();
    // Keep what @polkadot/api prints while it reads the chain's metadata: a missing definition
    // shows up there ("Unknown signed extensions …", "… not decorated").
    const original = { log: console.log, warn: console.warn, error: console.error };
    const capture = (...args: unknown[]) => apiMessages.push(args.map(String).join(' '));
    console.log = console.warn = console.error = capture;
    try {
      api = await withTimeout(createTimebankApi(`ws://127.0.0.1:${rpcPort}`), CONNECT_TIMEOUT_MS, 'createTimebankApi did not connect');
    } finally {
      Object.assign(console, original);
    }
    for (const message of apiMessages) console.log(`@polkadot/api said: ${message}`);
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
    newMember = keyring.addFromUri(`//TimebankJsClient/${randomBytes(8).toString('hex')}`);
  });

  after(async () => {
    await api?.disconnect().catch(() => undefined);
    if (node && node.exitCode === null && node.signalCode === null) {
      node.kill('SIGTERM');
      const stopped = await Promise.race([nodeExit.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
      if (!stopped) killNode();
      await nodeExit;
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('needs no configuration beyond the package: no unknown extension, every timebank_* method decorated', () => {
    // @polkadot/api also lists the node's standard methods it has no definitions of (the new
    // JSON-RPC spec's chainHead_v1_*, transaction_v1_*, …): not ours to declare, so not checked.
    const unknown = apiMessages.filter((m) => /unknown signed extension|timebank_|unable to (map|decode)/i.test(m));
    assert.deepEqual(unknown, [], '@polkadot/api warned while reading the metadata');
    assert.ok(api.registry.signedExtensions.includes('CheckMemberQuota'), `the runtime's extensions: ${api.registry.signedExtensions.join(', ')}`);
    assert.deepEqual(Object.keys(api.rpc.timebank).sort(), Object.keys(timebankRpc).sort());
  });

  it("reads branch 0's summary with api.rpc.timebank.branchSummary", async () => {
    const summary = await api.rpc.timebank.branchSummary(0);
    assert.ok(summary.isSome, 'branch 0 has a summary');
    const facts = summary.unwrap().toJSON() as Record<string, unknown>;
    assert.equal(facts.branch, 0);
    assert.equal(facts.parent, null);
    assert.equal(facts.active, true);
    for (const key of ['pendingMembers', 'activeMembers', 'redemptionLiability', 'outstandingSpendable', 'poolBalance', 'policyVersion']) {
      assert.equal(typeof facts[key], 'number', `${key} in ${JSON.stringify(facts)}`);
    }
    assert.ok(Array.isArray(facts.clearingPositions), JSON.stringify(facts));
    assert.ok((await api.rpc.timebank.branchSummary(9_999)).isNone, 'an unknown branch has no summary');
  });

  it('Alice (branch 0 admin) registers a new member with signAndSend, fee-free, and timebank_member shows it', async () => {
    assert.ok((await api.rpc.timebank.member(newMember.address)).isNone, 'not a member yet');
    const summaryBefore = (await api.rpc.timebank.branchSummary(0)).unwrap().toJSON() as Record<string, number>;
    const aliceBefore = await freeBalance(api, alice.address);

    const result = await submitInBlock(
      api.tx.registry.registerMember(newMember.address, 0, commitment, roles),
      alice,
      'registry.registerMember',
    );
    const events = result.events.map(({ event }) => `${event.section}.${event.method}`);
    assert.equal(result.dispatchError, undefined, `dispatch failed: ${String(result.dispatchError)}; events: ${events.join(', ')}`);
    assert.ok(events.includes('system.ExtrinsicSuccess'), events.join(', '));
    assert.ok(!events.includes('system.ExtrinsicFailed'), events.join(', '));
    assert.ok(events.includes('registry.MemberRegistered'), events.join(', '));
    const aliceAfter = await freeBalance(api, alice.address);
    assert.equal(aliceAfter, aliceBefore, 'an officer call costs no fee');

    const member = await api.rpc.timebank.member(newMember.address, result.status.asInBlock);
    assert.ok(member.isSome, 'the new account is a member in the block that included the call');
    const record = member.unwrap().toJSON() as Record<string, unknown>;
    assert.equal(record.homeBranch, 0, JSON.stringify(record));
    assert.equal(record.identityCommitment, commitment);
    assert.deepEqual(record.roles, roles);
    assert.equal(record.status, 'active', JSON.stringify(record));

    const afterSummary = (await api.rpc.timebank.branchSummary(0, result.status.asInBlock)).unwrap().toJSON() as Record<string, number>;
    assert.equal(afterSummary.activeMembers, summaryBefore.activeMembers + 1, 'branch 0 counts one more active member');
    assert.deepEqual((await api.rpc.timebank.balances(newMember.address)).toJSON(), { spendable: 0, donationOnly: 0, honorary: 0, inEscrow: 0 });
    const log = (await api.rpc.timebank.auditLog({ Member: newMember.address })).toJSON() as { total: number; entries: unknown[] };
    assert.equal(log.total, log.entries.length, JSON.stringify(log));
  });

  it('a refused call names the pallet error: registering the same account again is registry.AlreadyMember', async () => {
    const result = await submitInBlock(
      api.tx.registry.registerMember(newMember.address, 0, commitment, roles),
      alice,
      'the second registry.registerMember',
    );
    const events = result.events.map(({ event }) => `${event.section}.${event.method}`);
    assert.ok(events.includes('system.ExtrinsicFailed'), events.join(', '));
    const error = result.dispatchError;
    assert.ok(error?.isModule, `a module error, not ${String(error)}`);
    const { section, name } = api.registry.findMetaError(error.asModule);
    assert.equal(`${section}.${name}`, 'registry.AlreadyMember');
  });

  it('the unsafe timebank_checkInvariants holds on the node operator\'s own (localhost) node', async () => {
    const report = (await api.rpc.timebank.checkInvariants()).toJSON() as { holds: boolean; failure: unknown };
    assert.equal(report.holds, true, JSON.stringify(report));
    assert.equal(report.failure, null);
  });
});
