// P9 (docs/BENCHMARKS.md): imports paper-era members into branch 0 of its own `--dev --tmp` node,
// 12 a batch (the runtime's MaxImportBatch), through registry.proposeImport by Alice (branch 0's
// admin) and registry.confirmImport by a second admin (Bob, appointed through sudo). Each confirm
// is submitted as soon as its proposal is in a block, and the next proposal as soon as the
// confirm is. Prints progress every 500 members, then the totals and the per-batch latency from
// submitting the proposal to the confirm being in a block.
//
// Usage: node dist/bench/import-members.js [--members N]   (default 2,500; $TIMEBANK_NODE as the test)
import { randomBytes } from 'node:crypto';

import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { ISubmittableResult } from '@polkadot/types/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';

import { createTimebankApi } from '../src/index';
import { CONNECT_TIMEOUT_MS, eventNames, moduleError, startDevNode, stopDevNode, submitInBlock, withTimeout } from '../test/dev-node-process';

const BATCH = 12;
const OPENING_BALANCE = 30;
const BRANCH = 0;
/** The runtime's QuotaWindow in blocks: import windows start at block numbers divisible by it. */
const WINDOW_BLOCKS = 600;

function parseMembers(argv: string[]): number {
  const at = argv.indexOf('--members');
  if (at === -1) return 2_500;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--members needs a positive whole number, not ${argv[at + 1]}`);
  return value;
}

function hex32(): string {
  return `0x${randomBytes(32).toString('hex')}`;
}

/** A named field of the first `section.method` event of the result, as a number. */
function eventNumber(result: ISubmittableResult, section: string, method: string, field: string): number | undefined {
  const record = result.events.find(({ event }) => event.section === section && event.method === method);
  if (!record) return undefined;
  const index = record.event.data.names?.indexOf(field) ?? -1;
  if (index < 0) throw new Error(`${section}.${method} has no field ${field}`);
  return Number(record.event.data[index].toString());
}

async function bestNumber(api: ApiPromise): Promise<number> {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

async function main(): Promise<void> {
  const total = parseMembers(process.argv.slice(2));
  const rpcPort = await startDevNode();
  const api = await withTimeout(createTimebankApi(`ws://127.0.0.1:${rpcPort}`), CONNECT_TIMEOUT_MS, 'createTimebankApi did not connect');
  try {
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');

    // Root (the dev chain's sudo key is Alice's) appoints a second admin at once.
    const appointed = await submitInBlock(api.tx.sudo.sudo(api.tx.registry.appointOfficer(BRANCH, bob.address, 'Admin')), alice, 'sudo(registry.appointOfficer)');
    const sudid = appointed.events.find(({ event }) => event.section === 'sudo' && event.method === 'Sudid');
    if (!sudid || !eventNames(appointed).includes('registry.OfficerAppointed')) {
      throw new Error(`Bob was not appointed admin of branch ${BRANCH}: ${eventNames(appointed).join(', ')} ${sudid?.event.data.toString() ?? ''}`);
    }

    console.log(`importing ${total} members into branch ${BRANCH}, ${BATCH} a batch, opening balance ${OPENING_BALANCE}`);
    const latencies: number[] = [];
    let imported = 0;
    let nextReport = 500;
    const started = Date.now();
    while (imported < total) {
      const size = Math.min(BATCH, total - imported);
      const members = Array.from({ length: size }, () => ({
        who: hex32(),
        identityCommitment: hex32(),
        roles: { volunteer: false, recipient: true, familyProxy: false },
        openingBalance: OPENING_BALANCE,
      }));
      const proposedAt = Date.now();
      const proposed = await submitInBlock(api.tx.registry.proposeImport(BRANCH, members, hex32()), alice, 'registry.proposeImport');
      const proposeError = moduleError(api, proposed);
      if (proposeError) throw new Error(`batch ${latencies.length + 1}: proposeImport failed with ${proposeError}`);

      let confirmed: ISubmittableResult;
      for (;;) {
        confirmed = await submitInBlock(api.tx.registry.confirmImport(BRANCH), bob, 'registry.confirmImport');
        const error = moduleError(api, confirmed);
        if (error !== 'registry.ImportLimitReached') {
          if (error) throw new Error(`batch ${latencies.length + 1}: confirmImport failed with ${error}`);
          break;
        }
        const now = await bestNumber(api);
        const windowStart = (Math.floor(now / WINDOW_BLOCKS) + 1) * WINDOW_BLOCKS;
        console.log(`registry.ImportLimitReached at block ${now} (${imported} imported): waiting for the next window, from block ${windowStart}`);
        while ((await bestNumber(api)) < windowStart) await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      const latency = Date.now() - proposedAt;
      const count = eventNumber(confirmed, 'registry', 'ImportConfirmed', 'imported');
      const skipped = eventNumber(confirmed, 'registry', 'ImportConfirmed', 'skipped');
      if (count !== size || skipped !== 0) {
        throw new Error(`batch ${latencies.length + 1}: ImportConfirmed imported ${String(count)}, skipped ${String(skipped)}, expected ${size} and 0; events: ${eventNames(confirmed).join(', ')}`);
      }
      latencies.push(latency);
      imported += size;
      if (imported >= nextReport || imported === total) {
        const elapsed = Date.now() - started;
        console.log(`${imported} members imported, ${seconds(elapsed)} s, ${(imported / (elapsed / 1000)).toFixed(2)} members/s`);
        while (nextReport <= imported) nextReport += 500;
      }
    }
    const elapsed = Date.now() - started;
    const sorted = [...latencies].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    console.log(`members imported: ${imported} in ${latencies.length} batches`);
    console.log(`total: ${seconds(elapsed)} s`);
    console.log(`members per second: ${(imported / (elapsed / 1000)).toFixed(2)}`);
    console.log(`batch latency (proposeImport submitted to confirmImport in a block): min ${seconds(sorted[0])} s, median ${seconds(median)} s, max ${seconds(sorted[sorted.length - 1])} s`);
  } finally {
    await api.disconnect().catch(() => undefined);
    await stopDevNode();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`import-members failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
