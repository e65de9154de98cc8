#!/usr/bin/env bash
# The GitHub Action's step (action.yml): `natodata validate --format github` with the
# action's inputs, given as environment variables:
#   INPUT_PACKAGE  datapackage.json or its directory (default: the working directory)
#   INPUT_CORPUS   the articles' directory; empty skips the provenance checks
#   INPUT_ARGS     more arguments, split on whitespace (never expanded by the shell)
# Exits as natodata does: 0 valid, 1 invalid, 2 usage error or unreadable input.
set -euo pipefail

args=(validate "${INPUT_PACKAGE:-.}" --format github)
if [[ -n "${INPUT_CORPUS:-}" ]]; then
    args+=(--corpus "$INPUT_CORPUS")
fi
read -r -a extra <<< "${INPUT_ARGS:-}"
args+=("${extra[@]}")

echo "natodata ${args[*]}"
exec natodata "${args[@]}"
