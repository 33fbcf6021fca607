//! Words added for issue 15 ("what a new user met"): the short chat text, the privacy
//! defaults, "the rest is OK", the footer's "more" and the localized command line.

/// The strings of issue 15, one set per language.
pub struct NewUserWords {
    // --- the chat text
    /// "仍待整改 N 处（本期发现 a 处，此前逾期 b 处）"
    pub chat_open: fn(usize, usize, usize) -> String,
    /// Heading of the list of items to act on: total, and how many are listed.
    pub chat_todo_title: fn(usize, usize) -> String,
    /// "另有 K 处：见台账文件"
    pub chat_more: fn(usize) -> String,
    /// Leaders beyond the first few (all, the rest): "等 N 人", "and K more".
    pub chat_more_leaders: fn(usize, usize) -> String,
    /// The deadline fact of one item: "期限 11-25" / "due 11-25".
    pub chat_due: fn(&str) -> String,
    /// The preview's line under the text: where the chat text was saved.
    pub chat_saved: fn(&str) -> String,
    // --- keys
    /// Esc on the start screen: only q quits.
    pub quit_with_q: &'static str,
    /// The hint line's last piece when not every key fits: "更多" after `?`.
    pub more: &'static str,
    // --- the rest of the list is OK
    /// Help for the key.
    pub k_rest_ok: &'static str,
    /// The question, with how many items it will answer.
    pub rest_confirm: fn(usize) -> String,
    pub rest_cancelled: &'static str,
    pub rest_none: &'static str,
    /// After the commit: how many were saved.
    pub rest_saved: fn(usize) -> String,
    // --- operating-system errors inside messages
    pub os_not_found: &'static str,
    pub os_denied: &'static str,
    pub os_exists: &'static str,
    pub os_full: &'static str,
    pub os_read_only: &'static str,
    pub os_is_dir: &'static str,
    pub os_not_dir: &'static str,
    pub os_broken_pipe: &'static str,
    pub os_invalid: &'static str,
    /// Words and the system's error number.
    pub os_numbered: fn(&str, i32) -> String,
    /// Any other system error, as the system says it.
    pub os_other: fn(&str) -> String,
    // --- the command line (clap)
    /// Help texts by command path and option: "about" (the program), "report" (a command),
    /// "--db" (a program option), "report --full" (a command's option or argument). English
    /// has none: the derive's own texts are English.
    pub cli_help: &'static [(&'static str, &'static str)],
    /// clap's help template, with the usage heading in words.
    pub cli_template: &'static str,
    pub cli_after_help: &'static str,
    pub cli_help_flag: &'static str,
    pub cli_version_flag: &'static str,
    pub cli_help_command: &'static str,
    pub cli_arguments: &'static str,
    pub cli_options: &'static str,
    pub cli_commands: &'static str,
    pub cli_e_value_one_of: fn(&str, &str, &str) -> String,
    pub cli_e_value: fn(&str, &str) -> String,
    pub cli_e_unknown_arg: fn(&str) -> String,
    pub cli_e_unknown_command: fn(&str) -> String,
    /// `import FILE` without saying what the file holds.
    pub cli_e_import_kind: fn(&str) -> String,
    pub cli_e_conflict: fn(&str, &str) -> String,
    pub cli_e_missing: fn(&str) -> String,
    pub cli_e_missing_command: fn(&str) -> String,
    pub cli_e_too_many: fn(&str, &str) -> String,
    pub cli_e_other: &'static str,
    pub cli_e_did_you_mean: fn(&str) -> String,
    pub cli_e_see_help: &'static str,
    // --- the extend form
    /// The deadline in force, and days overdue (0: not overdue).
    pub old_deadline: fn(&str, i64) -> String,
    // --- the ledger
    /// Before the description on a ledger row: "期限 11-07 · ".
    pub ledger_due: fn(&str) -> String,
    // --- notices
    /// `n` on a closed hazard: the day it was closed; n again writes the notice.
    pub notice_closed_ask: fn(&str) -> String,
    pub notice_not_written: &'static str,
    /// `firepatrol notice` with closed hazards (their numbers and days).
    pub notice_closed_refused: fn(&str) -> String,
    // --- `firepatrol find`
    /// Nothing matched the query.
    pub find_none: fn(&str) -> String,
    /// "上次巡查 2026-11-20"
    pub find_last: fn(&str) -> String,
    pub find_never: &'static str,
    /// "未整改 3 处"
    pub find_open: fn(i64) -> String,
}

pub const ZH: NewUserWords = NewUserWords {
    chat_open: |n, a, b| format!("待办：仍未整改 {n} 处（本期发现 {a} 处，此前逾期 {b} 处）"),
    chat_todo_title: |n, k| {
        if n == k {
            format!("需要处理的隐患（{n} 处）：")
        } else {
            format!("需要处理的隐患（共 {n} 处，先列最要紧的 {k} 处）：")
        }
    },
    chat_more: |k| format!("另有 {k} 处：见台账文件（报告 .xlsx 或 firepatrol hazards）"),
    chat_more_leaders: |all, _rest| format!("等 {all} 人"),
    chat_due: |d| format!("期限 {d}"),
    chat_saved: |p| format!("群文字已存为 {p}，打开复制即可粘贴到群里"),
    quit_with_q: "要退出请按 q（Esc 在这里不退出）",
    notice_closed_ask: |d| {
        format!("这处隐患已销号（{d}），不需要告知书。仍要写请再按 n，其他键取消")
    },
    notice_not_written: "没有写告知书",
    notice_closed_refused: |l| format!("这些隐患已销号，不需要告知书：{l}。仍要写请加 --closed。"),
    ledger_due: |d| format!("期限 {d} · "),
    old_deadline: |d, late| {
        if late > 0 {
            format!("原期限 {d}（已逾期 {late} 天）")
        } else {
            format!("原期限 {d}")
        }
    },
    cli_help: CLI_HELP_ZH,
    cli_template: "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}",
    cli_after_help: "界面语言：--lang zh 或 --lang en（默认看 LANG）。",
    cli_help_flag: "显示帮助",
    cli_version_flag: "显示版本",
    cli_help_command: "显示某个命令的帮助",
    cli_arguments: "参数",
    cli_options: "选项",
    cli_commands: "命令",
    cli_e_value_one_of: |a, v, ok| format!("{a} 不能是“{v}”，可用的有：{ok}"),
    cli_e_value: |a, v| format!("{a} 的值“{v}”不对"),
    cli_e_unknown_arg: |a| format!("没有 {a} 这个选项"),
    cli_e_unknown_command: |s| format!("没有“{s}”这个命令"),
    cli_e_import_kind: |f| {
        format!(
            "要说明导入的是什么：firepatrol import buildings {f}（楼栋表）或 firepatrol import people {f}（人员表）"
        )
    },
    cli_e_conflict: |a, b| format!("{a} 不能和 {b} 一起用"),
    cli_e_missing: |a| format!("缺少必需的 {a}"),
    cli_e_missing_command: |c| format!("{c} 后面要跟一个命令"),
    cli_e_too_many: |a, v| format!("{a} 只能给一次（多出了“{v}”）"),
    cli_e_other: "命令行有误",
    cli_e_did_you_mean: |s| format!("是不是想用：{s}"),
    cli_e_see_help: "用 firepatrol --help（或 firepatrol 命令 --help）查看用法。",
    os_not_found: "文件或文件夹不存在",
    os_denied: "没有权限",
    os_exists: "已经存在",
    os_full: "磁盘已满",
    os_read_only: "只读的磁盘，不能写",
    os_is_dir: "这是一个文件夹，不是文件",
    os_not_dir: "路径中有一段不是文件夹",
    os_broken_pipe: "接收输出的程序已关闭",
    os_invalid: "内容无效",
    os_numbered: |w, n| format!("{w}（系统错误 {n}）"),
    os_other: |e| format!("系统错误：{e}"),
    k_rest_ok: "其余正常（这份清单没答的都记为正常，先问一句）",
    rest_confirm: |n| format!("这份清单还有 {n} 项没答，全部记为正常？ y 是 / 其他键 不"),
    rest_cancelled: "没有记录（其余各项仍未答）",
    rest_none: "这份清单各项都已答过",
    rest_saved: |n| format!("已保存：{n} 项记为正常"),
    more: "更多",
    find_none: |q| {
        format!("没有找到与“{q}”相符的楼栋。可以试试小区名、拼音首字母或楼号，如 xfr2、2栋")
    },
    find_last: |d| format!("上次巡查 {d}"),
    find_never: "从未巡查",
    find_open: |n| format!("未整改 {n} 处"),
};

pub const EN: NewUserWords = NewUserWords {
    chat_open: |n, a, b| {
        format!("To do: {n} still open ({a} found in this period, {b} overdue from before)")
    },
    chat_todo_title: |n, k| {
        if n == k {
            format!("Hazards to act on ({n}):")
        } else {
            format!("Hazards to act on ({n} in all, the {k} most urgent first):")
        }
    },
    chat_more: |k| {
        format!("and {k} more: see the ledger file (report .xlsx or firepatrol hazards)")
    },
    chat_more_leaders: |_all, rest| format!("and {rest} more"),
    chat_due: |d| format!("due {d}"),
    chat_saved: |p| format!("Chat text saved as {p}: open it, copy, paste into the group"),
    quit_with_q: "To quit, press q (Esc does not quit here)",
    notice_closed_ask: |d| {
        format!(
            "This hazard was closed ({d}): no notice is needed. n again writes one; any other key cancels"
        )
    },
    notice_not_written: "No notice written",
    notice_closed_refused: |l| {
        format!(
            "these hazards are closed and need no notice: {l}. Add --closed to write them anyway."
        )
    },
    ledger_due: |d| format!("due {d} · "),
    old_deadline: |d, late| {
        if late > 0 {
            format!("deadline was {d} ({late} days overdue)")
        } else {
            format!("deadline was {d}")
        }
    },
    cli_help: &[],
    cli_template: "{about-with-newline}\nUsage: {usage}\n\n{all-args}{after-help}",
    cli_after_help: "Interface language: --lang zh or --lang en (default: from LANG).",
    cli_help_flag: "Print help",
    cli_version_flag: "Print version",
    cli_help_command: "Print the help of a command",
    cli_arguments: "Arguments",
    cli_options: "Options",
    cli_commands: "Commands",
    cli_e_value_one_of: |a, v, ok| format!("{a} cannot be \"{v}\"; use one of: {ok}"),
    cli_e_value: |a, v| format!("\"{v}\" is not a valid value for {a}"),
    cli_e_unknown_arg: |a| format!("there is no option {a}"),
    cli_e_unknown_command: |s| format!("there is no command \"{s}\""),
    cli_e_import_kind: |f| {
        format!(
            "say what the file holds: firepatrol import buildings {f} (the building list) or firepatrol import people {f} (the people list)"
        )
    },
    cli_e_conflict: |a, b| format!("{a} cannot be used with {b}"),
    cli_e_missing: |a| format!("{a} is required"),
    cli_e_missing_command: |c| format!("{c} needs a command after it"),
    cli_e_too_many: |a, v| format!("{a} can be given once (\"{v}\" is one too many)"),
    cli_e_other: "the command line is not right",
    cli_e_did_you_mean: |s| format!("did you mean: {s}"),
    cli_e_see_help: "See firepatrol --help (or firepatrol COMMAND --help).",
    os_not_found: "no such file or folder",
    os_denied: "permission denied",
    os_exists: "it exists already",
    os_full: "the disk is full",
    os_read_only: "the disk is read-only",
    os_is_dir: "it is a folder, not a file",
    os_not_dir: "part of the path is not a folder",
    os_broken_pipe: "the program reading the output has closed",
    os_invalid: "invalid content",
    os_numbered: |w, n| format!("{w} (os error {n})"),
    os_other: |e| e.to_string(),
    k_rest_ok: "rest OK (all unanswered items of this list; asks first)",
    rest_confirm: |n| {
        format!("Mark the {n} unanswered items of this list OK? y yes / any other key no")
    },
    rest_cancelled: "Nothing recorded (the other items are still unanswered)",
    rest_none: "Every item of this list is answered",
    rest_saved: |n| format!("Saved: {n} items OK"),
    more: "more",
    find_none: |q| {
        format!(
            "No building matches \"{q}\". Try a compound name, its initials or a number: xfr2, 2栋"
        )
    },
    find_last: |d| format!("last patrol {d}"),
    find_never: "never patrolled",
    find_open: |n| format!("{n} open"),
};

/// The Chinese help of every command and option (see [`NewUserWords::cli_help`]).
const CLI_HELP_ZH: &[(&str, &str)] = &[
    (
        "about",
        "消防安全巡查：楼栋长的巡查工具。不带命令时打开巡查程序；想先试用，运行 firepatrol demo。",
    ),
    (
        "--db",
        "数据库文件（默认在本机数据文件夹，如 ~/.local/share/firepatrol/firepatrol.db）",
    ),
    ("--lang", "界面语言：zh（中文）或 en（默认看 LANG）"),
    (
        "--inspector",
        "谁在巡查（按姓名、拼音或首字母找人，不再询问）",
    ),
    ("--exit_after_first_frame", "测速用：画出第一屏后退出"),
    (
        "demo",
        "在内置的示范社区上打开程序（单独的数据库，不动你的数据）",
    ),
    (
        "demo --fresh",
        "重新生成示范数据库（否则只生成一次，之后沿用）",
    ),
    ("demo --inspector", "谁在巡查"),
    (
        "demo generate",
        "生成区级规模的测试数据库（同一种子和日期结果相同）",
    ),
    ("demo generate --buildings", "楼栋数"),
    ("demo generate --hazards", "隐患数"),
    ("demo generate --days", "隐患分布在多少天里"),
    ("demo generate --seed", "随机种子"),
    ("demo generate --out", "要新建的数据库（不能已存在）"),
    ("init", "新建数据库（加 --demo：填入示范社区）"),
    ("init --demo", "填入示范社区"),
    (
        "import",
        "导入社区的表格（.csv，UTF-8 或 GBK；或 .xlsx）：import buildings 文件 / import people 文件",
    ),
    (
        "import buildings",
        "导入楼栋表：社区、网格、小区、楼栋（必填）、地址、类型、单元数、楼层数、楼栋长、电话",
    ),
    ("import buildings --file", "楼栋表文件"),
    ("import buildings --dry_run", "只显示会有什么变化，不写入"),
    (
        "import people",
        "导入人员表：姓名（必填）、角色、电话、小区、楼栋、单元",
    ),
    ("import people --file", "人员表文件"),
    ("import people --dry_run", "只显示会有什么变化，不写入"),
    ("template", "检查表模板：列出、导出修改、导入"),
    ("template list", "列出在用的检查表模板"),
    (
        "template export",
        "把模板写成 TOML 或 JSON（到屏幕，或 --out 文件）",
    ),
    ("template export --id", "模板编号（见 template list）"),
    ("template export --format", "格式：toml 或 json"),
    ("template export --out", "写到这个文件"),
    ("template import", "读入模板（TOML 或 JSON），检查后启用"),
    ("template import --file", "模板文件"),
    ("stats", "楼栋、人员、巡查、回答和隐患的数量"),
    ("stats --format", "格式：text 或 json"),
    ("backup", "安全地复制数据库（程序开着也可以）"),
    ("backup --out", "写到哪里（默认：数据文件夹里的 backups/）"),
    (
        "check",
        "检查数据库：完整性、引用、每台设备的记录链（也对照最新的自动备份）、每条记录是否被程序以外改过、隐患状态是否与处理记录一致",
    ),
    (
        "restore",
        "用检查无误的备份替换数据库（备份只读不改；先保留当前文件的副本，副本不会被覆盖）",
    ),
    (
        "restore --from",
        "要恢复的备份，如 backups/firepatrol-auto-2026-11-22.db",
    ),
    (
        "find",
        "找楼栋：小区名、拼音、首字母或楼号（xfr2、xinfurong、2栋、2号楼、新芙蓉）",
    ),
    ("find --query", "要找的文字"),
    ("find --limit", "最多列出几栋"),
    ("find --format", "格式：text 或 json"),
    (
        "hazards",
        "隐患台账（完整，含住户姓名、电话，供社区自用），可筛选",
    ),
    (
        "hazards --status",
        "状态：open（未整改）、due-today、due-week、overdue、escalated、rectified 或 all",
    ),
    (
        "hazards --building",
        "只看名称（小区和楼栋）含这段文字的楼栋",
    ),
    ("hazards --since", "只看这一天（YYYY-MM-DD）及以后发现的"),
    ("hazards --format", "格式：table（表格）、json、csv 或 xlsx"),
    (
        "hazards --out",
        "写到这个文件（0600，要么完整要么没有）；xlsx 必须给",
    ),
    (
        "hazard",
        "查看一处隐患及其经过，或处理它（编号 YH-…、id 或 id 开头几位）",
    ),
    ("hazard --id", "隐患编号、id 或 id 开头几位"),
    ("hazard --rectify", "已整改（复查核实），可加 --note 说明"),
    (
        "hazard --extend",
        "延期到某天（+3、12-01、2026-12-01、周五），要加 --reason",
    ),
    (
        "hazard --escalate",
        "上报给谁（如 社区办公室），可加 --note",
    ),
    ("hazard --respond", "记录社区对上报隐患的答复"),
    ("hazard --reopen", "重新打开已整改的隐患，要加 --reason"),
    ("hazard --reason", "原因"),
    ("hazard --note", "说明"),
    ("hazard --format", "格式：text 或 json"),
    (
        "report",
        "巡查日报：某一天（默认今天）或一段时间，发群、打印、Excel 或程序用；住户姓名、电话默认隐去",
    ),
    (
        "report --date",
        "today、yesterday 或 YYYY-MM-DD（默认今天）",
    ),
    ("report --from", "起始日（与 --to 一起用）"),
    ("report --to", "结束日（与 --from 一起用）"),
    (
        "report --inspector",
        "只看这位巡查人的巡查、隐患和处理（姓名、拼音或首字母）",
    ),
    ("report --grid", "只看这个网格的楼栋"),
    (
        "report --format",
        "格式：text（发群的文字）、md、csv、xlsx（要 --out）、html（打印）、json（程序用）",
    ),
    (
        "report --out",
        "写到这个文件（经临时文件，0600），不输出到屏幕",
    ),
    (
        "report --full",
        "显示住户的完整姓名和电话（社区自己存档用）；默认隐去（张*、138 **** 1234），楼栋长姓名照常显示",
    ),
    (
        "notice",
        "隐患整改告知书：可打印的 HTML 文件，每位责任人一页，住户联和存根联",
    ),
    ("notice --ids", "隐患编号（YH-…）、id 或 id 开头几位"),
    (
        "notice --out",
        "写到哪里（默认：数据库旁的 reports/）；- 表示输出到屏幕",
    ),
    (
        "notice --full",
        "显示住户的完整姓名和电话；默认隐去，和所有要分享的东西一样",
    ),
    ("notice --closed", "已销号的隐患也写（默认先说明，不写）"),
    (
        "init --office",
        "做成社区办公室的数据库：收全社区的记录，登记楼栋长的电脑，回复他们的同步文件",
    ),
    (
        "demo --office",
        "社区办公室的示范：三台示范电脑的记录经同步到办公室（单独的数据库）",
    ),
    ("devices", "办公室的电脑：列出、登记（写出登记文件）、停用"),
    ("devices list", "列出电脑：使用人、上次同步、收到的记录"),
    (
        "devices add",
        "为楼栋长登记电脑：写出带到那台电脑上的登记文件",
    ),
    ("devices add --person", "谁的电脑（人员名单里的姓名）"),
    (
        "devices add --out",
        "登记文件写到哪里（已加密：只有最后一行打印的登记码能打开，登记码与文件分开交给楼栋长）",
    ),
    (
        "devices add --format",
        "text 文字，或 json（电脑、文件和登记码合成一个对象）",
    ),
    (
        "devices reenrol",
        "钥匙丢了以后（办公室换了新电脑，或那台电脑的密钥文件丢了）为登记过的电脑重新写登记文件：编号不变，它的记录在下次同步时交来",
    ),
    ("devices reenrol --id", "电脑的编号（如 B）或ID"),
    (
        "devices reenrol --out",
        "新登记文件写到哪里（用最后一行的登记码打开）",
    ),
    (
        "devices reenrol --format",
        "text 文字，或 json（电脑、文件和登记码合成一个对象）",
    ),
    (
        "devices revoke",
        "停用一台电脑：从此拒收它的文件（编号如 B，或ID）",
    ),
    (
        "devices conflicts",
        "电脑发来的、与办公室名单不一致的地方（以办公室为准）",
    ),
    (
        "join",
        "楼栋长的电脑：用办公室给的登记文件加入社区（没有数据库就新建；原有记录保留）",
    ),
    ("join --file", "登记文件"),
    (
        "join --code",
        "办公室随登记文件给的 8 位登记码（不写就在终端上询问）",
    ),
    (
        "sync",
        "与办公室交换记录：电脑上 --out 文件 写出同步文件，文件 收下回复，http://地址:端口 经局域网一次完成；办公室 文件 收下并写出回复",
    ),
    (
        "sync --source",
        "要收下的同步文件，或办公室地址（http://地址:端口）",
    ),
    ("sync --out", "电脑上：把办公室还没确认的都写到这个文件"),
    (
        "sync --reply",
        "办公室：回复写到哪里（默认：输入文件名加 .reply）",
    ),
    ("serve", "办公室：在局域网上等待楼栋长的电脑来同步"),
    ("serve --listen", "监听的地址和端口，例如 0.0.0.0:8080"),
];
