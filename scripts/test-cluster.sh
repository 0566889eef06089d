#!/usr/bin/env bash
# make test-cluster: submit scripts/slurm-batch.sh (the array script docs/batch-and-clusters.md shows) to a real Slurm.
#
# Installs Debian's slurmctld, slurmd, slurm-client and munge when missing, starts munged,
# slurmctld and slurmd on loopback under a temporary directory (no systemd, no cgroups, no
# accounting), submits the script as a 3-task array over a corpus made from Fixtures/, waits,
# merges the shard manifests and checks that every input was processed exactly once. Then it
# stops the daemons it started, by their pids, and removes the directory.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
TASKS=3
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
say() { echo "test-cluster: [$(( ($(date +%s%N) - T0) / 1000000 )) ms] $*"; }
T0=$(date +%s%N)

missing=()
for package in slurmctld slurmd slurm-client munge; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null 2>&1; then
    say "SKIPPED: cannot install ${missing[*]} (needs root or sudo and the Debian mirror); the Slurm script was not tested"
    exit 0
  fi
fi

swift build --product audioprep >/dev/null
AUDIOPREP=$(swift build --show-bin-path)/audioprep
START=$(date +%s%N)

WORK=$(mktemp -d /tmp/audioprep-slurm.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$status" != 0 ]; then
    for log in "$WORK"/*.log "$WORK"/jobs/*.out; do [ -f "$log" ] && { echo "--- $log"; tail -20 "$log"; }; done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Reads a daemon's pid as soon as it has written its file (Slurm removes the file before exiting).
wait_for_pid() {
  for _ in $(seq 100); do
    [ -s "$1" ] && { cat "$1"; return 0; }
    sleep 0.1
  done
  say "no pid file $1"; return 1
}

# munge: own key, socket directory (mode 711), pid, log and seed files.
mkdir -p "$WORK/munge" "$WORK/state" "$WORK/spool" "$WORK/jobs"
chmod 711 "$WORK/munge"
dd if=/dev/urandom of="$WORK/munge.key" bs=1024 count=1 status=none
chmod 400 "$WORK/munge.key"
SOCKET=$WORK/munge/munge.socket
munged --force --key-file="$WORK/munge.key" --socket="$SOCKET" --pid-file="$WORK/munged.pid" \
  --log-file="$WORK/munged.log" --seed-file="$WORK/munged.seed"
PIDS+=("$(wait_for_pid "$WORK/munged.pid")")

NODE=$(hostname -s)
PORT=$((20000 + RANDOM % 20000))
export SLURM_CONF=$WORK/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=audioprep
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=$(id -un)
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -i
PIDS+=("$(wait_for_pid "$WORK/slurmctld.pid")")
slurmd -N "$NODE"
PIDS+=("$(wait_for_pid "$WORK/slurmd.pid")")
for _ in $(seq 100); do
  state=$(sinfo -h -n "$NODE" -o %t 2>/dev/null || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || { say "node $NODE is '$state', not idle"; exit 1; }
say "node $NODE idle"

# The corpus: every fixture format, in three speakers' folders.
for speaker in a b c; do
  for fixture in "$REPO"/Fixtures/*.{wav,flac,ogg,opus,mp3,aiff,caf}; do
    name=$(basename "$fixture")
    mkdir -p "$WORK/corpus/$speaker/${name##*.}"
    cp "$fixture" "$WORK/corpus/$speaker/${name##*.}/$name"
  done
done
INPUTS=$(find "$WORK/corpus" -type f | wc -l)

JOB=$(CORPUS=$WORK/corpus OUT=$WORK/out AUDIOPREP=$AUDIOPREP \
  sbatch --parsable --array=0-$((TASKS - 1)) --cpus-per-task=1 --chdir="$WORK" \
  --output="$WORK/jobs/%A_%a.out" "$REPO/scripts/slurm-batch.sh")
say "submitted array job $JOB ($TASKS tasks, $INPUTS inputs)"
for _ in $(seq 600); do
  [ -z "$(squeue -h -j "$JOB" 2>/dev/null)" ] && break
  sleep 0.2
done
[ -z "$(squeue -h -j "$JOB")" ] || { say "job $JOB still queued or running"; exit 1; }

manifests=("$WORK"/out/manifest.*-of-$TASKS.jsonl)
[ "${#manifests[@]}" = "$TASKS" ] || { say "expected $TASKS shard manifests, found ${#manifests[@]}"; exit 1; }
"$AUDIOPREP" manifest merge "${manifests[@]}" -o "$WORK/out/manifest.jsonl"
# Independently of audioprep's merge: every input exactly once across the shard manifests, all ok.
paths=$(cat "${manifests[@]}" | grep -o '"relative_path":"[^"]*"' | sort)
[ "$(echo "$paths" | wc -l)" = "$INPUTS" ] || { say "$(echo "$paths" | wc -l) records for $INPUTS inputs"; exit 1; }
[ -z "$(echo "$paths" | uniq -d)" ] || { say "inputs recorded twice: $(echo "$paths" | uniq -d)"; exit 1; }
[ "$(cat "${manifests[@]}" | grep -c '"status":"ok"')" = "$INPUTS" ] || { say "not every input is ok"; exit 1; }
for manifest in "${manifests[@]}"; do [ -s "$manifest" ] || { say "$manifest is empty"; exit 1; }; done
outputs=$(find "$WORK/out" -name '*.wav' | wc -l)
[ "$outputs" = "$INPUTS" ] || { say "$outputs outputs for $INPUTS inputs"; exit 1; }
say "ok: $INPUTS inputs processed exactly once by $TASKS Slurm array tasks; $(( ($(date +%s%N) - START) / 1000000 )) ms from the daemons' start to the check"
