//! Pure domain types and rules: no I/O, no database, no terminal, no clock of their own.

pub mod checklist;
pub mod clock;
pub mod day;
pub mod deadline;
pub mod incoming;
pub mod photo;
pub mod roster;
pub mod sync;
pub mod text;
pub mod walk;

use serde::{Deserialize, Serialize};

/// A new globally unique id (UUID v7, time ordered), so records from several laptops merge.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The id of a thing that is the same wherever it is made (a duty: this person for this
/// building or unit), so that two laptops making it make one row, not two that clash: a
/// UUID (version 8) from the SHA-256 of its kind and parts.
pub fn stable_id(kind: &str, parts: &[&str]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(kind.as_bytes());
    for p in parts {
        h.update([0x1f]);
        h.update(p.as_bytes());
    }
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Builder::from_custom_bytes(b).into_uuid().to_string()
}

/// Defines a closed set of codes stored as text, with parsing from English or Chinese names.
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $code:literal, $zh:literal, [$($alias:literal),*];)+ }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $var),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// The code stored in the database and written in files.
            pub fn code(self) -> &'static str { match self { $($name::$var => $code),+ } }
            /// The Chinese word.
            pub fn zh(self) -> &'static str { match self { $($name::$var => $zh),+ } }
            /// Parse a code, its Chinese word or an alias (case-insensitive, trimmed).
            pub fn parse(s: &str) -> Option<$name> {
                let t = s.trim().to_lowercase();
                $( if t == $code || t == $zh $(|| t == $alias)* { return Some($name::$var); } )+
                None
            }
        }
    };
}

coded_enum!(
    /// What kind of site a building is.
    SiteKind {
        Residential = "residential", "住宅", ["住宅楼", "居民楼", "home"];
        Shop = "shop", "商铺", ["沿街商户", "商户", "店铺"];
        BikeShed = "bike_shed", "车棚", ["充电棚", "bike shed", "bikeshed", "充电区"];
        Other = "other", "其他", ["其它"];
    }
);

coded_enum!(
    /// A person's role in the grid.
    Role {
        AreaLeader = "area_leader", "片长", [];
        BuildingLeader = "building_leader", "楼栋长", ["楼道长", "楼长"];
        UnitLeader = "unit_leader", "单元长", [];
        GridWorker = "grid_worker", "网格员", [];
        Office = "office", "社区", ["社区工作人员", "community"];
    }
);

coded_enum!(
    /// How serious a hazard is.
    Severity {
        Low = "low", "低", ["一般"];
        Medium = "medium", "中", ["较大"];
        High = "high", "高", ["重大"];
        Critical = "critical", "危急", ["紧急", "特别重大"];
    }
);

coded_enum!(
    /// Whether a checklist item is asked once per building or once per unit (entrance).
    Scope {
        Building = "building", "楼栋", [];
        Unit = "unit", "单元", [];
    }
);

coded_enum!(
    /// The answer to one checklist item.
    AnswerValue {
        Ok = "ok", "正常", [];
        Hazard = "hazard", "隐患", [];
        NotApplicable = "na", "不涉及", ["n/a"];
        /// An answer taken back by undo: the item is unanswered again.
        Cleared = "cleared", "未答", [];
    }
);

coded_enum!(
    /// The status of a hazard, derived from its events.
    HazardStatus {
        Open = "open", "待整改", [];
        Escalated = "escalated", "已上报", [];
        Rectified = "rectified", "已销号", ["已整改"];
        /// Recorded by mistake and taken back (undo in the walk); kept for the record.
        Voided = "voided", "已撤销", [];
    }
);

coded_enum!(
    /// Kinds of event in a hazard's history.
    HazardEventKind {
        Created = "created", "发现", [];
        Rectified = "rectified", "整改销号", [];
        StillOpen = "still_open", "复查未改", [];
        Extended = "extended", "延期", [];
        Escalated = "escalated", "上报社区", [];
        OfficeResponse = "office_response", "社区答复", [];
        /// The office asks a leader to re-check (the leader's name in the new value); the
        /// status stays as it was.
        Assigned = "assigned", "派人复查", [];
        Reopened = "reopened", "重新打开", [];
        Voided = "voided", "撤销", [];
    }
);

impl HazardEventKind {
    /// The status a hazard has after this event, given the status before.
    pub fn next_status(self, before: HazardStatus) -> HazardStatus {
        match self {
            HazardEventKind::Created | HazardEventKind::Reopened => HazardStatus::Open,
            HazardEventKind::Rectified => HazardStatus::Rectified,
            HazardEventKind::Escalated => HazardStatus::Escalated,
            HazardEventKind::Voided => HazardStatus::Voided,
            HazardEventKind::StillOpen
            | HazardEventKind::Extended
            | HazardEventKind::OfficeResponse
            | HazardEventKind::Assigned => before,
        }
    }
}

/// Why an action on a hazard was refused by the rules. Nothing is changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionRefused {
    NoSuchHazard(String),
    Ambiguous(String),
    AlreadyRectified,
    NotRectified,
    Withdrawn,
    NotEscalated,
    DeadlineInPast(chrono::NaiveDate),
    DeadlineNotLater(chrono::NaiveDate),
    ReasonRequired,
    RecipientRequired,
}

/// What kind of record a user named, for "not found" messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Thing {
    Building,
    Hazard,
    Person,
    Patrol,
    Grid,
    Template,
}

/// A hazard at the same building, unit and item within this many days of a rectified one is
/// a recurrence (回潮).
pub const RECURRENCE_WINDOW_DAYS: i64 = 180;

/// Default number of days between two patrols of a building, by kind.
pub fn default_patrol_interval(kind: SiteKind) -> u32 {
    match kind {
        SiteKind::Residential | SiteKind::Other => 7,
        SiteKind::Shop => 14,
        SiteKind::BikeShed => 7,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_chinese_parses() {
        for k in SiteKind::ALL {
            assert_eq!(SiteKind::parse(k.code()), Some(*k));
            assert_eq!(SiteKind::parse(k.zh()), Some(*k));
        }
        assert_eq!(SiteKind::parse(" Bike Shed "), Some(SiteKind::BikeShed));
        assert_eq!(Role::parse("楼道长"), Some(Role::BuildingLeader));
        assert_eq!(Severity::parse("x"), None);
    }

    #[test]
    fn status_follows_events() {
        use HazardEventKind as E;
        use HazardStatus as S;
        assert_eq!(E::Escalated.next_status(S::Open), S::Escalated);
        assert_eq!(E::OfficeResponse.next_status(S::Escalated), S::Escalated);
        assert_eq!(E::Assigned.next_status(S::Escalated), S::Escalated);
        assert_eq!(E::Assigned.next_status(S::Open), S::Open);
        assert_eq!(E::Extended.next_status(S::Open), S::Open);
        assert_eq!(E::Rectified.next_status(S::Escalated), S::Rectified);
        assert_eq!(E::Reopened.next_status(S::Rectified), S::Open);
    }
}
