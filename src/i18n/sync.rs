//! The words of sync: the office and its laptops, bundles, and what can go wrong with them,
//! in both languages.

use super::sync_problems::{problem_en, problem_zh};
use crate::domain::sync::SyncProblem;

pub struct SyncWords {
    pub office_ready: fn(&str) -> String,
    pub office_already: fn(&str) -> String,
    pub device_added: fn(&str, &str, &str) -> String,
    pub device_reenrolled: fn(&str, &str, &str) -> String,
    pub office_new_keys: fn(&str) -> String,
    /// The last line of `devices add`: the one-time code.
    pub enrol_code: fn(&str) -> String,
    /// Who sent a file that was taken in: the office, or a laptop's person and letter.
    pub sender: fn(&crate::sync::Sender) -> String,
    /// Which list a row is in, in people's words.
    pub list_word: for<'a> fn(&'a str) -> &'a str,
    /// On a laptop: its own proposals, and what the office decided.
    pub own_proposals_head: &'static str,
    pub own_proposals_none: &'static str,
    pub own_proposal_line: fn(&crate::domain::sync::ProposalNote) -> String,
    /// `join` asks for the code at the terminal.
    pub ask_code: &'static str,
    pub no_person: fn(&str) -> String,
    pub devices_none: &'static str,
    pub devices_head: &'static str,
    pub device_line: fn(&crate::store::devices::Device) -> String,
    pub never: &'static str,
    pub revoked_mark: &'static str,
    pub revoked: fn(&str, &str) -> String,
    pub revoked_already: fn(&str, &str) -> String,
    pub no_device: fn(&str) -> String,
    pub joined: fn(&str, &str, &str) -> String,
    pub joined_merged: fn(usize, u64) -> String,
    pub joined_before: fn(&str) -> String,
    pub joined_again: fn(&str, &str) -> String,
    pub bundle_written: fn(&str, u64, usize) -> String,
    pub bundle_next: fn(&str) -> String,
    pub received: fn(&str, &crate::store::sync::Applied) -> String,
    pub received_again: fn(&str) -> String,
    /// What else a sync did or found: a gap (everything asked for), a clock that is off,
    /// changes to the lists held for the office, a laptop that takes another's place.
    pub gap_asked: &'static str,
    pub clock_off: fn(f64) -> String,
    pub proposals_held: fn(u64) -> String,
    pub joined_replace: fn(&str) -> String,
    pub after_restore: fn(bool) -> String,
    pub reply_written: fn(&str) -> String,
    pub serving: fn(&str) -> String,
    pub serving_hint: fn(&str) -> String,
    pub serving_local: fn(&str) -> String,
    pub serving_none: fn(u16) -> String,
    pub lan_file: &'static str,
    pub lan_not_here: &'static str,
    pub lan_no_enrolment: &'static str,
    pub lan_too_big: fn(u64) -> String,
    pub lan_too_slow: fn(u64) -> String,
    pub lan_office_fault: &'static str,
    pub served: fn(&str, &str) -> String,
    pub synced: fn(&str, u64, &crate::store::sync::Applied) -> String,
    pub status: fn(i64, Option<&str>, Option<&str>) -> String,
    pub no_url: &'static str,
    pub conflicts_head: &'static str,
    pub conflict_line: fn(&crate::store::sync::Conflict) -> String,
    /// The laptops' proposals, and the office's decisions on them.
    pub proposals_head: &'static str,
    pub proposals_none: &'static str,
    pub proposal_line: fn(&crate::store::proposals::Proposal) -> String,
    pub proposals_how: &'static str,
    pub accepted: fn(i64) -> String,
    pub declined: fn(i64) -> String,
    pub no_proposal: fn(i64) -> String,
    pub decided_already: fn(i64, &str) -> String,
    pub unrevoked: fn(&str, &str) -> String,
    pub not_revoked: fn(&str, &str) -> String,
    pub problem: fn(&str, &SyncProblem) -> String,
}

pub const ZH: SyncWords = SyncWords {
    office_ready: |p| {
        format!(
            "{p} 现在是社区办公室的数据库。\n下一步：导入楼栋和人员名单，然后为每位楼栋长登记电脑：firepatrol devices add --person 姓名 --out 文件"
        )
    },
    office_already: |p| format!("{p} 已经是社区办公室的数据库，没有改动。"),
    device_added: |letter, person, file| {
        format!(
            "已为 {person} 登记电脑 {letter}（隐患编号带 {letter}）。登记文件：{file}（已加密，没有登记码谁也打不开）\n在那台电脑上运行：firepatrol join {file} --code 登记码\n或在办公室的局域网里（办公室运行着 firepatrol serve）：firepatrol join http://地址:端口/enrol/{letter} --code 登记码\n登记码请当面或打电话告诉本人，不要和文件发在同一个群里；它只能用一次。"
        )
    },
    enrol_code: |c| format!("登记码：{c}"),
    sender: |s| match s {
        crate::sync::Sender::Office => "社区办公室".to_string(),
        crate::sync::Sender::Laptop(who) => who.clone(),
    },
    list_word: list_word_zh,
    own_proposals_head: "这台电脑对名单的修改建议（办公室决定之前，以办公室的名单为准）：",
    own_proposals_none: "这台电脑没有对名单的修改建议（或还没有同步过）。",
    own_proposal_line: |p| {
        format!(
            "  第 {} 条 {} {}：{}（{}）",
            p.number,
            list_word_zh(&p.list),
            p.what,
            p.detail,
            match p.status.as_str() {
                "accepted" => "办公室已同意，已改到名单里",
                "declined" => "办公室没有同意，名单不变",
                _ => "等办公室审核",
            }
        )
    },
    device_reenrolled: |letter, person, file| {
        format!(
            "已为 {person} 的电脑 {letter} 写出新的登记文件：{file}（旧的登记文件从此作废）\n在那台电脑上运行：firepatrol join {file} --code 登记码（它的记录都保留，下次同步时全部交来）"
        )
    },
    office_new_keys: |p| {
        format!(
            "{p} 的密钥文件不见了，已经为办公室做了新的密钥。各台电脑还认旧的密钥，暂时不能同步：请为每台电脑运行 firepatrol devices reenrol 编号 --out 文件，在那台电脑上 join 新文件。它们的记录都在，下次同步时交来。"
        )
    },
    ask_code: "请输入办公室给的 8 位登记码：",
    no_person: |n| format!("名单里没有“{n}”：请先导入人员名单，或检查姓名。"),
    devices_none: "还没有登记的电脑。用 firepatrol devices add --person 姓名 --out 文件 登记。",
    devices_head: "编号  使用人          上次同步               收到记录  状态",
    device_line: |d| {
        format!(
            "{:<5} {:<14} {:<22} {:>8}  {}",
            d.letter,
            d.person_name,
            d.last_sync.as_deref().unwrap_or("从未同步"),
            d.rows_in,
            {
                let state = match (&d.revoked_at, &d.retired_at) {
                    (Some(at), _) => format!("已停用（{at}）"),
                    (None, Some(at)) => format!("在用（{at} 换了电脑）"),
                    (None, None) => "在用".to_string(),
                };
                if crate::sync::clock_is_off(d.clock_offset) {
                    format!(
                        "{state}；时钟差 {:.1} 天",
                        d.clock_offset.unsigned_abs() as f64 / 86_400.0
                    )
                } else {
                    state
                }
            }
        )
    },
    never: "从未同步",
    revoked_mark: "已停用",
    revoked: |l, p| format!("电脑 {l}（{p}）已停用：从现在起拒收它的文件。"),
    revoked_already: |l, p| format!("电脑 {l}（{p}）早已停用，没有改动。"),
    no_device: |k| format!("没有编号或ID为“{k}”的电脑。用 firepatrol devices 查看。"),
    joined: |c, p, l| format!("已加入 {c}：这台电脑属于 {p}，编号 {l}。"),
    joined_merged: |m, n| format!("本机原有的 {m} 条名单记录已与社区的合并；收到 {n} 条记录。"),
    joined_before: |c| format!("这台电脑已经加入了 {c}，没有改动。"),
    joined_again: |c, l| {
        format!(
            "这台电脑（{l}）已重新登记到 {c}：有了新的密钥，原有记录都保留，下次同步时全部交给办公室。"
        )
    },
    bundle_written: |f, n, bytes| {
        format!("已写出同步文件 {f}（{n} 批改动，{bytes} 字节）。交给社区办公室。")
    },
    bundle_next: |f| format!("办公室处理后会给回一个文件，在这里运行：firepatrol sync {f}.reply"),
    received: |from, a| {
        format!(
            "已收下 {from} 的文件：新记录 {} 条，已有的 {} 条，名单不一致 {} 处，更新隐患 {} 条。",
            a.rows, a.duplicates, a.conflicts, a.hazards
        )
    },
    received_again: |from| {
        format!(
            "{from} 的这个文件以前已收下，没有改动，也不再回复。要同步请重新做一个同步文件（firepatrol sync --out 文件）。"
        )
    },
    gap_asked: "中间有记录没到这里：这次没有收进任何记录，已请对方把记录全部重发。请再同步一次。",
    clock_off: |days| {
        format!(
            "注意：两台电脑的时钟相差 {days:.1} 天。请把这台电脑的日期和时间调准（记录仍按先后顺序保存）。"
        )
    },
    proposals_held: |n| {
        format!(
            "对名单（楼栋、人员、分工）的 {n} 处修改已作为建议交给办公室审核，在办公室同意前，以办公室的名单为准（办公室用 firepatrol devices conflicts 查看）。"
        )
    },
    joined_replace: |c| {
        format!(
            "这台电脑将接替原来用这个登记文件的电脑（{c}）：下次同步时办公室会停用旧电脑，旧电脑交来的记录都保留。"
        )
    },
    after_restore: |laptop| {
        if laptop {
            "这个数据库参与同步：下次同步时，会向办公室要回全部记录（包括这台电脑以前交过的），这台电脑的新记录用新的编号链接着记。只有从没同步过的记录可能丢失。".to_string()
        } else {
            "这是办公室的数据库：各台电脑下次同步时，办公室会把全部记录发给它们，并请它们把办公室缺少的记录重发回来（需要同步两次）。".to_string()
        }
    },
    reply_written: |f| format!("给那台电脑的回复：{f}"),
    serving: |a| format!("社区办公室正在 http://{a} 等待同步（按 Ctrl-C 停止）。"),
    serving_hint: |a| format!("在楼栋长的电脑上运行：firepatrol sync http://{a}"),
    serving_local: |a| {
        format!(
            "只在本机 http://{a} 等待（别的电脑连不上）。要让楼栋长的电脑来同步，用 --listen 0.0.0.0:{port}。",
            port = a.rsplit(':').next().unwrap_or("8080")
        )
    },
    serving_none: |port| {
        format!(
            "正在端口 {port} 等待同步，但这台电脑现在没有网络地址（网线或 Wi-Fi 没接上？）。接好后查看本机地址：Linux 上运行 ip addr，Windows 上运行 ipconfig；楼栋长的电脑用 firepatrol sync http://本机地址:{port}"
        )
    },
    lan_file: "你发来的文件",
    lan_not_here: "这里是社区办公室的 firepatrol：楼栋长的电脑请用 firepatrol sync http://地址:端口 同步。",
    lan_no_enrolment: "办公室没有等待这个编号加入的登记文件（编号不对，或那台电脑已经加入并同步过了）：请核对办公室给的编号。",
    lan_too_big: |mb| {
        format!(
            "文件太大（局域网上最多收 {mb} MB）：请用 firepatrol sync --out 写成文件，用U盘交给办公室。没有改动。"
        )
    },
    lan_too_slow: |s| {
        format!("文件在 {s} 秒内没有传完（网络太慢或中断了）：请再同步一次。没有改动。")
    },
    lan_office_fault: "办公室这边出了问题，这次没有改动：请社区办公室查看 firepatrol serve 窗口里的原因。",
    served: |peer, line| format!("{peer}：{line}"),
    synced: |url, sent, a| {
        format!(
            "已与 {url} 同步：发出 {sent} 批改动；收到新记录 {} 条，更新隐患 {} 条。",
            a.rows, a.hazards
        )
    },
    status: |n, last, url| {
        format!(
            "未发送的改动：{n} 批。上次同步：{}。办公室地址：{}",
            last.unwrap_or("从未"),
            url.unwrap_or("未设置")
        )
    },
    no_url: "还没有办公室地址：先运行一次 firepatrol sync http://地址:端口",
    proposals_head: "楼栋长电脑对名单的修改建议（办公室同意前以办公室为准）：",
    proposals_none: "没有待审核的名单修改建议。",
    proposal_line: |p| {
        format!(
            "  {:>3}. {} {} {}（{}，{}）：{}",
            p.number,
            p.first_at.get(..10).unwrap_or(&p.first_at),
            list_word_zh(&p.table),
            p.what,
            p.senders,
            match p.status.as_str() {
                "accepted" => "已同意",
                "declined" => "已拒绝",
                _ => "待审核",
            },
            p.detail
        )
    },
    proposals_how: "同意：firepatrol devices accept 编号；不同意：firepatrol devices decline 编号。结果在下次同步时发到各台电脑。",
    accepted: |n| format!("已同意第 {n} 条建议：办公室的名单已改，下次同步时发到各台电脑。"),
    declined: |n| format!("已拒绝第 {n} 条建议：办公室的名单不变（各台电脑也以它为准）。"),
    no_proposal: |n| format!("没有第 {n} 条建议：用 firepatrol devices conflicts 查看编号。"),
    decided_already: |n, s| {
        format!(
            "第 {n} 条建议已经处理过了（{}）。",
            if s == "accepted" {
                "已同意"
            } else {
                "已拒绝"
            }
        )
    },
    unrevoked: |l, p| {
        format!("电脑 {l}（{p}）恢复使用：从现在起又收它的文件，它没交的记录可以交来了。")
    },
    not_revoked: |l, p| format!("电脑 {l}（{p}）没有停用，没有改动。"),
    conflicts_head: "名单不一致（以办公室为准）：",
    conflict_line: |c| {
        format!(
            "  {} {} {} {}：{}",
            c.at,
            c.sender,
            list_word_zh(&c.table),
            c.what,
            c.detail
        )
    },
    problem: problem_zh,
};

pub const EN: SyncWords = SyncWords {
    office_ready: |p| {
        format!(
            "{p} is now the community office's database.\nNext: import the building and people lists, then enrol each leader's laptop: firepatrol devices add --person NAME --out FILE"
        )
    },
    office_already: |p| format!("{p} is the office's database already; nothing changed."),
    device_added: |letter, person, file| {
        format!(
            "Enrolled laptop {letter} for {person} (its hazard numbers carry {letter}). Enrolment file: {file} (encrypted: nobody opens it without the code)\nOn that laptop run: firepatrol join {file} --code CODE\nOr on the office LAN (while the office runs firepatrol serve): firepatrol join http://ADDRESS:PORT/enrol/{letter} --code CODE\nTell the leader the code in person or by phone, never in the same chat as the file; it works once."
        )
    },
    enrol_code: |c| format!("Enrolment code: {c}"),
    sender: |s| match s {
        crate::sync::Sender::Office => "the office".to_string(),
        crate::sync::Sender::Laptop(who) => who.clone(),
    },
    list_word: list_word_en,
    own_proposals_head: "This laptop's proposed changes to the lists (the office's lists stand until it decides):",
    own_proposals_none: "This laptop has no proposed changes to the lists (or has not synced yet).",
    own_proposal_line: |p| {
        format!(
            "  {:>3}. {} {}: {} ({})",
            p.number,
            list_word_en(&p.list),
            p.what,
            p.detail,
            match p.status.as_str() {
                "accepted" => "accepted by the office: the lists are changed",
                "declined" => "declined by the office: the lists stay",
                _ => "waiting for the office",
            }
        )
    },
    device_reenrolled: |letter, person, file| {
        format!(
            "New enrolment file for {person}'s laptop {letter}: {file} (the earlier file is worthless from now on)\nOn that laptop run: firepatrol join {file} --code CODE (its records stay, and all of them come in at its next sync)"
        )
    },
    office_new_keys: |p| {
        format!(
            "The key file of {p} was missing: the office has new keys. The laptops know the old ones and cannot sync until each is enrolled again: firepatrol devices reenrol CODE --out FILE, then join the new file on that laptop. Their records are safe on them and come in at their next sync."
        )
    },
    ask_code: "Type the 8-digit code the office gave: ",
    no_person: |n| {
        format!("No \"{n}\" in the people list: import the people list first, or check the name.")
    },
    devices_none: "No laptops enrolled yet. Enrol one with firepatrol devices add --person NAME --out FILE.",
    devices_head: "Code  Person          Last sync              Records  State",
    device_line: |d| {
        format!(
            "{:<5} {:<14} {:<22} {:>8}  {}",
            d.letter,
            d.person_name,
            d.last_sync.as_deref().unwrap_or("never"),
            d.rows_in,
            {
                let state = match (&d.revoked_at, &d.retired_at) {
                    (Some(at), _) => format!("revoked ({at})"),
                    (None, Some(at)) => format!("active (replaced {at})"),
                    (None, None) => "active".to_string(),
                };
                if crate::sync::clock_is_off(d.clock_offset) {
                    format!(
                        "{state}; clock off by {:.1} days",
                        d.clock_offset.unsigned_abs() as f64 / 86_400.0
                    )
                } else {
                    state
                }
            }
        )
    },
    never: "never",
    revoked_mark: "revoked",
    revoked: |l, p| format!("Laptop {l} ({p}) is revoked: its files are refused from now on."),
    revoked_already: |l, p| format!("Laptop {l} ({p}) was revoked already; nothing changed."),
    no_device: |k| format!("No laptop with code or id \"{k}\". See firepatrol devices."),
    joined: |c, p, l| format!("Joined {c}: this laptop is {p}'s, code {l}."),
    joined_merged: |m, n| {
        format!(
            "{m} list record(s) of this laptop merged with the community's; {n} record(s) received."
        )
    },
    joined_before: |c| format!("This laptop has joined {c} already; nothing changed."),
    joined_again: |c, l| {
        format!(
            "This laptop ({l}) is enrolled in {c} again: it has new keys, keeps all its records, and hands all of them to the office at its next sync."
        )
    },
    bundle_written: |f, n, bytes| {
        format!(
            "Wrote the sync file {f} ({n} batch(es) of changes, {bytes} bytes). Take it to the office."
        )
    },
    bundle_next: |f| format!("The office gives back a file; here, run: firepatrol sync {f}.reply"),
    received: |from, a| {
        format!(
            "Took in the file from {from}: {} new record(s), {} already here, {} list difference(s), {} hazard(s) updated.",
            a.rows, a.duplicates, a.conflicts, a.hazards
        )
    },
    received_again: |from| {
        format!(
            "This file from {from} was taken in before; nothing changed, and no reply is made. To sync, make a new sync file (firepatrol sync --out FILE)."
        )
    },
    gap_asked: "Records in between have not arrived here: nothing was taken in this time, and the other side was asked to send everything. Sync once more.",
    clock_off: |days| {
        format!(
            "Note: the two computers' clocks differ by {days:.1} days. Please set this computer's date and time (records still keep their order)."
        )
    },
    proposals_held: |n| {
        format!(
            "{n} change(s) to the lists (buildings, people, duties) went to the office as proposals; until the office accepts them its lists stand (at the office: firepatrol devices conflicts)."
        )
    },
    joined_replace: |c| {
        format!(
            "This laptop takes the place of the one that used this enrolment before ({c}): at the next sync the office retires the old one; what it handed in stays."
        )
    },
    after_restore: |laptop| {
        if laptop {
            "This database takes part in sync: at the next sync it asks the office for everything (its own records handed in before included), and writes its new records under a new chain. Only records never synced anywhere can be lost.".to_string()
        } else {
            "This is the office's database: at each laptop's next sync the office sends it everything and asks it to send back what the office lacks (two rounds of sync).".to_string()
        }
    },
    reply_written: |f| format!("The reply for that laptop: {f}"),
    serving: |a| format!("The office is waiting for laptops at http://{a} (Ctrl-C stops)."),
    serving_hint: |a| format!("On a leader's laptop run: firepatrol sync http://{a}"),
    serving_local: |a| {
        format!(
            "Waiting at http://{a} on this computer only (no other computer can reach it). For the leaders' laptops, use --listen 0.0.0.0:{port}.",
            port = a.rsplit(':').next().unwrap_or("8080")
        )
    },
    serving_none: |port| {
        format!(
            "Waiting for laptops on port {port}, but this computer has no network address now (is the cable or Wi-Fi connected?). Once connected, find its address with ip addr (Linux) or ipconfig (Windows); on a leader's laptop run firepatrol sync http://THAT-ADDRESS:{port}"
        )
    },
    lan_file: "the file you sent",
    lan_not_here: "This is the community office's firepatrol: a leader's laptop syncs with firepatrol sync http://ADDRESS:PORT.",
    lan_no_enrolment: "The office has no enrolment file waiting for that letter (a wrong letter, or that laptop has joined and synced already): check the letter the office gave.",
    lan_too_big: |mb| {
        format!(
            "The file is too large for the LAN (at most {mb} MB): write it with firepatrol sync --out and take it to the office on a USB stick. Nothing changed."
        )
    },
    lan_too_slow: |s| {
        format!(
            "The file did not arrive within {s} s (the network is too slow or broke off): sync again. Nothing changed."
        )
    },
    lan_office_fault: "Something went wrong at the office; nothing changed this time. Ask the office to look at the firepatrol serve window for the reason.",
    served: |peer, line| format!("{peer}: {line}"),
    synced: |url, sent, a| {
        format!(
            "Synced with {url}: sent {sent} batch(es) of changes; received {} new record(s), {} hazard(s) updated.",
            a.rows, a.hazards
        )
    },
    status: |n, last, url| {
        format!(
            "Changes not yet sent: {n} batch(es). Last sync: {}. Office address: {}",
            last.unwrap_or("never"),
            url.unwrap_or("not set")
        )
    },
    no_url: "No office address yet: run firepatrol sync http://ADDRESS:PORT once.",
    proposals_head: "Laptops' proposed changes to the lists (the office's version stands until accepted):",
    proposals_none: "No proposed changes to the lists are waiting.",
    proposal_line: |p| {
        format!(
            "  {:>3}. {} {} {} ({}, {}): {}",
            p.number,
            p.first_at.get(..10).unwrap_or(&p.first_at),
            list_word_en(&p.table),
            p.what,
            p.senders,
            match p.status.as_str() {
                "accepted" => "accepted",
                "declined" => "declined",
                _ => "waiting",
            },
            p.detail
        )
    },
    proposals_how: "Accept: firepatrol devices accept N; decline: firepatrol devices decline N. The outcome reaches every laptop at its next sync.",
    accepted: |n| {
        format!(
            "Proposal {n} accepted: the office's lists are changed, and reach every laptop at its next sync."
        )
    },
    declined: |n| {
        format!(
            "Proposal {n} declined: the office's lists stay as they are (and so do every laptop's)."
        )
    },
    no_proposal: |n| {
        format!("There is no proposal {n}: see the numbers with firepatrol devices conflicts.")
    },
    decided_already: |n, s| format!("Proposal {n} was decided already ({s})."),
    unrevoked: |l, p| {
        format!(
            "Laptop {l} ({p}) is back in use: its files are accepted again, and what it has not handed in can come now."
        )
    },
    not_revoked: |l, p| format!("Laptop {l} ({p}) is not revoked; nothing changed."),
    conflicts_head: "List differences (the office's version stands):",
    conflict_line: |c| {
        format!(
            "  {} {} {} {}: {}",
            c.at,
            c.sender,
            list_word_en(&c.table),
            c.what,
            c.detail
        )
    },
    problem: problem_en,
};

/// Which list a row is in, in people's words.
pub fn list_word_zh(table: &str) -> &str {
    match table {
        "person" => "人员",
        "duty" => "职责",
        "building" => "楼栋",
        "unit" => "单元",
        "compound" => "小区",
        "grid" => "网格",
        "community" => "社区",
        "template" | "template_version" => "检查表",
        other => other,
    }
}

pub fn list_word_en(table: &str) -> &str {
    match table {
        "person" => "person",
        "duty" => "duty",
        "building" => "building",
        "unit" => "unit",
        "compound" => "compound",
        "grid" => "grid",
        "community" => "community",
        "template" | "template_version" => "checklist",
        other => other,
    }
}
