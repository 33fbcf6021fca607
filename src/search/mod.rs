//! Search that understands Chinese: pinyin, initials, traditional and
//! simplified characters, digits and latin letters.
//!
//! Leaders type on a laptop keyboard, often without a Chinese input method,
//! and office lists mix simplified and traditional characters. The record
//! `芙蓉南路社区新芙蓉之都2栋` is found by `xfr2`, `xinfurong`, `2栋`,
//! `新芙蓉`, `2d`, and by `社區` or `2棟` typed in traditional script.
//!
//! Pure code: no I/O, no database, no terminal.
//!
//! # Use
//!
//! 1. When a record is written or imported, compute its keys once and store
//!    them (a TEXT column):
//!    [`search_keys`]`(&[compound, building, address, leader]) -> String`.
//! 2. When the list is loaded, build an index:
//!    [`SearchIndex::new`]`(Vec<(handle, display, stored_keys, RankHint)>)`.
//! 3. On every keystroke:
//!    [`SearchIndex::query`]`(&mut self, query, limit) -> Vec<Hit>`; each
//!    [`Hit`] has the caller's `handle`, a `score` and the `highlight` char
//!    indices into the display text.
//!
//! ```
//! use firepatrol::search::{search_keys, RankHint, SearchIndex};
//!
//! let keys = search_keys(&["芙蓉南路社区", "新芙蓉之都", "2栋"]);
//! let mut index = SearchIndex::new(vec![(
//!     7,
//!     "芙蓉南路社区新芙蓉之都2栋".to_owned(),
//!     keys,
//!     RankHint::default(),
//! )]);
//! let hits = index.query("xfr2", 20);
//! assert_eq!(hits[0].handle, 7);
//! assert_eq!(hits[0].highlight, vec![6, 7, 8, 11]); // 新 芙 蓉 2
//! ```
//!
//! # Keys
//!
//! Every field is folded: NFC, full-width ASCII to ASCII (`２棟` → `2棟`),
//! lowercase, whitespace and control characters to single spaces,
//! traditional to simplified (OpenCC `t2s` from `ferrous-opencc`, whose
//! dictionaries are compiled into the binary: nothing is read at run time).
//! Fields are joined with one space. From that the keys are:
//!
//! - **text**: the folded text itself (`芙蓉南路社区 新芙蓉之都 2栋`);
//! - **pinyin**: full pinyin without tones, ASCII characters kept as they
//!   are (`furongnanlushequ xinfurongzhidu 2dong`); `ü` is typed `v`;
//! - **initials**: first letter of each syllable, ASCII kept
//!   (`frnlsq xfrzd 2d`).
//!
//! Polyphonic characters get every plausible reading, within bounds:
//! a phrase table of place words fixes context readings (长沙 `changsha`,
//! 重庆 `chongqing`, 单元 `danyuan`, 银行 `yinhang`, 厦门 `xiamen`,
//! 之都 `zhidu`, 社区 `shequ`); an override table gives the readings
//! plausible in addresses for common characters (长: `chang`, `zhang`; 都:
//! `du`, `dou`; 南: `nan` only) and surname readings used in short fields
//! only (区 `ou`, 单 `shan`); other characters get all their readings in
//! short fields (names, up to four Chinese characters) and their first
//! reading in longer ones. At most 8 spellings per field and 8 per record
//! (the default spelling, then one field changed at a time); initials are
//! derived from the same spellings.
//!
//! Each spelling is a separate key: a query never matches letters picked
//! from two different spellings of the same record.
//!
//! The stored form is line based, first line the version [`KEYS_VERSION`]:
//!
//! ```text
//! fp1
//! t芙蓉南路社区 新芙蓉之都 2栋
//! pfurongnanlushequ xinfurongzhidu 2dong
//! ifrnlsq xfrzd 2d
//! ```
//!
//! A stored string in another format is ignored and the keys are rebuilt
//! from the display text, so old or damaged rows stay searchable.
//!
//! # Matching and ranking
//!
//! The query is folded the same way and split on whitespace; every term must
//! match (`xfr 2栋` works). An all-ASCII term is matched against the pinyin
//! and initials keys (ASCII against ASCII), any other term against the text
//! key. A term matches a key when its characters appear in order
//! ([`fuzzy_matcher::skim::SkimMatcherV2`] scores how well). On top of that
//! fuzzy score, each term earns a level that outweighs any fuzzy score: the
//! term is a whole word (a whole field or space-separated word) of a key, a
//! prefix of one, a substring, or only scattered. So a prefix match always
//! beats a scattered one. Ties go to the leader's own buildings, then the
//! most recently patrolled, then display text in natural order (`2栋`
//! before `12栋`), then handle.
//!
//! Queries over more than a few thousand candidates are split over up to
//! four threads (scoped, joined before `query` returns);
//! [`SearchIndex::set_max_threads`]`(1)` keeps everything on the calling
//! thread. Results do not depend on the split.
//!
//! The index remembers every record the previous query matched. When the
//! new query extends it (one more character typed), only those records are
//! searched; the results are exactly those of a fresh search.
//!
//! Limits, so that no input is slow or panics: a query is cut to
//! [`MAX_QUERY_CHARS`] characters, [`MAX_TERMS`] terms of [`MAX_TERM_CHARS`]
//! characters; keys cover [`MAX_FIELD_CHARS`] characters per field and
//! [`MAX_RECORD_CHARS`] per record; highlighting looks at the first
//! [`MAX_HIGHLIGHT_CHARS`] display characters.

mod engine;
mod fold;
mod highlight;
mod keys;
mod matching;
mod query;
mod readings;

pub use engine::{Hit, RankHint, SearchIndex};
pub use fold::fold;
pub use highlight::MAX_HIGHLIGHT_CHARS;
pub use keys::{KEYS_VERSION, MAX_FIELD_CHARS, MAX_RECORD_CHARS, search_keys};
pub use query::{MAX_QUERY_CHARS, MAX_TERM_CHARS, MAX_TERMS};

#[cfg(test)]
mod tests;
