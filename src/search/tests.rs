//! Behaviour tests of the search module as the app uses it.

use super::*;

fn hint(own: bool, last_patrol: Option<i64>) -> RankHint {
    RankHint { own, last_patrol }
}

/// An index of records given as field lists; handle = position, display =
/// fields concatenated.
fn index_of(records: &[(&[&str], RankHint)]) -> SearchIndex {
    SearchIndex::new(
        records
            .iter()
            .enumerate()
            .map(|(i, (fields, h))| (i as u64, fields.concat(), search_keys(fields), *h))
            .collect(),
    )
}

fn plain(records: &[&[&str]]) -> SearchIndex {
    let with_hints: Vec<(&[&str], RankHint)> =
        records.iter().map(|f| (*f, RankHint::default())).collect();
    index_of(&with_hints)
}

fn handles(index: &mut SearchIndex, q: &str) -> Vec<u64> {
    index.query(q, 100).into_iter().map(|h| h.handle).collect()
}

fn set(mut v: Vec<u64>) -> Vec<u64> {
    v.sort_unstable();
    v
}

/// A small community: the record under test and realistic neighbours.
fn community() -> SearchIndex {
    plain(&[
        &["芙蓉南路社区", "新芙蓉之都", "2栋"],  // 0
        &["芙蓉南路社区", "新芙蓉之都", "12栋"], // 1
        &["东塘社区", "幸福里", "A座"],          // 2
        &["侯家塘社区", "锦绣花园", "3栋"],      // 3
        &["桂花村社区", "桂花小区", "5栋"],      // 4
        &["左家塘社区", "西湖饭店宿舍", "1栋"],  // 5
        &["雨花亭社区", "新华大楼", "2栋"],      // 6
    ])
}

#[test]
fn text_key_matches_folded_text() {
    let mut ix = community();
    assert_eq!(handles(&mut ix, "新芙蓉"), vec![0, 1]);
    assert_eq!(handles(&mut ix, "芙蓉之都"), vec![0, 1]);
    assert_eq!(handles(&mut ix, "锦绣"), vec![3]);
    assert!(handles(&mut ix, "老芙蓉").is_empty());
}

#[test]
fn pinyin_key_matches_full_pinyin() {
    let mut ix = community();
    assert_eq!(handles(&mut ix, "xinfurong"), vec![0, 1]);
    assert_eq!(handles(&mut ix, "jinxiuhuayuan"), vec![3]);
    assert_eq!(handles(&mut ix, "xingfuli"), vec![2]);
    assert!(handles(&mut ix, "xinfurongq").is_empty());
}

#[test]
fn initials_key_matches_initials() {
    let mut ix = community();
    assert_eq!(handles(&mut ix, "xfr"), vec![0, 1]);
    assert_eq!(handles(&mut ix, "jxhy"), vec![3]);
    assert_eq!(handles(&mut ix, "ghxq"), vec![4]);
    assert!(handles(&mut ix, "qqqq").is_empty());
}

#[test]
fn traditional_and_simplified_find_each_other() {
    let mut ix = plain(&[&["新華大樓", "3棟"], &["幸福里", "1号楼"], &["锦绣花园"]]);
    // Traditional query finds a simplified record ...
    assert_eq!(set(handles(&mut ix, "樓")), vec![0, 1]);
    assert_eq!(handles(&mut ix, "號樓"), vec![1]);
    // ... and a simplified query finds a traditional record.
    assert_eq!(handles(&mut ix, "大楼"), vec![0]);
    assert_eq!(handles(&mut ix, "3栋"), vec![0]);
    assert_eq!(handles(&mut ix, "錦繡"), vec![2]);
    // Pinyin of a traditional record is that of the simplified text.
    assert_eq!(handles(&mut ix, "xinhuadalou"), vec![0]);
    // The keys themselves hold simplified text.
    assert!(search_keys(&["新華大樓"]).contains("\nt新华大楼"));
}

#[test]
fn digits_and_latin_letters_are_kept() {
    let mut ix = community();
    assert_eq!(handles(&mut ix, "2栋"), vec![0, 6, 1]);
    assert_eq!(handles(&mut ix, "2d"), vec![0, 6, 1]);
    assert_eq!(handles(&mut ix, "12栋"), vec![1]);
    assert_eq!(handles(&mut ix, "A座"), vec![2]);
    // Fuzzy matching also finds a..z scattered in long pinyin, but the
    // whole initials word ranks first.
    assert_eq!(handles(&mut ix, "az")[0], 2);
    assert_eq!(handles(&mut ix, "azuo")[0], 2);
    // Full-width digits from office spreadsheets.
    assert_eq!(handles(&mut ix, "２栋"), vec![0, 6, 1]);
}

#[test]
fn polyphonic_place_words() {
    let cases: &[(&str, &str, &str)] = &[
        ("长沙", "changsha", "cs"),
        ("重庆", "chongqing", "cq"),
        ("单元", "danyuan", "dy"),
        ("银行", "yinhang", "yh"),
        ("厦门", "xiamen", "xm"),
        ("乐东", "ledong", "ld"),
    ];
    for (word, full, initials) in cases {
        let keys = search_keys(&[word]);
        assert!(keys.contains(&format!("\np{full}")), "{word}: {keys}");
        assert!(keys.contains(&format!("\ni{initials}")), "{word}: {keys}");
        // Inside a longer address too, where only plausible readings are
        // generated, and as a search.
        let long = format!("湖南省{word}市芙蓉区五一大道");
        let mut ix = plain(&[&[&long, "3单元"], &["幸福里"]]);
        assert_eq!(handles(&mut ix, full), vec![0], "{word} in {long}");
        assert_eq!(handles(&mut ix, initials), vec![0], "{word} in {long}");
    }
    // The wrong readings are not what a long address is keyed on.
    let keys = search_keys(&["湖南省重庆市芙蓉区五一大道"]);
    assert!(!keys.contains("zhongqing"), "{keys}");
    // Short strings (names) get every reading: 曾 zeng/ceng, 乐 le/yue.
    let keys = search_keys(&["曾乐"]);
    for spelling in ["zengle", "zengyue", "cengle", "cengyue"] {
        assert!(keys.contains(spelling), "{spelling} in {keys}");
    }
    // 都 in place names reads du, and dou stays findable.
    let keys = search_keys(&["新芙蓉之都"]);
    assert!(keys.contains("\npxinfurongzhidu"), "{keys}");
}

#[test]
fn furong_example_all_four_queries() {
    for fields in [
        &["芙蓉南路社区", "新芙蓉之都", "2栋"][..],
        &["芙蓉南路社区新芙蓉之都2栋"][..],
    ] {
        let mut ix = plain(&[
            &["东塘社区", "幸福里", "8栋"],
            fields,
            &["侯家塘社区", "锦绣花园", "3栋"],
            &["芙蓉中路社区", "芙蓉华府", "1栋"],
        ]);
        for q in ["xfr2", "xinfurong", "2栋", "新芙蓉"] {
            let hits = ix.query(q, 10);
            assert_eq!(hits.first().map(|h| h.handle), Some(1), "{q} on {fields:?}");
        }
        // Highlights point at the characters typed (display text is the
        // fields concatenated).
        let hl = |ix: &mut SearchIndex, q: &str| ix.query(q, 10)[0].highlight.clone();
        assert_eq!(hl(&mut ix, "xfr2"), vec![6, 7, 8, 11]);
        assert_eq!(hl(&mut ix, "xinfurong"), vec![6, 7, 8]);
        assert_eq!(hl(&mut ix, "2栋"), vec![11, 12]);
        assert_eq!(hl(&mut ix, "新芙蓉"), vec![6, 7, 8]);
    }
}

#[test]
fn prefix_beats_scattered() {
    // xf: 幸福里 starts with it (initials xfl); 西湖饭店 has x..f scattered.
    let mut ix = plain(&[&["西湖饭店宿舍"], &["幸福里"]]);
    assert_eq!(handles(&mut ix, "xf"), vec![1, 0]);
    // Even when the scattered record is own and recently patrolled.
    let mut ix = index_of(&[
        (&["西湖饭店宿舍"], hint(true, Some(2_000_000_000))),
        (&["幸福里"], hint(false, None)),
    ]);
    assert_eq!(handles(&mut ix, "xf"), vec![1, 0]);
    // Substring beats scattered in the text key too: 花园 vs 花X园.
    let mut ix = plain(&[&["花城家园"], &["锦绣花园"]]);
    assert_eq!(handles(&mut ix, "花园"), vec![1, 0]);
    let scores: Vec<i64> = ix.query("花园", 10).iter().map(|h| h.score).collect();
    assert!(scores[0] > scores[1], "{scores:?}");
}

#[test]
fn own_beats_other_on_tie() {
    let mut ix = index_of(&[
        (&["幸福里", "1栋"], hint(false, Some(1_700_000_000))),
        (&["幸福里", "1栋"], hint(true, None)),
    ]);
    let hits = ix.query("xfl", 10);
    assert_eq!(hits[0].score, hits[1].score);
    assert_eq!(
        hits.iter().map(|h| h.handle).collect::<Vec<_>>(),
        vec![1, 0]
    );
}

#[test]
fn recent_beats_old_on_tie() {
    let mut ix = index_of(&[
        (&["幸福里", "2栋"], hint(false, None)),
        (&["幸福里", "2栋"], hint(false, Some(1_600_000_000))),
        (&["幸福里", "2栋"], hint(false, Some(1_700_000_000))),
    ]);
    let hits = ix.query("幸福", 10);
    assert!(hits.windows(2).all(|w| w[0].score == w[1].score));
    assert_eq!(
        hits.iter().map(|h| h.handle).collect::<Vec<_>>(),
        vec![2, 1, 0]
    );
}

#[test]
fn ties_then_go_by_display_text() {
    let mut ix = plain(&[&["幸福里", "3栋"], &["幸福里", "1栋"], &["幸福里", "2栋"]]);
    assert_eq!(handles(&mut ix, "xfl"), vec![1, 2, 0]);
}

#[test]
fn empty_query_returns_everything_in_hint_order() {
    let mut ix = index_of(&[
        (&["b"], hint(false, Some(5))),
        (&["a"], hint(false, None)),
        (&["c"], hint(true, Some(1))),
        (&["d"], hint(false, Some(9))),
    ]);
    for q in ["", "   ", "\t\n"] {
        let hits = ix.query(q, 10);
        assert_eq!(
            hits.iter().map(|h| h.handle).collect::<Vec<_>>(),
            vec![2, 3, 0, 1]
        );
        assert!(hits.iter().all(|h| h.score == 0 && h.highlight.is_empty()));
    }
    assert_eq!(ix.query("", 2).len(), 2);
    assert!(ix.query("", 0).is_empty());
}

/// Deterministic list of a few hundred buildings for the incremental test.
fn many() -> Vec<(u64, String, String, RankHint)> {
    let communities = ["芙蓉南路社区", "东塘社区", "侯家塘社区", "雨花亭社区"];
    let compounds = [
        "新芙蓉之都",
        "幸福里",
        "锦绣花园",
        "桂花小区",
        "新华大樓",
        "芙蓉華府",
    ];
    let mut out = Vec::new();
    let mut n = 0u64;
    for (c, community) in communities.iter().enumerate() {
        for (k, compound) in compounds.iter().enumerate() {
            for b in 1..=12 {
                let building = format!("{b}栋");
                let display = format!("{community}{compound}{building}");
                let keys = search_keys(&[community, compound, &building]);
                let patrol =
                    (!n.is_multiple_of(5)).then_some(1_700_000_000 + (n as i64 * 7919) % 100_000);
                out.push((n, display, keys, hint((c + k + b) % 7 == 0, patrol)));
                n += 1;
            }
        }
    }
    out
}

#[test]
fn incremental_query_equals_fresh_query() {
    let mut typed = SearchIndex::new(many());
    for q in [
        "xfr2",
        "xinfurong",
        "新芙蓉",
        "2栋",
        "jxhy",
        "xfr 1",
        "芙蓉 2d",
    ] {
        let chars: Vec<char> = q.chars().collect();
        for n in 1..=chars.len() {
            let prefix: String = chars[..n].iter().collect();
            let mut fresh = SearchIndex::new(many());
            let a = typed.query(&prefix, 30);
            let b = fresh.query(&prefix, 30);
            assert_eq!(a, b, "after typing {prefix:?}");
            assert!(!a.is_empty(), "{prefix:?}");
        }
        // Backspace and a different query must not reuse a narrower set.
        let mut fresh = SearchIndex::new(many());
        assert_eq!(typed.query("x", 500), fresh.query("x", 500));
    }
    // Switching between pinyin and text mode on the same prefix.
    let mut fresh = SearchIndex::new(many());
    typed.query("2", 10);
    assert_eq!(typed.query("2栋", 50), fresh.query("2栋", 50));
    typed.reset();
    assert_eq!(typed.query("2d", 50), fresh.query("2d", 50));
}

/// The top `k` skip records that cannot make it; that must not change the
/// result compared with scoring everything.
#[test]
fn pruned_top_k_equals_full_ranking() {
    let mut ix = SearchIndex::new(many());
    for q in [
        "x",
        "xf",
        "xfr2",
        "2",
        "2栋",
        "栋",
        "jxh",
        "xfr 1",
        "芙蓉 2d",
        "fu",
        "hy",
    ] {
        let all = ix.query(q, usize::MAX);
        assert!(all.windows(2).all(|w| w[0].score >= w[1].score), "{q}");
        for k in [1, 2, 5, 13, 50] {
            let top = ix.query(q, k);
            assert_eq!(top[..], all[..k.min(all.len())], "{q} top {k}");
        }
    }
}

/// `many()` ten times over, with different handles and hints: lots of equal
/// scores, so ties must be broken the same way whichever thread sees them.
fn many_copies() -> Vec<(u64, String, String, RankHint)> {
    let base = many();
    let mut out = Vec::new();
    for copy in 0..10u64 {
        for (handle, display, keys, h) in &base {
            let hint = RankHint {
                own: h.own != (copy % 3 == 0),
                last_patrol: h.last_patrol.map(|t| t - (copy as i64 % 4) * 1000),
            };
            out.push((handle + 1000 * copy, display.clone(), keys.clone(), hint));
        }
    }
    out
}

#[test]
fn parallel_search_equals_sequential() {
    let mut one = SearchIndex::new(many_copies());
    one.set_parallelism(1, usize::MAX);
    let mut two = SearchIndex::new(many_copies());
    two.set_parallelism(2, 1);
    let mut three = SearchIndex::new(many_copies());
    three.set_parallelism(3, 1);
    for q in [
        "x",
        "xf",
        "xfr",
        "xfr2",
        "2",
        "2栋",
        "栋",
        "jxhy",
        "xfr 1",
        "芙蓉 2d",
        "zzz",
    ] {
        for limit in [0, 1, 7, 50, usize::MAX] {
            let a = one.query(q, limit);
            assert_eq!(a, two.query(q, limit), "{q} limit {limit}");
            assert_eq!(a, three.query(q, limit), "{q} limit {limit}");
        }
    }
}

#[test]
fn incremental_query_narrows_the_candidates() {
    // The second query only looks at what the first one matched: a record
    // that matches only the longer query cannot exist, but the cache must
    // be reused for the extension and dropped for anything else.
    let mut ix = SearchIndex::new(many());
    let all = ix.len();
    let x = ix.query("x", usize::MAX).len();
    assert_eq!(ix.scanned(), all);
    let xf = ix.query("xf", usize::MAX).len();
    assert_eq!(ix.scanned(), x, "xf must scan only what x matched");
    ix.query("xfr", usize::MAX);
    assert_eq!(ix.scanned(), xf);
    assert!(xf < x && x < all, "{xf} {x} {all}");
    // Backspace: a shorter query scans everything again.
    ix.query("xf", usize::MAX);
    assert_eq!(ix.scanned(), all);
    // Another term narrows too; a changed term does not.
    let xf = ix.query("xf", usize::MAX).len();
    ix.query("xf 2", usize::MAX);
    assert_eq!(ix.scanned(), xf);
    ix.query("xg 2", usize::MAX);
    assert_eq!(ix.scanned(), all);
}

#[test]
fn case_insensitive() {
    let mut ix = community();
    assert_eq!(handles(&mut ix, "XFR2"), handles(&mut ix, "xfr2"));
    assert_eq!(handles(&mut ix, "XinFuRong"), vec![0, 1]);
    assert_eq!(handles(&mut ix, "a座"), vec![2]);
    assert_eq!(handles(&mut ix, "AZ"), handles(&mut ix, "az"));
    let mut ix = plain(&[&["abc小区"], &["ABD小区"]]);
    assert_eq!(handles(&mut ix, "ABC"), vec![0]);
    assert_eq!(handles(&mut ix, "abd"), vec![1]);
}

#[test]
fn several_terms_must_all_match() {
    let mut ix = community();
    assert_eq!(handles(&mut ix, "xfr 12"), vec![1]);
    assert_eq!(handles(&mut ix, "芙蓉 2d"), vec![0, 1]);
    assert_eq!(handles(&mut ix, "新芙蓉 12栋"), vec![1]);
    assert!(handles(&mut ix, "xfr 3栋").is_empty());
}

#[test]
fn damaged_or_missing_keys_fall_back_to_display_text() {
    let mut ix = SearchIndex::new(vec![
        (
            1,
            "新芙蓉之都2栋".into(),
            String::new(),
            RankHint::default(),
        ),
        (
            2,
            "锦绣花园3栋".into(),
            "garbage\nt".into(),
            RankHint::default(),
        ),
        (
            3,
            "幸福里".into(),
            "fp1\nt幸福里\np\u{7f6e}".into(),
            RankHint::default(),
        ),
    ]);
    assert_eq!(handles(&mut ix, "xfr2"), vec![1]);
    assert_eq!(handles(&mut ix, "jxhy"), vec![2]);
    assert_eq!(handles(&mut ix, "幸福"), vec![3]);
    assert_eq!(ix.len(), 3);
}

#[test]
fn hostile_input_does_not_panic() {
    let long = "芙".repeat(10_000);
    let long_ascii = "x".repeat(10_000);
    let odd = [
        "😀",
        "\u{0}",
        "\u{1b}[2J",
        "\u{feff}",
        "\u{202e}栋",
        "́",
        "𠀀𪚥",
        "\\",
        "%_*",
    ];
    let mut records: Vec<(u64, String, String, RankHint)> = vec![
        (
            1,
            long.clone(),
            search_keys(&[&long, &long_ascii]),
            RankHint::default(),
        ),
        (2, String::new(), search_keys(&[]), RankHint::default()),
        (
            3,
            "😀🔥".into(),
            search_keys(&["😀🔥", "\u{0}"]),
            RankHint::default(),
        ),
    ];
    for (i, s) in odd.iter().enumerate() {
        records.push((
            10 + i as u64,
            s.to_string(),
            search_keys(&[s]),
            RankHint::default(),
        ));
    }
    let mut ix = SearchIndex::new(records);
    for q in odd.iter().copied().chain([
        long.as_str(),
        long_ascii.as_str(),
        "",
        " ",
        "x x x x x x x x x x x",
    ]) {
        for limit in [0, 1, 1000] {
            let hits = ix.query(q, limit);
            assert!(hits.len() <= limit);
        }
    }
    assert_eq!(handles(&mut ix, "😀"), vec![10, 3]);
    assert_eq!(handles(&mut ix, "fufufu"), vec![1]);
    let empty = SearchIndex::new(Vec::new());
    assert!(empty.is_empty());
}

#[test]
fn highlight_on_traditional_display() {
    let mut ix = SearchIndex::new(vec![(
        9,
        "芙蓉南路社區新芙蓉之都2棟".into(),
        search_keys(&["芙蓉南路社區", "新芙蓉之都", "2棟"]),
        RankHint::default(),
    )]);
    assert_eq!(ix.query("2栋", 5)[0].highlight, vec![11, 12]);
    assert_eq!(ix.query("社区", 5)[0].highlight, vec![4, 5]);
    assert_eq!(ix.query("sq", 5)[0].highlight, vec![4, 5]);
}

proptest::proptest! {
    /// No input makes key building or querying panic, and results respect
    /// the limit.
    #[test]
    fn never_panics(
        fields in proptest::collection::vec(proptest::prelude::any::<String>(), 0..5),
        query in proptest::prelude::any::<String>(),
        limit in 0usize..5,
    ) {
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        let keys = search_keys(&refs);
        let mut ix = SearchIndex::new(vec![
            (1, fields.concat(), keys, RankHint::default()),
            (2, query.clone(), String::new(), RankHint::default()),
        ]);
        let chars: Vec<char> = query.chars().collect();
        for n in 0..=chars.len().min(12) {
            let prefix: String = chars[..n].iter().collect();
            let hits = ix.query(&prefix, limit);
            proptest::prop_assert!(hits.len() <= limit);
            for hit in &hits {
                let display_len = if hit.handle == 1 {
                    fields.concat().chars().count()
                } else {
                    chars.len()
                };
                proptest::prop_assert!(hit.highlight.iter().all(|&i| i < display_len));
            }
        }
    }

    /// A record is found by its own text, by its pinyin and by its
    /// initials, typed with or without spaces between the fields.
    #[test]
    fn record_finds_itself(
        fields in proptest::collection::vec("[a-z0-9新芙蓉之都栋樓楼長长沙重庆幸福里锦绣花园]{1,8}", 1..4),
    ) {
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        let keys = search_keys(&refs);
        let mut ix = SearchIndex::new(vec![
            (1, fields.concat(), keys.clone(), RankHint::default()),
            (2, "无关记录".to_owned(), search_keys(&["无关记录"]), RankHint::default()),
        ]);
        let text = fields.join(" ");
        proptest::prop_assert_eq!(ix.query(&text, 5).first().map(|h| h.handle), Some(1));
        proptest::prop_assert_eq!(
            ix.query(&fields.concat(), 5).first().map(|h| h.handle),
            Some(1)
        );
        for line in keys.lines().skip(2) {
            let spelling = &line[1..];
            let hits = ix.query(spelling, 5);
            proptest::prop_assert!(hits.iter().any(|h| h.handle == 1), "{} in {}", spelling, keys);
        }
    }
}
