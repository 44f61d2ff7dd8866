#!/usr/bin/env bash
# Merges the partials examples/scale/slurm-array.sh wrote into one report.
# Submit it as a job that starts once every array task has succeeded, from
# the same directory and with the same environment as the array:
#
#   jid=$(sbatch --parsable --array=1-8 examples/scale/slurm-array.sh scenarios/omnichannel-week.toml)
#   sbatch --dependency=afterok:$jid examples/scale/slurm-merge.sh [REPORT] [MERGE FLAGS...]
#
# REPORT (default report.json) takes its format from its extension: .json,
# .csv, .md (Markdown), .html, anything else a table. `merge` exits 2, and
# the job fails, when a shard is missing, twice there or of another run.
# Environment: WFMSIM, WFMSIM_PERIOD and WFMSIM_PARTS, as for slurm-array.sh.
#SBATCH --job-name=wfmsim-merge
#SBATCH --cpus-per-task=1
#SBATCH --time=00:10:00
set -euo pipefail
report="${1:-report.json}"
shift || true
case "$report" in
  *.json) format=json ;;
  *.csv) format=csv ;;
  *.md) format=markdown ;;
  *.html) format=html ;;
  *) format=table ;;
esac
"${WFMSIM:-wfmsim}" merge "${WFMSIM_PARTS:-parts}"/part-*.json "$@" \
  --period "${WFMSIM_PERIOD:-month}" --format "$format" --output "$report"
