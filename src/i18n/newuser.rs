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
    k_rest_ok: "其余正常（本单元没答的都记为正常，先问一句）",
    rest_confirm: |n| format!("本单元还有 {n} 项没答，全部记为正常？ y 是 / 其他键 不"),
    rest_cancelled: "没有记录（其余各项仍未答）",
    rest_none: "本单元各项都已答过",
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
