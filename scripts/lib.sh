# Shared settings and helpers for the scripts in this folder; sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One persistent target directory outside the clone, shared by run, test and CI, so every
# clone after the first builds incrementally (docs/BUILD.md).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/timebank/target}"
# NODE_BINARY=<path> runs another build of the node (e.g. the previous release's, to open a chain
# kept from it: `--dev` chains change genesis with every runtime).
NODE_BINARY="${NODE_BINARY:-$CARGO_TARGET_DIR/release/timebank-node}"
# The branch validators of `local-4`, in the order of their P2P and RPC ports.
VALIDATORS=(alice bob charlie dave)

log() { if [ -t 2 ]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

build_node() {
	log "building timebank-node (release; first build takes about 30 minutes on 2 cores)"
	# The gateway in the same invocation: its client side of jsonrpsee changes features the node
	# shares, and one invocation keeps one feature set for both (docs/BUILD.md).
	(cd "$REPO_ROOT" && cargo build --release --locked -p timebank-node -p timebank-gateway)
}

dev_chain_spec() { # base -> the chain spec file a kept `--dev` chain in base is started with
	# The development genesis holds the runtime's Wasm, and the Wasm changes with every build
	# from another checkout path (CI builds from a fresh clone). A kept chain therefore saves the
	# spec it was first started with, in raw form, and is always reopened with that file.
	local spec="$1/chain-spec.raw.json"
	# Written aside and moved, so a failed export leaves no empty spec to be reused later.
	[ -f "$spec" ] || { "$NODE_BINARY" export-chain-spec --chain dev --raw >"$spec.partial" &&
		mv "$spec.partial" "$spec"; } || die "could not export the development chain spec to $spec"
	echo "$spec"
}

# JSON is read with jq only (scripts/install-prerequisites installs it).

rpc() { # port method [params-json] -> the JSON-RPC reply, or nothing if the node does not answer
	curl -sf --max-time 5 -H 'Content-Type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$2\",\"params\":${3:-[]}}" \
		"http://127.0.0.1:$1" 2>/dev/null || true
}

result() { # jq-path: reads a JSON-RPC reply on stdin -> that field of its result, or nothing
	jq -r ".result$1 // empty" 2>/dev/null || true
}

hex_to_decimal() { # 0x-hex -> decimal, or nothing for nothing
	[ -z "$1" ] || printf '%d' "$1"
}

best_number() { # port -> the node's best block number, or nothing if it does not answer
	hex_to_decimal "$(rpc "$1" chain_getHeader | result .number)"
}

finalised_number() { # port -> the node's finalised block number, or nothing if it does not answer
	local head
	head=$(rpc "$1" chain_getFinalizedHead | result "")
	[ -z "$head" ] || hex_to_decimal "$(rpc "$1" chain_getHeader "[\"$head\"]" | result .number)"
}

peer_id_of() { # base-path -> the libp2p peer id of its node key, generated on first use
	[ -f "$1/node-key" ] || "$NODE_BINARY" key generate-node-key --file "$1/node-key" 2>/dev/null
	"$NODE_BINARY" key inspect-node-key --file "$1/node-key"
}

reserved_validators() { # p2p-base-port [index-to-skip] -> --reserved-nodes arguments, one a line
	local j
	for j in "${!VALIDATORS[@]}"; do
		[ "${2:-}" = "$j" ] || printf -- '--reserved-nodes\n/ip4/127.0.0.1/tcp/%s/p2p/%s\n' \
			$((P2P_BASE_PORT + j)) "${VALIDATOR_PEER_IDS[j]}"
	done
}

# start_validators CHAIN DIR [node options...]
#   Starts the four branch validators of CHAIN on loopback, as real branches run: each with its
#   own base path DIR/<name>, node key, P2P port P2P_BASE_PORT+i and RPC port RPC_BASE_PORT+i, and
#   accepting only the other three as peers (--reserved-only with an allow-list). Each node's
#   output is appended to DIR/<name>/node.log and its pid written to DIR/<name>/pid. Sets
#   VALIDATOR_PEER_IDS and VALIDATOR_PIDS. The caller sets P2P_BASE_PORT and RPC_BASE_PORT.
start_validators() {
	local chain=$1 dir=$2 i
	shift 2
	VALIDATOR_PEER_IDS=() VALIDATOR_PIDS=()
	for i in "${!VALIDATORS[@]}"; do
		mkdir -p "$dir/${VALIDATORS[$i]}"
		VALIDATOR_PEER_IDS[i]=$(peer_id_of "$dir/${VALIDATORS[$i]}")
	done
	for i in "${!VALIDATORS[@]}"; do
		local name=${VALIDATORS[$i]} reserved
		mapfile -t reserved < <(reserved_validators "$P2P_BASE_PORT" "$i")
		"$NODE_BINARY" --chain "$chain" "--$name" --base-path "$dir/$name" \
			--node-key-file "$dir/$name/node-key" \
			--listen-addr "/ip4/127.0.0.1/tcp/$((P2P_BASE_PORT + i))" --rpc-port $((RPC_BASE_PORT + i)) \
			--no-mdns --no-telemetry --no-prometheus --reserved-only "${reserved[@]}" "$@" \
			>>"$dir/$name/node.log" 2>&1 &
		VALIDATOR_PIDS[i]=$!
		echo $! >"$dir/$name/pid"
		log "started $name (pid $!, log $dir/$name/node.log)"
	done
}
