#!/usr/bin/env bash
# A wfmsim run split over a Slurm job array, then merged.
#
#   sbatch --array=1-8 examples/scale/slurm-array.sh scenarios/omnichannel-week.toml
#   # when every task has finished:
#   sbatch --dependency=afterok:<array job id> --wrap \
#     "wfmsim merge parts/part-*.json --period month --format json --output report.json"
#
# Each task runs one shard (a disjoint slice of the replications, on the
# same random streams as the whole run) and writes a partial. `merge`
# checks that every shard of one run is there exactly once (same scenario
# file, seed, replications, what-ifs, wfmsim version) and gives the report
# a single run would give, byte for byte. Pass the same run flags (seed,
# replications, --period, --detail, what-ifs) to every task.
#SBATCH --job-name=wfmsim
#SBATCH --cpus-per-task=8
#SBATCH --time=01:00:00
set -euo pipefail
scenario="${1:?usage: sbatch --array=1-N slurm-array.sh SCENARIO.toml}"
shards="${SLURM_ARRAY_TASK_COUNT:?run as a job array}"
k="${SLURM_ARRAY_TASK_ID:?run as a job array}"
mkdir -p parts
wfmsim run "$scenario" \
  --replications "${REPLICATIONS:-1000}" --period month \
  --threads "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "$k/$shards" --output "parts/part-$k.json"
