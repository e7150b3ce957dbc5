//! Reading finalised blocks, for the watcher and the indexer. A block costs the node two
//! requests, sent together: `chain_getBlock` (its header and body) and `state_queryStorageAt` for
//! its events and `System.LastRuntimeUpgrade`, the version of the runtime that executed it (the
//! runtime writes it when a new version runs its first block). The block is then decoded here,
//! offline, with the metadata of that version, which is fetched once per version. subxt's own way
//! asks the node to run its runtime (`Core_version`) for every block, and a third request for
//! the header; on a chain of a million entries that was a third of the node's work per block.

use super::{dispatch_refusal, AtBlock, Chain, ChainConfig, ChainError, Hash, Included, Refusal};
use crate::projection::Decoding;
use std::{
	collections::BTreeSet,
	sync::{Arc, LazyLock},
};
use subxt::{
	client::OfflineClient,
	config::substrate::SpecVersionForRange,
	ext::codec::{Compact, Decode},
	utils::H256,
	SubstrateConfig,
};

/// A decoder of blocks executed by one runtime version.
#[derive(Clone)]
pub(super) struct Decoder {
	client: OfflineClient<ChainConfig>,
	/// The pallets whose events decode as the generated types: their event type in this
	/// runtime is the one the types were generated from.
	generated: Arc<BTreeSet<String>>,
}

/// The metadata `timebank-chain-api` was generated from, decoded once.
static GENERATED_FROM: LazyLock<Option<subxt::Metadata>> =
	LazyLock::new(|| subxt::Metadata::decode_from(timebank_chain_api::METADATA).ok());

/// The pallets with events in the runtime the generated types were made from, by name, in
/// order: what [`pallets_with_generated_events`] names for blocks of that runtime.
pub fn pallets_with_events() -> Vec<String> {
	GENERATED_FROM.as_ref().map_or_else(Vec::new, |generated| {
		generated
			.pallets()
			.filter(|pallet| pallet.event_ty_id().is_some())
			.map(|pallet| pallet.name().to_owned())
			.collect::<BTreeSet<_>>()
			.into_iter()
			.collect()
	})
}

/// The pallets of `metadata` whose event type is, field for field, the one the generated types
/// were made from (the metadata's type hashes compare shapes, not type numbers), so plain SCALE
/// decoding reads their events exactly as decoding by name would.
pub(crate) fn pallets_with_generated_events(metadata: &subxt::Metadata) -> BTreeSet<String> {
	let Some(generated) = GENERATED_FROM.as_ref() else { return BTreeSet::new() };
	metadata
		.pallets()
		.filter(|pallet| {
			let ours = pallet.event_ty_id().and_then(|id| metadata.type_hash(id));
			let theirs = generated
				.pallet_by_name(pallet.name())
				.and_then(|p| p.event_ty_id())
				.and_then(|id| generated.type_hash(id));
			ours.is_some() && ours == theirs
		})
		.map(|pallet| pallet.name().to_owned())
		.collect()
}

/// The storage key of a plain storage value: `twox128(pallet) ++ twox128(item)`.
fn value_key(pallet: &str, item: &str) -> Vec<u8> {
	let mut key = sp_crypto_hashing::twox_128(pallet.as_bytes()).to_vec();
	key.extend(sp_crypto_hashing::twox_128(item.as_bytes()));
	key
}

/// What the two requests bring back for one block.
struct RawBlock {
	parent: [u8; 32],
	extrinsics: Vec<Vec<u8>>,
	events: Vec<u8>,
	/// The spec version that executed the block, if the state records it.
	spec_version: Option<u32>,
}

impl Chain {
	/// The signed transactions in block `hash` and how each ended (the block's changes to the
	/// index are not worked out: the watcher does not need them).
	pub async fn included(&self, number: u64, hash: Hash) -> Result<Vec<Included>, ChainError> {
		let block = self.read_block(number, hash, false, None).await?;
		Ok(block
			.extrinsics
			.into_iter()
			.filter_map(|x| {
				Some(Included {
					signer: x.signer?,
					nonce: x.nonce?,
					index: x.index,
					hash: x.hash,
					refusal: x.refusal,
				})
			})
			.collect())
	}

	/// Block `number` (hash `hash`) decoded with the metadata of its own runtime: its parent,
	/// every extrinsic and how it ended, and the changes its events make to the indexer's tables.
	pub async fn block(&self, number: u64, hash: Hash) -> Result<Block, ChainError> {
		self.read_block(number, hash, true, None).await
	}

	/// [`Chain::block`] with every event decoded field by field, by name, as blocks of other
	/// runtimes are, even where the faster plain decoding applies: a test compares the two.
	#[doc(hidden)]
	pub async fn block_decoded_by_field_name(
		&self,
		number: u64,
		hash: Hash,
	) -> Result<Block, ChainError> {
		self.read_block(number, hash, true, Some(Decoding::ByFieldName)).await
	}

	/// The runtime versions whose blocks this client has decoded so far, by version, each with
	/// the pallets whose events it decodes as the generated types (the others by field name).
	pub fn pallets_with_generated_events_by_version(&self) -> Vec<(u32, Vec<String>)> {
		let decoders = self.decoders.read().unwrap_or_else(std::sync::PoisonError::into_inner);
		let mut versions: Vec<_> = decoders
			.iter()
			.map(|(version, decoder)| (*version, decoder.generated.iter().cloned().collect()))
			.collect();
		versions.sort_unstable_by_key(|(version, _)| *version);
		versions
	}

	/// [`Chain::block`]; its `changes` left empty unless `project`, which also spares the node
	/// the reads of published listings. The events decode as `decoding` says, or else as the
	/// generated types where their runtime allows.
	async fn read_block(
		&self,
		number: u64,
		hash: Hash,
		project: bool,
		decoding: Option<Decoding>,
	) -> Result<Block, ChainError> {
		let raw = self.raw_block(number, hash).await?;
		let decoder = self.decoder(raw.spec_version, number, hash, H256(raw.parent)).await?;
		let unexpected = |e: &dyn std::fmt::Display| ChainError::Unexpected {
			what: "a finalised block",
			reason: format!("block {number}: {e}"),
		};
		let at = decoder.client.at_block(number).map_err(|e| unexpected(&e))?;
		let events = at.events().from_bytes(raw.events);
		let mut failures = std::collections::BTreeMap::new();
		let mut projection = crate::projection::Projection::default();
		for event in events.iter() {
			let event = event.map_err(|e| unexpected(&e))?;
			if event.pallet_name() == "System" && event.event_name() == "ExtrinsicFailed" {
				if let subxt::events::Phase::ApplyExtrinsic(i) = event.phase() {
					failures.insert(i, dispatch_refusal(at.metadata_ref(), event.field_bytes()));
				}
			}
			if project {
				let decoding =
					decoding.unwrap_or(if decoder.generated.contains(event.pallet_name()) {
						Decoding::Generated
					} else {
						Decoding::ByFieldName
					});
				projection.add(&event, decoding, number).map_err(|e| unexpected(&e))?;
			}
		}
		let listings = std::mem::take(&mut projection.published_listings);
		projection.statements.extend(self.listing_details(number, hash, listings).await?);
		let extrinsics = at.extrinsics().from_bytes(raw.extrinsics).await;
		let mut out = Vec::new();
		let mut time_ms = None;
		for extrinsic in extrinsics.iter() {
			let extrinsic = extrinsic.map_err(|e| unexpected(&e))?;
			if extrinsic.pallet_name() == "Timestamp" && extrinsic.call_name() == "set" {
				// `set(now: Compact<u64>)`: the block's time, which every block carries.
				use subxt::ext::codec::{Compact, Decode};
				let mut fields = extrinsic.call_data_field_bytes();
				time_ms = Compact::<u64>::decode(&mut fields).ok().map(|now| now.0);
			}
			// MultiAddress::Id: one variant byte, then the account.
			let signer = extrinsic
				.address_bytes()
				.and_then(|address| address.get(1..33))
				.and_then(|a| <[u8; 32]>::try_from(a).ok());
			let nonce = extrinsic.transaction_extensions().and_then(|e| e.nonce());
			let index = extrinsic.index() as u32;
			out.push(BlockExtrinsic {
				index,
				hash: extrinsic.hash().0,
				signer,
				nonce,
				pallet: extrinsic.pallet_name().to_owned(),
				call: extrinsic.call_name().to_owned(),
				refusal: failures.remove(&index),
			});
		}
		Ok(Block { parent: raw.parent, time_ms, extrinsics: out, changes: projection.statements })
	}

	/// The block's header and body, its events and its runtime's version, in two requests
	/// sent together.
	async fn raw_block(&self, number: u64, hash: Hash) -> Result<RawBlock, ChainError> {
		use super::wire::{SignedBlock, StorageChangeSet};
		let connection = self.conn();
		let (events_key, version_key) =
			(value_key("System", "Events"), value_key("System", "LastRuntimeUpgrade"));
		let unexpected = |what: &'static str, e: &dyn std::fmt::Display| ChainError::Unexpected {
			what,
			reason: format!("block {number}: {e}"),
		};
		let keys = [&events_key, &version_key].map(|key| format!("0x{}", hex::encode(key)));
		let mut block_params = subxt::rpcs::client::RpcParams::new();
		block_params.push(hash).map_err(|e| unexpected("chain_getBlock", &e))?;
		let mut storage_params = subxt::rpcs::client::RpcParams::new();
		storage_params.push(keys).map_err(|e| unexpected("state_queryStorageAt", &e))?;
		storage_params.push(hash).map_err(|e| unexpected("state_queryStorageAt", &e))?;
		let (body, state) = futures::try_join!(
			connection.raw.request::<Option<SignedBlock>>("chain_getBlock", block_params),
			connection.raw.request::<Vec<StorageChangeSet>>("state_queryStorageAt", storage_params),
		)
		.map_err(|e| self.unreachable(e))?;
		let body = body.ok_or(ChainError::Unexpected {
			what: "chain_getBlock",
			reason: format!("no block {number}"),
		})?;
		let mut values: Vec<_> = state.into_iter().flat_map(|set| set.changes).collect();
		let mut value = |key: &[u8]| {
			let at = values.iter().position(|(k, _)| k.0 == key)?;
			values.swap_remove(at).1.map(|v| v.0)
		};
		let events = value(&events_key).unwrap_or_default();
		// `LastRuntimeUpgradeInfo { spec_version: Compact<u32>, spec_name }`: only the first field.
		let spec_version = value(&version_key)
			.and_then(|bytes| <Compact<u32>>::decode(&mut bytes.as_slice()).ok())
			.map(|c| c.0);
		let parent = <[u8; 32]>::try_from(body.block.header.parent_hash.0)
			.map_err(|_| unexpected("chain_getBlock", &"a parent hash that is not 32 bytes"))?;
		Ok(RawBlock {
			parent,
			extrinsics: body.block.extrinsics.into_iter().map(|b| b.0).collect(),
			events,
			spec_version,
		})
	}

	/// The decoder for blocks of `spec_version`, made on first use from the metadata of the
	/// runtime that executed block `number`: the code in its parent's state. (Not the block's
	/// own state: the block that sets new code is executed by the old code, and its own state
	/// already holds the new.) Without a recorded version, the node is asked which version that
	/// is.
	async fn decoder(
		&self,
		spec_version: Option<u32>,
		number: u64,
		hash: Hash,
		parent: Hash,
	) -> Result<Decoder, ChainError> {
		if let Some(decoder) = spec_version.and_then(|v| {
			self.decoders.read().unwrap_or_else(std::sync::PoisonError::into_inner).get(&v).cloned()
		}) {
			return Ok(decoder);
		}
		let executed_by = match number.checked_sub(1) {
			Some(parent_number) => (parent, parent_number),
			// Genesis was executed by nothing: its own code describes it.
			None => (hash, number),
		};
		let at = self
			.conn()
			.client
			.at_block_hash_and_number(executed_by.0, executed_by.1)
			.await
			.map_err(|e| self.unreachable(e))?;
		let (spec, transaction) = (at.spec_version(), at.transaction_version());
		if spec_version.is_some_and(|recorded| recorded != spec) {
			return Err(ChainError::Unexpected {
				what: "System.LastRuntimeUpgrade",
				reason: format!(
					"block {number} records runtime version {spec_version:?}, but the node says {spec} executed it"
				),
			});
		}
		let mut decoders = self.decoders.write().unwrap_or_else(std::sync::PoisonError::into_inner);
		let decoder = decoders.entry(spec).or_insert_with(|| {
			let generated = pallets_with_generated_events(&at.metadata());
			tracing::info!(
				spec_version = spec,
				pallets_with_generated_events = ?generated,
				"decoding blocks of a runtime"
			);
			Decoder {
				generated: Arc::new(generated),
				client: OfflineClient::new_with_config(
					SubstrateConfig::builder()
						.set_genesis_hash(H256(self.genesis))
						.set_spec_version_for_block_ranges([SpecVersionForRange {
							block_range: 0..u64::MAX,
							spec_version: spec,
							transaction_version: transaction,
						}])
						.set_metadata_for_spec_versions([(spec, at.metadata())])
						.build(),
				),
			}
		});
		Ok(decoder.clone())
	}

	/// The public draft fields of the listings published in block `number`, which their event
	/// does not carry: read from the block's storage (the only per-block read of state).
	async fn listing_details(
		&self,
		number: u64,
		hash: Hash,
		listings: Vec<u64>,
	) -> Result<Vec<crate::store::Statement>, ChainError> {
		if listings.is_empty() {
			return Ok(Vec::new());
		}
		let unexpected = |e: &dyn std::fmt::Display| ChainError::Unexpected {
			what: "a published listing",
			reason: format!("block {number}: {e}"),
		};
		let at = self
			.conn()
			.client
			.at_block_hash_and_number(hash, number)
			.await
			.map_err(|e| self.unreachable(e))?;
		let mut statements = Vec::new();
		for listing in listings {
			let address = timebank_chain_api::timebank::storage().activities().listings();
			let Some(stored) =
				at.storage().try_fetch(address, (listing,)).await.map_err(|e| unexpected(&e))?
			else {
				continue; // Published and removed in the same block: nothing more to show.
			};
			let record = stored.decode().map_err(|e| unexpected(&e))?;
			statements.push(
				crate::projection::listing_details(listing, &record.draft)
					.map_err(|e| unexpected(&e))?,
			);
		}
		Ok(statements)
	}
}

impl Chain {
	/// What the genesis state holds that no event announced (genesis builds deposit no events):
	/// its branches and their officers, the approved validator candidacies and the first
	/// validator set (era 0; elections number theirs from 1), as statements on the index.
	pub async fn genesis_projection(&self) -> Result<Vec<crate::store::Statement>, ChainError> {
		use crate::store::{Statement, Value};
		use timebank_chain_api::timebank::{
			runtime_types::timebank_primitives::membership::OfficerRole, storage,
		};
		let connection = self.conn();
		let at = connection
			.client
			.at_block_hash_and_number(H256(self.genesis()), 0)
			.await
			.map_err(|e| self.unreachable(e))?;
		let unexpected = |e: &dyn std::fmt::Display| ChainError::Unexpected {
			what: "the genesis state",
			reason: e.to_string(),
		};
		let mut statements = Vec::new();
		let mut admins = std::collections::BTreeMap::new();
		let mut officers = at
			.storage()
			.iter(storage().registry().branch_officers(), ())
			.await
			.map_err(|e| unexpected(&e))?;
		while let Some(entry) = officers.next().await {
			let entry = entry.map_err(|e| unexpected(&e))?;
			let (branch, who) = entry.key().and_then(|k| k.decode()).map_err(|e| unexpected(&e))?;
			let role = entry.value().decode().map_err(|e| unexpected(&e))?;
			if matches!(role, OfficerRole::Admin) {
				admins.entry(branch).or_insert(who.0);
			}
			statements.push(Statement::new(
				"INSERT INTO officers (branch, account, role, since_block) VALUES ($1, $2, $3, 0)",
				vec![branch.into(), who.0.into(), crate::projection::variant_name(&role).into()],
			));
		}
		let mut branches = at
			.storage()
			.iter(storage().registry().branches(), ())
			.await
			.map_err(|e| unexpected(&e))?;
		while let Some(entry) = branches.next().await {
			let entry = entry.map_err(|e| unexpected(&e))?;
			let (branch,) = entry.key().and_then(|k| k.decode()).map_err(|e| unexpected(&e))?;
			let record = entry.value().decode().map_err(|e| unexpected(&e))?;
			let admin = admins.get(&branch).copied().unwrap_or_default();
			statements.push(Statement::new(
				"INSERT INTO branches (branch, parent, admin, status, registered_block) \
				 VALUES ($1, $2, $3, $4, 0)",
				vec![
					branch.into(),
					Value::from(record.parent),
					admin.into(),
					crate::projection::variant_name(&record.status).into(),
				],
			));
		}
		statements.extend(self.genesis_validators(&at).await?);
		Ok(statements)
	}

	/// [`Chain::genesis_projection`]'s part of the election: candidacies and the first set.
	async fn genesis_validators(
		&self,
		at: &AtBlock,
	) -> Result<Vec<crate::store::Statement>, ChainError> {
		use crate::store::Statement;
		use timebank_chain_api::timebank::storage;
		let unexpected = |e: &dyn std::fmt::Display| ChainError::Unexpected {
			what: "the genesis state",
			reason: e.to_string(),
		};
		let mut statements = Vec::new();
		let mut candidates = at
			.storage()
			.iter(storage().election().candidates(), ())
			.await
			.map_err(|e| unexpected(&e))?;
		while let Some(entry) = candidates.next().await {
			let entry = entry.map_err(|e| unexpected(&e))?;
			let (branch,) = entry.key().and_then(|k| k.decode()).map_err(|e| unexpected(&e))?;
			let candidate = entry.value().decode().map_err(|e| unexpected(&e))?;
			// The statuses the election's events give (`projection/election.rs`).
			let status = if candidate.approved { "Approved" } else { "Proposed" };
			statements.push(Statement::new(
				"INSERT INTO validator_candidates (branch, validator, status, since_block) \
				 VALUES ($1, $2, $3, 0)",
				vec![branch.into(), candidate.validator.0.into(), status.into()],
			));
		}
		let validators = at
			.storage()
			.fetch(storage().session().validators(), ())
			.await
			.map_err(|e| unexpected(&e))?
			.decode()
			.map_err(|e| unexpected(&e))?;
		statements.push(Statement::new(
			"INSERT INTO validator_eras (era, from_session, block) VALUES (0, 0, 0)",
			vec![],
		));
		statements.extend(validators.into_iter().map(|validator| {
			Statement::new(
				"INSERT INTO validator_era_members (era, validator) VALUES (0, $1)",
				vec![validator.0.into()],
			)
		}));
		Ok(statements)
	}
}

/// A block as the indexer reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
	/// The parent's hash.
	pub parent: [u8; 32],
	/// When it was made (its `Timestamp.set` inherent), ms since 1970.
	pub time_ms: Option<u64>,
	/// Every extrinsic, inherents included.
	pub extrinsics: Vec<BlockExtrinsic>,
	/// What its events change in the index's tables, in event order.
	pub changes: Vec<crate::store::Statement>,
}

/// One extrinsic of a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockExtrinsic {
	/// Its position.
	pub index: u32,
	/// Its hash.
	pub hash: [u8; 32],
	/// The signer, for a signed transaction.
	pub signer: Option<[u8; 32]>,
	/// Its nonce, for a signed transaction.
	pub nonce: Option<u64>,
	/// The pallet called.
	pub pallet: String,
	/// The call.
	pub call: String,
	/// `None` when it succeeded.
	pub refusal: Option<Refusal>,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_generated_types_match_their_own_metadata() {
		let generated = GENERATED_FROM.as_ref().expect("the embedded metadata decodes");
		let with_events = pallets_with_events();
		assert!(with_events.contains(&"Ledger".to_owned()), "{with_events:?}");
		let matching: Vec<String> = pallets_with_generated_events(generated).into_iter().collect();
		assert_eq!(matching, with_events);
	}
}
