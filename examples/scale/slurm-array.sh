#!/usr/bin/env bash
# A wfmsim run split over a Slurm job array: each array task runs one shard
# and writes a partial; a job that waits for the whole array merges them
# (examples/scale/slurm-merge.sh). From the directory the parts go under,
# on a filesystem every node shares:
#
#   jid=$(sbatch --parsable --array=1-8 examples/scale/slurm-array.sh scenarios/omnichannel-week.toml)
#   sbatch --dependency=afterok:$jid examples/scale/slurm-merge.sh
#
# Task K of an array 1-N runs `wfmsim run SCENARIO --shard K/N` (a disjoint
# slice of the replications, on the same random streams as the whole run)
# and writes parts/part-K.json; `merge` checks that every shard of one run
# is there exactly once (same scenario file, seed, replications, what-ifs,
# wfmsim version) and writes the report a single run gives, byte for byte.
# Arguments after the scenario go to every task's `wfmsim run`: give each
# task the same run flags (--seed, --set, --volume-scale, --detail, ...).
#
# Environment (sbatch passes the submitting shell's on to every task):
#   WFMSIM               the wfmsim binary (default: `wfmsim` on PATH)
#   WFMSIM_REPLICATIONS  replications of the whole run (default 1000)
#   WFMSIM_PERIOD        roll-up period, as merge is told (default month)
#   WFMSIM_PARTS         directory of the partials (default parts)
#   WFMSIM_SHARDS        N, to run some shards of N again: array indices are
#                        then the shards to run (default: the array is 1-N)
# A task uses the CPUs Slurm gives it (--cpus-per-task, 8 below; more tasks
# than the cluster has room for just queue) and stays within its --mem.
#SBATCH --job-name=wfmsim-shard
#SBATCH --cpus-per-task=8
#SBATCH --time=01:00:00
set -euo pipefail
# On a cluster with environment modules, load what provides wfmsim here,
# for example: module load wfmsim
scenario="${1:?usage: sbatch --array=1-N slurm-array.sh SCENARIO.toml [RUN FLAGS...]}"
shift
k="${SLURM_ARRAY_TASK_ID:?run as a job array: sbatch --array=1-N}"
if [ -n "${WFMSIM_SHARDS:-}" ]; then
  # Some shards of N again (WFMSIM_SHARDS=N sbatch --array=3,5 ...).
  shards="$WFMSIM_SHARDS"
  if [ "$k" -lt 1 ] || [ "$k" -gt "$shards" ]; then
    echo "slurm-array.sh: task $k is no shard of $shards (WFMSIM_SHARDS); the array's indices must lie in 1-$shards" >&2
    exit 2
  fi
else
  # Shards are numbered 1 to N: an array of 0-7, or one with gaps, would
  # leave shards out.
  shards="${SLURM_ARRAY_TASK_COUNT:?run as a job array: sbatch --array=1-N}"
  if [ "${SLURM_ARRAY_TASK_MIN:-1}" != 1 ] || [ "${SLURM_ARRAY_TASK_MAX:-$shards}" != "$shards" ]; then
    echo "slurm-array.sh: the array must be 1-N, it is ${SLURM_ARRAY_TASK_MIN}-${SLURM_ARRAY_TASK_MAX} ($shards tasks);" \
      "to run some shards of N again, set WFMSIM_SHARDS=N" >&2
    exit 2
  fi
fi
# The task's memory (sbatch --mem or --mem-per-cpu, in MiB), where it has a
# limit: wfmsim refuses to start a run whose estimate passes it, rather than
# go by the whole node's memory and be killed.
memory=()
if [ -n "${SLURM_MEM_PER_NODE:-}" ]; then
  memory=(--max-memory "${SLURM_MEM_PER_NODE}MiB")
elif [ -n "${SLURM_MEM_PER_CPU:-}" ]; then
  memory=(--max-memory "$((SLURM_MEM_PER_CPU * ${SLURM_CPUS_PER_TASK:-1}))MiB")
fi
parts="${WFMSIM_PARTS:-parts}"
mkdir -p "$parts"
"${WFMSIM:-wfmsim}" run "$scenario" "$@" "${memory[@]}" \
  --replications "${WFMSIM_REPLICATIONS:-1000}" --period "${WFMSIM_PERIOD:-month}" \
  --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "$k/$shards" --output "$parts/part-$k.json"
