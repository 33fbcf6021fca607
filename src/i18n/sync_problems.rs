//! The words for what can be wrong with a sync file or a sync over the LAN, in both
//! languages: each names the file or address (`place`), what is wrong, and what to do.

use super::refusals::{refusal_en, refusal_zh};
use crate::domain::sync::SyncProblem;

pub fn problem_zh(place: &str, p: &SyncProblem) -> String {
    match p {
        SyncProblem::NotABundle => format!("{place} 不是同步文件"),
        SyncProblem::Newer { found, supported } => format!(
            "{place} 是较新版本的 firepatrol 做的（{found}，本程序支持到 {supported}）：请先升级本程序。没有改动。"
        ),
        SyncProblem::Truncated => {
            format!("{place} 不完整（复制时被截断了）：请重新复制。没有改动。")
        }
        SyncProblem::BadHeader => format!("{place} 的文件头读不出来：文件已损坏。没有改动。"),
        SyncProblem::BadSignature => {
            format!("{place} 的签名不对：文件被改过，或不是这个社区的电脑做的。没有改动。")
        }
        SyncProblem::BadPayload => format!("{place} 的内容与签名不符（被改过）。没有改动。"),
        SyncProblem::UnknownSender => {
            format!("{place} 来自一台没有在本办公室登记的电脑。没有改动。")
        }
        SyncProblem::Revoked { since } => {
            format!("{place}：这台电脑已于 {since} 停用，文件被拒收。没有改动。")
        }
        SyncProblem::OtherCommunity(c) => {
            format!("{place} 属于另一个社区（{c}）。没有改动。")
        }
        SyncProblem::NotForUs => format!("{place} 是给另一台电脑的回复。没有改动。"),
        SyncProblem::WrongKind => format!(
            "{place} 不该在这里用：登记文件用 join，楼栋长的同步文件在办公室用 sync，回复在楼栋长的电脑上用 sync。"
        ),
        SyncProblem::Gap { have, starts } => format!(
            "{place} 从第 {starts} 批开始，但这里只收到第 {have} 批：中间的文件还没到。回复已请那台电脑把它的记录全部重发：再同步一次即可。没有改动。"
        ),
        SyncProblem::Refused(r) => format!("{place} 被拒收：{}。没有改动。", refusal_zh(r)),
        SyncProblem::NotSetUp => format!(
            "{place} 还没有设置同步：办公室用 firepatrol init --office，楼栋长的电脑用 firepatrol join 登记文件。"
        ),
        SyncProblem::NoCommunity => {
            format!("{place} 里还没有社区：请先导入楼栋名单（firepatrol import buildings 文件）。")
        }
        SyncProblem::AlreadyJoined => {
            format!("{place} 已经用另一个登记文件加入了社区。没有改动。")
        }
        SyncProblem::IsOffice => format!("{place} 是办公室的数据库，不能加入别的办公室。"),
        SyncProblem::Unreachable(d) => {
            format!("找不到办公室的电脑 {place}（{d}）：请检查网线或 Wi-Fi 和地址。没有改动。")
        }
        SyncProblem::OfficeSaid(m) => format!("办公室拒绝了这次同步：{m}"),
        SyncProblem::OtherDatabase { letter } => format!(
            "{place}：登记文件 {letter} 已经被另一台电脑（另一个数据库）用过了，这个文件被拒收。如果这台电脑是换下旧电脑的新电脑，请在这台电脑上运行 firepatrol join 登记文件 --replace（旧电脑就此停用，它已交来的记录都保留）；否则请办公室为这台电脑另发登记文件（firepatrol devices add）。没有改动。"
        ),
        SyncProblem::Replaced { letter } => format!(
            "{place}：电脑 {letter} 已经被另一台电脑替换（join --replace），这台旧电脑不能再同步。请把还没交的记录带到办公室，由办公室把它登记成一台新的电脑（firepatrol devices add）。没有改动。"
        ),
        SyncProblem::ForgedAck { acked, sent } => format!(
            "{place} 声称收到了第 {acked} 批，但对方只发出过第 {sent} 批：文件是伪造的，整份拒收。没有改动。"
        ),
        SyncProblem::Older { found, needed } => format!(
            "{place} 是旧版本的 firepatrol 做的（{found}，这里至少要 {needed}）：请先在那台电脑上升级 firepatrol，再同步。没有改动。"
        ),
        SyncProblem::NoTls => format!(
            "{place}：局域网同步用 http://，不用 https://：同步文件本身已经加密给办公室，只有办公室能打开，所以不需要 https。请把地址改成 http:// 开头。没有改动。"
        ),
        SyncProblem::NotListening => format!(
            "办公室的电脑 {place} 有回应，但那里没有在等待同步：请社区办公室运行 firepatrol serve，并核对端口。没有改动。"
        ),
        SyncProblem::TooLarge { limit } => format!(
            "{place} 解压后超过 {} MB，不收：请用 firepatrol sync --out 写成文件，用U盘交给办公室。没有改动。",
            limit.div_ceil(1 << 20)
        ),
        SyncProblem::TimedOut { secs } => format!(
            "办公室 {place} 在 {secs} 秒内没有回复完（网络太慢，或办公室的电脑太忙）：请稍后再同步一次。没有改动。"
        ),
        SyncProblem::OlderFormat => format!(
            "{place} 是旧版本的 firepatrol 做的（那时同步文件还没有加密）：请先在那台电脑上升级 firepatrol，再同步一次。没有改动。"
        ),
        SyncProblem::NotForThisMachine => format!(
            "{place} 是加密给另一台电脑的，这台电脑打不开：请确认这是给这台电脑的文件（每台电脑的回复只有它自己能打开）。没有改动。"
        ),
        SyncProblem::WrongCode => format!(
            "登记码不对，打不开 {place}：请核对办公室给的 8 位登记码后再试（firepatrol join 登记文件 --code 登记码）。没有改动。"
        ),
        SyncProblem::NeedCode => format!(
            "{place} 需要办公室给的 8 位登记码：firepatrol join 登记文件 --code 登记码。没有改动。"
        ),
        SyncProblem::KeyFileMissing => format!(
            "{place} 旁边的密钥文件（.key）不见了：没有它不能同步。请把它从原来的位置放回来；找不回来的话，请办公室为这台电脑重新登记（firepatrol devices reenrol 编号），在这台电脑上 join 新的登记文件，记录都保留。没有改动。"
        ),
        SyncProblem::Stopped => {
            format!("与 {place} 的同步已停止：这台电脑上没有任何改动。下次同步会把该交的都交上。")
        }
        SyncProblem::KeyFileDamaged => format!(
            "{place} 旁边的密钥文件（.key）读不出来（已损坏）：请从安全的副本放回；没有副本的话，请办公室重新登记这台电脑（firepatrol devices reenrol 编号）。没有改动。"
        ),
    }
}

pub fn problem_en(place: &str, p: &SyncProblem) -> String {
    match p {
        SyncProblem::NotABundle => format!("{place} is not a sync file"),
        SyncProblem::Newer { found, supported } => format!(
            "{place} was made by a newer firepatrol ({found}; this one supports up to {supported}): update this program first. Nothing changed."
        ),
        SyncProblem::Truncated => {
            format!("{place} is incomplete (cut off in copying): copy it again. Nothing changed.")
        }
        SyncProblem::BadHeader => {
            format!("{place}: its header cannot be read: the file is damaged. Nothing changed.")
        }
        SyncProblem::BadSignature => format!(
            "{place}: the signature does not match: the file was altered, or was not made by a laptop of this community. Nothing changed."
        ),
        SyncProblem::BadPayload => {
            format!("{place}: its content does not match its signature (altered). Nothing changed.")
        }
        SyncProblem::UnknownSender => {
            format!("{place} comes from a laptop not enrolled at this office. Nothing changed.")
        }
        SyncProblem::Revoked { since } => {
            format!(
                "{place}: this laptop was revoked on {since}; the file is refused. Nothing changed."
            )
        }
        SyncProblem::OtherCommunity(c) => {
            format!("{place} belongs to another community ({c}). Nothing changed.")
        }
        SyncProblem::NotForUs => format!("{place} is a reply for another laptop. Nothing changed."),
        SyncProblem::WrongKind => format!(
            "{place} does not belong here: an enrolment file is for join, a leader's sync file for sync at the office, a reply for sync on the leader's laptop."
        ),
        SyncProblem::Gap { have, starts } => format!(
            "{place} starts at batch {starts}, but only batch {have} has arrived here: a file in between is missing. The reply asks that laptop to send everything it holds; sync once more. Nothing changed."
        ),
        SyncProblem::Refused(r) => {
            format!("{place} was refused: {}. Nothing changed.", refusal_en(r))
        }
        SyncProblem::NotSetUp => format!(
            "{place} is not set up for sync: at the office use firepatrol init --office; on a leader's laptop, firepatrol join ENROLMENT-FILE."
        ),
        SyncProblem::NoCommunity => format!(
            "{place} has no community yet: import the building list first (firepatrol import buildings FILE)."
        ),
        SyncProblem::AlreadyJoined => {
            format!("{place} has joined with another enrolment file already. Nothing changed.")
        }
        SyncProblem::IsOffice => {
            format!("{place} is the office's database; it does not join another office.")
        }
        SyncProblem::Unreachable(d) => format!(
            "The office is not reachable at {place} ({d}): check the cable or Wi-Fi and the address. Nothing changed."
        ),
        SyncProblem::OfficeSaid(m) => format!("The office refused this sync: {m}"),
        SyncProblem::OtherDatabase { letter } => format!(
            "{place}: enrolment {letter} is already used by another laptop database; this file is refused. If this laptop replaces the old one, run firepatrol join ENROLMENT-FILE --replace on it (the old laptop is retired; what it handed in stays). Otherwise ask the office for an enrolment of its own (firepatrol devices add). Nothing changed."
        ),
        SyncProblem::Replaced { letter } => format!(
            "{place}: laptop {letter} was replaced by another database (join --replace); this old one cannot sync any more. Bring what it has not handed in to the office, which can enrol it as a laptop of its own (firepatrol devices add). Nothing changed."
        ),
        SyncProblem::ForgedAck { acked, sent } => format!(
            "{place} claims to have batch {acked}, but only batch {sent} was ever sent to it: the file is forged and refused whole. Nothing changed."
        ),
        SyncProblem::Older { found, needed } => format!(
            "{place} was made by an older firepatrol (schema {found}; {needed} is needed here): update firepatrol on that laptop first, then sync. Nothing changed."
        ),
        SyncProblem::NoTls => format!(
            "{place}: LAN sync uses http://, not https://: the sync file itself is already encrypted to the office, which alone can open it, so https adds nothing. Write the address with http:// instead. Nothing changed."
        ),
        SyncProblem::NotListening => format!(
            "The office's computer at {place} answered, but nothing is waiting for laptops there: ask the office to run firepatrol serve, and check the port. Nothing changed."
        ),
        SyncProblem::TooLarge { limit } => format!(
            "{place} unpacks to more than {} MB and is not taken: write it with firepatrol sync --out and take it to the office on a USB stick. Nothing changed.",
            limit.div_ceil(1 << 20)
        ),
        SyncProblem::TimedOut { secs } => format!(
            "The office at {place} did not finish answering within {secs} s (the network is too slow, or the office's computer too busy): sync again later. Nothing changed."
        ),
        SyncProblem::OlderFormat => format!(
            "{place} was made by an older firepatrol, from before sync files were encrypted: update firepatrol on that computer, then sync once more. Nothing changed."
        ),
        SyncProblem::NotForThisMachine => format!(
            "{place} is encrypted to another computer and cannot be opened here: check that it is this computer's file (each laptop's reply opens on that laptop only). Nothing changed."
        ),
        SyncProblem::WrongCode => format!(
            "The enrolment code does not open {place}: check the 8-digit code the office gave and try again (firepatrol join FILE --code CODE). Nothing changed."
        ),
        SyncProblem::NeedCode => format!(
            "{place} needs the 8-digit code the office gave with it: firepatrol join FILE --code CODE. Nothing changed."
        ),
        SyncProblem::KeyFileMissing => format!(
            "The key file (.key) beside {place} is missing, and this database cannot sync without it. Put it back from where it was; if it is lost, ask the office to enrol this laptop again (firepatrol devices reenrol CODE) and join the new file here: every record stays. Nothing changed."
        ),
        SyncProblem::Stopped => format!(
            "The sync with {place} was stopped: nothing changed on this laptop. The next sync hands in all that is due."
        ),
        SyncProblem::KeyFileDamaged => format!(
            "The key file (.key) beside {place} cannot be read (it is damaged). Put back a safe copy; without one, ask the office to enrol this laptop again (firepatrol devices reenrol CODE). Nothing changed."
        ),
    }
}
