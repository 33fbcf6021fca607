//! 中文界面文字。
use super::Catalogue;

pub static CAT: Catalogue = Catalogue {
    kind_residential: "住宅楼",
    kind_shop: "沿街商铺",
    kind_bike_shed: "车棚",
    kind_other: "其他",
    role_area_leader: "片长",
    role_building_leader: "楼栋长",
    role_unit_leader: "单元长",
    role_grid_worker: "网格员",
    role_office: "社区",
    sev_low: "低",
    sev_medium: "中",
    sev_high: "高",
    sev_critical: "危急",
    ans_ok: "正常",
    ans_hazard: "隐患",
    ans_na: "不涉及",
    ans_none: "未查",
    st_open: "待整改",
    st_escalated: "已上报",
    st_rectified: "已销号",
    st_voided: "已撤销",
    st_overdue: "逾期",
    categories: &[
        ("egress", "疏散通道"),
        ("ebike", "电动车"),
        ("equipment", "消防器材"),
        ("electric", "用电"),
        ("combustible", "可燃物"),
        ("gas", "用气"),
        ("access", "消防车通道"),
        ("signage", "标识"),
    ],
    unit_name: |n| format!("{n}单元"),

    err_db: |p, e| format!("数据库 {p} 出错：{e}"),
    err_newer_schema: |p, f, s| {
        format!(
            "数据库 {p} 是新版本程序写的（版本 {f}，本程序只认到 {s}）。请升级 firepatrol；文件没有改动。"
        )
    },
    err_damaged: |p| format!("数据库 {p} 已损坏，或不是 firepatrol 的数据库。文件没有改动。"),
    err_damaged_backup: |b| format!("最新的备份是 {b}，可用 firepatrol restore {b} 恢复。"),
    err_is_dir: |p| format!("{p} 是一个文件夹，不是数据库文件。"),
    err_locked: |p| format!("数据库 {p} 正被另一个程序占用，请稍后再试。"),
    err_read_only: |p| format!("数据库 {p} 不能写入（只读或没有权限）。"),
    err_disk_full: |p| {
        format!("磁盘已满，无法写入 {p}。没有保存的内容仍在屏幕上，腾出空间后再试。")
    },
    err_io: |p, e| format!("{p}：{e}"),
    err_encoding: |p| format!("{p}：无法识别文字编码（支持 UTF-8 和 GBK）。"),
    err_empty_file: |p| format!("{p}：文件是空的。"),
    err_header_only: |p| format!("{p}：只有表头，没有数据行。"),
    err_file_type: |p| format!("{p}：只支持 .csv 和 .xlsx 文件。"),
    err_missing_column: |p, c| format!("{p}：缺少必需的列“{c}”。"),
    err_rows: |p, n| format!("{p}：有 {n} 处错误，什么都没有导入："),
    err_spreadsheet: |p, d| format!("{p}：无法读取表格：{d}"),
    err_template: |p| format!("检查表模板 {p} 有错误，没有导入："),
    err_no_template: |id| format!("没有名为 {id} 的检查表模板。"),
    err_no_database: |p| format!("{p} 还没有数据库。先运行 firepatrol init。"),
    row_at: |r, c| {
        if c.is_empty() {
            format!("第 {r} 行：")
        } else {
            format!("第 {r} 行“{c}”列：")
        }
    },
    prob_missing: "不能为空",
    prob_not_number: |v| format!("“{v}”不是数字"),
    prob_not_phone: |v| format!("“{v}”不是电话号码（只能有数字、空格、横线和开头的 +）"),
    prob_unknown_kind: |v| format!("不认识的类型“{v}”（可用：住宅、商铺、车棚、其他）"),
    prob_unknown_role: |v| format!("不认识的角色“{v}”（可用：片长、楼栋长、单元长、网格员、社区）"),
    prob_too_long: |n| format!("太长（{n} 个字）"),
    prob_no_building: |v| format!("找不到楼栋“{v}”"),
    prob_duplicate: |r| format!("与第 {r} 行重复但内容不同"),
    tpl_syntax: |m| format!("格式错误：{m}"),
    tpl_empty: "不能为空",
    tpl_too_long: |n| format!("太长（{n} 个字）"),
    tpl_bad_id: "编号只能用字母、数字、- 和 _",
    tpl_duplicate: |id| format!("编号 {id} 重复"),
    tpl_no_items: "没有检查项",
    tpl_no_kinds: "没有写适用的场所类型",

    cli_error: "错误",
    import_unknown_columns: |c| format!("以下列不认识，已忽略：{c}"),
    import_summary: |dry, n| {
        format!(
            "{}{} 行：新楼栋 {}，有改动的楼栋 {}，没变的楼栋 {}；新单元 {}，新人员 {}，新分工 {}；新社区 {}，新网格 {}，新小区 {}。",
            if dry {
                "（试运行，没有写入）"
            } else {
                ""
            },
            n.rows,
            n.buildings_new,
            n.buildings_changed,
            n.buildings_same,
            n.units,
            n.people,
            n.duties,
            n.communities,
            n.grids,
            n.compounds
        )
    },
    template_imported: |id, n| format!("已导入检查表模板 {id}（{n} 项）。"),
    backup_written: |p| format!("备份已写入 {p}"),
    check_ok: |p| format!("{p}：完好。"),
    check_failed: |p| format!("{p}：检查发现问题："),
    init_done: |p| format!("数据库已建立：{p}"),
    init_exists: |p| format!("数据库已存在：{p}（没有改动）"),
    demo_db_at: |p| format!("演示社区数据库：{p}"),
    stats_text: |s| {
        format!(
            "楼栋 {}，单元 {}，人员 {}，巡查 {} 次，已答检查项 {}\n隐患共 {}：未整改 {}（其中逾期 {}，已上报 {}），已销号 {}",
            s.buildings,
            s.units,
            s.people,
            s.patrols,
            s.answers,
            s.hazards.total,
            s.hazards.open,
            s.hazards.overdue,
            s.hazards.escalated,
            s.hazards.rectified
        )
    },
};
