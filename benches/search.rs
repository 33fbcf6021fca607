//! Time per keystroke of `SearchIndex::query` on generated Chinese building
//! lists of 10k and 100k records, and the same queries through
//! `fzf --filter` when fzf is on PATH.
//!
//! Run: `cargo bench --bench search`. Set `SEARCH_BENCH_SIZES=10000` to run
//! one size only, `SEARCH_BENCH_THREADS=1` to keep queries on one thread.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use firepatrol::search::{RankHint, SearchIndex, search_keys};

const QUERIES: &[&str] = &["xfr2", "xinfurong", "新芙蓉", "2栋", "jxhy"];
/// Rows the app asks for (a screenful and some).
const LIMIT: usize = 50;

/// Small deterministic generator (xorshift64*), so every run sees the same list.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const ROADS: &[&str] = &[
    "芙蓉南路",
    "芙蓉中路",
    "五一大道",
    "韶山北路",
    "劳动东路",
    "湘江中路",
    "人民路",
    "解放西路",
    "长沙大道",
    "重庆路",
    "银行街",
    "东塘",
    "侯家塘",
    "雨花亭",
    "左家塘",
    "砂子塘",
    "桂花村",
    "井湾子",
    "洞井",
    "圭塘",
    "黎托",
    "东岸",
    "高桥",
    "树木岭",
    "朝阳村",
    "长郡",
    "坡子街",
    "太平街",
    "西湖",
    "望月湖",
    "岳麓",
    "麓谷",
    "梅溪湖",
    "月湖",
    "新河",
    "德雅",
    "伍家岭",
];
const ROAD_SUFFIX: &[&str] = &["社区", "社区", "街道", "村"];
const COMPOUND_HEAD: &[&str] = &[
    "新芙蓉",
    "幸福",
    "锦绣",
    "桂花",
    "金色",
    "银河",
    "华天",
    "东方",
    "阳光",
    "湘江",
    "麓山",
    "碧水",
    "翡翠",
    "恒大",
    "万科",
    "保利",
    "中海",
    "绿地",
    "天心",
    "雨花",
    "岳麓",
    "嘉和",
    "盛世",
    "紫薇",
    "香樟",
    "梧桐",
    "荷花",
    "玫瑰",
    "和平",
    "长城",
    "银行",
    "电力",
    "邮电",
    "教师",
    "水电",
    "铁路",
    "建设",
    "南湖",
    "北辰",
    "融城",
    "城南",
    "星城",
    "新华",
    "鑫苑",
    "君悦",
    "明珠",
    "凯旋",
    "富贵",
];
const COMPOUND_TAIL: &[&str] = &[
    "之都", "里", "花园", "小区", "家园", "苑", "公寓", "大厦", "广场", "新城", "名城", "华府",
    "山庄", "雅苑", "世家", "国际", "公馆", "宿舍", "新村", "佳园",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "曾", "单", "乐", "欧阳",
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "伟", "芳", "敏", "军", "丽", "强", "桂兰", "志明", "海燕", "长青",
];

/// Simplified -> traditional for the characters of the lists above that
/// differ, to mix traditional spellings in as office lists do.
const TRAD: &[(char, char)] = &[
    ('区', '區'),
    ('楼', '樓'),
    ('园', '園'),
    ('华', '華'),
    ('东', '東'),
    ('阳', '陽'),
    ('湾', '灣'),
    ('广', '廣'),
    ('场', '場'),
    ('国', '國'),
    ('际', '際'),
    ('馆', '館'),
    ('庄', '莊'),
    ('万', '萬'),
    ('号', '號'),
    ('栋', '棟'),
    ('单', '單'),
    ('门', '門'),
    ('龙', '龍'),
    ('凤', '鳳'),
    ('锦', '錦'),
    ('绣', '繡'),
    ('银', '銀'),
    ('长', '長'),
    ('庆', '慶'),
    ('湘', '湘'),
    ('绿', '綠'),
    ('电', '電'),
    ('设', '設'),
    ('辰', '辰'),
    ('贵', '貴'),
    ('凯', '凱'),
    ('家', '家'),
    ('铁', '鐵'),
    ('邮', '郵'),
    ('师', '師'),
    ('苑', '苑'),
    ('鑫', '鑫'),
    ('悦', '悅'),
    ('岭', '嶺'),
    ('郡', '郡'),
    ('梧', '梧'),
];

fn traditional(s: &str) -> String {
    s.chars()
        .map(|c| TRAD.iter().find(|(a, _)| *a == c).map_or(c, |(_, t)| *t))
        .collect()
}

struct Building {
    display: String,
    fields: Vec<String>,
}

fn generate(n: usize) -> Vec<Building> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|_| {
            let community = format!("{}{}", rng.pick(ROADS), rng.pick(ROAD_SUFFIX));
            let compound = format!("{}{}", rng.pick(COMPOUND_HEAD), rng.pick(COMPOUND_TAIL));
            let building = match rng.below(10) {
                0 => format!("{}单元", 1 + rng.below(8)),
                1 => format!("{}座", ["A", "B", "C", "D"][rng.below(4)]),
                2 => format!("{}号楼", 1 + rng.below(30)),
                _ => format!("{}栋", 1 + rng.below(40)),
            };
            let leader = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
            let mut fields = vec![community, compound, building, leader];
            if rng.below(7) == 0 {
                fields = fields.iter().map(|f| traditional(f)).collect();
            }
            let display = format!("{}{}{}", fields[0], fields[1], fields[2]);
            Building { display, fields }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn fzf_available() -> bool {
    Command::new("fzf")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Median wall time of `fzf --filter query < file` over `runs` runs.
fn time_fzf(path: &std::path::Path, query: &str, runs: usize) -> Option<(Duration, usize)> {
    let mut times = Vec::new();
    let mut matches = 0;
    for _ in 0..runs {
        let input = std::fs::File::open(path).ok()?;
        let start = Instant::now();
        let out = Command::new("fzf")
            .arg("--filter")
            .arg(query)
            .stdin(input)
            .stderr(Stdio::null())
            .output()
            .ok()?;
        times.push(start.elapsed());
        matches = out
            .stdout
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .count();
    }
    times.sort();
    Some((percentile(&times, 0.5), matches))
}

fn run(size: usize, fzf: bool) {
    println!("\n== {size} buildings ==");
    let t = Instant::now();
    let buildings = generate(size);
    let gen_time = t.elapsed();

    let t = Instant::now();
    let keys: Vec<String> = buildings
        .iter()
        .map(|b| {
            let f: Vec<&str> = b.fields.iter().map(String::as_str).collect();
            search_keys(&f)
        })
        .collect();
    let keys_time = t.elapsed();
    let key_bytes: usize = keys.iter().map(String::len).sum();

    let records: Vec<(u64, String, String, RankHint)> = buildings
        .iter()
        .zip(&keys)
        .enumerate()
        .map(|(i, (b, k))| {
            let hint = RankHint {
                own: i % 97 == 0,
                last_patrol: (i % 3 != 0).then_some(1_700_000_000 + (i as i64 * 7919) % 3_000_000),
            };
            (i as u64, b.display.clone(), k.clone(), hint)
        })
        .collect();
    let t = Instant::now();
    let mut index = SearchIndex::new(records);
    let index_time = t.elapsed();
    if let Some(n) = std::env::var("SEARCH_BENCH_THREADS")
        .ok()
        .and_then(|s| s.trim().parse().ok())
    {
        index.set_max_threads(n);
        println!("queries limited to {n} thread(s)");
    }
    println!(
        "generate {:.0} ms, search_keys {:.0} ms ({:.1} µs/record, {:.0} bytes/record), index build {:.0} ms",
        ms(gen_time),
        ms(keys_time),
        keys_time.as_secs_f64() * 1e6 / size as f64,
        key_bytes as f64 / size as f64,
        ms(index_time)
    );

    let rounds = if size <= 20_000 { 50 } else { 20 };
    let mut all: Vec<Duration> = Vec::new();
    let mut typed_total: Vec<(String, Duration, usize)> = Vec::new();
    for q in QUERIES {
        let chars: Vec<char> = q.chars().collect();
        let mut per_query: Vec<Duration> = Vec::new();
        let mut per_prefix: Vec<Vec<Duration>> = vec![Vec::new(); chars.len()];
        let mut whole: Vec<Duration> = Vec::new();
        let mut hits = 0;
        for _ in 0..rounds {
            index.reset();
            index.query("", LIMIT);
            let mut sum = Duration::ZERO;
            for n in 1..=chars.len() {
                let prefix: String = chars[..n].iter().collect();
                let t = Instant::now();
                let h = index.query(&prefix, LIMIT);
                let d = t.elapsed();
                hits = h.len();
                std::hint::black_box(h);
                per_query.push(d);
                per_prefix[n - 1].push(d);
                sum += d;
            }
            whole.push(sum);
        }
        // Total matches of the full query (not just the top LIMIT).
        index.reset();
        let matched = index.query(q, usize::MAX).len();
        per_query.sort();
        whole.sort();
        println!(
            "  {q:<10} per keystroke median {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms | whole query typed {:>7.3} ms | {matched} matches ({hits} shown)",
            ms(percentile(&per_query, 0.5)),
            ms(percentile(&per_query, 0.99)),
            ms(percentile(&per_query, 1.0)),
            ms(percentile(&whole, 0.5)),
        );
        let steps: Vec<String> = per_prefix
            .iter_mut()
            .enumerate()
            .map(|(n, times)| {
                times.sort();
                let prefix: String = chars[..=n].iter().collect();
                format!("{prefix} {:.2}", ms(percentile(times, 0.5)))
            })
            .collect();
        println!("             median by prefix (ms): {}", steps.join(" | "));
        all.extend(per_query);
        typed_total.push((q.to_string(), percentile(&whole, 0.5), matched));
    }
    all.sort();
    let median = percentile(&all, 0.5);
    println!(
        "  ALL        per keystroke median {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms  ({} keystrokes timed)",
        ms(median),
        ms(percentile(&all, 0.99)),
        ms(percentile(&all, 1.0)),
        all.len()
    );

    if !fzf {
        println!("  fzf not on PATH: comparison skipped");
        return;
    }
    // fzf gets the same keys, one record per line (text, pinyin, initials).
    let Ok(mut file) = tempfile::NamedTempFile::new() else {
        println!("  could not create a temp file: fzf comparison skipped");
        return;
    };
    for k in &keys {
        let line: Vec<&str> = k
            .lines()
            .skip(1)
            .map(|l| l.get(1..).unwrap_or(""))
            .collect();
        if writeln!(file, "{}", line.join(" ")).is_err() {
            println!("  could not write the temp file: fzf comparison skipped");
            return;
        }
    }
    let _ = file.flush();
    let mut ratios = Vec::new();
    for (q, typed, _) in &typed_total {
        if let Some((t, n)) = time_fzf(file.path(), q, 7) {
            let ratio_key = t.as_secs_f64() / median.as_secs_f64();
            let ratio_typed = t.as_secs_f64() / typed.as_secs_f64();
            ratios.push(ratio_key);
            println!(
                "  fzf --filter {q:<10} {:>7.2} ms ({n} lines) = {ratio_key:>6.1}x our median keystroke, {ratio_typed:>5.1}x our whole query typed",
                ms(t)
            );
        }
    }
    if let Some(min) = ratios.iter().copied().reduce(f64::min) {
        println!("  smallest fzf/keystroke ratio: {min:.1}x");
    }
}

/// The 1, 5 and 15 minute load averages, to tell a quiet run from a busy one.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".to_owned())
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let sizes: Vec<usize> = std::env::var("SEARCH_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000]);
    let fzf = fzf_available();
    println!(
        "search benchmark: {} cores available, fzf {}, load average {}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        if fzf { "found" } else { "not found" },
        load_average()
    );
    for size in sizes {
        run(size, fzf);
    }
    println!("\nload average at the end: {}", load_average());
}
