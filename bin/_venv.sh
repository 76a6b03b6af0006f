# Sourced by bin/demo and bin/test: create .venv and install the project into it
# when it is missing or pyproject.toml changed since the last install.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.installed-from"
wanted="$(sha256sum "$root/pyproject.toml" | cut -d' ' -f1)"

if [[ ! -x "$venv/bin/python" ]]; then
  echo "Creating $venv" >&2
  python3 -m venv "$venv"
fi
if [[ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]]; then
  echo "Installing mastogate and its test tools into $venv" >&2
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet -e "$root[test]"
  echo "$wanted" > "$stamp"
fi
export PATH="$venv/bin:$PATH"
cd "$root"

