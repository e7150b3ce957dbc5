// @polkadot/api against a real development node, configured only by `createTimebankApi`: reads a
// `timebank_*` answer, signs and submits a fee-free officer call with the standard flow, reads
// a pallet's named error from a failed call, onboards an account that has nothing on chain (F1),
// calls the pallets' view functions through `src/views.ts`, reads a listing's details hash and
// checks the staff calls of the registry (log anchors, staff-recorded proxies, paper-era imports),
// withdrawing an application and re-keying a member to a new key (spec 110). Starts its own `--dev --tmp` node on free ports
// (test/dev-node-process.ts) and always kills it. The node binary: $TIMEBANK_NODE, or the release build `scripts/lib.sh` makes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import type { ApiPromise } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex, u8aToString } from '@polkadot/util';
import { cryptoWaitReady, mnemonicGenerate } from '@polkadot/util-crypto';

import {
  actingFor,
  branches,
  callViewFunction,
  createTimebankApi,
  hasApplied,
  keys,
  pendingProxy,
  proxiesOf,
  quota,
  relationsOf,
  REKEY_TAG,
  rekeyMessage,
  rekeyProof,
  timebankRpc,
  trust,
  UnknownViewFunctionError,
} from '../src/index';
import { CONNECT_TIMEOUT_MS, eventNames, moduleError, refusal, startDevNode, stopDevNode, submitInBlock, withTimeout } from './dev-node-process';

/** An account's free native tokens (the metadata gives the shape; no generated types here). */
async function freeBalance(api: ApiPromise, address: string): Promise<bigint> {
  const account = (await api.query.system.account(address)).toJSON() as { data: { free: number | string } };
  return BigInt(account.data.free);
}

/** An account with nothing on chain: a random mnemonic, never funded, never used. */
function freshAccount(keyring: Keyring): KeyringPair {
  return keyring.addFromMnemonic(mnemonicGenerate());
}

describe('@timebank/chain-api against a dev node', { timeout: 180_000 }, () => {
  let api: ApiPromise;
  let alice: KeyringPair;
  let newMember: KeyringPair;
  let keyring: Keyring;
  let applicant: KeyringPair;
  /** The offer Alice publishes for `newMember`. */
  let offerId: number | undefined;
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
    keyring = new Keyring({ type: 'sr25519' });
    alice = keyring.addFromUri('//Alice');
    newMember = keyring.addFromUri(`//TimebankJsClient/${randomBytes(8).toString('hex')}`);
  });

  after(async () => {
    await api?.disconnect().catch(() => undefined);
    await stopDevNode();
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

  it('F1: an account with nothing on chain applies for membership as its first transaction, fee-free', async () => {
    applicant = freshAccount(keyring);
    const account = (await api.query.system.account(applicant.address)).toJSON() as { nonce: number; data: { free: number | string } };
    assert.equal(account.nonce, 0, 'never transacted');
    assert.equal(BigInt(account.data.free), 0n, 'no tokens');
    const before = (await branches(api)).find((b) => b.id === 0);
    assert.ok(before, 'branch 0 is listed');

    const result = await submitInBlock(
      api.tx.registry.applyForMembership(0, `0x${randomBytes(32).toString('hex')}`),
      applicant,
      'registry.applyForMembership from an account with nothing on chain',
    );
    const events = eventNames(result);
    assert.equal(result.dispatchError, undefined, `dispatch failed: ${String(result.dispatchError)}; events: ${events.join(', ')}`);
    assert.ok(events.includes('system.ExtrinsicSuccess'), events.join(', '));
    const applied = result.events.find(({ event }) => event.section === 'registry' && event.method === 'MembershipApplied');
    assert.ok(applied, events.join(', '));
    assert.equal(applied.event.data[0].toString(), api.createType('AccountId32', applicant.address).toString());
    assert.equal(await freeBalance(api, applicant.address), 0n, 'still no tokens: nothing was charged');

    const record = (await api.rpc.timebank.member(applicant.address, result.status.asInBlock)).unwrap().toJSON() as Record<string, unknown>;
    assert.equal(record.status, 'pending', JSON.stringify(record));
    assert.equal(record.homeBranch, 0);
    // The view function at that block (the raw state_call path, since `at` is given).
    const after = (await branches(api, { at: result.status.asInBlock })).find((b) => b.id === 0);
    assert.equal(after?.members.pending, before.members.pending + 1, JSON.stringify(after));
  });

  it('F1: any other call from an empty account still needs fees; applying to an unknown branch is Custom error: 3', async () => {
    const remark = await refusal(api.tx.system.remark('0x01'), freshAccount(keyring), 'system.remark from an empty account');
    assert.match(remark, /Inability to pay some fees|1010/, remark);
    const unknownBranch = await refusal(
      api.tx.registry.applyForMembership(999, `0x${randomBytes(32).toString('hex')}`),
      freshAccount(keyring),
      'registry.applyForMembership to branch 999',
    );
    assert.match(unknownBranch, /Custom error: 3/, unknownBranch);
  });

  it('Alice (branch 0 admin) approves the application and timebank_member shows the applicant active', async () => {
    const result = await submitInBlock(api.tx.registry.approveApplication(applicant.address), alice, 'registry.approveApplication');
    const events = eventNames(result);
    assert.equal(result.dispatchError, undefined, `dispatch failed: ${String(result.dispatchError)}; events: ${events.join(', ')}`);
    assert.ok(events.includes('registry.ApplicationApproved'), events.join(', '));
    const record = (await api.rpc.timebank.member(applicant.address)).unwrap().toJSON() as Record<string, unknown>;
    assert.equal(record.status, 'active', JSON.stringify(record));
  });

  it('view functions: branches (after Alice sets the profile and gateway), quota, trust, relationsOf, pendingProxy, and clear errors', async () => {
    // @polkadot/api read metadata v16 (with the view functions) and decorated the runtime API.
    assert.equal(api.runtimeMetadata.version, 16);
    assert.equal(typeof api.call.runtimeViewFunction?.executeViewFunction, 'function');
    const profileHash = `0x${randomBytes(32).toString('hex')}`;
    const gateway = 'https://gateway.branch0.example/api';
    const profile = await submitInBlock(api.tx.registry.setBranchProfile(0, profileHash, gateway), alice, 'registry.setBranchProfile');
    assert.equal(profile.dispatchError, undefined, eventNames(profile).join(', '));

    const at = await api.rpc.chain.getBlockHash();
    const all = await branches(api, { at });
    const branch0 = all.find((b) => b.id === 0);
    assert.ok(branch0, JSON.stringify(all));
    assert.equal(branch0.parent, null);
    assert.equal(branch0.depth, 0);
    assert.equal(branch0.status, 'active');
    assert.equal(branch0.profileHash, profileHash);
    assert.equal(branch0.gateway, gateway);
    const summary = (await api.rpc.timebank.branchSummary(0, at)).unwrap().toJSON() as Record<string, number>;
    assert.equal(branch0.members.active, summary.activeMembers, `${JSON.stringify(branch0)} vs ${JSON.stringify(summary)}`);
    assert.equal(branch0.members.pending, summary.pendingMembers, `${JSON.stringify(branch0)} vs ${JSON.stringify(summary)}`);
    assert.ok(branch0.members.active >= 2, 'the member Alice registered and the approved applicant');
    // The best block's answer goes through api.call.runtimeViewFunction.executeViewFunction.
    assert.deepEqual((await branches(api)).map((b) => b.id), all.map((b) => b.id));

    const aliceQuota = await quota(api, alice.address);
    assert.ok(aliceQuota.allowance > 0, JSON.stringify(aliceQuota));
    assert.ok(aliceQuota.remaining >= 0 && aliceQuota.remaining <= aliceQuota.allowance, JSON.stringify(aliceQuota));

    assert.deepEqual(await trust(api, applicant.address), {
      level: 0,
      record: { provided: 0, received: 0, ratings: 0, ratingSum: 0 },
    });
    assert.deepEqual(await relationsOf(api, applicant.address), []);
    assert.equal(await pendingProxy(api, applicant.address), null);

    await assert.rejects(callViewFunction(api, 'Registry', 'no_such_view'), (error: unknown) => {
      assert.ok(error instanceof UnknownViewFunctionError, String(error));
      assert.match(error.message, /Registry\.no_such_view.*Registry\.quota/);
      return true;
    });
    await assert.rejects(callViewFunction(api, 'Registry', 'quota', []), /takes 1 argument/);
  });

  it('view functions: proxiesOf and actingFor are empty, then show the proxy a member authorised', async () => {
    const proxy = freshAccount(keyring);
    const registered = await submitInBlock(
      api.tx.registry.registerMember(proxy.address, 0, `0x${randomBytes(32).toString('hex')}`, { volunteer: false, recipient: false, familyProxy: true }),
      alice,
      'registry.registerMember of a family proxy',
    );
    assert.equal(registered.dispatchError, undefined, eventNames(registered).join(', '));
    assert.deepEqual(await proxiesOf(api, newMember.address), []);
    assert.deepEqual(await actingFor(api, proxy.address), []);

    const permissions = { requestServices: true, confirmServices: false, proposeTransfers: false };
    const result = await submitInBlock(api.tx.registry.authoriseProxy(proxy.address, permissions), newMember, 'registry.authoriseProxy');
    const events = eventNames(result);
    assert.equal(result.dispatchError, undefined, `dispatch failed: ${String(result.dispatchError)}; events: ${events.join(', ')}`);
    assert.ok(events.includes('registry.ProxyAuthorised'), events.join(', '));

    const address = (a: string) => api.createType('AccountId32', a).toString();
    assert.deepEqual(await proxiesOf(api, newMember.address), [{ proxy: address(proxy.address), permissions }]);
    assert.deepEqual(await actingFor(api, proxy.address), [{ member: address(newMember.address), permissions }]);
  });

  it('a listing published with a details hash shows it in timebank_listing', async () => {
    const category = 7;
    const set = await submitInBlock(
      api.tx.activities.setCategory(0, category, { risk: 'Low', requiredSkill: null, active: true }),
      alice,
      'activities.setCategory',
    );
    assert.equal(set.dispatchError, undefined, eventNames(set).join(', '));

    const detailsHash = `0x${randomBytes(32).toString('hex')}`;
    const slotStart = Date.now() + 3_600_000;
    const draft = {
      kind: 'Offer', branch: 0, category, slotStart, slotEnd: slotStart + 3_600_000, area: 310104,
      estimatedMinutes: 60, minTrust: 0, maxParticipants: 1, funding: 'Own', detailsHash,
    };
    // Branch staff publishing for a member skip the listing review.
    const result = await submitInBlock(api.tx.activities.publish(draft, newMember.address), alice, 'activities.publish');
    const events = eventNames(result);
    assert.equal(result.dispatchError, undefined, `dispatch failed: ${String(result.dispatchError)}; events: ${events.join(', ')}`);
    const published = result.events.find(({ event }) => event.section === 'activities' && event.method === 'ListingPublished');
    assert.ok(published, events.join(', '));
    const id = Number(published.event.data[0].toString());
    offerId = id;

    const listing = (await api.rpc.timebank.listing(id)).unwrap().toJSON() as Record<string, unknown>;
    assert.equal(listing.detailsHash, detailsHash, JSON.stringify(listing));
    assert.equal(listing.kind, 'offer');
    assert.equal(listing.status, 'open', JSON.stringify(listing));
    assert.equal(await hasApplied(api, id, applicant.address), false);
  });

  it('registry.anchorLog by an officer of branch 0, then the same entries count is registry.LogDidNotGrow', async () => {
    const root = `0x${randomBytes(32).toString('hex')}`;
    const anchored = await submitInBlock(api.tx.registry.anchorLog(0, root, 5), alice, 'registry.anchorLog');
    const events = eventNames(anchored);
    assert.equal(anchored.dispatchError, undefined, `dispatch failed: ${String(moduleError(api, anchored))}; events: ${events.join(', ')}`);
    assert.ok(events.includes('registry.LogAnchored'), events.join(', '));

    const again = await submitInBlock(api.tx.registry.anchorLog(0, `0x${randomBytes(32).toString('hex')}`, 5), alice, 'registry.anchorLog with the same count');
    assert.ok(eventNames(again).includes('system.ExtrinsicFailed'), eventNames(again).join(', '));
    assert.equal(moduleError(api, again), 'registry.LogDidNotGrow');
  });

  it('a staff-recorded proxy: not confirmed by the officer who recorded it, confirmed by the member, then in proxiesOf/actingFor', async () => {
    const member = keyring.addFromUri(`//TimebankJsClient/recorded/${randomBytes(8).toString('hex')}`);
    const proxy = freshAccount(keyring);
    for (const [who, memberRoles] of [
      [member, { volunteer: false, recipient: true, familyProxy: false }],
      [proxy, { volunteer: false, recipient: false, familyProxy: true }],
    ] as const) {
      const registered = await submitInBlock(api.tx.registry.registerMember(who.address, 0, `0x${randomBytes(32).toString('hex')}`, memberRoles), alice, 'registry.registerMember');
      assert.equal(registered.dispatchError, undefined, `${String(moduleError(api, registered))}; ${eventNames(registered).join(', ')}`);
    }

    const permissions = { requestServices: true, confirmServices: true, proposeTransfers: false };
    const recorded = await submitInBlock(
      api.tx.registry.recordProxy(member.address, proxy.address, permissions, `0x${randomBytes(32).toString('hex')}`),
      alice,
      'registry.recordProxy',
    );
    assert.equal(recorded.dispatchError, undefined, `${String(moduleError(api, recorded))}; ${eventNames(recorded).join(', ')}`);
    assert.deepEqual(await proxiesOf(api, member.address), [], 'not in effect before it is confirmed');

    const byRecorder = await submitInBlock(api.tx.registry.confirmProxy(member.address), alice, 'registry.confirmProxy by the recording officer');
    assert.equal(moduleError(api, byRecorder), 'registry.SameOfficer');

    const byMember = await submitInBlock(api.tx.registry.confirmProxy(member.address), member, 'registry.confirmProxy by the member');
    const events = eventNames(byMember);
    assert.equal(byMember.dispatchError, undefined, `dispatch failed: ${String(moduleError(api, byMember))}; events: ${events.join(', ')}`);
    assert.ok(events.includes('registry.ProxyConfirmed'), events.join(', '));

    const address = (a: string) => api.createType('AccountId32', a).toString();
    assert.deepEqual(await proxiesOf(api, member.address), [{ proxy: address(proxy.address), permissions }]);
    assert.deepEqual(await actingFor(api, proxy.address), [{ member: address(member.address), permissions }]);
  });

  it('activities.withdrawApplication: a member applies to the offer, withdraws, and withdrawing again is activities.NotAnApplicant', async () => {
    assert.ok(offerId !== undefined, 'the offer was published by the test before');
    const listing = offerId;
    const applied = await submitInBlock(api.tx.activities.apply(listing), applicant, 'activities.apply');
    assert.equal(applied.dispatchError, undefined, `${String(moduleError(api, applied))}; ${eventNames(applied).join(', ')}`);
    assert.equal(await hasApplied(api, listing, applicant.address), true);

    const withdrawn = await submitInBlock(api.tx.activities.withdrawApplication(listing), applicant, 'activities.withdrawApplication');
    const events = eventNames(withdrawn);
    assert.equal(withdrawn.dispatchError, undefined, `dispatch failed: ${String(moduleError(api, withdrawn))}; events: ${events.join(', ')}`);
    assert.ok(events.includes('activities.ApplicationWithdrawn'), events.join(', '));
    assert.equal(await hasApplied(api, listing, applicant.address), false);

    const again = await submitInBlock(api.tx.activities.withdrawApplication(listing), applicant, 'activities.withdrawApplication again');
    assert.equal(moduleError(api, again), 'activities.NotAnApplicant');
  });

  it('imports 12 paper-era members: Alice proposes, a second admin (appointed through sudo) confirms; 13 do not even encode', async () => {
    const bob = keyring.addFromUri('//Bob');
    // Root (the dev chain's sudo key is Alice's) appoints a second admin at once.
    const appointed = await submitInBlock(api.tx.sudo.sudo(api.tx.registry.appointOfficer(0, bob.address, 'Admin')), alice, 'sudo(registry.appointOfficer)');
    assert.ok(eventNames(appointed).includes('registry.OfficerAppointed'), eventNames(appointed).join(', '));

    const importedMember = () => ({
      who: `0x${randomBytes(32).toString('hex')}`,
      identityCommitment: `0x${randomBytes(32).toString('hex')}`,
      roles: { volunteer: false, recipient: true, familyProxy: false },
      openingBalance: 30,
    });
    const thirteen = Array.from({ length: 13 }, importedMember);
    const tooMany = await refusal(api.tx.registry.proposeImport(0, thirteen, `0x${randomBytes(32).toString('hex')}`), alice, 'registry.proposeImport of 13 members');
    // The runtime cannot decode the call (the batch is bounded to 12), so the pool's validation fails.
    assert.match(tooMany, /1002: Verification Error/, tooMany);

    const members = thirteen.slice(0, 12);
    const proposed = await submitInBlock(api.tx.registry.proposeImport(0, members, `0x${randomBytes(32).toString('hex')}`), alice, 'registry.proposeImport');
    assert.equal(proposed.dispatchError, undefined, `${String(moduleError(api, proposed))}; ${eventNames(proposed).join(', ')}`);
    assert.ok(eventNames(proposed).includes('registry.ImportProposed'), eventNames(proposed).join(', '));

    const confirmed = await submitInBlock(api.tx.registry.confirmImport(0), bob, 'registry.confirmImport by the second admin');
    const events = eventNames(confirmed);
    assert.equal(confirmed.dispatchError, undefined, `dispatch failed: ${String(moduleError(api, confirmed))}; events: ${events.join(', ')}`);
    const done = confirmed.events.find(({ event }) => event.section === 'registry' && event.method === 'ImportConfirmed');
    assert.ok(done, events.join(', '));
    const field = (name: string) => {
      const index = done.event.data.names?.indexOf(name) ?? -1;
      assert.ok(index >= 0, `ImportConfirmed has ${name}: ${String(done.event.data.names)}`);
      return Number(done.event.data[index].toString());
    };
    assert.equal(field('imported'), 12);
    assert.equal(field('skipped'), 0);

    const record = (await api.rpc.timebank.member(members[0].who, confirmed.status.asInBlock)).unwrap().toJSON() as Record<string, unknown>;
    assert.equal(record.status, 'active', JSON.stringify(record));
    assert.equal(record.homeBranch, 0, JSON.stringify(record));
    const balances = (await api.rpc.timebank.balances(members[0].who, confirmed.status.asInBlock)).toJSON() as Record<string, number>;
    assert.equal(balances.spendable, 30, JSON.stringify(balances));
  });

  it('rekeyMessage: "timebank/rekey" ‖ genesis hash ‖ old ‖ new, 110 bytes', () => {
    const old = freshAccount(keyring);
    const next = freshAccount(keyring);
    const message = rekeyMessage(api.genesisHash, old.address, next.address);
    assert.equal(message.length, 110);
    assert.equal(u8aToString(message.subarray(0, 14)), REKEY_TAG);
    assert.equal(u8aToHex(message.subarray(14, 46)), api.genesisHash.toHex());
    assert.deepEqual(message.subarray(46, 78), old.publicKey);
    assert.deepEqual(message.subarray(78, 110), next.publicKey);
    assert.deepEqual(rekeyMessage(api.genesisHash.toHex(), old.publicKey, u8aToHex(next.publicKey)), message);
  });

  it('re-keying: a member moves to a new key (registry.requestRekey, approveRekey by Alice); the old key is retired (Custom error: 4)', async () => {
    const old = keyring.addFromUri(`//TimebankJsClient/rekey/${randomBytes(8).toString('hex')}`);
    const next = freshAccount(keyring);
    const address = (a: string) => api.createType('AccountId32', a).toString();
    const memberCommitment = `0x${randomBytes(32).toString('hex')}`;
    const memberRoles = { volunteer: true, recipient: true, familyProxy: false };
    const registered = await submitInBlock(api.tx.registry.registerMember(old.address, 0, memberCommitment, memberRoles), alice, 'registry.registerMember');
    assert.equal(registered.dispatchError, undefined, `${String(moduleError(api, registered))}; ${eventNames(registered).join(', ')}`);
    assert.deepEqual(await keys(api, old.address), { pending: null, rekeyedTo: null, previousKeys: [] });

    // A proof the new key did not make for itself: signed by another key, for that other key.
    const other = freshAccount(keyring);
    const wrong = await submitInBlock(api.tx.registry.requestRekey(next.address, rekeyProof(api, old.address, other)), old, 'registry.requestRekey with a proof for another key');
    assert.ok(eventNames(wrong).includes('system.ExtrinsicFailed'), eventNames(wrong).join(', '));
    assert.equal(moduleError(api, wrong), 'registry.BadRekeyProof');
    assert.equal((await keys(api, old.address)).pending, null, 'a refused request leaves nothing waiting');

    const requested = await submitInBlock(api.tx.registry.requestRekey(next.address, rekeyProof(api, old.address, next)), old, 'registry.requestRekey');
    assert.equal(requested.dispatchError, undefined, `${String(moduleError(api, requested))}; ${eventNames(requested).join(', ')}`);
    assert.ok(eventNames(requested).includes('registry.RekeyRequested'), eventNames(requested).join(', '));
    const requestedAt = (await api.rpc.chain.getHeader(requested.status.asInBlock)).number.toNumber();
    assert.deepEqual((await keys(api, old.address)).pending, {
      new: address(next.address),
      requestedBy: address(old.address),
      byStaff: false,
      evidence: `0x${'00'.repeat(32)}`,
      requestedAt,
    });

    const approved = await submitInBlock(api.tx.registry.approveRekey(old.address), alice, 'registry.approveRekey');
    const events = eventNames(approved);
    assert.equal(approved.dispatchError, undefined, `dispatch failed: ${String(moduleError(api, approved))}; events: ${events.join(', ')}`);
    const rekeyed = approved.events.find(({ event }) => event.section === 'registry' && event.method === 'Rekeyed');
    assert.ok(rekeyed, events.join(', '));
    const field = (name: string) => {
      const index = rekeyed.event.data.names?.indexOf(name) ?? -1;
      assert.ok(index >= 0, `Rekeyed has ${name}: ${String(rekeyed.event.data.names)}`);
      return rekeyed.event.data[index].toString();
    };
    assert.equal(field('old'), address(old.address));
    // @polkadot/api renames the field `new` (a reserved word) to `new_`.
    assert.equal(field('new_'), address(next.address));
    assert.equal(field('requestedBy'), address(old.address));
    assert.equal(field('approvedBy'), address(alice.address));

    assert.deepEqual(await keys(api, old.address), { pending: null, rekeyedTo: address(next.address), previousKeys: [] });
    assert.deepEqual(await keys(api, next.address), { pending: null, rekeyedTo: null, previousKeys: [address(old.address)] });
    assert.ok((await api.rpc.timebank.member(old.address)).isNone, 'the old key is no longer a member');
    const member = await api.rpc.timebank.member(next.address);
    assert.ok(member.isSome, 'the member is under the new key');
    const record = member.unwrap().toJSON() as Record<string, unknown>;
    assert.equal(record.homeBranch, 0, JSON.stringify(record));
    assert.equal(record.identityCommitment, memberCommitment);
    assert.deepEqual(record.roles, memberRoles);
    assert.equal(record.status, 'active', JSON.stringify(record));

    // The new key, which never held native tokens, signs a fee-free member call.
    const will = await submitInBlock(api.tx.ledger.setTimeWill([]), next, 'ledger.setTimeWill by the new key');
    assert.equal(will.dispatchError, undefined, `dispatch failed: ${String(moduleError(api, will))}; events: ${eventNames(will).join(', ')}`);
    assert.ok(eventNames(will).includes('ledger.TimeWillSet'), eventNames(will).join(', '));

    // The old key's transactions are refused by the pool, whatever the call.
    const retired = await refusal(api.tx.ledger.setTimeWill([]), old, 'ledger.setTimeWill by the retired key');
    assert.match(retired, /Custom error: 4/, retired);
  });

  it('the unsafe timebank_checkInvariants holds on the node operator\'s own (localhost) node', async () => {
    const report = (await api.rpc.timebank.checkInvariants()).toJSON() as { holds: boolean; failure: unknown };
    assert.equal(report.holds, true, JSON.stringify(report));
    assert.equal(report.failure, null);
  });
});
