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
    // --- the app: people and duties
    pub ctx_people: &'static str,
    pub ctx_pick_building: &'static str,
    pub ctx_confirm: &'static str,
    pub k_people: &'static str,
    pub k_add: &'static str,
    pub k_edit: &'static str,
    pub k_assign: &'static str,
    pub k_unassign: &'static str,
    pub k_retire: &'static str,
    pub k_pick: &'static str,
    pub k_yes: &'static str,
    pub k_no: &'static str,
    pub app_no_people: &'static str,
    pub all_duties: &'static str,
    pub pick_title: fn(&str) -> String,
    pub add_title: &'static str,
    pub edit_title: &'static str,
    pub assign_title: &'static str,
    pub unassign_title: &'static str,
    pub f_name: &'static str,
    pub f_role: &'static str,
    pub f_phone: &'static str,
    pub f_unit: &'static str,
    pub f_duty: &'static str,
    pub whole_building: &'static str,
    pub no_duties: fn(&str) -> String,
    pub retire_ask: fn(&str, usize) -> String,
    pub already_retired: fn(&str) -> String,
    pub nothing_changed: &'static str,
    pub confirm_title: &'static str,
    pub confirm_keys: &'static str,
    // --- the app: photos from a folder
    pub k_photos: &'static str,
    pub photos_title: &'static str,
    pub f_path: &'static str,
    pub photo_why: fn(&PhotoProblem) -> String,
    pub photos_path_required: &'static str,
    pub photos_found: fn(usize, &str) -> String,
    pub photos_refused: fn(&str, &str) -> String,
    pub photos_more_refused: fn(usize) -> String,
    pub photos_none: fn(&str, usize) -> String,
    pub photos_attach_ask: fn(usize, &str) -> String,
    pub photo_row: fn(usize) -> String,
}

fn mb(n: u64) -> String {
    format!("{:.1} MB", n as f64 / 1024.0 / 1024.0)
}

fn zh_why(p: &PhotoProblem) -> String {
    match p {
        PhotoProblem::NotAnImage => "不是照片（只收 JPEG 或 PNG 图片）".to_string(),
        PhotoProblem::Damaged(d) => format!("照片已损坏或不完整（{d}）"),
        PhotoProblem::TooLarge(n) => format!("文件太大（{}，最大 25 MB）", mb(*n)),
        PhotoProblem::TooManyPixels(w, h) => format!("图片太大（{w}×{h} 像素，最多 1 亿像素）"),
        PhotoProblem::NotAFile => "不是普通文件".to_string(),
    }
}

fn en_why(p: &PhotoProblem) -> String {
    match p {
        PhotoProblem::NotAnImage => "not a photo (only JPEG or PNG pictures)".to_string(),
        PhotoProblem::Damaged(d) => format!("the photo is damaged or cut short ({d})"),
        PhotoProblem::TooLarge(n) => format!("the file is too large ({}, at most 25 MB)", mb(*n)),
        PhotoProblem::TooManyPixels(w, h) => {
            format!("the picture is too large ({w}x{h} pixels, at most 100 million)")
        }
        PhotoProblem::NotAFile => "not a regular file".to_string(),
    }
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
    photo_problem: |path, p| format!("{path}：{}。没有附上任何照片。", zh_why(p)),
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
    ctx_people: "人员与职责",
    ctx_pick_building: "选楼栋（安排负责）",
    ctx_confirm: "确认",
    k_people: "人员与职责（添加、修改、安排负责、退出）",
    k_add: "添加人员",
    k_edit: "修改（姓名、角色、电话）",
    k_assign: "安排负责（先选楼栋，再选整栋或单元）",
    k_unassign: "取消一项负责",
    k_retire: "退出（先问再做）",
    k_pick: "选定这栋楼",
    k_yes: "是，照做",
    k_no: "否，取消",
    app_no_people: "还没有人员。按 a 添加。",
    all_duties: "负责：",
    pick_title: |n| format!(" 为 {n} 选楼栋 "),
    add_title: " 添加人员 ",
    edit_title: " 修改人员 ",
    assign_title: " 安排负责 ",
    unassign_title: " 取消负责 ",
    f_name: "姓名",
    f_role: "角色",
    f_phone: "电话",
    f_unit: "负责范围",
    f_duty: "哪一项",
    whole_building: "整栋楼",
    no_duties: |n| format!("{n} 没有负责的楼栋，没有可以取消的。"),
    retire_ask: |n, k| format!("{n} 退出？TA 负责的 {k} 项会结束；TA 的巡查、隐患和记录都保留。"),
    already_retired: |n| format!("{n} 早已退出。"),
    nothing_changed: "没有改动：没有修改任何内容。",
    confirm_title: " 请确认 ",
    confirm_keys: "按 y 确认，按 n 或 Esc 取消",
    k_photos: "从文件夹附上照片",
    photos_title: " 附上照片 ",
    f_path: "文件夹或文件",
    photo_why: zh_why,
    photos_path_required: "请写照片所在的文件夹（或一张照片的文件路径）。",
    photos_found: |n, p| format!("在 {p} 找到 {n} 张照片。"),
    photos_refused: |f, why| format!("不附上 {f}：{why}"),
    photos_more_refused: |n| format!("……另有 {n} 个文件不附上"),
    photos_none: |p, k| {
        if k == 0 {
            format!("{p} 里没有照片（只收 JPEG 或 PNG）。没有附上任何照片。")
        } else {
            format!("{p} 里没有能附上的照片（{k} 个文件不是照片或已损坏）。没有附上任何照片。")
        }
    },
    photos_attach_ask: |n, num| format!("把这 {n} 张照片附到隐患 {num}？"),
    photo_row: |n| format!("{n} 张"),
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
    photo_problem: |path, p| format!("{path}: {}. No photo was attached.", en_why(p)),
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
    ctx_people: "People and duties",
    ctx_pick_building: "Choosing a building (to assign)",
    ctx_confirm: "Asking to confirm",
    k_people: "People and duties (add, change, assign, retire)",
    k_add: "Add a person",
    k_edit: "Change (name, role, phone)",
    k_assign: "Assign (choose the building, then the whole of it or a unit)",
    k_unassign: "Take back a duty",
    k_retire: "Retire (asks first)",
    k_pick: "Choose this building",
    k_yes: "Yes, do it",
    k_no: "No, cancel",
    app_no_people: "No people yet. Press a to add one.",
    all_duties: "Looks after: ",
    pick_title: |n| format!(" Choose a building for {n} "),
    add_title: " Add a person ",
    edit_title: " Change a person ",
    assign_title: " Assign a duty ",
    unassign_title: " Take back a duty ",
    f_name: "Name",
    f_role: "Role",
    f_phone: "Phone",
    f_unit: "Looks after",
    f_duty: "Which duty",
    whole_building: "the whole building",
    no_duties: |n| format!("{n} looks after no building; there is nothing to take back."),
    retire_ask: |n, k| {
        format!("Retire {n}? Their {k} duties end; their patrols, hazards and records stay.")
    },
    already_retired: |n| format!("{n} has already retired."),
    nothing_changed: "Nothing was changed: no field differs.",
    confirm_title: " Please confirm ",
    confirm_keys: "Press y to confirm, n or Esc to cancel",
    k_photos: "Attach photos from a folder",
    photos_title: " Attach photos ",
    f_path: "Folder or file",
    photo_why: en_why,
    photos_path_required: "Write the folder of the photos (or the path of one photo).",
    photos_found: |n, p| format!("Found {n} photos in {p}."),
    photos_refused: |f, why| format!("Not attached {f}: {why}"),
    photos_more_refused: |n| format!("... and {n} more files not attached"),
    photos_none: |p, k| {
        if k == 0 {
            format!("No photos in {p} (only JPEG or PNG). No photo was attached.")
        } else {
            format!(
                "No photo in {p} can be attached ({k} files are not photos or are damaged). No photo was attached."
            )
        }
    },
    photos_attach_ask: |n, num| format!("Attach these {n} photos to hazard {num}?"),
    photo_row: |n| format!("{n}"),
};
