#!/usr/bin/env bash
# Installs a pinned LiteLLM proxy (a requirements lock, every file checked against its hash) into a
# venv keyed by the lock file's hash, and prints the venv's path. A venv already complete for this
# lock is reused as it is, so only the first run after a lock change pays for the install.
# Usage: install-venv.sh [LOCK]   (default: requirements.lock beside this script)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
lock="$(cd "$(dirname "${1:-$here/requirements.lock}")" && pwd)/$(basename "${1:-requirements.lock}")"
python="${PYTHON:-python3}"

"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' || {
  echo "install-venv: LiteLLM needs Python 3.10 or later ($python is $("$python" --version 2>&1))" >&2
  exit 1
}
key="$(sha256sum "$lock" | cut -c1-16)"
# tests/helpers/litellm.ts looks for it at the same place: under the account's home as the system
# knows it (the tests run with a throw-away HOME).
home="$(getent passwd "$(id -u)" 2>/dev/null | cut -d: -f6)"
venv="${home:-$HOME}/.cache/litellm-interceptor/litellm-venv-$key"

if [ -f "$venv/.installed" ] && [ "$(cat "$venv/.installed")" = "$key" ]; then
  echo "$venv"
  exit 0
fi
# A venv cannot be moved once made (its scripts name its path), so it is built in place and only
# marked complete (.installed) at the end: a half-finished one is removed and built again.
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv" >&2
# --only-binary: no build step, whose own build dependencies would come unpinned and unhashed.
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input \
  --require-hashes --only-binary :all: --no-deps -r "$lock" >&2
"$venv/bin/pip" check >&2
printf '%s' "$key" > "$venv/.installed"
echo "$venv"
