//! Pinyin readings of Chinese characters, tuned for addresses.
//!
//! The `pinyin` crate gives every reading a character has ever had, in no
//! particular order for place names (长 comes out as `zhang` first, 都 as
//! `dou`, 行 as `xing`). Three layers decide what a key contains:
//!
//! 1. [`PHRASES`]: words whose reading is fixed by context (重庆, 银行,
//!    厦门, 单元, ...). Matched greedily, longest first.
//! 2. [`OVERRIDES`]: for characters common in addresses and names, the
//!    readings that are plausible there, most likely first (长: chang,
//!    zhang; 都: du, dou; 南: nan only), plus surname readings that only
//!    short fields (names) get (区: ou; 单: shan).
//! 3. Everything else: the `pinyin` crate's heteronyms, tones stripped,
//!    `ü` written `v` as on a keyboard; all of them in short fields, the
//!    first one in longer fields.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;

/// Words whose reading depends on context, as `(word, "syllable syllable")`.
/// Mostly place words; a few titles (楼长 is the building leader).
pub(crate) const PHRASES: &[(&str, &str)] = &[
    // 长
    ("长沙", "chang sha"),
    ("长春", "chang chun"),
    ("长安", "chang an"),
    ("长江", "chang jiang"),
    ("长城", "chang cheng"),
    ("长寿", "chang shou"),
    ("长宁", "chang ning"),
    ("长治", "chang zhi"),
    ("长征", "chang zheng"),
    ("长青", "chang qing"),
    ("长岛", "chang dao"),
    ("长兴", "chang xing"),
    ("长虹", "chang hong"),
    ("长丰", "chang feng"),
    ("长阳", "chang yang"),
    ("长泰", "chang tai"),
    ("长海", "chang hai"),
    ("长白", "chang bai"),
    ("长葛", "chang ge"),
    ("长垣", "chang yuan"),
    ("长汀", "chang ting"),
    ("长岭", "chang ling"),
    ("长顺", "chang shun"),
    ("长清", "chang qing"),
    ("长乐", "chang le"),
    ("延长", "yan chang"),
    ("长子", "zhang zi"),
    ("楼长", "lou zhang"),
    ("栋长", "dong zhang"),
    ("村长", "cun zhang"),
    ("镇长", "zhen zhang"),
    ("市长", "shi zhang"),
    ("县长", "xian zhang"),
    ("区长", "qu zhang"),
    ("队长", "dui zhang"),
    ("组长", "zu zhang"),
    ("所长", "suo zhang"),
    ("站长", "zhan zhang"),
    ("局长", "ju zhang"),
    ("科长", "ke zhang"),
    ("校长", "xiao zhang"),
    ("院长", "yuan zhang"),
    ("厂长", "chang zhang"),
    ("店长", "dian zhang"),
    ("家长", "jia zhang"),
    ("社长", "she zhang"),
    ("会长", "hui zhang"),
    ("行长", "hang zhang"),
    ("长者", "zhang zhe"),
    ("长辈", "zhang bei"),
    // 重
    ("重庆", "chong qing"),
    ("重阳", "chong yang"),
    ("重建", "chong jian"),
    ("重修", "chong xiu"),
    // 行
    ("银行", "yin hang"),
    ("支行", "zhi hang"),
    ("分行", "fen hang"),
    ("总行", "zong hang"),
    ("商行", "shang hang"),
    ("车行", "che hang"),
    ("琴行", "qin hang"),
    ("洋行", "yang hang"),
    ("米行", "mi hang"),
    ("药行", "yao hang"),
    ("行业", "hang ye"),
    ("同行", "tong hang"),
    ("农行", "nong hang"),
    ("工行", "gong hang"),
    ("建行", "jian hang"),
    ("中行", "zhong hang"),
    ("交行", "jiao hang"),
    ("招行", "zhao hang"),
    ("行政", "xing zheng"),
    ("步行", "bu xing"),
    // 厦
    ("厦门", "xia men"),
    ("大厦", "da sha"),
    ("广厦", "guang sha"),
    // 乐
    ("乐东", "le dong"),
    ("乐山", "le shan"),
    ("乐清", "yue qing"),
    ("乐亭", "lao ting"),
    ("乐园", "le yuan"),
    ("快乐", "kuai le"),
    ("安乐", "an le"),
    ("康乐", "kang le"),
    ("欢乐", "huan le"),
    ("音乐", "yin yue"),
    ("乐器", "yue qi"),
    ("乐府", "yue fu"),
    // 单
    ("单元", "dan yuan"),
    ("单位", "dan wei"),
    ("单号", "dan hao"),
    ("单身", "dan shen"),
    ("单县", "shan xian"),
    // 都
    ("之都", "zhi du"),
    ("首都", "shou du"),
    ("成都", "cheng du"),
    ("都市", "du shi"),
    ("花都", "hua du"),
    ("新都", "xin du"),
    ("京都", "jing du"),
    ("古都", "gu du"),
    ("帝都", "di du"),
    ("江都", "jiang du"),
    ("丰都", "feng du"),
    ("都城", "du cheng"),
    ("都会", "du hui"),
    ("都匀", "du yun"),
    ("都昌", "du chang"),
    ("都江堰", "du jiang yan"),
    // 区 (ou is a surname only)
    ("社区", "she qu"),
    ("小区", "xiao qu"),
    ("城区", "cheng qu"),
    ("市区", "shi qu"),
    ("园区", "yuan qu"),
    ("新区", "xin qu"),
    ("片区", "pian qu"),
    ("辖区", "xia qu"),
    ("景区", "jing qu"),
    ("郊区", "jiao qu"),
    ("街区", "jie qu"),
    ("区域", "qu yu"),
    ("开发区", "kai fa qu"),
    // other place words
    ("六安", "lu an"),
    ("六合", "lu he"),
    ("六盘水", "liu pan shui"),
    ("番禺", "pan yu"),
    ("蚌埠", "beng bu"),
    ("东莞", "dong guan"),
    ("莞城", "guan cheng"),
    ("丽水", "li shui"),
    ("丽江", "li jiang"),
    ("洪洞", "hong tong"),
    ("铅山", "yan shan"),
    ("蔚县", "yu xian"),
    ("莘县", "shen xian"),
    ("莘庄", "xin zhuang"),
    ("尉氏", "wei shi"),
    ("大栅栏", "da shi lan"),
    ("十里堡", "shi li pu"),
    ("吴堡", "wu bu"),
    ("柏林", "bo lin"),
    ("朝阳", "chao yang"),
    ("朝天门", "chao tian men"),
    ("曲江", "qu jiang"),
    ("曲阜", "qu fu"),
    ("西藏", "xi zang"),
    ("宝藏", "bao zang"),
    ("弄堂", "long tang"),
    ("里弄", "li long"),
    ("会计", "kuai ji"),
    ("会稽", "kuai ji"),
    ("会展", "hui zhan"),
    ("石家庄", "shi jia zhuang"),
    ("巷道", "hang dao"),
    ("绿地", "lv di"),
    ("绿洲", "lv zhou"),
    ("绿城", "lv cheng"),
    ("鸭绿江", "ya lu jiang"),
    ("佛山", "fo shan"),
    ("乾隆", "qian long"),
    ("乾坤", "qian kun"),
    ("人参", "ren shen"),
    ("给排水", "ji pai shui"),
    ("供给", "gong ji"),
    ("调度", "diao du"),
    ("空调", "kong tiao"),
    ("校区", "xiao qu"),
    ("学校", "xue xiao"),
    ("宿舍", "su she"),
    ("便民", "bian min"),
    ("便利", "bian li"),
    ("地下", "di xia"),
    ("解放", "jie fang"),
    ("大夫", "dai fu"),
];

/// For common characters: the readings plausible in addresses, most likely
/// first, and readings plausible only in personal names (surnames such as
/// 区 `ou`, 单 `shan`), used in short fields only. Sorted by character for
/// binary search (checked by a test).
pub(crate) const OVERRIDES: &[(char, &[&str], &[&str])] = &[
    ('丁', &["ding"], &[]),
    ('万', &["wan"], &["mo"]),
    ('中', &["zhong"], &[]),
    ('乐', &["le", "yue"], &[]),
    ('乙', &["yi"], &[]),
    ('乾', &["qian", "gan"], &[]),
    ('事', &["shi"], &[]),
    ('于', &["yu"], &[]),
    ('仇', &["qiu", "chou"], &[]),
    ('令', &["ling"], &[]),
    ('传', &["chuan"], &[]),
    ('佛', &["fo", "fu"], &[]),
    ('便', &["bian"], &[]),
    ('信', &["xin"], &[]),
    ('六', &["liu", "lu"], &[]),
    ('内', &["nei"], &[]),
    ('冯', &["feng"], &[]),
    ('前', &["qian"], &[]),
    ('化', &["hua"], &[]),
    ('区', &["qu"], &["ou"]),
    ('单', &["dan"], &["shan"]),
    ('南', &["nan"], &[]),
    ('厂', &["chang"], &[]),
    ('厦', &["sha", "xia"], &[]),
    ('参', &["can", "shen"], &[]),
    ('发', &["fa"], &[]),
    ('台', &["tai"], &[]),
    ('号', &["hao"], &[]),
    ('司', &["si"], &[]),
    ('合', &["he"], &[]),
    ('员', &["yuan"], &[]),
    ('和', &["he"], &[]),
    ('喜', &["xi"], &[]),
    ('团', &["tuan"], &[]),
    ('园', &["yuan"], &[]),
    ('地', &["di"], &[]),
    ('堡', &["bao", "pu", "bu"], &[]),
    ('塔', &["ta"], &[]),
    ('墅', &["shu"], &[]),
    ('夏', &["xia"], &[]),
    ('大', &["da"], &[]),
    ('央', &["yang"], &[]),
    ('奇', &["qi"], &[]),
    ('宁', &["ning"], &[]),
    ('宅', &["zhai"], &[]),
    ('家', &["jia"], &[]),
    ('容', &["rong"], &[]),
    ('宿', &["su"], &[]),
    ('寨', &["zhai"], &[]),
    ('尉', &["wei"], &["yu"]),
    ('尚', &["shang"], &[]),
    ('居', &["ju"], &[]),
    ('属', &["shu"], &[]),
    ('屯', &["tun"], &[]),
    ('差', &["cha"], &[]),
    ('巷', &["xiang", "hang"], &[]),
    ('市', &["shi"], &[]),
    ('幢', &["zhuang", "chuang"], &[]),
    ('干', &["gan"], &[]),
    ('平', &["ping"], &[]),
    ('幸', &["xing"], &[]),
    ('广', &["guang"], &[]),
    ('庄', &["zhuang"], &[]),
    ('底', &["di"], &[]),
    ('弄', &["long", "nong"], &[]),
    ('强', &["qiang"], &[]),
    ('御', &["yu"], &[]),
    ('怀', &["huai"], &[]),
    ('明', &["ming"], &[]),
    ('景', &["jing"], &[]),
    ('曲', &["qu"], &[]),
    ('曾', &["zeng", "ceng"], &[]),
    ('月', &["yue"], &[]),
    ('朝', &["chao", "zhao"], &[]),
    ('期', &["qi"], &[]),
    ('朴', &["pu", "piao"], &[]),
    ('柏', &["bai", "bo"], &[]),
    ('查', &["cha"], &["zha"]),
    ('校', &["xiao"], &[]),
    ('桃', &["tao"], &[]),
    ('桐', &["tong"], &[]),
    ('梧', &["wu"], &[]),
    ('池', &["chi"], &[]),
    ('沈', &["shen"], &[]),
    ('沙', &["sha"], &[]),
    ('泊', &["bo"], &[]),
    ('洞', &["dong"], &[]),
    ('派', &["pai"], &[]),
    ('港', &["gang"], &[]),
    ('溪', &["xi"], &[]),
    ('潭', &["tan"], &[]),
    ('白', &["bai"], &[]),
    ('百', &["bai"], &[]),
    ('盖', &["gai"], &["ge"]),
    ('盛', &["sheng", "cheng"], &[]),
    ('相', &["xiang"], &[]),
    ('省', &["sheng"], &[]),
    ('石', &["shi"], &[]),
    ('福', &["fu"], &[]),
    ('系', &["xi"], &[]),
    ('红', &["hong"], &[]),
    ('给', &["gei", "ji"], &[]),
    ('绿', &["lv", "lu"], &[]),
    ('翟', &["zhai", "di"], &[]),
    ('胜', &["sheng"], &[]),
    ('舍', &["she"], &[]),
    ('苑', &["yuan"], &[]),
    ('莉', &["li"], &[]),
    ('莞', &["guan", "wan"], &[]),
    ('蓝', &["lan"], &[]),
    ('薄', &["bo", "bao"], &[]),
    ('藏', &["zang", "cang"], &[]),
    ('行', &["xing", "hang"], &[]),
    ('解', &["jie"], &["xie"]),
    ('调', &["diao", "tiao"], &[]),
    ('贾', &["jia"], &["gu"]),
    ('路', &["lu"], &[]),
    ('车', &["che"], &[]),
    ('还', &["huan", "hai"], &[]),
    ('郴', &["chen"], &[]),
    ('都', &["du", "dou"], &[]),
    ('重', &["zhong", "chong"], &[]),
    ('长', &["chang", "zhang"], &[]),
    ('阿', &["a", "e"], &[]),
    ('降', &["jiang", "xiang"], &[]),
    ('零', &["ling"], &[]),
    ('青', &["qing"], &[]),
];

/// Longest phrase in [`PHRASES`], in characters.
pub(crate) fn max_phrase_chars() -> usize {
    static MAX: OnceLock<usize> = OnceLock::new();
    *MAX.get_or_init(|| {
        PHRASES
            .iter()
            .map(|(w, _)| w.chars().count())
            .max()
            .unwrap_or(0)
    })
}

/// The reading of a known phrase, one syllable per character.
pub(crate) fn phrase(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| PHRASES.iter().copied().collect())
        .get(word)
        .copied()
}

/// The override lists of a character (address readings, name-only
/// readings), if it has them.
pub(crate) fn overridden(c: char) -> Option<(&'static [&'static str], &'static [&'static str])> {
    OVERRIDES
        .binary_search_by(|(k, _, _)| k.cmp(&c))
        .ok()
        .and_then(|i| OVERRIDES.get(i))
        .map(|(_, address, names)| (*address, *names))
}

/// Tone-less pinyin as typed on a keyboard: ASCII letters kept, `ü` as `v`,
/// `ê` as `e`, anything else (combining marks) dropped.
fn keyboard(plain: &'static str) -> Cow<'static, str> {
    if plain.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(plain);
    }
    let mut s = String::with_capacity(plain.len());
    for c in plain.chars() {
        match c {
            'a'..='z' => s.push(c),
            'A'..='Z' => s.push(c.to_ascii_lowercase()),
            'ü' => s.push('v'),
            'ê' => s.push('e'),
            _ => {}
        }
    }
    Cow::Owned(s)
}

/// Every reading of a character from the `pinyin` crate, keyboard form,
/// without duplicates, in the crate's order. Empty if the character has no
/// pinyin (not a Chinese character).
pub(crate) fn all_readings(c: char) -> Vec<Cow<'static, str>> {
    let mut out: Vec<Cow<'static, str>> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for p in multi {
            let r = keyboard(p.plain());
            if !r.is_empty() && !out.contains(&r) {
                out.push(r);
            }
        }
    }
    out
}

/// The readings keys use for a character outside a known phrase. With
/// an override: its address readings, and its name readings too when `all`
/// (short fields). Otherwise the crate's readings: all of them when `all`,
/// else just the first.
pub(crate) fn key_readings(c: char, all: bool) -> Vec<Cow<'static, str>> {
    if let Some((address, names)) = overridden(c) {
        let extra = if all { names } else { &[] };
        return address
            .iter()
            .chain(extra)
            .map(|r| Cow::Borrowed(*r))
            .collect();
    }
    let mut r = all_readings(c);
    if !all {
        r.truncate(1);
    }
    r
}

/// Whether the character has a pinyin reading at all.
pub(crate) fn is_han(c: char) -> bool {
    !c.is_ascii() && c.to_pinyin_multi().is_some()
}

/// Readings used to map an ASCII query back onto display characters for
/// highlighting: override readings first, then all others.
pub(crate) fn highlight_readings(c: char) -> Vec<Cow<'static, str>> {
    let (address, names) = overridden(c).unwrap_or((&[], &[]));
    let mut out: Vec<Cow<'static, str>> = address
        .iter()
        .chain(names)
        .map(|r| Cow::Borrowed(*r))
        .collect();
    for r in all_readings(c) {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_sorted_and_ascii() {
        for w in OVERRIDES.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        for (c, address, names) in OVERRIDES {
            assert!(!address.is_empty(), "{c}");
            for r in address.iter().chain(*names) {
                assert!(
                    !r.is_empty() && r.bytes().all(|b| b.is_ascii_lowercase()),
                    "{c}: {r}"
                );
            }
        }
    }

    #[test]
    fn phrases_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for (w, r) in PHRASES {
            assert!(seen.insert(*w), "duplicate phrase {w}");
            let syl: Vec<&str> = r.split(' ').collect();
            assert_eq!(syl.len(), w.chars().count(), "{w}: {r}");
            assert!(w.chars().all(is_han), "{w}");
            for s in syl {
                assert!(!s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase()));
            }
        }
        assert_eq!(max_phrase_chars(), 3);
    }

    #[test]
    fn readings() {
        assert_eq!(key_readings('长', false), vec!["chang", "zhang"]);
        assert_eq!(key_readings('新', true), vec!["xin"]);
        assert!(all_readings('女').contains(&Cow::Borrowed("nv")));
        assert!(all_readings('a').is_empty());
        assert!(!is_han('a'));
        assert!(!is_han('，'));
        assert!(is_han('芙'));
        assert_eq!(phrase("重庆"), Some("chong qing"));
        assert_eq!(phrase("重"), None);
        assert_eq!(overridden('都'), Some((&["du", "dou"][..], &[][..])));
        assert_eq!(key_readings('区', false), vec!["qu"]);
        assert_eq!(key_readings('区', true), vec!["qu", "ou"]);
        assert_eq!(key_readings('号', true), vec!["hao"]);
        // Without an override, short fields get every reading.
        assert_eq!(key_readings('梅', true), vec!["mei"]);
        assert!(key_readings('茄', true).len() > 1);
        assert_eq!(key_readings('茄', false).len(), 1);
    }
}
