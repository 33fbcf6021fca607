//! The words of the office in the app: the escalation inbox (上报待处理), the laptops
//! (设备), and syncing from a laptop's start screen, in both languages.

pub struct OfficeWords {
    pub ctx_inbox: &'static str,
    pub ctx_devices: &'static str,
    pub ctx_proposals: &'static str,
    pub k_proposals: &'static str,
    pub k_accept: &'static str,
    pub k_decline: &'static str,
    pub proposals_title: fn(usize) -> String,
    pub proposals_none: &'static str,
    pub accept_ask: &'static str,
    pub decline_ask: &'static str,
    pub ctx_laptop_start: &'static str,
    pub k_open: &'static str,
    pub k_respond: &'static str,
    pub k_rectified: &'static str,
    pub k_assign: &'static str,
    pub k_ledger: &'static str,
    pub k_devices: &'static str,
    pub k_people: &'static str,
    pub k_add_device: &'static str,
    pub k_revoke: &'static str,
    pub k_sync: &'static str,
    /// The inbox's title, with how many are waiting.
    pub inbox_title: fn(usize) -> String,
    pub inbox_empty: &'static str,
    /// (when escalated, by whom, days waiting): the first line of an inbox row.
    pub escalated_by: fn(&str, &str, i64) -> String,
    pub escalated_note: fn(&str) -> String,
    pub assigned_mark: fn(&str) -> String,
    pub response_mark: fn(&str) -> String,
    pub deadline_mark: fn(&str) -> String,
    pub respond_title: &'static str,
    pub rectify_title: &'static str,
    pub assign_title: &'static str,
    pub f_new_deadline: &'static str,
    pub f_person: &'static str,
    pub f_response: &'static str,
    /// The laptop's sync line on its start screen: (changes not sent, last sync, address).
    pub sync_line: fn(i64, Option<&str>, Option<&str>) -> String,
    /// After the sync line: this laptop's proposals waiting for the office.
    pub proposals_waiting: fn(usize) -> String,
    pub responded: fn(&str) -> String,
    pub rectified: fn(&str) -> String,
    pub assigned: fn(&str, &str) -> String,
    pub devices_title: fn(usize) -> String,
    pub devices_none: &'static str,
    pub devices_head: &'static str,
    pub active: &'static str,
    pub add_device_title: &'static str,
    pub device_added: fn(&str, &str, &str) -> String,
    pub revoke_lines: fn(&str, &str) -> [String; 2],
    pub revoke_ask: &'static str,
    pub syncing: &'static str,
    /// While a sync runs beside the app: how long it has run, and how to stop it.
    pub syncing_for: fn(u64) -> String,
    pub sync_running: &'static str,
    pub sync_finishing: &'static str,
    pub sync_broke: &'static str,
    pub ctx_today: &'static str,
    pub k_today: &'static str,
    pub today_title: &'static str,
    pub today_empty: &'static str,
    pub no_grid: &'static str,
    /// (grid, buildings patrolled today, in 7 days, overdue for patrol, hazards due this week).
    pub grid_head: fn(&str, usize, i64, usize, i64) -> String,
    pub today_none: &'static str,
    pub today_line: fn(&str, &str) -> String,
    pub week_person: fn(&str, i64, i64) -> String,
    pub week_line: fn(&str) -> String,
    pub overdue_line: fn(&str, usize) -> String,
    pub list_sep: &'static str,
}

pub const ZH: OfficeWords = OfficeWords {
    ctx_inbox: "上报待处理",
    ctx_devices: "设备",
    ctx_proposals: "名单修改建议",
    k_proposals: "名单修改建议",
    k_accept: "同意这条修改（改到办公室的名单里）",
    k_decline: "不同意（名单不变）",
    proposals_title: |n| format!("名单修改建议：{n} 条等办公室决定"),
    proposals_none: "没有等待决定的名单修改建议。楼栋长在电脑上改了名单，同步后会出现在这里。",
    accept_ask: "同意这条修改吗？它会改到办公室的名单里，下次同步时发到各台电脑。",
    decline_ask: "不同意这条修改吗？办公室的名单不变，各台电脑也以它为准。",
    ctx_laptop_start: "首页（加入社区的电脑）",
    k_open: "详情（隐患的经过）",
    k_respond: "答复（可给新期限）",
    k_rectified: "已整改（社区确认销号）",
    k_assign: "派人复查（选楼栋长）",
    k_ledger: "台账（全社区隐患）",
    k_devices: "设备（楼栋长的电脑）",
    k_people: "人员和职责",
    k_add_device: "登记一台电脑（写出登记文件）",
    k_revoke: "停用这台电脑",
    k_sync: "同步（与社区办公室）",
    inbox_title: |n| format!("上报待处理：{n} 件（最早的在前）"),
    inbox_empty: "没有等待答复的上报。",
    escalated_by: |when, by, days| {
        let by = if by.is_empty() { "（不详）" } else { by };
        if days > 0 {
            format!("{when} {by} 上报，已等 {days} 天")
        } else {
            format!("{when} {by} 上报")
        }
    },
    escalated_note: |n| format!("上报说明：{n}"),
    assigned_mark: |p| format!("已派 {p} 复查"),
    response_mark: |n| format!("社区答复：{n}"),
    deadline_mark: |d| format!("期限 {d}"),
    respond_title: "社区答复",
    rectify_title: "已整改（社区确认）",
    assign_title: "派楼栋长复查",
    f_new_deadline: "新期限（可不填）",
    f_person: "人员",
    f_response: "答复内容",
    sync_line: |n, last, url| {
        let last = last.map_or("从未".to_string(), |l| {
            l.get(5..16).unwrap_or(l).replace('T', " ")
        });
        let url = url.unwrap_or("未设置办公室地址");
        format!("s 同步 │ 未发送 {n} 批 │ 上次同步 {last} │ {url}")
    },
    proposals_waiting: |n| format!(" │ 名单修改建议 {n} 条等办公室审核"),
    responded: |n| format!("已答复 {n}：下次同步时送到楼栋长的电脑。"),
    rectified: |n| format!("{n} 已销号：下次同步时送到楼栋长的电脑。"),
    assigned: |n, p| format!("已派 {p} 复查 {n}：下次同步时送到。"),
    devices_title: |n| format!("设备：{n} 台楼栋长的电脑"),
    devices_none: "还没有登记的电脑：按 a 为一位楼栋长登记一台。",
    devices_head: "编号 使用人      上次同步          收到记录 状态",
    active: "在用",
    add_device_title: "登记一台电脑",
    device_added: |l, p, f| {
        format!(
            "已为 {p} 登记电脑 {l}。登记文件：{f}（交给本人，在那台电脑上运行 firepatrol join 文件 --code 登记码；登记码另外当面告诉本人）。"
        )
    },
    revoke_lines: |l, p| {
        [
            format!("电脑 {l}（{p}）"),
            "停用后，社区办公室拒收它的同步文件；已收到的记录都保留。".to_string(),
        ]
    },
    revoke_ask: "停用这台电脑吗？",
    syncing: "正在与社区办公室同步……",
    syncing_for: |secs| {
        format!("正在与社区办公室同步……已 {secs} 秒（按 Ctrl-C 停止，不会改动任何记录）")
    },
    sync_running: "正在同步，请等它结束（按 Ctrl-C 停止）。",
    sync_finishing: "办公室的回复正在存入，马上就好（这一步不能中途停止，存入是一次完成的）。",
    sync_broke: "同步意外中止：这台电脑上没有存入半截的记录。请再同步一次。",
    ctx_today: "今日全社区",
    k_today: "今日全社区（按网格）",
    today_title: "今日全社区：各网格的巡查、逾期和本周到期",
    today_empty: "还没有楼栋。",
    no_grid: "（未分网格）",
    grid_head: |g, t, w, o, d| {
        format!("■ {g}：今天巡查 {t} 栋 · 近 7 天 {w} 栋次 · 巡查逾期 {o} 栋 · 本周到期隐患 {d} 件")
    },
    today_none: "今天：还没有人巡查",
    today_line: |p, b| format!("今天 {p}：{b}"),
    week_person: |p, n, d| format!("{p} {n} 栋（{d} 天）"),
    week_line: |w| format!("近 7 天：{w}"),
    overdue_line: |b, more| {
        if more > 0 {
            format!("巡查逾期：{b} 等，另 {more} 栋")
        } else {
            format!("巡查逾期：{b}")
        }
    },
    list_sep: "、",
};

pub const EN: OfficeWords = OfficeWords {
    ctx_inbox: "escalation inbox",
    ctx_devices: "laptops",
    ctx_proposals: "proposed list changes",
    k_proposals: "list changes",
    k_accept: "accept this change (into the office's lists)",
    k_decline: "decline it (the lists stay)",
    proposals_title: |n| format!("Proposed list changes: {n} waiting for the office"),
    proposals_none: "No proposed list changes are waiting. When a leader changes a list on a laptop, it shows here after the sync.",
    accept_ask: "Accept this change? It goes into the office's lists and reaches every laptop at its next sync.",
    decline_ask: "Decline this change? The office's lists stay as they are, and so do every laptop's.",
    ctx_laptop_start: "start (a laptop of a community)",
    k_open: "details (and history)",
    k_respond: "respond (optionally a new deadline)",
    k_rectified: "rectified (the office saw it done)",
    k_assign: "re-check by (a leader)",
    k_ledger: "ledger (the whole community)",
    k_devices: "laptops (the leaders')",
    k_people: "people and duties",
    k_add_device: "add a laptop (writes its enrolment file)",
    k_revoke: "revoke this laptop",
    k_sync: "sync with the office",
    inbox_title: |n| format!("Escalations waiting: {n} (oldest first)"),
    inbox_empty: "No escalation is waiting for a response.",
    escalated_by: |when, by, days| {
        let by = if by.is_empty() { "(unknown)" } else { by };
        if days > 0 {
            format!("{when} escalated by {by}, waiting {days} d")
        } else {
            format!("{when} escalated by {by}")
        }
    },
    escalated_note: |n| format!("note: {n}"),
    assigned_mark: |p| format!("re-check: {p}"),
    response_mark: |n| format!("office: {n}"),
    deadline_mark: |d| format!("due {d}"),
    respond_title: "The office's response",
    rectify_title: "Rectified (seen by the office)",
    assign_title: "Assign a leader to re-check",
    f_new_deadline: "new deadline (optional)",
    f_person: "Person",
    f_response: "Response",
    sync_line: |n, last, url| {
        let last = last.map_or("never".to_string(), |l| {
            l.get(5..16).unwrap_or(l).replace('T', " ")
        });
        let url = url.unwrap_or("no office address yet");
        format!("s sync │ not sent: {n} │ last sync {last} │ {url}")
    },
    proposals_waiting: |n| format!(" │ {n} list change(s) waiting for the office"),
    responded: |n| format!("Answered {n}: it reaches the leader's laptop with the next sync."),
    rectified: |n| format!("{n} closed: it reaches the leader's laptop with the next sync."),
    assigned: |n, p| format!("{p} asked to re-check {n}: sent with the next sync."),
    devices_title: |n| format!("Laptops: {n} enrolled"),
    devices_none: "No laptop is enrolled yet: press a to add one for a leader.",
    devices_head: "Id   Person      Last sync         Received State",
    active: "active",
    add_device_title: "Add a laptop",
    device_added: |l, p, f| {
        format!(
            "File: {f}. Laptop {l} enrolled for {p}: on that laptop run firepatrol join FILE --code CODE, and tell the code in person."
        )
    },
    revoke_lines: |l, p| {
        [
            format!("Laptop {l} ({p})"),
            "Once revoked, the office refuses its sync files; what arrived stays.".to_string(),
        ]
    },
    revoke_ask: "Revoke this laptop?",
    syncing: "Syncing with the office...",
    syncing_for: |secs| {
        format!("Syncing with the office... {secs} s (Ctrl-C stops it; nothing is changed then)")
    },
    sync_running: "A sync is running; wait for it to end (Ctrl-C stops it).",
    sync_finishing: "The office's reply is being saved; a moment (saving is done in one step and is not stopped half way).",
    sync_broke: "The sync ended unexpectedly: nothing half-saved on this laptop. Sync again.",
    ctx_today: "today across the community",
    k_today: "today across the community (by grid)",
    today_title: "Today across the community: patrols, overdue, due this week",
    today_empty: "No buildings yet.",
    no_grid: "(no grid)",
    grid_head: |g, t, w, o, d| {
        format!(
            "■ {g}: patrolled today {t} · last 7 days {w} · overdue for patrol {o} · hazards due this week {d}"
        )
    },
    today_none: "today: nobody has patrolled yet",
    today_line: |p, b| format!("today {p}: {b}"),
    week_person: |p, n, d| format!("{p} {n} building(s) on {d} day(s)"),
    week_line: |w| format!("last 7 days: {w}"),
    overdue_line: |b, more| {
        if more > 0 {
            format!("overdue for patrol: {b} and {more} more")
        } else {
            format!("overdue for patrol: {b}")
        }
    },
    list_sep: ", ",
};
