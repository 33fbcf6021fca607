#!/usr/bin/env bash
# Issue 7: whole-process figures side by side with a peer, in the same run, on this machine.
#
#   apt-get install -y hyperfine strace sqlite3   # once
#   benches/compare.sh                            # builds, generates the databases, prints the table
#
# BENCH_DIR (default /tmp/firepatrol-bench) keeps the generated databases between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/tmp/firepatrol-bench}
mkdir -p "$dir"
cargo build --release -q
cargo bench --bench keys --no-run -q 2>/dev/null || true
fp=target/release/firepatrol
big=$dir/big.db
exp=$dir/export.db
[ -f "$big" ] || { echo "== generating $big"; /usr/bin/time -f "generate 10k/1M: %e s, %M KB" $fp demo generate --buildings 10000 --hazards 1000000 --db "$big"; }
[ -f "$exp" ] || { echo "== generating $exp"; $fp demo generate --buildings 2000 --hazards 100000 --db "$exp" > /dev/null; }
inspector=$(sqlite3 "$big" "select name from person where role = 'building_leader' limit 1")
json=$dir/hyperfine.json

echo "== 1. start to first frame vs sqlite3 'select * from building'"
hyperfine -N --warmup 3 --runs 20 --export-json "$dir/first.json" \
  "$fp --db $big --inspector $inspector --exit-after-first-frame" \
  "sqlite3 $big 'select * from building'" | grep -E "Time|±|faster" || true

echo "== 4. CSV export of 100,000 hazards vs sqlite3 -csv of the same rows"
hyperfine --warmup 1 --runs 10 --export-json "$dir/csv.json" \
  "$fp hazards --status all --format csv --db $exp > /dev/null" \
  "sqlite3 -csv $exp \"select h.number, h.found_at, p.name, c.name || ' ' || b.name || ' ' || ifnull(u.number, '') || ' ' || h.spot, h.item_id, h.category, h.description, h.severity, h.party_name, h.party_room, h.party_phone, s.deadline, s.status, h.recurrence, s.escalated_to from hazard_state s join hazard h on h.id = s.hazard_id join building b on b.id = h.building_id left join compound c on c.id = b.compound_id left join unit u on u.id = h.unit_id left join person p on p.id = h.found_by where s.status <> 'voided' order by s.deadline, s.hazard_id\" > /dev/null" | grep -E "Time|±|faster" || true
rows=$($fp hazards --status all --format csv --db "$exp" | wc -l)
echo "   rows written: $((rows - 1))"

echo "== 4b. XLSX of the same rows (report over all days), and peak memory of the exports"
/usr/bin/time -f "   idle app (first frame): %e s, peak %M KB" $fp --db "$exp" --inspector "$(sqlite3 "$exp" "select name from person limit 1")" --exit-after-first-frame > /dev/null
/usr/bin/time -f "   csv export: %e s, peak %M KB" $fp hazards --status all --format csv --db "$exp" > /dev/null
/usr/bin/time -f "   xlsx ledger (streamed): %e s, peak %M KB" $fp hazards --status all --format xlsx --out "$dir/ledger.xlsx" --db "$exp" > /dev/null
/usr/bin/time -f "   xlsx report of all days (report model in memory): %e s, peak %M KB" $fp report --from 2000-01-01 --to 2100-01-01 --format xlsx --out "$dir/all.xlsx" --db "$exp" > /dev/null

echo "== 3. durable save: sync calls per save (strace), ours and bare rusqlite"
bench=$(ls -t target/release/deps/keys-* | grep -v '\.d$' | head -1)
for which in ours bare; do
  FP_BENCH_SAVES_ONLY=$which FP_BENCH_SAVES=0 strace -f -c -e trace=fsync,fdatasync,sync_file_range,msync -o "$dir/strace-$which-0.txt" "$bench" > /dev/null
  setup=$(awk '/fsync|fdatasync|sync_file_range|msync/ {s += $4} END {print s+0}' "$dir/strace-$which-0.txt")
  FP_BENCH_SAVES_ONLY=$which FP_BENCH_SAVES=200 strace -f -c -e trace=fsync,fdatasync,sync_file_range,msync -o "$dir/strace-$which.txt" "$bench" > /dev/null
  calls=$(awk '/fsync|fdatasync|sync_file_range|msync/ {s += $4} END {print s+0}' "$dir/strace-$which.txt")
  echo "   $which: $calls sync calls for 200 saves, $setup of them setup: $(( (calls - setup) / 200 )) per save"
done

echo "== 2 and 5. key press to frame, save vs bare, peak memory (in process, on $big)"
FP_BENCH_DB=$big "$bench"
