#!/usr/bin/env bash
# Issue 12: reports at district scale and the monthly summary, side by side with sqlite3 (and
# fzf for find), in one run, on one generated database.
#
#   apt-get install -y hyperfine sqlite3 fzf     # once
#   benches/issue12.sh                           # builds, generates /tmp/d.db, prints the table
#   ALL_DAYS=1 CITY_DB=/tmp/c100k.db benches/issue12.sh   # also all days, and the city-scale start
#
# DB (default /tmp/d.db) is kept between runs; delete it when done. RUNS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
db=${DB:-/tmp/d.db}
runs=${RUNS:-3}
out=$(mktemp -d /tmp/fp-issue12.XXXX)
trap 'rm -rf "$out"' EXIT
cargo build --release -q
fp="$PWD/target/release/firepatrol"
export FIREPATROL_NOW=${FIREPATROL_NOW:-2026-11-23T09:30:00+08:00}
[ -f "$db" ] || /usr/bin/time -f "generate 10k/1M: %e s, peak %M KB" \
  "$fp" demo generate --buildings 10000 --hazards 1000000 --seed 1 --db "$db"
day=2026-11-20
leader=$(sqlite3 "$db" "select p.name from patrol t join person p on p.id = t.inspector_id where t.day = '$day' limit 1")
mem() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "$label: %e s, peak %M KB" "$@" > /dev/null
}
hf() { hyperfine -N --warmup 1 --runs "$runs" --style basic "$@" 2>&1 | grep -E "^(Benchmark|  Time)|faster" || true; }

echo "== idle app (first frame), for 'memory above idle'"
mem "first frame" "$fp" --db "$db" --inspector "$leader" --exit-after-first-frame

echo "== a day over the whole district, and one leader's day"
hf "$fp --db $db report --date $day --format text" \
   "$fp --db $db report --date $day --inspector $leader --format text"
mem "day, everyone, text" "$fp" --db "$db" report --date "$day" --format text
"$fp" --db "$db" report --date "$day" --format text > "$out/day.txt"
echo "   chat text of the day: $(wc -c < "$out/day.txt") bytes, $(wc -l < "$out/day.txt") lines"

# The peer: sqlite3 -csv of the same three lists with the same joins (found in the month with
# the month's actions; followed up: acted on in the month, found earlier; overdue: found earlier,
# still open, past the deadline, not followed up), each in the report's order.
cols="h.number, h.found_at, p.name, ifnull(g.name,''), ifnull(c.name,''), b.name, u.number, h.spot, h.item_id, h.category, h.description, h.severity, h.party_name, h.party_room, h.party_phone, s.deadline, s.status, h.recurrence, s.escalated_to"
joins="from hazard h join hazard_state s on s.hazard_id = h.id join building b on b.id = h.building_id left join grid g on g.id = b.grid_id left join compound c on c.id = b.compound_id left join unit u on u.id = h.unit_id left join person p on p.id = h.found_by"
acts() { echo "(select group_concat(e.action || ' ' || e.at || ' ' || e.note, '; ') from event e indexed by event_entity where e.entity = 'hazard' and e.entity_id = h.id and substr(e.at, 1, 10) between '$1' and '$2' and e.action in ('rectified','still_open','extended','escalated','office_response','reopened'))"; }
acted() { echo "select e.entity_id as hid, min(e.seq) as first from event e join hazard h on h.id = e.entity_id join hazard_state s on s.hazard_id = h.id where e.entity = 'hazard' and substr(e.at, 1, 10) between '$1' and '$2' and e.action in ('rectified','still_open','extended','escalated','office_response','reopened') and s.status <> 'voided' and not (h.found_day between '$1' and '$2') group by e.entity_id"; }
lists() { # from, to: the report's three lists
  echo "select 'found', $cols, $(acts "$1" "$2") $joins where h.found_day between '$1' and '$2' and s.status <> 'voided' order by h.found_at, h.number;
select 'followed', $cols, $(acts "$1" "$2") from ($(acted "$1" "$2")) f join hazard h on h.id = f.hid ${joins#from hazard h} order by f.first;
select 'overdue', $cols, '' $joins where s.status in ('open','escalated') and h.found_day < '$1' and s.deadline < '$2' and h.id not in (select hid from ($(acted "$1" "$2"))) order by s.deadline, h.found_at, h.number;"
}
month_rows=$(lists 2026-10-01 2026-10-31)
echo "== one month (October), CSV vs sqlite3 -csv of the same three lists and joins, and XLSX"
echo "   hazards found in the month: $(sqlite3 "$db" "select count(*) from hazard where found_day between '2026-10-01' and '2026-10-31'")"
echo "$month_rows" > "$out/month.sql"
hf -n "report month csv" "$fp --db $db report --from 2026-10-01 --to 2026-10-31 --format csv --out $out/m.csv" \
   -n "sqlite3 -csv same rows" "sh -c \"sqlite3 -csv $db < $out/month.sql > $out/m.sqlite.csv\""
echo "   rows: report $(($(wc -l < "$out/m.csv") - 1)), sqlite3 $(wc -l < "$out/m.sqlite.csv")"
mem "month csv" "$fp" --db "$db" report --from 2026-10-01 --to 2026-10-31 --format csv --out "$out/m.csv"
mem "month xlsx" "$fp" --db "$db" report --from 2026-10-01 --to 2026-10-31 --format xlsx --out "$out/m.xlsx"

echo "== the monthly summary (November, all four formats; JSON alone), vs sqlite3 of its hazard GROUP BY"
hf -n "summary (4 files)" "$fp --db $db summary --month 2026-11" \
   -n "summary json" "$fp --db $db summary --month 2026-11 --format json" \
   -n "sqlite3 group by" "sqlite3 $db \"select h.building_id, h.found_by, count(*), sum(h.severity='high'), sum(s.status='rectified' and s.closed_day <= s.deadline) from hazard h join hazard_state s on s.hazard_id = h.id where h.found_day between '2026-11-01' and '2026-11-23' and s.status <> 'voided' group by 1, 2\""
mem "summary (4 files)" "$fp" --db "$db" summary --month 2026-11
"$fp" --db "$db" summary --month 2026-11 --format text > "$out/s.txt"
echo "   summary chat text: $(wc -l < "$out/s.txt") lines, $(wc -c < "$out/s.txt") bytes"
mem "record book of a day, everyone" "$fp" --db "$db" record --date "$day" --out "$out/r.html"

echo "== find vs fzf --filter over the same names, and stats"
sqlite3 "$db" "select ifnull(c.name,'') || ' ' || b.name || ' ' || b.address from building b left join compound c on c.id = b.compound_id" > "$out/names.txt"
hf -n "find" "$fp --db $db find 锦绣 --limit 20" \
   -n "fzf --filter" "sh -c \"fzf --filter 锦绣 < $out/names.txt | head -20\""
hf -n "stats" "$fp --db $db stats"

if [ "${ALL_DAYS:-0}" = 1 ]; then
  echo "== all days (1,000,000 hazards), CSV vs sqlite3 -csv, XLSX"
  lists 2000-01-01 2100-01-01 > "$out/all.sql"
  mem "all days csv" "$fp" --db "$db" report --from 2000-01-01 --to 2100-01-01 --format csv --out "$out/a.csv"
  mem "sqlite3 -csv all rows" sh -c "sqlite3 -csv $db < $out/all.sql > $out/a.sqlite.csv"
  mem "all days xlsx" "$fp" --db "$db" report --from 2000-01-01 --to 2100-01-01 --format xlsx --out "$out/a.xlsx"
fi

# City scale (optional): CITY_DB=/tmp/c100k.db, made once with
#   firepatrol demo generate --buildings 100000 --hazards 100000 --days 7 --seed 1 --db /tmp/c100k.db
if [ -n "${CITY_DB:-}" ]; then
  city_leader=$(sqlite3 "$CITY_DB" "select p.name from patrol t join person p on p.id = t.inspector_id limit 1")
  echo "== first frame: 100,000 buildings vs the 10,000-building district"
  hf -n "first frame, city" "$fp --db $CITY_DB --inspector $city_leader --exit-after-first-frame" \
     -n "first frame, district" "$fp --db $db --inspector $leader --exit-after-first-frame"
  mem "first frame, city" "$fp" --db "$CITY_DB" --inspector "$city_leader" --exit-after-first-frame
fi
