# Shared settings for the scripts in this folder; sourced, not run.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One persistent target directory outside the clone, shared by run, test and CI, so every
# clone after the first builds incrementally (docs/BUILD.md).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/timebank/target}"
# NODE_BINARY=<path> runs another build of the node (e.g. the previous release's, to open a chain
# kept from it: `--dev` chains change genesis with every runtime).
NODE_BINARY="${NODE_BINARY:-$CARGO_TARGET_DIR/release/timebank-node}"

log() { if [ -t 2 ]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

build_node() {
	log "building timebank-node (release; first build takes about 30 minutes on 2 cores)"
	(cd "$REPO_ROOT" && cargo build --release --locked -p timebank-node)
}
