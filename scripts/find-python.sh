#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter: Rasa 3.6 runs on 3.10 and refuses 3.11.
# Looks at $PYTHON, python3.10 on PATH, then pyenv's versions; explains what to do when none is found.
set -euo pipefail
is310() { [ -x "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }
for candidate in "${PYTHON:-}" "$(command -v python3.10 2>/dev/null || true)"; do
  if [ -n "$candidate" ] && is310 "$candidate"; then echo "$candidate"; exit 0; fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for candidate in $(ls -d "$root"/versions/3.10.*/bin/python 2>/dev/null | sort -V -r); do
  if is310 "$candidate"; then echo "$candidate"; exit 0; fi
done
cat >&2 <<'MSG'
Passage needs Python 3.10 (Rasa 3.6 does not run on 3.11 or newer), and none was found.
Install it, then run the command again:
  - with pyenv:   pyenv install 3.10     (pyenv finds it automatically afterwards)
  - on Debian/Ubuntu: apt-get install python3.10 python3.10-venv
  - or point to one:  make run PYTHON=/path/to/python3.10
MSG
exit 1
