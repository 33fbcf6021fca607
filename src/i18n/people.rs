//! Words of people and duties, service plates (服务牌) and photos of hazards.

use crate::domain::photo::PhotoProblem;
use crate::domain::roster::PersonProblem;

pub struct PeopleWords {
    // --- `firepatrol people`
    pub col_name: &'static str,
    pub col_role: &'static str,
    pub col_phone: &'static str,
    pub col_duties: &'static str,
    pub retired: &'static str,
    pub none: &'static str,
    pub no_people: &'static str,
    pub unit: fn(i64) -> String,
    pub added: fn(&str, &str, &str) -> String,
    pub edited: fn(&str, &str, &str) -> String,
    pub assigned: fn(&str, &str) -> String,
    pub unassigned: fn(&str, &str) -> String,
    pub retired_done: fn(&str, usize) -> String,
    pub bad_role: fn(&str) -> String,
    pub person_ambiguous: fn(&str, &str) -> String,
    pub building_ambiguous: fn(&str, &str) -> String,
    pub problem: fn(&PersonProblem) -> String,
    // --- `firepatrol plate`
    pub plate_title: &'static str,
    pub plate_doc_title: &'static str,
    pub plate_duties: &'static str,
    pub plate_office: &'static str,
    pub plate_scan: &'static str,
    pub plate_call: &'static str,
    pub plate_nobody: &'static str,
    pub plate_written: fn(&str, usize) -> String,
    pub plate_no_buildings: &'static str,
    pub plate_no_compound: fn(&str, &str) -> String,
    // --- photos
    pub photo_problem: fn(&str, &PhotoProblem) -> String,
    pub photos_attached: fn(&str, usize, usize) -> String,
    pub photos_match: fn(&str, &str, &str, &str, &str) -> String,
    pub photos_no_time: fn(&str) -> String,
    pub photos_no_hazard: fn(&str, &str) -> String,
    pub photos_skipped: fn(&str) -> String,
    pub photos_nothing: &'static str,
    pub photos_ask: fn(usize) -> String,
    pub photos_cancelled: &'static str,
    pub photos_need_yes: &'static str,
    pub photos_done: fn(usize) -> String,
    pub photos_label: &'static str,
    pub photos_count: fn(usize) -> String,
}

fn mb(n: u64) -> String {
    format!("{:.1} MB", n as f64 / 1024.0 / 1024.0)
}

pub const ZH: PeopleWords = PeopleWords {
    col_name: "姓名",
    col_role: "角色",
    col_phone: "电话",
    col_duties: "负责",
    retired: "（已退出）",
    none: "—",
    no_people: "还没有人员。用 `firepatrol people add 姓名 --role 楼栋长 --phone 电话` 添加，或导入人员名单。",
    unit: |n| format!("{n}单元"),
    added: |n, r, p| format!("已添加：{n}（{r}，{p}）"),
    edited: |n, r, p| format!("已修改：{n}（{r}，{p}）"),
    assigned: |n, place| format!("已安排 {n} 负责 {place}"),
    unassigned: |n, place| format!("{n} 不再负责 {place}（记录保留）"),
    retired_done: |n, k| format!("{n} 已退出，结束了 {k} 项负责；TA 的巡查、隐患和记录都保留。"),
    bad_role: |s| format!("不认识角色“{s}”：请用 片长、楼栋长、单元长、网格员 或 社区"),
    person_ambiguous: |q, list| {
        format!("“{q}”对应多人：{list}。请写全名，或用编号（id 的前几位）。")
    },
    building_ambiguous: |q, list| format!("“{q}”对应多栋楼：{list}。请写全名（小区 楼栋）。"),
    problem: |p| match p {
        PersonProblem::NoName => "姓名不能为空。没有修改任何内容。".into(),
        PersonProblem::TooLong(n) => format!("姓名太长（{n} 个字，最多 500）。没有修改任何内容。"),
        PersonProblem::NotAPhone(s) => format!(
            "“{s}”不是电话号码（只能有数字、空格、短横线，可以以 + 开头）。没有修改任何内容。"
        ),
        PersonProblem::Exists { name, phone } => {
            format!("已经有 {name}（{phone}）了。没有修改任何内容。")
        }
        PersonProblem::Retired(n) => format!("{n} 已退出，不能再安排负责楼栋。"),
        PersonProblem::AlreadyRetired(n) => format!("{n} 早已退出。"),
        PersonProblem::NoSuchUnit { building, unit } => format!("{building} 没有 {unit} 单元。"),
        PersonProblem::AlreadyAssigned { name, place } => format!("{name} 已经负责 {place}。"),
        PersonProblem::NotAssigned { name, place } => format!("{name} 并不负责 {place}。"),
        PersonProblem::NothingToChange => {
            "没有要修改的内容：请加 --name、--role 或 --phone。".into()
        }
    },
    plate_title: "楼道服务牌",
    plate_doc_title: "服务牌",
    plate_duties: "职责",
    plate_office: "社区电话",
    plate_scan: "扫码保存联系人",
    plate_call: "发现消防隐患、邻里有事，请联系我们",
    plate_nobody: "（待安排）",
    plate_written: |p, n| format!("服务牌已写入 {p}（{n} 块）"),
    plate_no_buildings: "没有楼栋：请先导入楼栋名单（firepatrol import buildings 文件）。",
    plate_no_compound: |q, list| format!("没有小区“{q}”。现有小区：{list}"),
    photo_problem: |path, p| {
        let why = match p {
            PhotoProblem::NotAnImage => "不是照片（只收 JPEG 或 PNG 图片）".to_string(),
            PhotoProblem::Damaged(d) => format!("照片已损坏或不完整（{d}）"),
            PhotoProblem::TooLarge(n) => format!("文件太大（{}，最大 25 MB）", mb(*n)),
            PhotoProblem::TooManyPixels(w, h) => format!("图片太大（{w}×{h} 像素，最多 1 亿像素）"),
            PhotoProblem::NotAFile => "不是普通文件".to_string(),
        };
        format!("{path}：{why}。没有附上任何照片。")
    },
    photos_attached: |num, n, had| {
        if had == 0 {
            format!("已为隐患 {num} 附上 {n} 张照片。")
        } else {
            format!("已为隐患 {num} 附上 {n} 张照片（另有 {had} 张早已附上）。")
        }
    },
    photos_match: |file, taken, num, place, found| {
        format!("{file}（拍摄 {taken}）→ {num} {place}（记录于 {found}）")
    },
    photos_no_time: |f| format!("{f}：照片里没有拍摄时间，不配对"),
    photos_no_hazard: |f, d| format!("{f}：{d} 这天没有记录隐患，不配对"),
    photos_skipped: |m| format!("跳过 {m}"),
    photos_nothing: "没有能配对的照片，什么都没附上。",
    photos_ask: |n| format!("把以上 {n} 张照片附到对应的隐患？输入 y 确认，其他任何输入取消："),
    photos_cancelled: "已取消，什么都没附上。",
    photos_need_yes: "没有终端可以询问：确认配对无误后，请加 --yes 再运行。什么都没附上。",
    photos_done: |n| format!("已附上 {n} 张照片。"),
    photos_label: "现场照片",
    photos_count: |n| format!("照片：{n} 张"),
};

pub const EN: PeopleWords = PeopleWords {
    col_name: "Name",
    col_role: "Role",
    col_phone: "Phone",
    col_duties: "Looks after",
    retired: " (retired)",
    none: "-",
    no_people: "No people yet. Add one with `firepatrol people add NAME --role building_leader --phone PHONE`, or import a people list.",
    unit: |n| format!("unit {n}"),
    added: |n, r, p| format!("Added: {n} ({r}, {p})"),
    edited: |n, r, p| format!("Changed: {n} ({r}, {p})"),
    assigned: |n, place| format!("{n} now looks after {place}"),
    unassigned: |n, place| format!("{n} no longer looks after {place} (the record stays)"),
    retired_done: |n, k| {
        format!("{n} has retired; {k} duties ended. Their patrols, hazards and records stay.")
    },
    bad_role: |s| {
        format!(
            "unknown role \"{s}\": use area_leader, building_leader, unit_leader, grid_worker or office (or 片长, 楼栋长, 单元长, 网格员, 社区)"
        )
    },
    person_ambiguous: |q, list| {
        format!(
            "\"{q}\" matches several people: {list}. Write the full name, or the first characters of the id."
        )
    },
    building_ambiguous: |q, list| {
        format!(
            "\"{q}\" matches several buildings: {list}. Write the full name (compound and building)."
        )
    },
    problem: |p| match p {
        PersonProblem::NoName => "The name cannot be blank. Nothing was changed.".into(),
        PersonProblem::TooLong(n) => {
            format!("The name is too long ({n} characters, at most 500). Nothing was changed.")
        }
        PersonProblem::NotAPhone(s) => format!(
            "\"{s}\" is not a phone number (digits, spaces and dashes, optionally starting with +). Nothing was changed."
        ),
        PersonProblem::Exists { name, phone } => {
            format!("{name} ({phone}) is already listed. Nothing was changed.")
        }
        PersonProblem::Retired(n) => format!("{n} has retired and takes no new duties."),
        PersonProblem::AlreadyRetired(n) => format!("{n} has already retired."),
        PersonProblem::NoSuchUnit { building, unit } => format!("{building} has no unit {unit}."),
        PersonProblem::AlreadyAssigned { name, place } => {
            format!("{name} already looks after {place}.")
        }
        PersonProblem::NotAssigned { name, place } => {
            format!("{name} does not look after {place}.")
        }
        PersonProblem::NothingToChange => {
            "Nothing to change: give --name, --role or --phone.".into()
        }
    },
    plate_title: "Stairway service plate",
    plate_doc_title: "Service plates",
    plate_duties: "Duties",
    plate_office: "Community office",
    plate_scan: "Scan to save the contact",
    plate_call: "Fire hazard or a problem in the building? Call us",
    plate_nobody: "(to be appointed)",
    plate_written: |p, n| format!("Service plates written to {p} ({n} plates)"),
    plate_no_buildings: "No buildings: import the building list first (firepatrol import buildings FILE).",
    plate_no_compound: |q, list| format!("No compound \"{q}\". Compounds: {list}"),
    photo_problem: |path, p| {
        let why = match p {
            PhotoProblem::NotAnImage => "not a photo (only JPEG or PNG pictures)".to_string(),
            PhotoProblem::Damaged(d) => format!("the photo is damaged or cut short ({d})"),
            PhotoProblem::TooLarge(n) => {
                format!("the file is too large ({}, at most 25 MB)", mb(*n))
            }
            PhotoProblem::TooManyPixels(w, h) => {
                format!("the picture is too large ({w}x{h} pixels, at most 100 million)")
            }
            PhotoProblem::NotAFile => "not a regular file".to_string(),
        };
        format!("{path}: {why}. No photo was attached.")
    },
    photos_attached: |num, n, had| {
        if had == 0 {
            format!("Attached {n} photos to hazard {num}.")
        } else {
            format!("Attached {n} photos to hazard {num} ({had} were attached already).")
        }
    },
    photos_match: |file, taken, num, place, found| {
        format!("{file} (taken {taken}) -> {num} {place} (recorded {found})")
    },
    photos_no_time: |f| format!("{f}: the photo carries no time; not matched"),
    photos_no_hazard: |f, d| format!("{f}: no hazard was recorded on {d}; not matched"),
    photos_skipped: |m| format!("skipped {m}"),
    photos_nothing: "No photo could be matched; nothing was attached.",
    photos_ask: |n| {
        format!(
            "Attach these {n} photos to their hazards? Type y to confirm, anything else to cancel: "
        )
    },
    photos_cancelled: "Cancelled; nothing was attached.",
    photos_need_yes: "There is no terminal to ask: check the matches above and run again with --yes. Nothing was attached.",
    photos_done: |n| format!("Attached {n} photos."),
    photos_label: "Photos",
    photos_count: |n| format!("Photos: {n}"),
};
