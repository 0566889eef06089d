#!/bin/bash
# A Slurm job array over a corpus: task K of N runs `audioprep batch --shard K/N`, so the N tasks
# partition the corpus into parts of nearly equal bytes that every task computes alike, with no
# coordination.
#
#   CORPUS=/data/corpus OUT=/data/corpus-16k sbatch --array=0-99 scripts/slurm-batch.sh [audioprep options]
#
# Each task writes OUT/manifest.K-of-N.jsonl. A rerun of the array skips what is done. Afterwards:
#   audioprep manifest merge "$OUT"/manifest.*-of-100.jsonl -o "$OUT/manifest.jsonl"
#
#SBATCH --job-name=audioprep
#SBATCH --array=0-9
#SBATCH --cpus-per-task=2
#SBATCH --output=audioprep-%A_%a.log
set -euo pipefail
: "${CORPUS:?set CORPUS to the corpus directory}"
: "${OUT:?set OUT to the output directory}"
: "${SLURM_ARRAY_TASK_ID:?submit with sbatch --array}"
exec "${AUDIOPREP:-audioprep}" batch "$CORPUS" --out-dir "$OUT" \
  --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" \
  -j "${SLURM_CPUS_PER_TASK:-1}" --no-progress "$@"
