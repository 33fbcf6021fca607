//! The `meta` table: this database's own settings and identity, one typed key each.

use crate::domain::SiteKind;
use rusqlite::{Transaction, params};
use std::borrow::Cow;

/// Every key the app keeps in `meta`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaKey {
    /// This database's id as a writer (its chain of events).
    DeviceId,
    /// `office` or `laptop` once the database takes part in sync.
    SyncRole,
    /// This database's id in sync (the office's id, or the laptop's enrolment).
    SyncSelf,
    /// The public half of this database's signing key (hex).
    SyncPublic,
    /// Legacy: the signing key kept in the database before key files (schema < 10). It is
    /// moved to the key file beside the database at the first sync, and forgotten here.
    SyncSecret,
    /// On a laptop: the office's id and public key, pinned at joining.
    SyncOfficeId,
    SyncOfficeKey,
    /// On a laptop: the office's age key (`age1…`), what its bundles are sealed to.
    SyncOfficeAge,
    /// On a laptop: its one-time key's proof of the keys it made at joining, sent with every
    /// bundle (an office restored from a backup made before it took them takes them again).
    SyncEnrolProof,
    /// On a laptop: its proposals to the lists, as the office's last reply told them (JSON).
    SyncProposals,
    /// On a laptop: its letter in hazard numbers, its person, its community.
    SyncLetter,
    SyncPerson,
    SyncCommunity,
    /// On a laptop: the last entry of the office's outbox applied here.
    SyncAcked,
    /// On a laptop: the last entry of its own outbox the office acknowledged (verified).
    SyncOfficeAcked,
    /// When this database last synced.
    SyncLast,
    /// On a laptop: the office's address on the LAN.
    SyncOfficeUrl,
    /// On a laptop: the next bundle carries everything this laptop wrote (the office asked).
    SyncResendAll,
    /// On a laptop: how far its clock was off the office's at the last sync (seconds).
    SyncClockOffset,
    /// On a laptop: the last office reply (or the enrolment) applied here, by its hash.
    SyncLastReply,
    /// On a laptop: this database's id in sync, made when it joined.
    SyncDatabase,
    /// On a laptop: ask the office for everything (after a restore, or a gap).
    SyncWantAll,
    /// On a laptop: it takes the place of the database that used its enrolment before.
    SyncReplace,
    /// The device ids this database wrote under before (a restore starts a new one).
    SyncFormerDevices,
    /// Who last worked in the app on this database (a person's id).
    LastInspector,
    /// The folder photos were last attached from.
    LastPhotoFolder,
    /// The hybrid logical clock: the greatest stamp made or seen here.
    Hlc,
    /// The day a backup was restored over this database.
    RestoredOn,
    /// The version of the search keys stored with the community tree.
    SearchKeysVersion,
    /// The devices of the single chain from before per-device chains.
    ChainLegacyDevices,
    /// Days between two patrols of a building of this kind.
    PatrolInterval(SiteKind),
}

impl MetaKey {
    pub fn as_str(self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            MetaKey::PatrolInterval(kind) => {
                return Cow::Owned(format!("interval.{}", kind.code()));
            }
            MetaKey::DeviceId => "device_id",
            MetaKey::SyncRole => "sync_role",
            MetaKey::SyncSelf => "sync_self",
            MetaKey::SyncPublic => "sync_public",
            MetaKey::SyncSecret => "sync_secret",
            MetaKey::SyncOfficeId => "sync_office_id",
            MetaKey::SyncOfficeKey => "sync_office_key",
            MetaKey::SyncOfficeAge => "sync_office_age",
            MetaKey::SyncEnrolProof => "sync_enrol_proof",
            MetaKey::SyncProposals => "sync_proposals",
            MetaKey::SyncLetter => "sync_letter",
            MetaKey::SyncPerson => "sync_person",
            MetaKey::SyncCommunity => "sync_community",
            MetaKey::SyncAcked => "sync_acked",
            MetaKey::SyncOfficeAcked => "sync_office_acked",
            MetaKey::SyncLast => "sync_last",
            MetaKey::SyncOfficeUrl => "sync_office_url",
            MetaKey::SyncResendAll => "sync_resend_all",
            MetaKey::SyncClockOffset => "sync_clock_offset",
            MetaKey::SyncLastReply => "sync_last_reply",
            MetaKey::SyncDatabase => "sync_database",
            MetaKey::SyncWantAll => "sync_want_all",
            MetaKey::SyncReplace => "sync_replace",
            MetaKey::SyncFormerDevices => "sync_former_devices",
            MetaKey::LastInspector => "last_inspector",
            MetaKey::LastPhotoFolder => "last_photo_folder",
            MetaKey::Hlc => "hlc",
            MetaKey::RestoredOn => "restored_on",
            MetaKey::SearchKeysVersion => "search_keys_version",
            MetaKey::ChainLegacyDevices => "chain_legacy_devices",
        })
    }
}

/// Set meta values inside a transaction.
pub(crate) fn put_meta<V: rusqlite::ToSql>(
    tx: &Transaction,
    pairs: &[(MetaKey, V)],
) -> rusqlite::Result<()> {
    for (k, v) in pairs {
        tx.prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?
        .execute(params![k.as_str(), v])?;
    }
    Ok(())
}
